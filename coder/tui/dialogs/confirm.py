"""A yes/no question before anything that throws work away (deleting a code, merging, closing
a dialog with unsaved changes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """Ask; y/Enter answers yes, n/Escape answers no."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Go ahead"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="Leave it as it is"),
    ]

    def __init__(self, title: str, message: str, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self._title, self._message, self._yes, self._no = title, message, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield Static(self._message, classes="dialog-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self._yes} (y)", variant="error", id="yes")
                yield Button(f"{self._no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


T = TypeVar("T")


def close_asking(
    dialog: ModalScreen[T | None], changed: bool, title: str, what: str, result: Callable[[], T]
) -> None:
    """Escape in an editing dialog: close it, or with unsaved changes first ask whether to
    save them (then close with `result()` or with nothing)."""
    if not changed:
        dialog.dismiss(None)
        return

    def answered(save: bool | None) -> None:
        dialog.dismiss(result() if save else None)

    question = ConfirmScreen(title, f"Save the changes to this {what}?", yes="Save", no="Discard")
    dialog.app.push_screen(question, answered)
