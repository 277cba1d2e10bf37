"""The framework matrix in the workspace (issue 12 item 5): F11 opens participants × themes;
Enter on a cell opens its summary beside its passages; Ctrl+S saves it through the service
(checked on a reopened project); Ctrl+Z undoes it; Escape with changes asks first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import OptionList, TextArea

from coder.services.analysis.framework import (
    cell_passages,
    framework,
    get_summary,
    set_summary,
)
from coder.services.project.store import Project
from coder.tui.commands import CoderCommands
from coder.tui.dialogs.confirm import ConfirmScreen
from coder.tui.dialogs.framework_cell import FrameworkCellScreen
from coder.tui.screens.framework import FrameworkScreen
from tests.analysis.test_gather import code_sample

from .conftest import settle

SUMMARY = "Radio [bold]matters[/bold] to her label: first plays came from it."


@pytest.fixture
def coded(sample: Path) -> Path:
    code_sample(sample)
    return sample


@pytest.fixture
def app(coded: Path) -> Iterator[object]:
    from coder.tui.app import CoderApp

    project = Project.open(coded)
    try:
        yield CoderApp(project)
    finally:
        project.close()


def a_cell_with_passages(path: Path) -> tuple[int, int, str, str]:
    with Project.open(path) as p:
        fw = framework(p)
    return next(
        (i, j, c.participant, c.theme)
        for i, row in enumerate(fw.cells)
        for j, c in enumerate(row)
        if c.passages
    )


async def open_cell(pilot, row: int, col: int) -> FrameworkCellScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f11")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, FrameworkScreen)
    screen.table.move_cursor(row=row, column=col + 1)
    await pilot.press("enter")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, FrameworkCellScreen)
    return dialog


async def test_edit_a_cell_beside_its_passages_and_undo(app, coded: Path, reopen) -> None:  # type: ignore[no-untyped-def]
    i, j, participant, theme = a_cell_with_passages(coded)
    with Project.open(coded) as p:
        fw = framework(p)
        expected = cell_passages(p, participant, theme)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f11")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FrameworkScreen)
        table = screen.table
        assert table.row_count == len(fw.participants)
        assert len(table.columns) == len(fw.themes) + 1
        screen.table.move_cursor(row=i, column=j + 1)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FrameworkCellScreen)
        assert dialog.passages == expected and len(expected) > 0
        listed = dialog.query_one("#cell-passages", OptionList)
        assert listed.option_count == len(expected)
        for k, p in enumerate(expected):
            prompt = listed.get_option_at_index(k).prompt
            assert isinstance(prompt, Text)
            assert " ".join(p.text.split()) in prompt.plain
        dialog.query_one(TextArea).insert(SUMMARY)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        shown = table.get_cell_at((i, j + 1))
        assert isinstance(shown, Text) and shown.plain == SUMMARY  # markup left as typed
        other = reopen()
        assert get_summary(other, participant, theme) == SUMMARY
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert get_summary(reopen(), participant, theme) == ""
        assert screen.result is not None and screen.result.cells[i][j].summary == ""
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert get_summary(reopen(), participant, theme) == SUMMARY
        assert screen.result.cells[i][j].summary == SUMMARY


async def test_escape_with_changes_asks_and_discard_keeps_nothing(app, coded: Path, reopen) -> None:  # type: ignore[no-untyped-def]
    i, j, participant, theme = a_cell_with_passages(coded)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_cell(pilot, i, j)
        dialog.query_one(TextArea).insert("half a thought")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, FrameworkScreen)
        assert get_summary(reopen(), participant, theme) == ""
        dialog = await open_cell_again(pilot)
        dialog.query_one(TextArea).insert("kept")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert get_summary(reopen(), participant, theme) == "kept"


async def open_cell_again(pilot) -> FrameworkCellScreen:  # type: ignore[no-untyped-def]
    await pilot.press("enter")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, FrameworkCellScreen)
    return dialog


async def test_the_palette_opens_it_and_offers_its_keys(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Framework matrix")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FrameworkScreen)
        assert screen.result is not None and screen.table.row_count == 12
        names = {name for name, _, _ in CoderCommands(screen)._commands()}
        assert {"Write", "Undo", "Redo", "Back"} <= names


@pytest.fixture
def written_app(coded: Path) -> Iterator[object]:
    from coder.tui.app import CoderApp

    project = Project.open(coded)
    set_summary(project, "P01", "Bonding", "Radio [b]mattered[/b] most early on; " * 3)
    try:
        yield CoderApp(project)
    finally:
        project.close()


async def open_framework(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f11")
    await settle(pilot)


def test_framework_80x24(written_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(written_app, terminal_size=(80, 24), run_before=open_framework)
