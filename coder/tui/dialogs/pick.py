"""A fuzzy picker: type part of a name and the list narrows; Enter takes the highlighted one.

Used to apply a code by name, to choose where to merge or move a code, and to choose which of
several codings on a passage an action is for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import FuzzySearch
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from coder.tui.state import WorkspaceState
from coder.wording import count


@dataclass(frozen=True)
class Choice:
    key: Any
    text: str  # what the query is matched against, and shown
    prefix: Text | None = None  # drawn before the text (a colour swatch, a number)
    detail: str = ""  # drawn dim after the text


class PickScreen(ModalScreen[Any]):
    """Returns the chosen key, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="pick.cancel", tooltip="Close without choosing"),
        Binding("down", "move(1)", "Next", show=False, id="pick.next", tooltip="Next match"),
        Binding("up", "move(-1)", "Previous", show=False, id="pick.prev", tooltip="Previous match"),
    ]

    def __init__(self, title: str, choices: Sequence[Choice], placeholder: str = "") -> None:
        super().__init__()
        self._title = title
        self._choices = list(choices)
        self._shown: list[Choice] = []
        self._placeholder = placeholder or "Type part of a name…"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield Input(placeholder=self._placeholder, id="pick-input")
            yield OptionList(id="pick-list")
            yield Static("↑↓ choose · Enter accept · Escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self._filter("")
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, query: str) -> None:
        query = query.strip()
        fuzzy = FuzzySearch()
        scored: list[tuple[float, int, Choice, Sequence[int]]] = []
        for i, c in enumerate(self._choices):
            score, positions = fuzzy.match(query, c.text) if query else (1.0, ())
            if score > 0:
                scored.append((score, i, c, positions))
        if query:
            scored.sort(key=lambda t: (-t[0], t[1]))
        self._shown = [c for _s, _i, c, _p in scored]
        opts = []
        for n, (_s, _i, c, positions) in enumerate(scored):
            label = c.prefix.copy() if c.prefix is not None else Text()
            base = len(label)
            label.append(c.text)
            for pos in positions:
                label.stylize("bold underline", base + pos, base + pos + 1)
            if c.detail:
                label.append(f"  {c.detail}", style="dim")
            opts.append(Option(label, id=str(n)))
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(opts)
        if opts:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            cur = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, cur + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and self._shown:
            self.dismiss(self._shown[options.highlighted].key)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._shown[int(event.option.id or 0)].key)

    def action_cancel(self) -> None:
        self.dismiss(None)


def code_choices(
    state: WorkspaceState, only_codable: bool = True, exclude: set[int] | None = None
) -> list[Choice]:
    """The codes in tree order as choices: quick-code number, swatch, path and codings."""
    out = []
    for cid in state.order:
        info = state.codes[cid]
        if (only_codable and not info.codable) or (exclude and cid in exclude):
            continue
        slot = state.slot_of(cid)
        prefix = Text(f"{slot} " if slot else "  ", style="bold")
        prefix.append("■ ", style=info.color)
        counts = state.counts.get(cid)
        out.append(
            Choice(cid, state.path(cid), prefix, count(counts.codings, "coding") if counts else "")
        )
    return out


def keyed_code(widget: Widget, state: WorkspaceState | None, n: int) -> int | None:
    """The code pinned to number key `n`; where there is none, `widget` says so."""
    code_id = state.code_on(n) if state is not None else None
    if code_id is None:
        widget.notify(f"No code on key {n} yet (p in the codebook pins one).")
    return code_id


def pick_code(
    widget: Widget, question: str, state: WorkspaceState, apply: Callable[[int], None]
) -> None:
    """Ask which code to apply (the codable codes, searchable by name); `apply` the one chosen."""

    def chosen(code_id: int | None) -> None:
        if code_id is not None:
            apply(code_id)

    widget.app.push_screen(
        PickScreen(question, code_choices(state), "Type part of a code's name…"), chosen
    )
