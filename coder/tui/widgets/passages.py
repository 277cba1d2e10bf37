"""A virtual list of coded passages: every block has the same height, so a code with 10,000
passages costs no more to show than one with ten. Pages are fetched only when the rows that
show them come into view; until then the rows say "loading".
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coder.tui import keymap
from coder.vocab.dto import Passage

PAGE = 50
BLOCK = 5  # header, three lines of text, a blank
TEXT_LINES = 3


def _flat(text: str) -> str:
    return " ".join(text.split())


class PassageList(ScrollView, can_focus=True):
    """Passages of one code in blocks of BLOCK rows, with a cursor."""

    # The screen's keys, bound here so they win over ScrollView's own scrolling keys.
    BINDINGS = keymap.on_screen(keymap.RETRIEVAL)

    COMPONENT_CLASSES = {"passages--header", "passages--cursor", "passages--dim"}
    DEFAULT_CSS = """
    PassageList { background: $surface; }
    PassageList > .passages--header { color: $text; text-style: bold; }
    PassageList > .passages--cursor { background: $accent 40%; text-style: bold; }
    PassageList > .passages--dim { color: $text-muted; }
    """

    @dataclass
    class NeedPage(Message):
        page: int

    @dataclass
    class Moved(Message):
        index: int

    @dataclass
    class Chosen(Message):
        """A passage was double-clicked."""

        index: int

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.total = 0
        self.cursor = 0
        self.pages: dict[int, list[Passage]] = {}
        self.show_coders = False  # say who coded each passage (more than one coder shown)
        self._asked: set[int] = set()
        self._cache: dict[tuple[int, int], list[Strip]] = {}

    def reset(self, total: int) -> None:
        self.total = total
        self.cursor = min(self.cursor, max(0, total - 1))
        self.pages.clear()
        self._asked.clear()
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, total * BLOCK)
        self.refresh()

    def set_page(self, page: int, passages: list[Passage]) -> None:
        self.pages[page] = passages
        self._asked.discard(page)
        self._cache = {k: v for k, v in self._cache.items() if k[0] // PAGE != page}
        self.refresh()

    def passage(self, index: int) -> Passage | None:
        page = self.pages.get(index // PAGE)
        if page is None or index % PAGE >= len(page):
            return None
        return page[index % PAGE]

    def replace(self, index: int, passage: Passage) -> None:
        page = self.pages.get(index // PAGE)
        if page is not None and index % PAGE < len(page):
            page[index % PAGE] = passage
            self._cache.pop((index, self.scrollable_content_region.width), None)
            self.refresh()

    def move_to(self, index: int) -> None:
        if not self.total:
            return
        old = self.cursor
        self.cursor = max(0, min(self.total - 1, index))
        for i in (old, self.cursor):
            self._cache.pop((i, self.scrollable_content_region.width), None)
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        y = self.cursor * BLOCK
        if y < top:
            self.scroll_to(y=y, animate=False, immediate=True)
        elif y + BLOCK > top + height:
            self.scroll_to(y=y + BLOCK - height, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Moved(self.cursor))

    async def _on_click(self, event: events.Click) -> None:
        index = (self.scroll_offset.y + event.y) // BLOCK
        if 0 <= index < self.total:
            self.move_to(index)
            if event.chain >= 2:
                self.post_message(self.Chosen(index))

    def page_size(self) -> int:
        return max(1, self.scrollable_content_region.height // BLOCK)

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, self.total * BLOCK)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = self.scroll_offset.y + y
        index, sub = divmod(row, BLOCK)
        base = self.rich_style
        if index >= self.total:
            return Strip.blank(width, base)
        key = (index, width)
        block = self._cache.get(key)
        if block is None:
            passage = self.passage(index)
            if passage is None:
                page = index // PAGE
                if page not in self._asked:
                    self._asked.add(page)
                    self.post_message(self.NeedPage(page))
                dim = self.get_component_rich_style("passages--dim")
                line = Strip([Segment(f"  {index + 1:>6}  loading…", dim)])
                return (
                    line.extend_cell_length(width, base) if sub == 0 else Strip.blank(width, base)
                )
            block = self._render_block(index, passage, width, base)
            self._cache[key] = block
        return block[sub] if sub < len(block) else Strip.blank(width, base)

    def _render_block(self, index: int, p: Passage, width: int, base: Style) -> list[Strip]:
        c = p.coding
        is_cursor = index == self.cursor
        head_style = self.get_component_rich_style(
            "passages--cursor" if is_cursor else "passages--header"
        )
        header = Text(no_wrap=True, overflow="ellipsis")
        header.append("▌" if is_cursor else " ", style=head_style)
        header.append(f"{index + 1:>6}  ", style="dim")
        header.append(c.case_name or "—")
        header.append(f" · {c.source_name}", style="dim")
        if p.speaker:
            header.append(f" · {p.speaker}")
        if c.exemplar:
            header.append("  ★ exemplar", style="yellow")
        if c.memo:
            header.append("  ✎ memo", style="cyan")
        header.append(f"  ■ {c.code_name}", style=c.code_color)
        if self.show_coders:
            header.append(f" · {c.coder}", style="italic")
        header.truncate(width, overflow="ellipsis", pad=True)
        if is_cursor:
            header.stylize(head_style)
        console = self.app.console
        strips = [
            Strip(list(header.render(console, end="")))
            .apply_style(base)
            .extend_cell_length(width, base)
            .crop(0, width)
        ]
        body_width = max(10, width - 9)
        before = _flat(p.before)
        budget = body_width // 2
        if len(before) > budget:
            cut = before[-budget:]
            before = "…" + (cut[cut.find(" ") + 1 :] if " " in cut else cut)
        after = _flat(p.after)
        bg = base.bgcolor
        colour = Color.parse(c.code_color)
        back = Color.from_rich_color(bg) if bg is not None else Color(0, 0, 0)
        mark = Style(bgcolor=back.blend(colour, 0.35).rich_color, bold=True)
        body = Text.assemble(
            before + " " if before else "",
            (_flat(c.snippet), mark),
            " " + after + "…" if after else "",
        )
        lines = body.wrap(console, body_width)
        shown = list(lines)[:TEXT_LINES]
        if len(lines) > TEXT_LINES and shown:
            shown[-1] = shown[-1][: max(0, body_width - 1)] + Text("…")
        for line in shown:
            segs = [Segment(" " * 9), *line.render(console, end="")]
            strips.append(
                Strip(segs).apply_style(base).extend_cell_length(width, base).crop(0, width)
            )
        while len(strips) < BLOCK:
            strips.append(Strip.blank(width, base))
        return strips
