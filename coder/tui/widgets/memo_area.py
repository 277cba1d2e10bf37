"""The memo editor: Textual's TextArea, made usable on very long paragraphs (issue 13.16).

A memo pasted as one paragraph of 218 KB took 2.3-2.8 s a keystroke. Three costs grew with
the paragraph, and each is cut here to the rows on screen:

- rewrapping the edited line (memo_wrap.IncrementalWrap rewraps only the rows an edit moves);
- cutting the line into its rows to place the cursor (plain string slices there too);
- drawing: TextArea styles the whole document line for each screen row and divides it at
  every wrap point, then keeps one piece. Here the division hands back only the row being
  drawn; the pieces before it are asked for just to count their tabs, so a line without tabs
  answers those with a blank that has none. Lines with tabs are divided as before.

benchmarks/memo_bench.py prints the figures; tests/tui/test_memo_wrap.py checks that a memo
draws exactly as a plain TextArea draws it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from rich.control import strip_control_codes
from rich.text import Span, Text
from textual.document._document_navigator import DocumentNavigator
from textual.strip import Strip
from textual.widgets import TextArea

from coder.tui.widgets.memo_wrap import IncrementalWrap

LONG = 4096  # characters from which a line's control codes are stripped once, not per row


class _Blank:
    """Stands for a row before the drawn one: TextArea only counts its tabs (none)."""

    plain = ""


_BLANK = cast(Text, _Blank())


def _row(line: Text, start: int, end: int) -> Text:
    """line[start:end] as its own Text, with the styles that fall inside it."""
    row = Text(
        line.plain[start:end],
        style=line.style,
        justify=line.justify,
        overflow=line.overflow,
        no_wrap=line.no_wrap,
        end=line.end,
        tab_size=line.tab_size,
    )
    row.spans = [
        Span(max(s.start, start) - start, min(s.end, end) - start, s.style)
        for s in line.spans
        if s.end > start and s.start < end
    ]
    return row


class _Line(Text):
    """A document line that, divided at its wrap points, builds only the row being drawn."""

    wanted: int | None = None
    clean = False  # known to hold no control codes (a long line, stripped once)

    def pad_right(self, count: int, character: str = " ") -> None:
        """As Text's, without stripping the whole line of control codes again (TextArea pads
        each drawn line by one cell for the cursor)."""
        if not self.clean or not count or len(character) != 1 or not character.isprintable():
            super().pad_right(count, character)
            return
        padded = self.plain + character * count
        self._text, self._length = [padded], len(padded)

    def divide(self, offsets: Iterable[int]) -> list[Text]:  # type: ignore[override]
        cuts = list(offsets)
        wanted = self.wanted
        if wanted is None or "\t" in self.plain or not 0 <= wanted <= len(cuts):
            return list(super().divide(cuts))
        rows = [_BLANK] * (len(cuts) + 1)
        bounds = [0, *cuts, len(self.plain)]
        rows[wanted] = _row(self, bounds[wanted], bounds[wanted + 1])
        return rows


class MemoArea(TextArea):
    """A soft-wrapping TextArea whose cost per key does not grow with the paragraph."""

    _row_wanted: int | None = None
    _clean: tuple[str | None, str] = (None, "")  # the last long line and it without controls

    def _set_document(self, text: str, language: str | None) -> None:
        super()._set_document(text, language)
        self.wrapped_document = IncrementalWrap(self.document, tab_width=self.indent_width)
        self.navigator = DocumentNavigator(self.wrapped_document)
        self._rewrap_and_refresh_virtual_size()

    def _render_line(self, y: int) -> Strip:
        info = self.wrapped_document._offset_to_line_info
        row = y + self.scroll_offset.y
        self._row_wanted = info[row][1] if 0 <= row < len(info) else None
        try:
            return super()._render_line(y)
        finally:
            self._row_wanted = None

    def get_line(self, line_index: int) -> Text:
        raw = self.document.get_line(line_index)
        if len(raw) < LONG:
            line = _Line(raw, end="", no_wrap=True)
        else:
            # Each drawn row asks for its whole document line, and rich strips control codes
            # from it every time: on a long paragraph, once per screen row. Strip once per
            # version of the line and fill the Text with the result.
            if self._clean[0] is not raw:
                self._clean = (raw, strip_control_codes(raw))
            clean = self._clean[1]
            line = _Line("", end="", no_wrap=True)
            line._text, line._length = [clean], len(clean)  # what Text("…") would hold
            line.clean = True
        line.wanted = self._row_wanted
        return line
