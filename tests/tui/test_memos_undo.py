"""Memos (coding, code, source), exemplars, and undo/redo of every kind of action."""

from __future__ import annotations

from coder.services.codebook.memos import list_memos
from coder.services.coding.codings import codings_for_source
from coder.tui.dialogs.memo import MemoScreen
from coder.tui.widgets.codebook import CodebookTree

from .conftest import settle


async def code_first_turn(pilot, key: str = "2") -> int:  # type: ignore[no-untyped-def]
    await pilot.press("right_square_bracket", "right_square_bracket", key)
    await settle(pilot)
    return pilot.app.workspace.state.doc.source.info.id


async def test_coding_memo_and_exemplar(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        sid = await code_first_turn(pilot)
        await pilot.press("m")
        assert isinstance(app.screen, MemoScreen)
        await pilot.press(*"Warm opener", "ctrl+s")
        await pilot.press("e")
        await settle(pilot)
        info = str(app.workspace.query_one("#info").render())
        assert "★" in info and "✎" in info
    (row,) = codings_for_source(reopen(), sid)
    assert row.memo == "Warm opener"
    assert row.exemplar is True


async def test_memo_escape_asks_before_discarding(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        sid = await code_first_turn(pilot)
        await pilot.press("m", *"keep me", "escape")
        await pilot.press("y")  # "Save the changes?" -> yes
        await settle(pilot)
    (row,) = codings_for_source(reopen(), sid)
    assert row.memo == "keep me"


async def test_code_memo_and_source_memo(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, MemoScreen)
        await pilot.press(*"Noisy room", "ctrl+s")
        await pilot.press("f3")
        tree = ws.query_one(CodebookTree)
        code_id = tree.code_id
        await pilot.press("m")
        await settle(pilot)
        await pilot.press(*"Bonding is about relationships", "ctrl+s")
        await settle(pilot)
        sid = ws.state.doc.source.info.id
    project = reopen()
    (source_memo,) = list_memos(project, source_id=sid, kind="source")
    assert source_memo.text == "Noisy room"
    (code_memo,) = list_memos(project, code_id=code_id, kind="code")
    assert (code_memo.title, code_memo.text) == ("Summary", "Bonding is about relationships")


async def test_undo_and_redo_coding(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        sid = await code_first_turn(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert len(codings_for_source(reopen(), sid)) == 2
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [c.code_name for c in codings_for_source(reopen(), sid)] == ["Approaching"]
        assert [c.code_name for c in app.workspace.transcript.codings] == ["Approaching"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert codings_for_source(reopen(), sid) == []
        assert app.workspace.transcript.codings == []
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert [c.code_name for c in codings_for_source(reopen(), sid)] == ["Approaching"]
        assert [c.code_name for c in app.workspace.transcript.codings] == ["Approaching"]
        counts = app.workspace.state.counts
        approaching = next(
            c for c, i in app.workspace.state.codes.items() if i.name == "Approaching"
        )
        assert counts[approaching].codings == 1


async def test_undo_memo_and_exemplar(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        sid = await code_first_turn(pilot)
        await pilot.press("e")
        await pilot.press("m", *"note", "ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+z")
        await settle(pilot)
        (row,) = codings_for_source(reopen(), sid)
        assert row.memo == "" and row.exemplar is True
        await pilot.press("ctrl+z")
        await settle(pilot)
        (row,) = codings_for_source(reopen(), sid)
        assert row.exemplar is False
        assert app.workspace.transcript.codings[0].exemplar is False
