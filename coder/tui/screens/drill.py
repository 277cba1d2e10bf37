"""A drill-down: the passages behind a cell of a matrix or co-occurrence table, a query's
hits, or a word's occurrences in context. Enter returns the chosen one's location, so the
screen that opened it can take the researcher into the transcript there.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from coder.analysis.words import KwicLine
from coder.services.analysis.views import PassageView
from coder.tui import keymap
from coder.wording import count

Location = tuple[int, int, int]  # source id, start, end
Item = tuple[Text, Location]


def _flat(text: str) -> str:
    return " ".join(text.split())


def passage_item(view: PassageView, width: int = 200) -> Item:
    """Two lines: who and where (dim), then the passage; every part plain text."""
    label = Text(no_wrap=True, overflow="ellipsis")
    who = " · ".join(x for x in (view.participant, view.source) if x)
    label.append(f"{who} · {view.start}–{view.end}", style="dim")
    if view.codes:
        label.append(f" · {'; '.join(view.codes)}", style="dim italic")
    label.append("\n" + _flat(view.text)[:width])
    return label, (view.source_id, view.start, view.end)


def kwic_item(line: KwicLine, side: int = 30) -> Item:
    """Two lines: the source (and codes) dim, then the word centred in its context."""
    label = Text(no_wrap=True, overflow="ellipsis")
    label.append(line.source, style="dim")
    if line.codes:
        label.append(f" · {'; '.join(line.codes)}", style="dim italic")
    label.append("\n" + _flat(line.left)[-side:].rjust(side))
    label.append(f" {line.word} ", style="bold reverse")
    label.append(_flat(line.right)[:side])
    return label, (line.source_id, line.start, line.end)


class DrillScreen(Screen[Location | None]):
    """Lists passages; returns (source_id, start, end) of the chosen one, or None."""

    DEFAULT_CSS = """
    DrillScreen #drill-title { height: auto; padding: 0 1; }
    DrillScreen #drill-list { height: 1fr; }
    """
    BINDINGS = keymap.keys(keymap.DRILL)

    def __init__(self, title: str, items: Sequence[Item], noun: str = "passage") -> None:
        super().__init__()
        self.title_text = title
        self.items = list(items)
        self.noun = noun

    def compose(self) -> ComposeResult:
        head = Text(self.title_text, style="bold")
        head.append(f" — {count(len(self.items), self.noun)}", style="")
        head.append(" · Enter: open it in its transcript", style="dim")
        yield Static(head, id="drill-title")
        yield OptionList(*(Option(label) for label, _ in self.items), id="drill-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.items[event.option_index][1])

    def action_jump(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(self.items[options.highlighted][1])

    def action_back(self) -> None:
        self.dismiss(None)
