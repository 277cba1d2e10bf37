"""Opening the workspace and applying codes three ways; checked in the database."""

from __future__ import annotations

from coder.services.coding.codings import codings_for_source
from coder.services.coding.workspace import list_source_entries
from coder.tui.widgets.codebook import CodebookTree
from coder.tui.widgets.sources import SourcesTree
from coder.tui.widgets.transcript import TranscriptView

from .conftest import settle


def first_source(project) -> int:  # type: ignore[no-untyped-def]
    return list_source_entries(project)[0].id


async def test_open_shows_sources_codebook_and_transcript(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        assert ws.state.doc is not None
        assert ws.state.doc.source.info.id == first_source(app.project)
        transcript = ws.query_one(TranscriptView)
        assert transcript.has_focus
        start, end = transcript.selection
        assert ws.state.doc.source.text[start:end].startswith("Interview P01")
        assert len(ws.state.entries) == 12
        assert set(ws.state.coverage) == {e.id for e in ws.state.entries}
        assert ws.state.counts_ready
        assert [ws.state.codes[c].name for c in ws.state.slots if c][:2] == [
            "Bonding",
            "Approaching",
        ]
        tree = ws.query_one(CodebookTree)
        assert tree.code_id is not None
        assert ws.query_one(SourcesTree).current == ws.state.doc.source.info.id


async def test_code_by_number_key(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("right_square_bracket", "right_square_bracket")  # Helen's first turn
        sel = ws.transcript.selection
        await pilot.press("2")
        await settle(pilot)
        assert [c.code_name for c in ws.transcript.codings] == ["Approaching"]
        sid = ws.state.doc.source.info.id
    rows = codings_for_source(reopen(), sid)
    assert [(c.code_name, c.start, c.end) for c in rows] == [("Approaching", *sel)]
    text = rows[0].snippet
    assert text.startswith("Yes, that's fine.")


async def test_code_by_finder(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("j", "j")
        sel = ws.transcript.selection
        await pilot.press("c")
        await pilot.press(*"expression")
        await pilot.press("enter")
        await settle(pilot)
        sid = ws.state.doc.source.info.id
    rows = codings_for_source(reopen(), sid)
    assert [(c.code_name, c.start, c.end) for c in rows] == [("Freedom of expression", *sel)]


async def test_code_from_tree_with_enter(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("j")
        sel = ws.transcript.selection
        await pilot.press("f3")
        tree = ws.query_one(CodebookTree)
        assert tree.has_focus
        while ws.state.codes[tree.code_id].name != "Reacting":
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        sid = ws.state.doc.source.info.id
    rows = codings_for_source(reopen(), sid)
    assert [(c.code_name, c.start, c.end) for c in rows] == [("Reacting", *sel)]


async def test_overlapping_codes_and_uncode(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("right_square_bracket", "right_square_bracket", "2")  # a turn
        turn = ws.transcript.selection
        await pilot.press("3")  # a second code on the same passage
        await pilot.press("shift+down", "shift+down", "4")  # a longer, overlapping passage
        longer = ws.transcript.selection
        await settle(pilot)
        sid = ws.state.doc.source.info.id
        rows = codings_for_source(reopen(), sid)
        assert sorted((c.code_name, c.start, c.end) for c in rows) == sorted(
            [("Approaching", *turn), ("Reacting", *turn), ("Encouraging participation", *longer)]
        )
        assert longer[0] == turn[0] and longer[1] > turn[1]
        # The passage line names every code on the selection and who coded it.
        info = str(ws.query_one("#info").render())
        assert "Approaching" in info and "Reacting" in info and "by " in info
        # Uncode: three codes here, so a picker asks which.
        await pilot.press("x")
        await pilot.press(*"reacting", "enter")
        await settle(pilot)
    rows = codings_for_source(reopen(), sid)
    assert sorted(c.code_name for c in rows) == ["Approaching", "Encouraging participation"]
