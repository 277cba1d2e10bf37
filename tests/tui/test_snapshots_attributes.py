"""Snapshots of the screens of issue 13.19: a participant's attributes (i) and search hits
with the codes on them, at 80×24 and 120×40 (accepted after looking at them)."""

from __future__ import annotations

import pytest

from .conftest import settle
from .test_snapshots import coded_app, steady_cursors

__all__ = ["coded_app"]  # the fixture, shared with the main snapshots


async def open_attributes(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    await steady_cursors(pilot)


async def code_a_hit(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("slash", *"answering", "enter")
    await settle(pilot)
    await pilot.press("down", "2")
    await settle(pilot)
    pilot.app.clear_notifications()
    await steady_cursors(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_attributes(coded_app, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(coded_app, terminal_size=size, run_before=open_attributes)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_search_hit_coded(coded_app, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(coded_app, terminal_size=size, run_before=code_a_hit)
