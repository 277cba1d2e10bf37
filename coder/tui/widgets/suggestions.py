"""The suggestions panel, and the short form of it in the status line.

The workspace asks the suggestion service for the codes that fit the passage under the cursor
and hands them here as SuggestionItems; these widgets only draw them and say which one the
researcher picked (`Chosen`) or turned down (`Rejected`). Keeping them free of services means
the panel can be redrawn on every keystroke without touching the project. The panel also
carries the measured quality line, so the researcher can see how far to trust what it says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coder.suggest.results import Quality
from coder.tui import keymap
from coder.tui.child import Child

PLACEHOLDER = "Suggestions appear here…"
BUSY = "…"
KEYS = "y accept · n reject (top)\ns: pick one in the list"
NO_TOP_KEYS = "none strong enough for y/n here\ns: accept or reject one in the list"
NOT_MEASURED = "Quality: not measured yet; too little coding to tell how often these are right."


@dataclass(frozen=True)
class SuggestionItem:
    """One suggestion: a line of text, an optional detail line and colour, and a key that is
    handed back when it is chosen (for example a (source_id, start, end, code_id) tuple).

    `score` is drawn at the right; `mark` before the label ("y" for the one the y key takes,
    "✓" for a code already on the passage, "✗" for one rejected); `dim` greys the item out."""

    label: str
    detail: str = ""
    color: str | None = None
    key: Any = None
    score: float | None = None
    mark: str = ""
    dim: bool = False


def item_prompt(item: SuggestionItem) -> Table:
    """An item as two lines: mark, swatch, name and score; then the detail (the evidence)."""
    grid = Table.grid(expand=True, padding=(0, 1), collapse_padding=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(justify="right", no_wrap=True, width=4)
    mark = Text(item.mark, style="bold reverse" if item.mark == "y" else "bold")
    name = Text()
    if item.color:
        name.append("■ ", style=item.color)
    name.append(
        item.label, style="dim strike" if item.mark == "✗" else ("dim" if item.dim else "bold")
    )
    score = Text(f"{item.score:.2f}" if item.score is not None else "", style="dim")
    grid.add_row(mark, name, score)
    if item.detail:
        grid.add_row("", Text(item.detail, style="dim italic", no_wrap=False), "")
    return grid


def quality_line(q: Quality) -> str:
    """The panel's quality line: the measured figure, or plainly that there is none yet."""
    using = f" Using the word vectors of {q.vectors}." if q.vectors else ""
    if q.recall_at_3 is None:
        return NOT_MEASURED + using
    line = f"{q.text[:1].upper()}{q.text[1:]} ({q.n:,} coded passages)."
    if q.unreliable:
        more = f" (+{len(q.unreliable) - 3} more)" if len(q.unreliable) > 3 else ""
        line += f" Not yet reliable: {', '.join(q.unreliable[:3])}{more}."
    return line + using


