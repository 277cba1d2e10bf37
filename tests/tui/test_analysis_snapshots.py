"""Snapshots of the code matrix and its heat map at 80×24 and 120×40 (accepted after looking
at each SVG)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coder.services.project.store import Project
from tests.analysis.test_gather import code_sample

from .conftest import settle


@pytest.fixture
def coded_app(sample: Path) -> Iterator[object]:
    from coder.tui.app import CoderApp

    code_sample(sample)
    project = Project.open(sample)
    try:
        yield CoderApp(project)
    finally:
        project.close()


async def open_matrix(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)


async def open_heat_map(pilot) -> None:  # type: ignore[no-untyped-def]
    await open_matrix(pilot)
    await pilot.press("h")
    await settle(pilot)


async def open_bars(pilot) -> None:  # type: ignore[no-untyped-def]
    await open_matrix(pilot)
    await pilot.press("down", "down", "b")
    await settle(pilot)


def test_matrix_80x24(coded_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(coded_app, terminal_size=(80, 24), run_before=open_matrix)


def test_matrix_120x40(coded_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(coded_app, terminal_size=(120, 40), run_before=open_matrix)


def test_heat_map_80x24(coded_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(coded_app, terminal_size=(80, 24), run_before=open_heat_map)


def test_heat_map_120x40(coded_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(coded_app, terminal_size=(120, 40), run_before=open_heat_map)


def test_bars_80x24(coded_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(coded_app, terminal_size=(80, 24), run_before=open_bars)
