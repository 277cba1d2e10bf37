"""Team coding in the workspace: who is coding, whose codings, blind mode, live updates, lock
waits and quitting with pending writes (pilot tests on the sample study coded by two coders)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from coder.services.coding.codings import apply_code, codings_for_source
from coder.services.project.settings import Key, put_setting
from coder.services.project.store import Project
from coder.services.team.busy import ProjectBusy
from coder.services.team.identity import config_path
from coder.services.team.view import blind_mode

from .conftest import settle
from .team_data import code_two_coders


@pytest.fixture
def team(sample: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CODER_NAME", "ann")
    code_two_coders(sample)
    return sample


def _app(path: Path):  # type: ignore[no-untyped-def]
    from coder.tui.app import CoderApp

    return CoderApp(Project.open(path))


def _status(app) -> str:  # type: ignore[no-untyped-def]
    from coder.tui.screens.workspace_team import TeamStatus

    return str(app.workspace.query_one(TeamStatus).render())


async def test_asks_for_a_name_once_and_shows_who_is_coding(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coder.tui.dialogs.prompt import PromptScreen

    monkeypatch.delenv("CODER_NAME")
    app = _app(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        from textual.widgets import Input

        app.screen.query_one(Input).value = ""
        await pilot.press(*"Rosa Parks", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, PromptScreen)
        assert "Rosa Parks" in _status(app)
    saved = json.loads(config_path().read_text(encoding="utf-8"))
    assert saved["user"] == "Rosa Parks"
    app.project.close()
    # Configured now: the next open does not ask.
    app = _app(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, PromptScreen)
    app.project.close()


async def test_status_names_the_coder_and_the_view(team: Path) -> None:
    app = _app(team)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert _status(app) == "● ann"
        app.workspace.set_view(None)
        assert _status(app) == "● ann · my codings"
    app.project.close()


async def test_whose_codings_filters_the_transcript_and_the_counts(team: Path) -> None:
    from coder.tui.screens.workspace_team import MINE

    app = _app(team)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        source = ws.state.doc.source.info.id
        everyone = {c.coder for c in ws.transcript.codings}
        assert everyone == {"ann", "ben"}
        assert ws.transcript.coder_marks == {"ann": "A", "ben": "B"}
        total = sum(c.codings for c in ws.state.counts.values())
        ws.set_view(MINE)
        await settle(pilot)
        assert {c.coder for c in ws.transcript.codings} == {"ann"}
        mine = sum(c.codings for c in ws.state.counts.values())
        assert mine == 12 and total == 12 + 14  # ben also coded a third code twice
        assert "my codings" in _status(app)
        ws.set_view("ben")
        await settle(pilot)
        assert {c.coder for c in ws.transcript.codings} == {"ben"}
        assert sum(c.codings for c in ws.state.counts.values()) == 14
        assert len(ws.transcript.codings) == len(
            [c for c in codings_for_source(app.project, source) if c.coder == "ben"]
        )
    app.project.close()


async def test_whose_codings_key_picks_a_view(team: Path) -> None:
    app = _app(team)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press(*"ben", "enter")
        await settle(pilot)
        assert app.workspace.view == "ben"
        assert {c.coder for c in app.workspace.transcript.codings} == {"ben"}
    app.project.close()


async def test_blind_mode_hides_others_until_revealed(team: Path) -> None:
    from coder.tui.dialogs.confirm import ConfirmScreen
    from coder.tui.screens.agreement import AgreementScreen

    with Project.open(team) as project:
        put_setting(project, Key.BLIND_CODING, "1")
    app = _app(team)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        assert {c.coder for c in ws.transcript.codings} == {"ann"}
        assert sum(c.codings for c in ws.state.counts.values()) == 12
        assert "blind" in _status(app)
        ws.set_view("")  # everyone: refused while blind
        await settle(pilot)
        assert {c.coder for c in ws.transcript.codings} == {"ann"}
        await pilot.press("K")
        await settle(pilot)
        assert isinstance(app.screen, AgreementScreen)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert not blind_mode(app.project)
        await pilot.press("escape")
        await settle(pilot)
        assert not ws.blind
        ws.set_view("")
        await settle(pilot)
        assert {c.coder for c in ws.transcript.codings} == {"ann", "ben"}
    app.project.close()


async def test_blind_mode_key_turns_it_on(team: Path) -> None:
    app = _app(team)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert blind_mode(app.project)
        assert {c.coder for c in app.workspace.transcript.codings} == {"ann"}
    app.project.close()


async def test_blind_mode_shows_blind_while_the_setting_is_still_being_saved(
    team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """h13user: after B and y the status said "my codings" for a while before "blind": the
    workspace re-read the setting when the dialog closed, before the write had landed."""
    import coder.tui.screens.workspace_team as team_mod

    real = team_mod.blind_mode
    stale = {"reads": 0}

    def read_before_the_write(project):  # type: ignore[no-untyped-def]
        if stale["reads"] > 0:  # the read the dialog's closing makes: from before the write
            stale["reads"] -= 1
            return False
        return real(project)

    monkeypatch.setattr(team_mod, "blind_mode", read_before_the_write)
    app = _app(team)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        stale["reads"] = 1
        await pilot.press("y")
        await settle(pilot)
        ws = app.workspace
        assert stale["reads"] == 0  # the stale read did happen
        assert blind_mode(app.project)
        assert ws.blind and "blind" in _status(app)
        assert {c.coder for c in ws.transcript.codings} == {"ann"}
    app.project.close()


async def test_others_codings_appear_within_two_seconds(team: Path) -> None:
    import time

    app = _app(team)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        assert ws._watcher is not None
        sid = ws.state.doc.source.info.id
        before = len(ws.transcript.codings)
        code = next(c for c in ws.state.order if ws.state.codes[c].codable)
        with Project.open(team) as other:  # another program, another coder
            apply_code(other, sid, 0, 5, code, coder="cat")
        committed = time.monotonic()
        # The interval timer notices: wait for that (a condition with a deadline, not a sleep).
        while len(ws.transcript.codings) == before and time.monotonic() - committed < 2.0:
            await pilot.pause(0.05)
        assert len(ws.transcript.codings) == before + 1
        assert any(c.coder == "cat" for c in ws.transcript.codings)
        assert ws.transcript.coder_marks == {"ann": "A", "ben": "B", "cat": "C"}
    app.project.close()


async def test_a_lock_wait_shows_and_the_key_press_is_kept(team: Path) -> None:
    from coder.db import retry

    app = _app(team)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        told = threading.Thread(target=lambda: retry._tell(3.0))
        told.start()
        while told.is_alive():
            await pilot.pause()
        await pilot.pause()
        assert "waiting for another writer" in _status(app)
        # A write that stays locked past the retry window is kept and tried again.
        attempts: list[int] = []

        def write() -> str:
            attempts.append(1)
            if len(attempts) < 3:
                raise ProjectBusy("project is busy")
            return "stored"

        done: list[object] = []
        from coder.tui.messages import Noted

        app.writer.submit(ws, "code", write, lambda r: (done.append(r), Noted(str(r), 1))[1])
        await settle(pilot)
        assert len(attempts) == 3 and done == ["stored"]
        told = threading.Thread(target=lambda: retry._tell(None))
        told.start()
        while told.is_alive():
            await pilot.pause()
        await pilot.pause()
        assert "waiting" not in _status(app) and "ann" in _status(app)
    app.project.close()


async def test_quitting_waits_for_pending_writes_and_says_so(team: Path) -> None:
    app = _app(team)
    release = threading.Event()
    stored: list[int] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        def slow_write() -> None:
            release.wait(10)
            stored.append(1)

        app.writer.submit(app.workspace, "code", slow_write)
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running
        assert any("Saving" in n.message for n in app._notifications)
        release.set()
        while app.is_running:
            await pilot.pause(0.05)
    assert stored == [1] and app.return_code == 0
    app.project.close()


async def test_a_write_held_up_for_seconds_says_it_is_waiting(team: Path) -> None:
    app = _app(team)
    release = threading.Event()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        app.writer.submit(ws, "code", lambda: release.wait(10))
        ws._poll()  # what the interval timer calls each second
        assert "waiting" not in _status(app)
        ws._poll()
        assert "waiting for another writer" in _status(app)
        release.set()
        await settle(pilot)
        ws._poll()
        assert _status(app) == "● ann"
    app.project.close()


async def test_keys_typed_as_it_opens_go_to_the_name_prompt_not_the_transcript(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a slow start a researcher types their name before the prompt shows: the keys must
    reach the prompt, never the workspace, where 'x' uncodes, 'e' marks an exemplar and 'q'
    quits."""
    from textual.widgets import Input

    from coder.tui.dialogs.prompt import PromptScreen

    monkeypatch.delenv("CODER_NAME")
    app = _app(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, PromptScreen)  # up before the first key is handled
        app.screen.query_one(Input).value = ""
        await pilot.press(*"Jacques Xe", "enter")
        await settle(pilot)
        assert app.is_running and "Jacques Xe" in _status(app)
    app.project.close()
