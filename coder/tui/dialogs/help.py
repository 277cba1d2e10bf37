"""F1 / ?: every key, grouped by where it works, from the same keymap the widgets use."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import ModalScreen
from textual.widgets import Static

from coder.tui import keymap

INTRO = (
    "The transcript always has a selection (highlighted, with ▌ in the margin). Move it by "
    "sentence, turn or paragraph; grow or shrink it by word or sentence; or drag with the "
    "mouse. Then apply a code: a number key (the bar above the status line shows which), "
    "c to find one by name, or Enter on a code in the codebook tree (F3). Every action is "
    "saved at once; Ctrl+Z undoes it. Ctrl+P lists every command."
)


def keys_text(b: Binding) -> str:
    if b.key_display:
        return b.key_display
    return " / ".join(format_key(k.strip()) for k in b.key.split(","))


def help_table() -> Table:
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0), expand=True)
    table.add_column("key", style="bold", no_wrap=True, width=22)
    table.add_column("does", ratio=1)
    for title, group in keymap.GROUPS:
        table.add_row(Text(title, style="bold underline"), "")
        seen: set[str] = set()
        for b in group:
            if b.id and b.id[-2:-1] == "_" and b.id[-1] in "23456789":
                continue  # quick codes 2-9: one row, "1-9", stands for the nine
            key = keys_text(b)
            if key in seen:
                continue
            seen.add(key)
            table.add_row(key, b.tooltip or b.description)
        table.add_row("", "")
    table.add_row(Text("Command palette", style="bold underline"), "")
    table.add_row("ctrl+p", "Every action by name, and themes")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding(
            "escape,f1,question_mark,q", "close", "Close", id="help.close", tooltip="Close the help"
        )
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static("coder — keys", classes="dialog-title")
            yield Static(INTRO, classes="dialog-body")
            yield Static(help_table())

    def action_close(self) -> None:
        self.dismiss(None)
