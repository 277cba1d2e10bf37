"""A participant's attributes, seen and edited from the workspace (key `i`).

Shows the participant of the open (or highlighted) transcript, their organisation and every
attribute with its type. Each value is an input checked against the attribute's type as the
researcher types (the grammar of `coder.vocab.values`); Ctrl+S or Enter returns the changed
values, which the workspace writes in one transaction (Ctrl+Z undoes them). Escape with
changes asks first, as the memo dialog does.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from coder.services.sources.case_attributes import TYPE_WORDS, CaseCard, check_value
from coder.tui import keymap
from coder.tui.dialogs.confirm import close_asking

Changes = dict[int, str]  # attribute id → the value as typed ('' clears it)

HINT = "Ctrl+S or Enter saves · Ctrl+Z afterwards undoes · Escape closes"
SHORT_TYPE = {"integer": "whole number", "number": "number", "date": "yyyy-mm-dd", "text": "text"}


class AttributesScreen(ModalScreen[Changes | None]):
    """Returns the changed values, or None when nothing is to be saved."""

    BINDINGS = keymap.keys(keymap.DIALOG)

    def __init__(self, card: CaseCard) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        card = self.card
        with Vertical(classes="dialog attributes"):
            yield Static(f"Participant {card.name}", classes="dialog-title", markup=False)
            org = f"Organisation {card.organisation}" if card.organisation else "No organisation"
            yield Static(
                f"{org} · transcripts: " + ", ".join(card.source_names),
                id="attr-about",
                markup=False,
            )
            with VerticalScroll(id="attr-fields"):
                if not card.fields:
                    yield Static(
                        "No attributes yet: import a participants sheet (coder cases import).",
                        markup=False,
                    )
                for f in card.fields:
                    shared = f" · all of {card.organisation}" if f.scope == "organisation" else ""
                    with Horizontal(classes="attr-row"):
                        yield Label(f.name, classes="attr-name", markup=False)
                        yield Input(
                            f.value,
                            placeholder=TYPE_WORDS[f.type],
                            id=f"attr-{f.attribute_id}",
                            tooltip=Text(
                                f"{f.name}: {TYPE_WORDS[f.type]}{shared}"
                            ),  # plain, as typed
                        )
                        yield Label(SHORT_TYPE[f.type] + shared, classes="attr-type", markup=False)
            yield Static("", id="attr-problem", markup=False)
            yield Static(HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        inputs = self.query(Input)
        if inputs:
            inputs.first().focus()

    def changes(self) -> Changes:
        """The values that differ from what is stored."""
        out: Changes = {}
        for f in self.card.fields:
            typed = self.query_one(f"#attr-{f.attribute_id}", Input).value
            if typed.strip() != f.value.strip():
                out[f.attribute_id] = typed.strip()
        return out

    def problem(self) -> str | None:
        for f in self.card.fields:
            typed = self.query_one(f"#attr-{f.attribute_id}", Input).value
            found = check_value(f.name, f.type, typed)
            if found:
                return found
        return None

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        problem = self.problem()
        note = self.query_one("#attr-problem", Static)
        note.update(problem or "")
        note.set_class(problem is not None, "-error")

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        problem = self.problem()
        if problem:
            self.query_one("#attr-problem", Static).update(problem)
            self.notify(problem, severity="error")
            return
        self.dismiss(self.changes() or None)

    def action_cancel(self) -> None:
        changes = self.changes()
        close_asking(self, bool(changes), "Unsaved values", "participant", lambda: changes)
