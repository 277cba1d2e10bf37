"""`p` in the workspace plays the passage under the cursor from its start time in the player
found on PATH (a stand-in mpv here), and the status line says which; with no player it says
how to install one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from coder.services.sources import player
from coder.services.sources.media import attach_media
from coder.services.sources.transcripts import find_source, get_source
from tests.media.conftest import make_wav

from .conftest import settle


def _fake_bin(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in names:
        exe = folder / name
        exe.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
        exe.chmod(0o755)
    return folder


async def test_p_plays_the_turn_from_its_time_stamp(  # type: ignore[no-untyped-def]
    app, reopen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[list[str]] = []

    def launch(argv: Sequence[str]) -> object:
        runs.append(list(argv))
        return None

    monkeypatch.setattr(player, "launch_detached", launch)
    monkeypatch.setenv("PATH", str(_fake_bin(tmp_path, "vlc", "mpv")))
    setup = reopen()
    source = find_source(setup, "P03_label_c_director")
    attach_media(setup, source.id, make_wav(tmp_path / "p03.wav", 2.0))
    turn = get_source(setup, source.id).turns[2]
    assert turn.timestamp is not None
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.workspace.load_doc(source.id, (turn.start + 2, turn.start + 6))
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert len(runs) == 1
        assert runs[0][0] == str(tmp_path / "bin" / "mpv")
        assert runs[0][1] == f"--start={turn.timestamp:.3f}"
        line = str(app.workspace.query_one("#info").render())
        assert line.startswith("playing from ") and " in mpv: p03.wav" in line
        subtitle = str(app.workspace.query_one("#transcript-pane").border_subtitle)
        assert subtitle.endswith(" · p plays the recording")


async def test_p_without_a_player_says_how_to_get_one(  # type: ignore[no-untyped-def]
    app, reopen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(_fake_bin(tmp_path)))
    setup = reopen()
    source = find_source(setup, "P03_label_c_director")
    attach_media(setup, source.id, make_wav(tmp_path / "p03.wav", 2.0))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.workspace.load_doc(source.id, (10, 20))
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        line = str(app.workspace.query_one("#info").render())
        assert line == player.INSTALL_HINT
