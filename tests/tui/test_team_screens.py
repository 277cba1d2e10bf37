"""The agreement and disagreement screens: the same figures as `coder agreement`, decisions
that land in a consensus coder and undo with Ctrl+Z; snapshots at 80×24 and 120×40."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.services.coding.codings import codings_for_source
from coder.services.project.store import Project
from coder.services.team.agreement import agreement

from .conftest import settle
from .team_data import code_two_coders


@pytest.fixture
def team_app(sample: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from coder.tui.app import CoderApp

    monkeypatch.setenv("CODER_NAME", "ann")
    code_two_coders(sample)
    project = Project.open(sample)
    try:
        yield CoderApp(project)
    finally:
        project.close()


async def open_agreement(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("K")
    await settle(pilot)


async def open_review(pilot) -> None:  # type: ignore[no-untyped-def]
    await open_agreement(pilot)
    await pilot.press("d")
    await settle(pilot)


async def test_agreement_screen_shows_the_service_figures(team_app) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import DataTable, Static

    from coder.tui.screens.agreement import AgreementScreen
    from coder.wording import figure as number

    async with team_app.run_test(size=(120, 40)) as pilot:
        await open_agreement(pilot)
        screen = team_app.screen
        assert isinstance(screen, AgreementScreen)
        expected = agreement(team_app.project, ["ann", "ben"], "sentence")
        overall = str(screen.query_one("#agreement-overall", Static).render())
        assert f"{number(expected.overall.percent, 1)}%" in overall
        assert f"κ {number(expected.overall.kappa)}" in overall
        assert f"α {number(expected.overall.alpha)}" in overall
        # Units, not unit-and-code decisions ("175 sentence units" for 25 sentences x 7 codes).
        n = len(expected.codes)
        assert f"{expected.units_compared} sentences × {n} codes in " in overall
        assert expected.overall.units == expected.units_compared * n
        codes = screen.query_one("#agreement-codes", DataTable)
        assert codes.row_count == len(expected.codes)
        first = codes.get_row_at(0)
        assert str(first[0]) == expected.codes[0].code
        assert first[-2] == number(expected.codes[0].figures.kappa)
        # A source's row counts a decision per unit and code, and its header says so (it said
        # "Units" over 98 for a source of 14 sentences and 7 codes).
        sources = screen.query_one("#agreement-sources", DataTable)
        heads = [str(c.label) for c in sources.columns.values()]
        assert heads[:2] == ["Source", "Unit×code"]
        row = expected.sources[0].figures
        assert sources.get_row_at(0)[1] == str(row.units)
        assert row.units == row.both + (row.only_a or 0) + (row.only_b or 0) + row.neither
        await pilot.press("u")  # sentence -> turn
        await settle(pilot)
        assert screen.unit == "turn"
        turn = agreement(team_app.project, ["ann", "ben"], "turn")
        overall = str(screen.query_one("#agreement-overall", Static).render())
        assert f"κ {number(turn.overall.kappa)}" in overall


async def test_review_accepts_into_consensus_and_undoes(team_app) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Static

    from coder.tui.screens.disagreements import DisagreementScreen

    async with team_app.run_test(size=(120, 40)) as pilot:
        await open_review(pilot)
        screen = team_app.screen
        assert isinstance(screen, DisagreementScreen)
        assert len(screen.items) == 6
        first = screen.items[0]
        side_b = str(screen.query_one("#dis-b", Static).render())
        assert "Ben: [b]x" in side_b  # memos shown as plain text
        await pilot.press("N")
        await settle(pilot)
        await pilot.press(*"we agreed", "enter")
        await settle(pilot)
        await pilot.press("o")  # both
        await settle(pilot)
        consensus = [
            c
            for c in codings_for_source(team_app.project, first.source_id)
            if c.coder == "consensus"
        ]
        assert {c.code_id for c in consensus} == {c.code_id for c in (*first.a, *first.b)}
        assert all(c.memo == "we agreed" for c in consensus)
        assert screen.decided == {0: "both"} and screen.index == 1
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not [
            c
            for c in codings_for_source(team_app.project, first.source_id)
            if c.coder == "consensus"
        ]
        assert screen.decided == {} and screen.index == 0
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert screen.decided == {0: "both"}
        await pilot.press("j", "x")  # neither, on the second
        await settle(pilot)
        assert screen.decided[1] == "neither"


def test_agreement_120x40(team_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(team_app, terminal_size=(120, 40), run_before=open_agreement)


def test_agreement_80x24(team_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(team_app, terminal_size=(80, 24), run_before=open_agreement)


def test_disagreements_120x40(team_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(team_app, terminal_size=(120, 40), run_before=open_review)


def test_disagreements_80x24(team_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(team_app, terminal_size=(80, 24), run_before=open_review)
