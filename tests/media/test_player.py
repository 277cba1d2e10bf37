"""The external player: found on a fake PATH in the order mpv, ffplay, vlc, launched with the
passage's start (and end) time, and a hint on how to install one when there is none."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from coder.services.project.store import Project
from coder.services.sources.media import attach_media
from coder.services.sources.player import (
    INSTALL_HINT,
    find_player,
    passage_times,
    play,
    play_passage,
)
from coder.services.sources.transcripts import get_source, import_files
from tests.media.conftest import make_vtt


def fake_path(*names: str) -> Callable[[str], str | None]:
    return lambda name: f"/opt/bin/{name}" if name in names else None


class Launcher:
    def __init__(self) -> None:
        self.runs: list[list[str]] = []

    def __call__(self, argv: Sequence[str]) -> object:
        self.runs.append(list(argv))
        return None


@pytest.mark.parametrize(
    ("on_path", "chosen"),
    [
        (("mpv", "ffplay", "vlc"), "mpv"),
        (("vlc", "ffplay"), "ffplay"),
        (("vlc",), "vlc"),
        ((), None),
    ],
)
def test_player_order(on_path: tuple[str, ...], chosen: str | None) -> None:
    found = find_player(fake_path(*on_path))
    assert (found[0] if found else None) == chosen


@pytest.mark.parametrize(
    ("player", "argv"),
    [
        ("mpv", ["/opt/bin/mpv", "--start=12.500", "--end=20.000", "--no-terminal"]),
        (
            "ffplay",
            [
                "/opt/bin/ffplay",
                "-ss",
                "12.500",
                "-t",
                "7.500",
                "-autoexit",
                "-loglevel",
                "quiet",
                "-nodisp",
            ],
        ),  # fmt: skip
        ("vlc", ["/opt/bin/vlc", "--start-time=12.500", "--stop-time=20.000", "--play-and-exit"]),
    ],
)
def test_each_player_gets_its_start_option(
    tmp_path: Path, recording: Callable[..., Path], player: str, argv: list[str]
) -> None:
    wav = recording()
    launch = Launcher()
    result = play(wav, 12.5, 20.0, which=fake_path(player), launch=launch)
    assert launch.runs == [[*argv, str(wav)]]
    assert result.ok and result.player == player
    assert result.message == f"playing from 00:12 in {player}: interview.wav"


def test_no_player_says_how_to_install_one(recording: Callable[..., Path]) -> None:
    launch = Launcher()
    result = play(recording(), 1.0, which=fake_path(), launch=launch)
    assert not result.ok and result.message == INSTALL_HINT and launch.runs == []
    assert "apt install mpv" in result.message


def test_missing_recording_file(tmp_path: Path) -> None:
    result = play(tmp_path / "gone.wav", 0.0, which=fake_path("mpv"), launch=Launcher())
    assert not result.ok and result.message == f"recording not found: {tmp_path / 'gone.wav'}"


def test_a_launch_failure_is_one_line(recording: Callable[..., Path]) -> None:
    def broken(argv: Sequence[str]) -> object:
        raise PermissionError("permission denied")

    result = play(recording(), 0.0, which=fake_path("vlc"), launch=broken)
    assert not result.ok and result.message == "vlc could not start: permission denied"


def test_passage_plays_from_its_turn(
    sqlite_project: Project, tmp_path: Path, recording: Callable[..., Path]
) -> None:
    recording("ana.wav", 5.0)
    [out] = import_files(sqlite_project, [make_vtt(tmp_path / "ana.vtt")])
    sid = out.source_id or 0
    turns = get_source(sqlite_project, sid).turns
    assert [t.timestamp for t in turns] == [0.0, 1.5, 3.5]
    assert passage_times(sqlite_project, sid, turns[1].start + 3) == (1.5, 3.5)
    assert passage_times(sqlite_project, sid, turns[2].end - 1) == (3.5, None)
    assert passage_times(sqlite_project, sid, 0) == (0.0, 1.5)
    launch = Launcher()
    result = play_passage(
        sqlite_project, sid, turns[1].start + 3, which=fake_path("mpv"), launch=launch
    )
    assert result.ok and result.message == "playing from 00:01 in mpv: ana.wav"
    assert launch.runs[0][1:3] == ["--start=1.500", "--end=3.500"]


def test_passage_without_recording_or_stamps(
    sqlite_project: Project, tmp_path: Path, recording: Callable[..., Path]
) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("Ana: no times here.\nBen: none at all.\n", encoding="utf-8")
    [out] = import_files(sqlite_project, [plain])
    sid = out.source_id or 0
    launch = Launcher()
    result = play_passage(sqlite_project, sid, 3, which=fake_path("mpv"), launch=launch)
    assert not result.ok and result.message.startswith("no recording attached")
    attach_media(sqlite_project, "plain", recording())
    result = play_passage(sqlite_project, sid, 3, which=fake_path("mpv"), launch=launch)
    assert result.ok
    assert (
        result.message
        == "playing from 00:00 in mpv: interview.wav (no time stamps: from the start)"
    )


def test_real_launch_of_a_player_on_path(tmp_path: Path, recording: Callable[..., Path]) -> None:
    """A stand-in `ffplay` script on a real PATH is found by shutil.which and really run,
    detached, with the start option."""
    import shutil
    import subprocess

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "ffplay"
    log = tmp_path / "args.txt"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {log}\n', encoding="utf-8")
    script.chmod(0o755)
    procs: list[subprocess.Popen[bytes]] = []

    def launch(argv: Sequence[str]) -> object:
        from coder.services.sources.player import launch_detached

        proc = launch_detached(argv)
        assert isinstance(proc, subprocess.Popen)
        procs.append(proc)
        return proc

    wav = recording()
    result = play(wav, 2.0, which=lambda n: shutil.which(n, path=str(bin_dir)), launch=launch)
    assert result.ok and result.player == "ffplay"
    assert procs[0].wait(timeout=30) == 0
    assert log.read_text(encoding="utf-8").split("\n")[:2] == ["-ss", "2.000"]
