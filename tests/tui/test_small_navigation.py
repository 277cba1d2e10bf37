"""Small navigation (issue 13.19): the next participant turn, focus back to the codebook after
its dialogs, and the demo saying where its project is while the workspace is open."""

from __future__ import annotations

from coder.tui.widgets.codebook import CodebookTree
from coder.tui.widgets.transcript_paint import is_interviewer

from .conftest import settle


async def test_next_participant_turn_skips_the_interviewer(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        turns = ws.state.doc.source.turns
        assert any(is_interviewer(t.speaker) for t in turns)
        seen = []
        for _ in range(4):
            await pilot.press("greater_than_sign")
            sel = ws.transcript.selection
            (turn,) = [t for t in turns if (t.start, t.end) == sel]
            seen.append(turn)
        assert all(t.speaker and not is_interviewer(t.speaker) for t in seen)
        assert len({t.start for t in seen}) == 4
        await pilot.press("less_than_sign")
        assert ws.transcript.selection == (seen[2].start, seen[2].end)


async def test_focus_returns_to_the_codebook_after_its_dialogs(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f3", "down")
        for keys in (("e", "escape"), ("m", "escape"), ("r", "escape"), ("o", "escape")):
            await pilot.press(*keys)
            await settle(pilot)
            assert isinstance(app.focused, CodebookTree), keys
        await pilot.press("r", *" again", "enter")
        await settle(pilot)
        assert isinstance(app.focused, CodebookTree)


async def test_demo_greeting_names_the_project(sample) -> None:  # type: ignore[no-untyped-def]
    from coder.services.project.store import Project
    from coder.tui.app import CoderApp

    with Project.open(sample) as project:
        app = CoderApp(project, greeting=f"Sample study: {sample}")
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(pilot)
            assert any(str(sample) in n.message for n in app._notifications)
