"""Editing a code's definition: name, description, inclusion and exclusion criteria, keywords
and colour. Ctrl+S saves; the services check the name and colour and say what is wrong.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from coder.services.codebook.codes import CodeFields
from coder.tui import keymap
from coder.tui.dialogs.confirm import close_asking
from coder.vocab.dto import CodeInfo


class CodeEditScreen(ModalScreen[CodeFields | None]):
    """Returns the changed fields, or None when cancelled."""

    BINDINGS = keymap.keys(keymap.DIALOG)

    def __init__(self, info: CodeInfo, path: str) -> None:
        super().__init__()
        self.info = info
        self.path = path

    def compose(self) -> ComposeResult:
        c = self.info
        with VerticalScroll(classes="dialog code-edit"):
            yield Static(f"Edit code: {self.path}", classes="dialog-title", markup=False)
            yield Label("Name")
            yield Input(c.name, id="edit-name")
            with Horizontal(classes="colour-row"):
                yield Label("Colour (#rrggbb)")
                yield Input(c.color, id="edit-color", max_length=7)
                yield Static("████", id="edit-swatch")
            yield Label("Description")
            yield TextArea(c.description, id="edit-description", soft_wrap=True)
            yield Label("Include when (inclusion criteria)")
            yield TextArea(c.inclusion, id="edit-inclusion", soft_wrap=True)
            yield Label("Exclude when (exclusion criteria)")
            yield TextArea(c.exclusion, id="edit-exclusion", soft_wrap=True)
            yield Label("Keywords (comma separated)")
            yield Input(", ".join(c.keywords), id="edit-keywords")
            yield Static("Ctrl+S save · Escape close", classes="dialog-hint")

    def on_mount(self) -> None:
        self._swatch(self.info.color)
        self.query_one("#edit-name", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "edit-color":
            self._swatch(event.value)

    def _swatch(self, colour: str) -> None:
        swatch = self.query_one("#edit-swatch", Static)
        try:
            swatch.styles.color = colour
        except Exception:  # not a colour yet while typing
            swatch.styles.color = "gray"

    def fields(self) -> CodeFields:
        def text(id_: str) -> str:
            return self.query_one(f"#{id_}", TextArea).text

        name = self.query_one("#edit-name", Input).value
        keywords = tuple(
            k.strip() for k in self.query_one("#edit-keywords", Input).value.split(",") if k.strip()
        )
        colour = self.query_one("#edit-color", Input).value.strip()
        c = self.info
        return CodeFields(
            name=name if name.strip() != c.name else None,
            description=text("edit-description")
            if text("edit-description") != c.description
            else None,
            inclusion=text("edit-inclusion") if text("edit-inclusion") != c.inclusion else None,
            exclusion=text("edit-exclusion") if text("edit-exclusion") != c.exclusion else None,
            keywords=keywords if keywords != c.keywords else None,
            color=colour if colour.lower() != c.color.lower() else None,
        )

    def action_save(self) -> None:
        self.dismiss(self.fields())

    def action_cancel(self) -> None:
        close_asking(self, self.fields() != CodeFields(), "Unsaved changes", "code", self.fields)
