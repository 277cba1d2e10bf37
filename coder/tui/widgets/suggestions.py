"""The suggestions panel: where proposed codings for the open transcript will be listed.

Another part of coder produces the suggestions; this widget only shows them. Give it items
with `show_suggestions(...)`, empty it with `clear_suggestions()`; when the researcher
picks one, it posts `SuggestionsPanel.Chosen` carrying the item's `key`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

PLACEHOLDER = "Suggestions appear here…"


@dataclass(frozen=True)
class SuggestionItem:
    """One suggestion: a line of text, an optional detail line and colour, and a key that is
    handed back when it is chosen (for example a (source_id, start, end, code_id) tuple)."""

    label: str
    detail: str = ""
    color: str | None = None
    key: Any = None


class SuggestionsPanel(Vertical):
    """A titled list of suggestions with a placeholder when there are none."""

    DEFAULT_CSS = """
    SuggestionsPanel { height: 1fr; }
    SuggestionsPanel > #suggestions-placeholder { color: $text-muted; padding: 1 1; }
    SuggestionsPanel > OptionList { height: 1fr; border: none; display: none; }
    SuggestionsPanel.-has-items > OptionList { display: block; }
    SuggestionsPanel.-has-items > #suggestions-placeholder { display: none; }
    """

    @dataclass
    class Chosen(Message):
        key: Any

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._items: list[SuggestionItem] = []

    def compose(self) -> ComposeResult:
        yield Static(PLACEHOLDER, id="suggestions-placeholder")
        yield OptionList(id="suggestions-list")

    @property
    def items(self) -> list[SuggestionItem]:
        return list(self._items)

    def show_suggestions(self, items: Sequence[SuggestionItem],
                         placeholder: str | None = None) -> None:
        """Replace the list; with no items, show `placeholder` (or the default text)."""
        self._items = list(items)
        options = self.query_one(OptionList)
        options.clear_options()
        for i, item in enumerate(self._items):
            text = Text()
            if item.color:
                text.append("■ ", style=item.color)
            text.append(item.label)
            if item.detail:
                text.append("\n" + item.detail, style="dim")
            options.add_option(Option(text, id=str(i)))
        self.set_class(bool(self._items), "-has-items")
        self.query_one("#suggestions-placeholder", Static).update(placeholder or PLACEHOLDER)

    def clear_suggestions(self, placeholder: str | None = None) -> None:
        """Empty the list and show the placeholder."""
        self.show_suggestions((), placeholder)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int(event.option.id or 0)
        if 0 <= index < len(self._items):
            self.post_message(self.Chosen(self._items[index].key))
