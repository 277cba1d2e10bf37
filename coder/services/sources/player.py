"""Playing a passage's recording from its start time in a player found on the machine.

coder plays nothing itself: it looks for mpv, ffplay or vlc on PATH (in that order: mpv starts
fastest and seeks exactly, ffplay comes with ffmpeg, vlc is the one most people have), and
launches it detached, in its own session with no terminal, so the workspace stays usable and
closing coder leaves the player running. Where none is installed, the answer says how to get
one. No Textual here: the workspace and tests call `play` with a fake PATH and launcher.
"""

from __future__ import annotations

import bisect
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from coder.db.models import Turn
from coder.services.project.store import Project
from coder.services.sources.media import media_of
from coder.vocab.turns import clock

PLAYERS = ("mpv", "ffplay", "vlc")
INSTALL_HINT = (
    "no media player found: install mpv (apt install mpv, brew install mpv), "
    "ffmpeg (for ffplay) or vlc"
)

Which = Callable[[str], str | None]
Launch = Callable[[Sequence[str]], object]


@dataclass(frozen=True, slots=True)
class PlayResult:
    """What pressing play did.

    Attributes:
        ok: Whether a player was launched.
        message: One line for the status bar.
        player: The player's name, when one was launched.
        argv: The command line run.
    """

    ok: bool
    message: str
    player: str | None = None
    argv: tuple[str, ...] = ()


def find_player(which: Which | None = None) -> tuple[str, str] | None:
    """The first of mpv, ffplay, vlc on PATH (or as `which` finds them), as (name,
    executable), or None."""
    for name in PLAYERS:
        exe = (which or shutil.which)(name)
        if exe:
            return name, exe
    return None


def player_argv(
    name: str, exe: str, media: str, start: float, end: float | None = None, video: bool = False
) -> list[str]:
    """The command line that plays `media` in player `name` from `start` seconds, stopping at
    `end` seconds when given (the next turn's time stamp: the passage, not the rest)."""
    at = f"{max(0.0, start):.3f}"
    stop = f"{end:.3f}" if end is not None and end > start else None
    if name == "mpv":
        return [exe, f"--start={at}", *([f"--end={stop}"] if stop else []), "--no-terminal", media]
    if name == "ffplay":
        length = ["-t", f"{float(stop) - float(at):.3f}"] if stop else []
        quiet = [] if video else ["-nodisp"]
        return [exe, "-ss", at, *length, "-autoexit", "-loglevel", "quiet", *quiet, media]
    if name == "vlc":
        until = [f"--stop-time={stop}"] if stop else []
        return [exe, f"--start-time={at}", *until, "--play-and-exit", media]
    raise ValueError(f"unknown player {name!r}")


def launch_detached(argv: Sequence[str]) -> object:
    """Start `argv` in its own session, cut off from coder's terminal."""
    return subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )


def play(
    media: Path,
    start: float,
    end: float | None = None,
    *,
    video: bool = False,
    which: Which | None = None,
    launch: Launch | None = None,
) -> PlayResult:
    """Play `media` from `start` seconds in the first player found."""
    if not media.is_file():
        return PlayResult(False, f"recording not found: {media}")
    found = find_player(which)
    if found is None:
        return PlayResult(False, INSTALL_HINT)
    argv = player_argv(found[0], found[1], str(media), start, end, video)
    try:
        (launch or launch_detached)(argv)
    except OSError as exc:
        return PlayResult(False, f"{found[0]} could not start: {exc}")
    return PlayResult(
        True, f"playing from {clock(start)} in {found[0]}: {media.name}", found[0], tuple(argv)
    )


def passage_times(
    project: Project, source_id: int, offset: int
) -> tuple[float | None, float | None]:
    """(start, end) in seconds of the passage at `offset`: the time stamp of the turn holding
    it, or of the nearest stamped turn before it, and the next later time stamp (None at the
    end). Before the first turn (a label, a preamble) it is the first stamped turn."""
    with project.reading() as s:
        rows = s.execute(
            select(Turn.start, Turn.timestamp)
            .where(Turn.source_id == source_id, Turn.timestamp.is_not(None))
            .order_by(Turn.start)
        ).all()
    stamps = [(int(r[0]), float(r[1])) for r in rows if r[1] is not None]
    if not stamps:
        return None, None
    k = max(0, bisect.bisect_right([p for p, _ in stamps], offset) - 1)
    start = stamps[k][1]
    later = [t for _, t in stamps[k + 1 :] if t > start]
    return start, (later[0] if later else None)


def play_passage(
    project: Project,
    source_id: int,
    offset: int,
    *,
    which: Which | None = None,
    launch: Launch | None = None,
) -> PlayResult:
    """Play the source's recording from the start time of the passage at `offset`."""
    media = media_of(project, source_id)
    if media is None:
        return PlayResult(
            False, "no recording attached: coder media attach PROJECT SOURCE FILE links one"
        )
    start, end = passage_times(project, source_id, offset)
    video = media.kind == "video"
    result = play(Path(media.path), start or 0.0, end, video=video, which=which, launch=launch)
    if result.ok and start is None:
        return PlayResult(
            True, result.message + " (no time stamps: from the start)", result.player, result.argv
        )
    return result
