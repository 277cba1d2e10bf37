"""The transcript pane: speaker turns, coded passages in their code's colour, coding stripes,
and a selection that is always visible.

It is a line-API widget (a ScrollView with `render_line`): the text is wrapped once per width
into rows (`RowLayout`) and only the rows on screen are drawn, each on its own, so a
50,000-word interview scrolls as smoothly as a short one. The gutter left of the text shows
one lane per overlapping coding: the code's letter where the coding starts and a bar in the
code's colour down to where it ends, as NVivo's coding stripes do.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coder.services.coding.workspace import SourceDoc
from coder.tui import keymap
from coder.tui.messages import CodingsChanged, SelectionChanged
from coder.tui.widgets import navigation as nav
from coder.tui.widgets.transcript_model import TEXT, CodingOverlay, RowLayout
from coder.tui.widgets.transcript_paint import GUTTER, RowPainter, is_interviewer
from coder.vocab.dto import CodingInfo, MemoInfo

CACHED_ROWS = 2000  # drawn rows kept (a page is a screenful: about 40)


def _same(a: CodingInfo | None, b: CodingInfo) -> bool:
    return a is b or a == b


class TranscriptView(RowPainter, ScrollView, can_focus=True):
    """A virtualised, wrapped, highlighted view of one source with a selection."""

    BINDINGS = keymap.keys(keymap.TRANSCRIPT)
    COMPONENT_CLASSES = {
        "transcript--selection",
        "transcript--mark",
        "transcript--speaker",
        "transcript--interviewer",
        "transcript--time",
        "transcript--empty",
        "transcript--note",
    }
    DEFAULT_CSS = """
    TranscriptView { background: $surface; overflow-x: hidden; scrollbar-size-vertical: 1; }
    TranscriptView > .transcript--selection { background: $accent 45%; text-style: bold; }
    TranscriptView > .transcript--mark { color: $accent; }
    TranscriptView > .transcript--speaker { color: $primary; text-style: bold; }
    TranscriptView > .transcript--interviewer { color: $text-muted; text-style: bold; }
    TranscriptView > .transcript--time { color: $text-muted; }
    TranscriptView > .transcript--empty { color: $text-muted; text-style: italic; }
    TranscriptView > .transcript--note { color: $warning; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.doc: SourceDoc | None = None
        self.layout_: RowLayout | None = None
        self.overlay = CodingOverlay(())
        self.selection: tuple[int, int] = (0, 0)
        self.code_marks: dict[int, str] = {}
        self.coder_marks: dict[str, str] = {}  # a letter per coder when several are shown
        self.notes: tuple[MemoInfo, ...] = ()  # notes on uncoded text, marked in the margin
        self._cache: dict[int, Strip] = {}
        # The widget's own style (text on its background); Textual works it out afresh from
        # every ancestor at each call, which was half the cost of drawing a row.
        self._base: Style | None = None
        self._drag_from: int | None = None
        self._dragged = False
        self.empty_message = "Choose a source to read and code it."

    # --- content ----------------------------------------------------------------------------

    def load(
        self, doc: SourceDoc, select: tuple[int, int] | None = None, keep_view: bool = False
    ) -> None:
        """Show a source; select `select`, or the first sentence."""
        old_y = self.scroll_offset.y
        self.doc = doc
        self.overlay = CodingOverlay(doc.codings)
        self.notes = doc.notes
        self._relayout()
        if select is None:
            sentences = doc.units.sentences
            select = sentences[0] if sentences else (0, min(1, len(doc.source.text)))
        self.select(*select, reveal=not keep_view, post=True)
        if keep_view:
            self.scroll_to(y=old_y, animate=False, immediate=True)
        else:
            self._reveal(center=True)

    def set_codings(self, codings: Sequence[CodingInfo]) -> None:
        """Redraw with a new set of codings (after a coding, an undo, a refresh).

        Only the rows of codings that appeared, went, changed or moved lane are redrawn, so
        a coding costs a few rows of drawing, not a screenful.
        """
        if self.doc is None:
            return
        old = self.overlay
        before = {c.id: c for c in old.codings}
        after = {c.id: c for c in codings}
        added = [c for cid, c in after.items() if cid not in before]
        removed = [c for cid, c in before.items() if cid not in after]
        replaced = [c for cid, c in after.items() if cid in before and not _same(before[cid], c)]
        moved = [c for c in replaced if (c.start, c.end) != (before[c.id].start, before[c.id].end)]
        if len(added) + len(removed) + len(replaced) <= 20 and not moved:
            self.overlay = old.changed(added, removed, replaced)
        else:
            self.overlay = CodingOverlay(codings)
        lanes = self.overlay.lane
        touched = [*added, *removed, *replaced]
        touched += [c for cid, c in after.items() if old.lane.get(cid, lanes[cid]) != lanes[cid]]
        if self.layout_ is not None and len(touched) <= 50:
            for c in touched:
                self._refresh_span(c.start, c.end)
        else:
            self._cache.clear()
            self.refresh()
        source_id = self.doc.source.info.id
        self.post_message(CodingsChanged(source_id, tuple(added), tuple(removed), tuple(replaced)))

    @property
    def codings(self) -> list[CodingInfo]:
        return list(self.overlay.codings)

    def set_notes(self, notes: Sequence[MemoInfo]) -> None:
        """Redraw the margin marks of the notes on uncoded text (after one is added or gone)."""
        self.notes = tuple(notes)
        self._cache.clear()
        self.refresh()

    def notes_here(self) -> list[MemoInfo]:
        """The notes whose span overlaps the selection (or holds the cursor)."""
        a, b = self.selection
        return [
            n
            for n in self.notes
            if n.start is not None
            and n.end is not None
            and (n.start < b and n.end > a or n.start <= a < n.end)
        ]

    def set_marks(self, marks: dict[int, str]) -> None:
        """The character shown in the stripe where each code's codings start."""
        self.code_marks = marks
        self._cache.clear()
        self.refresh()

    def codings_here(self) -> list[CodingInfo]:
        """Codings overlapping the selection."""
        return self.overlay.covering(*self.selection)

    # --- selection --------------------------------------------------------------------------

    def select(self, start: int, end: int, *, reveal: bool = True, post: bool = True) -> None:
        if self.doc is None:
            return
        n = len(self.doc.source.text)
        start, end = max(0, min(start, n)), max(0, min(end, n))
        if end <= start:
            end = min(n, start + 1)
        old = self.selection
        self.selection = (start, end)
        self._refresh_span(*old)
        self._refresh_span(start, end)
        if reveal:
            self._reveal()
        if post:
            self.post_message(SelectionChanged(start, end))

    def _refresh_span(self, start: int, end: int) -> None:
        if self.layout_ is None:
            return
        a, b = self.layout_.row_of(start), self.layout_.last_row_of(end)
        for row in range(a, b + 1):
            self._cache.pop(row, None)
        self.refresh_lines(a, b - a + 1)

    def _reveal(self, center: bool = False) -> None:
        if self.layout_ is None:
            return
        a = self.layout_.row_of(self.selection[0])
        b = self.layout_.last_row_of(self.selection[1])
        top, height = self.scroll_offset.y, max(1, self.scrollable_content_region.height)
        if center and not (top <= a and b < top + height):
            target = max(0, a - height // 3)
        elif a < top:
            target = max(0, a - 1)
        elif b >= top + height:
            target = max(0, min(a - 1, b - height + 2))
        else:
            return
        self.scroll_to(y=target, animate=False, immediate=True)

    def _units(self) -> tuple[tuple[int, int], ...]:
        return self.doc.units.sentences if self.doc else ()

    def _go(self, span: tuple[int, int] | None) -> None:
        if span is not None:
            self.select(*span)

    def action_sentence(self, direction: int) -> None:
        if self.doc:
            self._go(nav.step(self.doc.units.sentences, self.selection, direction))

    def action_turn(self, direction: int) -> None:
        if self.doc:
            units = self.doc.units.turns or self.doc.units.paragraphs
            self._go(nav.step(units, self.selection, direction))

    def action_participant_turn(self, direction: int) -> None:
        """The next (or previous) turn of someone other than the interviewer."""
        if self.doc:
            turns = [
                (t.start, t.end)
                for t in self.doc.source.turns
                if t.speaker is not None and not is_interviewer(t.speaker)
            ]
            self._go(nav.step(turns, self.selection, direction))

    def action_paragraph(self, direction: int) -> None:
        if self.doc:
            self._go(nav.step(self.doc.units.paragraphs, self.selection, direction))

    def action_extend_sentence(self, direction: int) -> None:
        if self.doc:
            self._go(nav.extend_end(self.doc.units.sentences, self.selection, direction))

    def action_extend_word(self, direction: int) -> None:
        if self.doc:
            words = self.doc.units.words
            if direction < 0:
                self._go(nav.shrink_word(words, self.selection))
            else:
                self._go(nav.extend_end(words, self.selection, direction))

    def action_extend_start(self, direction: int) -> None:
        if self.doc:
            self._go(nav.extend_start(self.doc.units.words, self.selection, direction))

    def action_page(self, direction: int) -> None:
        if self.doc is None or self.layout_ is None:
            return
        height = max(1, self.scrollable_content_region.height)
        top = max(
            0,
            min(
                self.scroll_offset.y + direction * (height - 1), max(0, len(self.layout_) - height)
            ),
        )
        self.scroll_to(y=top, animate=False, immediate=True)
        # The page after this one is drawn once this one is on screen, while the researcher
        # reads: the next page-down then only has Textual compose rows already drawn.
        self.call_after_refresh(self._draw_ahead, top + direction * height, height)
        for row in self.layout_.rows[top : top + height]:
            if row.kind == TEXT:
                span = nav.containing(self.doc.units.sentences, row.start)
                if span is not None:
                    self.select(*span, reveal=False)
                    if self.layout_.row_of(span[0]) < top:
                        nxt = nav.step(self.doc.units.sentences, span, 1)
                        if nxt is not None and self.layout_.row_of(nxt[0]) < top + height:
                            self.select(*nxt, reveal=False)
                return

    def action_edge(self, direction: int) -> None:
        if self.doc and self.doc.units.sentences:
            sents = self.doc.units.sentences
            self.select(*(sents[-1] if direction > 0 else sents[0]))

    # --- mouse ------------------------------------------------------------------------------

    def offset_at(self, x: int, y: int) -> int:
        """The character offset drawn at widget cell (x, y)."""
        if self.layout_ is None or not self.layout_.rows:
            return 0
        rows = self.layout_.rows
        r = min(len(rows) - 1, max(0, self.scroll_offset.y + y))
        while r < len(rows) - 1 and rows[r].kind != TEXT:
            r += 1
        row = rows[r]
        col = max(0, x - GUTTER)
        text = self.doc.source.text if self.doc else ""
        chunk = text[row.start : row.end]
        if chunk.isascii():
            return min(row.start + col, max(row.start, row.end - 1))
        from rich.cells import cell_len

        used = 0
        for i, ch in enumerate(chunk):
            used += cell_len(ch)
            if used > col:
                return row.start + i
        return max(row.start, row.end - 1)

    async def _on_mouse_down(self, event: events.MouseDown) -> None:
        if self.doc is None or event.button != 1:
            return
        self.focus()
        self._drag_from = self.offset_at(event.x, event.y)
        self._dragged = False
        self.capture_mouse()

    async def _on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_from is None or self.doc is None:
            return
        here = self.offset_at(event.x, event.y)
        if here != self._drag_from:
            self._dragged = True
            self.select(
                *nav.snap_to_words(self.doc.units.words, self._drag_from, here + 1), reveal=False
            )

    async def _on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_from is None or self.doc is None:
            return
        self.release_mouse()
        if not self._dragged:
            span = nav.containing(self.doc.units.sentences, self._drag_from)
            if span is not None:
                self.select(*span, reveal=False)
        self._drag_from = None

    # --- layout and drawing -----------------------------------------------------------------

    def _text_width(self) -> int:
        """Cells for text: the widget less the scrollbar, the gutter and a margin."""
        return max(10, self.size.width - 1 - GUTTER - 1)

    def _relayout(self) -> None:
        self._cache.clear()
        width = self._text_width()
        if self.doc is None:
            self.layout_ = None
            self.virtual_size = Size(0, 0)
        else:
            self.layout_ = RowLayout(
                self.doc.source.text, self.doc.source.turns, self.doc.units.paragraphs, width
            )
            self.virtual_size = Size(max(0, self.size.width - 1), len(self.layout_))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        width = self._text_width()
        if self.doc is not None and (self.layout_ is None or self.layout_.width != width):
            self._relayout()
            self._reveal()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._base = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row_index = self.scroll_offset.y + y
        base = self._base
        if base is None:
            base = self._base = self.rich_style
        if self.layout_ is None:
            lines = textwrap.wrap(self.empty_message, max(10, width - 4))
            if 1 <= y <= len(lines):
                style = self.get_component_rich_style("transcript--empty")
                return Strip([Segment("  " + lines[y - 1], style)]).extend_cell_length(width, base)
            return Strip.blank(width, base)
        if row_index >= len(self.layout_):
            return Strip.blank(width, base)
        strip = self._cache.get(row_index)
        if strip is None:
            strip = self._row_strip(row_index, width, base)
            if len(self._cache) > CACHED_ROWS:
                self._cache.clear()
            self._cache[row_index] = strip
        return strip.crop(0, width)

    def _row_strip(self, row_index: int, width: int, base: Style) -> Strip:
        return self._render_row(row_index, base).simplify().extend_cell_length(width, base)

    def _draw_ahead(self, first: int, count: int) -> None:
        """Draw rows first..first+count into the row cache (the page a page key goes to next)."""
        if self.layout_ is None:
            return
        first, stop = max(0, first), min(len(self.layout_), first + count)
        if len(self._cache) + count > CACHED_ROWS:  # keep the rows around the view
            top = self.scroll_offset.y
            self._cache = {k: v for k, v in self._cache.items() if abs(k - top) <= 2 * count}
        if self._base is None:
            self._base = self.rich_style
        width = self.scrollable_content_region.width
        for row_index in range(first, stop):
            if row_index not in self._cache:
                self._cache[row_index] = self._row_strip(row_index, width, self._base)
