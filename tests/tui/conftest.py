"""Fixtures for the workspace tests: a fresh copy of the sample study per test, the app on it,
and a helper that waits for every worker and queued write instead of sleeping.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from coder.services.project import Project


@pytest.fixture(scope="session")
def sample_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from coder.services.sample import build_sample_study

    return build_sample_study(tmp_path_factory.mktemp("sample") / "s.coder")


@pytest.fixture
def sample(sample_master: Path, tmp_path: Path) -> Path:
    """A private copy of the 12-interview sample study."""
    target = tmp_path / "s.coder"
    shutil.copy(sample_master, target)
    return target


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
    """Wait until workers and queued writes are done and their messages handled."""
    from textual.worker import WorkerCancelled

    app = pilot.app
    for _ in range(50):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue  # an exclusive worker was replaced while we waited: wait for its successor
        await pilot.pause()
        if not app.writer.busy and not any(w.is_running for w in app.workers):
            await pilot.pause()
            if not app.writer.busy and not any(w.is_running for w in app.workers):
                return
    raise AssertionError("workers did not settle")
