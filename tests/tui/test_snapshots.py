"""Snapshots of the main screens at 120×40 and 80×24 (accepted after looking at them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.services.project.store import Project

from .conftest import settle


@pytest.fixture
def coded_app(sample: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from coder.tui.app import CoderApp

    monkeypatch.setenv("CODER_NAME", "ana")
    project = Project.open(sample)
    try:
        yield CoderApp(project)
    finally:
        project.close()


async def code_some(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    # Overlapping codings: a turn with two codes, a longer stretch with a third.
    await pilot.press("right_square_bracket", "right_square_bracket", "2", "3")
    await pilot.press("shift+down", "shift+down", "4")
    await pilot.press("right_square_bracket", "right_square_bracket", "6")
    await pilot.press("e")
    await pilot.press("right_square_bracket", "j")
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


async def steady_cursors(pilot) -> None:  # type: ignore[no-untyped-def]
    """Stop text cursors blinking, so a snapshot never depends on when the blink timer ran."""
    from textual.widgets import Input, TextArea

    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    await pilot.pause()


def test_workspace_120x40(coded_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(coded_app, terminal_size=(120, 40), run_before=code_some)


def test_workspace_80x24(coded_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(coded_app, terminal_size=(80, 24), run_before=code_some)


def test_workspace_80x24_sources_tab(coded_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await code_some(pilot)
        await pilot.press("f2")
        await pilot.pause()

    assert snap_compare(coded_app, terminal_size=(80, 24), run_before=run_before)


def test_retrieval_120x40(coded_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await code_some(pilot)
        ws = pilot.app.workspace
        bonding = next(c for c, i in ws.state.codes.items() if i.name == "Approaching")
        ws.open_retrieval(bonding)
        await settle(pilot)

    assert snap_compare(coded_app, terminal_size=(120, 40), run_before=run_before)


def test_search_120x40(coded_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("slash", *"answer", "enter")
        await settle(pilot)
        await pilot.press("down")
        await pilot.pause()
        await steady_cursors(pilot)

    assert snap_compare(coded_app, terminal_size=(120, 40), run_before=run_before)


def test_finder_80x24(coded_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("c", *"fre")
        await pilot.pause()
        await steady_cursors(pilot)

    assert snap_compare(coded_app, terminal_size=(80, 24), run_before=run_before)


def test_help_80x24(coded_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(coded_app, terminal_size=(80, 24), run_before=run_before)


def test_code_edit_120x40(coded_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("f3", "down", "e")
        await pilot.pause()
        await steady_cursors(pilot)

    assert snap_compare(coded_app, terminal_size=(120, 40), run_before=run_before)


def test_workspace_light_theme_120x40(coded_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.theme = "textual-light"
        await code_some(pilot)
        await pilot.press("k", "k", "k")
        await pilot.pause()

    assert snap_compare(coded_app, terminal_size=(120, 40), run_before=run_before)
