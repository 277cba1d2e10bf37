"""keymap.yaml is a table of flow mappings: an unquoted comma in a tooltip ends the value and
turns the rest into stray keys, so the help (F1) showed "Which codes occur together (overlap"
for F8. Every row has only the fields the loader reads, and the help shows whole tooltips."""

from __future__ import annotations

from importlib.resources import files

import yaml

from coder.tui import keymap
from coder.tui.dialogs.help import help_table

FIELDS = {"key", "action", "description", "show", "key_display", "id", "tooltip"}


def test_every_row_has_only_known_fields() -> None:
    table = yaml.safe_load(files("coder.tui").joinpath("keymap.yaml").read_text("utf-8"))
    stray = {
        row["id"]: sorted(set(row) - FIELDS)
        for rows in table.values()
        for row in rows
        if set(row) - FIELDS
    }
    assert stray == {}
    assert all(isinstance(row["tooltip"], str) for rows in table.values() for row in rows)


def test_help_shows_whole_tooltips() -> None:
    from rich.console import Console

    by_id = {b.id: b for _, group in keymap.GROUPS for b in group}
    assert by_id["workspace.cooccur"].tooltip == (
        "Which codes occur together (overlap, turn, paragraph or within N words)"
    )
    console = Console(width=200, record=True)
    console.print(help_table())
    shown = " ".join(console.export_text().split())
    assert "Which codes occur together (overlap, turn, paragraph or within N words)" in shown
    assert "Most frequent words overall, in a code or by group, and each in context" in shown
