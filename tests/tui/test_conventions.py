"""Conventions: every binding has an id and a tooltip, help lists them, the palette runs
them, themes switch, q quits after every write committed."""

from __future__ import annotations

from coder.services.coding.codings import codings_for_source
from coder.tui import keymap
from coder.tui.dialogs.help import HelpScreen

from .conftest import settle


def test_every_binding_has_an_id_and_a_tooltip() -> None:
    ids = []
    for _title, group in keymap.GROUPS:
        for b in group:
            assert b.id, b
            assert b.tooltip, b
            ids.append(b.id)
    assert len(ids) == len(set(ids))


async def test_help_lists_the_keys(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        from rich.console import Console

        from coder.tui.dialogs.help import help_table

        console = Console(record=True, width=120, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(help_table())
        text = console.export_text()
        for words in (
            "Apply quick code 1",
            "Search every transcript",
            "Undo the last",
            "Merge the highlighted code",
            "Extend the selection by a word",
        ):
            assert words in text
        await pilot.press("escape")
        assert app.screen is app.workspace


async def test_palette_runs_actions_and_codes_by_name(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("ctrl+p")
        await pilot.press(*"Next turn")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert ws.transcript.selection == ws.state.doc.units.turns[0]
        await pilot.press("ctrl+p")
        await pilot.press(*"Code selection as Freedom of expression")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        sid = ws.state.doc.source.info.id
    (row,) = codings_for_source(reopen(), sid)
    assert row.code_name == "Freedom of expression"


async def test_theme_switch(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme != "textual-light"
        await pilot.press("ctrl+t")
        await pilot.press(*"textual-light")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "textual-light"


async def test_sidebar_and_suggestions_toggle_at_80x24(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ws = app.workspace
        suggestions = ws.query_one("#suggestions-pane")
        assert not suggestions.display  # no room by default
        assert ws.query_one("#codebook-pane").display
        assert not ws.query_one("#sources-pane").display  # tabs share the sidebar
        await pilot.press("f2")
        assert ws.query_one("#sources-pane").display and not ws.query_one("#codebook-pane").display
        await pilot.press("f6")
        assert suggestions.display
        await pilot.press("ctrl+b")
        assert not ws.query_one("#sidebar").display
        assert ws.transcript.has_focus
        ws.suggestions.show_suggestions([])
        assert "Suggestions appear here" in str(ws.query_one("#suggestions-placeholder").render())


async def test_open_another_source_from_the_list(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("f2", "down", "enter")
        await settle(pilot)
        assert ws.state.doc.source.info.name.startswith("P02")
        assert ws.transcript.has_focus
        await pilot.press("ctrl+pagedown")
        await settle(pilot)
        assert ws.state.doc.source.info.name.startswith("P03")


async def test_reopening_comes_back_to_the_last_transcript(sample) -> None:  # type: ignore[no-untyped-def]
    from coder.services.project.store import Project
    from coder.tui.app import CoderApp

    with Project.open(sample) as project:
        app = CoderApp(project)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+pagedown", "ctrl+pagedown")
            await settle(pilot)
            assert app.workspace.state.doc.source.info.name.startswith("P03")
    with Project.open(sample) as project:
        app = CoderApp(project)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert app.workspace.state.doc.source.info.name.startswith("P03")
