"""Soft wrap that rewraps only the rows an edit can move, for very long memo paragraphs.

Textual's WrappedDocument rewraps the whole edited line on every keystroke, and splits it into
its wrapped sections with rich's `Text.divide` whenever the cursor moves: on a 218 KB paragraph
each costs about a hundred milliseconds (issue 13.16). Both are linear in the paragraph.

Wrapping is greedy: a row's end depends only on where the row starts and the words after it.
So after an edit inside one line, the rows that end before the edit are unchanged; wrapping
restarts a couple of rows above the edit, and stops as soon as a new break lands where an old
break (moved by the edit's length) was, because from there on the text, and so every break,
is the old one shifted. Lines with tabs (whose widths depend on the column) are rewrapped
whole, as before. `tests/tui/test_memo_wrap.py` checks the result against a full rewrap on
random edits.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from textual._wrap import compute_wrap_offsets
from textual.document._document import Location
from textual.document._wrapped_document import WrappedDocument

BACK_ROWS = 2  # rows above the edit to restart from (a shorter word may now fit higher up)


def rewrap_after_edit(
    text: str, old: list[int], start: int, old_end: int, new_end: int, width: int, tab: int
) -> list[int]:
    """The wrap offsets of `text` (edited at start..new_end, which was start..old_end) from
    its offsets `old` before the edit: only the rows near the edit are computed again."""
    delta = new_end - old_end
    row = bisect_right(old, start)  # the row the edit starts in
    k = max(0, row - BACK_ROWS)
    while k > 0 and not text[old[k - 1] - 1].isspace():
        k -= 1  # restart only at a break between words, never inside a folded word
    restart = old[k - 1] if k else 0
    keep = old[:k] if k else []
    tail_old = old[bisect_right(old, old_end) :]  # old breaks after the edit
    window = max(4 * width, 256)
    while True:
        stop = min(len(text), new_end + window)
        fresh = [restart + o for o in compute_wrap_offsets(text[restart:stop], width, tab)]
        whole = stop >= len(text)
        if whole:
            return keep + fresh
        # Trust breaks only well before the window's end (its last words were cut).
        safe = stop - 2 * width
        for i, o in enumerate(fresh):
            if o > safe:
                break
            if o <= new_end:
                continue
            j = bisect_left(tail_old, o - delta)
            if j < len(tail_old) and tail_old[j] == o - delta:
                return keep + fresh[: i + 1] + [x + delta for x in tail_old[j + 1 :]]
        window *= 4


class IncrementalWrap(WrappedDocument):
    """A WrappedDocument whose edits inside one line rewrap only the rows they move."""

    def wrap_range(self, start: Location, old_end: Location, new_end: Location) -> None:
        line = start[0]
        width = self._width
        if not (
            width
            and line == old_end[0] == new_end[0]
            and 0 <= line < len(self._wrap_offsets)
            and self.document.line_count == len(self._wrap_offsets)
        ):
            super().wrap_range(start, old_end, new_end)
            return
        text = self.document[line]
        if "\t" in text:
            super().wrap_range(start, old_end, new_end)
            return
        old = self._wrap_offsets[line]
        new = rewrap_after_edit(text, old, start[1], old_end[1], new_end[1], width, self._tab_width)
        self._wrap_offsets[line] = new
        shift = len(new) - len(old)
        if not shift:
            return
        ys = self._line_index_to_offsets[line]
        top = ys[0]
        last = top + len(old)  # the line's last row, before the edit
        rows = list(range(top, top + len(new) + 1))
        self._line_index_to_offsets[line] = rows
        self._offset_to_line_info[top : last + 1] = [(line, k) for k in range(len(rows))]
        for below in range(line + 1, len(self._line_index_to_offsets)):
            self._line_index_to_offsets[below] = [
                y + shift for y in self._line_index_to_offsets[below]
            ]

    def get_sections(self, line_index: int) -> list[str]:
        """The line cut at its wrap offsets (plain slices; rich's divide builds a styled Text
        per row, which on a long paragraph costs more than the cut itself)."""
        text = self.document[line_index]
        cuts = self._wrap_offsets[line_index]
        return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
