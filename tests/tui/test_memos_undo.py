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
        await pilot.press("tab", *"Noisy room", "ctrl+s")  # the cursor starts in the title
        await pilot.press("f3")
        tree = ws.query_one(CodebookTree)
        code_id = tree.code_id
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("tab", *"Bonding is about relationships", "ctrl+s")
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


async def test_memos_on_a_code_list_rename_delete_and_manager(app, reopen) -> None:  # type: ignore[no-untyped-def]
    """The cursor starts in the title; a new title renames; several memos each open from a
    list; Ctrl+D deletes (undoable); an empty memo saves nothing; F7 lists every memo."""
    from textual.widgets import Input

    from coder.tui.dialogs.pick import PickScreen
    from coder.tui.screens.memos import MemoManagerScreen

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("f3")
        code_id = ws.query_one(CodebookTree).code_id
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MemoScreen)
        assert isinstance(app.focused, Input) and app.focused.id == "memo-title"
        await pilot.press("tab", *"first thoughts", "ctrl+s")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, PickScreen)  # the memos on this code, and "+ New memo"
        await pilot.press("enter")
        assert isinstance(app.screen, MemoScreen)
        await pilot.press(*"Renamed", "ctrl+s")  # the title was selected: typing replaces it
        await settle(pilot)
        memos = list_memos(reopen(), code_id=code_id)
        assert [(m.title, m.text) for m in memos] == [("Renamed", "first thoughts")]
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("down", "enter")  # + New memo
        await pilot.press(*"Second", "tab", *"two", "ctrl+s")
        await settle(pilot)
        assert len(list_memos(reopen(), code_id=code_id)) == 2
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("down", "enter")  # the second memo opens too
        assert app.screen.query_one("#memo-title", Input).value == "Second"
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert [m.title for m in list_memos(reopen(), code_id=code_id)] == ["Renamed"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert len(list_memos(reopen(), code_id=code_id)) == 2
        await pilot.press("f4", "M")  # a source memo has no default title: empty saves nothing
        await settle(pilot)
        assert isinstance(app.screen, MemoScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert list_memos(reopen(), kind="source") == []
        await pilot.press("f12")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MemoManagerScreen)
        assert len(screen.shown) == 2
        await pilot.press(*"two")
        assert [m.title for m in screen.shown] == ["Second"]
        await pilot.press("f2")
        await pilot.press(*"Implication", "enter")
        await settle(pilot)
        assert [m.title for m in screen.shown] == ["Implication"]
        await pilot.press("enter", "down")  # into the list
        await pilot.press("f8")
        await settle(pilot)
        assert screen.shown == []
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [m.title for m in screen.shown] == ["Implication"]
    titles = sorted(m.title for m in list_memos(reopen(), code_id=code_id))
    assert titles == ["Implication", "Renamed"]
