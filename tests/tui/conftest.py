"""Fixtures for the workspace tests: a fresh copy of the sample study per test, the app on it,
and a helper that waits for every worker and queued write instead of sleeping.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coder.services.project.store import Project


@pytest.fixture(autouse=True)
def _reading_takes_no_wall_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A passage counts as read after READ_SECONDS of wall time on screen. On a loaded machine a
    few key presses can take that long, which marked passages as read, retrained and changed
    what the snapshots show. Tests run with reading off; the test of reading turns it back on
    with a short time of its own."""
    from coder.tui.panes import suggestions

    monkeypatch.setattr(suggestions, "READ_SECONDS", float("inf"))


@pytest.fixture(autouse=True)
def coder_identity(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A known coder and a private config folder: no test is asked for a name (the workspace
    asks when none is configured) or reads the developer's own config."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("CODER_NAME", "tester")


@pytest.fixture
def app(sample: Path) -> Iterator[object]:
    from coder.tui.app import CoderApp

    project = Project.open(sample)
    try:
        yield CoderApp(project)
    finally:
        project.close()


@pytest.fixture
def reopen(sample: Path):  # type: ignore[no-untyped-def]
    """Open the project afresh (a second connection), to check what was committed."""
    opened: list[Project] = []

    def open_() -> Project:
        p = Project.open(sample)
        opened.append(p)
        return p

    yield open_
    for p in opened:
        p.close()


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until workers and queued writes are done and their messages handled, and any
    retraining the workspace put off (a rest after a slow training) has run too."""
    import time

    from textual.worker import WorkerCancelled

    from coder.tui.context import DIALOG
    from coder.tui.panes.suggestions import SuggestionsPane

    app = pilot.app

    def working() -> list:  # type: ignore[type-arg]
        # A flow waiting for the researcher to answer a dialog is not work to wait for.
        # Nor is the once-a-second look for others' commits (what it finds starts real work).
        return [w for w in app.workers if w.group not in (DIALOG, "team-poll")]

    def idle() -> bool:
        panes = app.screen_stack[0].query(SuggestionsPane) if app.screen_stack else []
        sg = panes.first().sg if panes else None
        resting = sg is not None and (sg.resting or sg.training or sg.debouncing is not None)
        return not app.writer.busy and not resting and not any(w.is_running for w in working())

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            busy = working()
            if busy:  # (an empty list would mean every worker)
                await app.workers.wait_for_complete(busy)
        except WorkerCancelled:
            continue  # an exclusive worker was replaced while we waited: wait for its successor
        await pilot.pause()
        if idle():
            await pilot.pause()
            if idle():
                return
        else:
            await pilot.pause(0.05)
    raise AssertionError("workers did not settle")
