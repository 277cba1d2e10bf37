"""Fixtures for the workspace tests: a fresh copy of the sample study per test, the app on it,
and a helper that waits for every worker and queued write instead of sleeping.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coder.services.project.store import Project


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

    app = pilot.app

    def idle() -> bool:
        sg = getattr(app.screen_stack[0] if app.screen_stack else None, "sg", None)
        resting = sg is not None and (sg.resting or sg.training)
        return not app.writer.busy and not resting and not any(w.is_running for w in app.workers)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            await app.workers.wait_for_complete()
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