class SuggestionsPanel(Vertical):
    """A titled list of suggestions with a placeholder when there are none, the keys that act
    on them, and a line about how often they have been right."""

    BINDINGS = keymap.keys(keymap.SUGGESTIONS)

    DEFAULT_CSS = """
    SuggestionsPanel { height: 1fr; }
    SuggestionsPanel > #suggestions-placeholder { color: $text-muted; padding: 1 1; }
    SuggestionsPanel > OptionList { height: 1fr; border: none; display: none; padding: 0; }
    SuggestionsPanel > OptionList:focus { border: none; }
    SuggestionsPanel.-has-items > OptionList { display: block; }
    SuggestionsPanel.-has-items > #suggestions-placeholder { display: none; }
    SuggestionsPanel > #suggestions-keys { color: $text-muted; padding: 0 1; height: auto; }
    SuggestionsPanel > #suggestions-quality {
        color: $text-muted; padding: 0 1; height: auto; border-top: solid $panel-lighten-2;
    }
    """

    @dataclass
    class Chosen(Message):
        """The researcher accepted an item (Enter or y on it, or a click)."""

        key: Any

    @dataclass
    class Rejected(Message):
        """The researcher turned an item down (n, Backspace or Delete on it)."""

        key: Any

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._items: list[SuggestionItem] = []
        self.quality_text = ""
        self._texts: dict[str, str] = {}  # what each Static shows, so an unchanged one is left
        # What the list holds now (its items, or BUSY), so an unchanged list is left alone
        self._listed: tuple[SuggestionItem, ...] | str = ()

    def compose(self) -> ComposeResult:
        yield Static(PLACEHOLDER, id="suggestions-placeholder")
        yield OptionList(id="suggestions-list")
        yield Static(KEYS, id="suggestions-keys")
        yield Static("Quality: …", id="suggestions-quality", markup=False)

    @property
    def items(self) -> list[SuggestionItem]:
        return list(self._items)

    options: Child[OptionList] = Child(OptionList)

    @property
    def highlighted_item(self) -> SuggestionItem | None:
        index = self.options.highlighted
        return self._items[index] if index is not None and index < len(self._items) else None

    def show_suggestions(
        self, items: Sequence[SuggestionItem], placeholder: str | None = None
    ) -> None:
        """Replace the list (keeping the highlight where it was); with no items, show
        `placeholder` (or the default text).

        The same items as shown (a coding on the passage that moved no mark) leave the list
        as it is; other items replace the options in one step. Emptying the list first would
        change its height twice, and a list whose height changes lays the whole screen out
        again, which cost a full-screen redraw on every coding."""
        self._items = list(items)
        listed = tuple(self._items)
        if listed != self._listed:
            self._listed = listed
            options = self.options
            keep = options.highlighted
            if self._items:
                options.set_options(
                    [Option(item_prompt(item), id=str(i)) for i, item in enumerate(self._items)]
                )
                options.highlighted = min(keep or 0, len(self._items) - 1)
            else:
                options.clear_options()
        self.set_class(bool(self._items), "-has-items")
        self._show_text("#suggestions-placeholder", placeholder or PLACEHOLDER)

    def _show_text(self, selector: str, text: str) -> None:
        """Update a Static only when its text changes: an update lays the whole screen out
        again, which on every cursor move cost more than drawing the transcript."""
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            self.query_one(selector, Static).update(text)

    def clear_suggestions(self, placeholder: str | None = None) -> None:
        """Empty the list and show the placeholder."""
        self.show_suggestions((), placeholder)

    def busy(self) -> None:
        """Show "…" while suggestions are being worked out. A list on screen stays on screen
        with "…" as its one (unselectable) line, so stepping from passage to passage swaps
        lines in the list rather than laying the screen out twice per step."""
        if not self.has_class("-has-items"):
            self.clear_suggestions(BUSY)
            return
        self._items = []
        if self._listed != BUSY:  # already "…" (paging on while it is worked out): leave it
            self._listed = BUSY
            self.options.set_options([Option(Text(BUSY, style="dim"), disabled=True)])

    def show_quality(self, text: str) -> None:
        """The line saying how often suggestions were right on the researcher's coding."""
        self.quality_text = text
        self._show_text("#suggestions-quality", text)

    def show_keys(self, top: bool) -> None:
        """Offer y and n only when there is a top suggestion for them to act on."""
        self._show_text("#suggestions-keys", KEYS if top else NO_TOP_KEYS)

    def focus_list(self) -> None:
        self.options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int(event.option.id or 0)
        if 0 <= index < len(self._items):
            self.post_message(self.Chosen(self._items[index].key))

    def action_accept(self) -> None:
        item = self.highlighted_item
        if item is not None:
            self.post_message(self.Chosen(item.key))

    def action_reject(self) -> None:
        item = self.highlighted_item
        if item is not None:
            self.post_message(self.Rejected(item.key))


class SuggestionHint(Static):
    """The top suggestion in the status line (for when the panel is hidden): `y ■ Reacting
    0.82`, so the accept and reject keys stay discoverable at 80×24."""

    DEFAULT_CSS = """
    SuggestionHint { width: auto; height: 1; padding: 0 1; background: $boost; }
    """

    def show_top(
        self,
        label: str | None,
        color: str | None = None,
        score: float | None = None,
        busy: bool = False,
    ) -> None:
        text = Text(no_wrap=True)
        if busy:
            text.append("y/n", style="dim")
            text.append(" …", style="dim")
        elif label is None:
            text.append("no strong suggestion", style="dim")
        else:
            text.append("y", style="bold reverse")
            text.append("/")
            text.append("n", style="bold reverse")
            text.append(" ■", style=color or "")
            text.append(f" {label if len(label) <= 24 else label[:23] + '…'}")
            if score is not None:
                text.append(f" {score:.2f}", style="dim")
        self.update(text)
