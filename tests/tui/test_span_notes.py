"""Notes on uncoded text in the workspace (issue 13, item 4): m on a selection with no coding
writes a note, the margin shows ✎, m again opens it, the memo manager lists it, Ctrl+D deletes
it and Ctrl+Z brings it back."""

from __future__ import annotations

from coder.services.codebook.notes import notes_in
from coder.tui.dialogs.memo import MemoScreen
from coder.tui.screens.memos import MemoManagerScreen
from coder.tui.widgets.transcript import TranscriptView

from .conftest import settle


def margin(view: TranscriptView) -> str:
    """The margin column (left of the text) of every visible row."""
    return "".join(view.render_line(y).text[5:6] for y in range(view.size.height))


async def test_note_on_uncoded_text(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        view = ws.query_one(TranscriptView)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert not view.codings_here()
        start, end = view.selection
        assert "✎" not in margin(view)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MemoScreen)
        await pilot.press(*"Hesitant", "tab", *"Long pause [/] before answering", "ctrl+s")
        await settle(pilot)
        sid = ws.state.doc.source.info.id
        (note,) = view.notes
        assert (note.start, note.end, note.title) == (start, end, "Hesitant")
        assert "✎" in margin(view)

        await pilot.press("m")  # again on the same text: the note opens, not a new one
        await settle(pilot)
        assert isinstance(app.screen, MemoScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert len(notes_in(reopen(), sid)) == 1

        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, MemoManagerScreen)
        (listed,) = app.screen.shown
        assert listed.id == note.id
        assert app.screen.on_of(listed).startswith("text in ")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("m")
        await settle(pilot)
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert view.notes == () and "✎" not in margin(view)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [n.id for n in view.notes] == [note.id]
    (kept,) = notes_in(reopen(), sid)
    assert (kept.title, kept.text) == ("Hesitant", "Long pause [/] before answering")


async def test_m_on_coded_text_still_writes_the_coding_memo(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket", "2")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MemoScreen) and "coding" in screen._heading
        await pilot.press("escape")
        await settle(pilot)
        assert app.workspace.query_one(TranscriptView).notes == ()


async def test_memo_manager_shows_a_note_in_its_transcript(app, reopen) -> None:  # type: ignore[no-untyped-def]
    """F12, then F5 on a note: back in the workspace, in the note's transcript, its text
    selected, even when another transcript was open."""
    from coder.services.codebook.notes import add_note
    from coder.services.sources.transcripts import list_sources

    project = reopen()
    last = list_sources(project)[-1]
    add_note(project, last.id, 40, 90, "Look again", title="Later")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        assert ws.state.doc.source.info.id != last.id
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, MemoManagerScreen)
        await pilot.press(*"Later")
        await settle(pilot)
        assert [m.title for m in app.screen.shown] == ["Later"]
        await pilot.press("f5")
        await settle(pilot)
        assert app.screen is ws
        assert ws.state.doc.source.info.id == last.id
        assert ws.query_one(TranscriptView).selection == (40, 90)


async def test_a_note_with_a_title_and_no_text_keeps_the_dialog_open(app, reopen) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+S on a note with only a title closed the dialog and then said "a note needs some
    text": the title typed was gone. The dialog now stays, says so, and saves once there is
    text; an empty dialog still closes saving nothing."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        view = ws.query_one(TranscriptView)
        await pilot.press("right_square_bracket", "right_square_bracket", "m")
        await settle(pilot)
        assert isinstance(app.screen, MemoScreen)
        await pilot.press(*"Hesitant", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MemoScreen)  # still open, the title still there
        assert app.screen.query_one("#memo-title").value == "Hesitant"
        assert any("needs some text" in str(n.message) for n in app._notifications)
        assert view.notes == ()
        await pilot.press(*"Long pause", "ctrl+s")  # the text area has the focus now
        await settle(pilot)
        assert app.screen is ws
        (note,) = view.notes
        assert (note.title, note.text) == ("Hesitant", "Long pause")
        await pilot.press("down", "m", "ctrl+s")  # nothing typed: closes, nothing saved
        await settle(pilot)
        assert app.screen is ws
        assert len(notes_in(reopen(), ws.state.doc.source.info.id)) == 1


async def test_an_empty_memo_manager_says_where_memos_come_from(app) -> None:  # type: ignore[no-untyped-def]
    """F12 on a project without memos said only "Memos · 0 of 0", even with memos on codings
    (which it does not list): it now says how to write one, whole at 80×24."""
    from .test_hostile_names import screen_text

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket", "2", "m")
        await settle(pilot)
        await pilot.press(*"A coding memo", "ctrl+s")  # on a coding: not listed in F12
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, MemoManagerScreen) and app.screen.memos == []
        shown = " ".join(screen_text(app).split())
        assert "No memos yet" in shown and "0 of 0" not in shown
        assert "a coding's memo stays with its passage (v)" in shown
