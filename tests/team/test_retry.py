"""A write that meets a lock waits and retries, then says plainly that the project is busy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from coder.db import engine as engine_mod
from coder.db import retry
from coder.services.codebook.codes import create_code
from coder.services.coding import codings as coding_svc
from coder.services.project.store import Project
from coder.services.team.busy import set_wait_listener
from tests.team.helpers import add_source


@pytest.fixture
def locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A project, its ids, and another connection holding its write lock."""
    monkeypatch.setattr(engine_mod, "SQLITE_BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "p.coder"
    with Project.create(path) as p:
        sid = add_source(p, "We answer every comment.")
        code = create_code(p, "Reacting").id
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield path, sid, code, other
    other.close()


def test_a_lock_held_past_the_retry_window_is_one_clear_error(
    locked: tuple[Path, int, int, sqlite3.Connection], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, sid, code, _other = locked
    monkeypatch.setattr(retry, "BUSY_SECONDS", 0.3)
    with Project.open(path) as p:
        with pytest.raises(retry.ProjectBusy, match=r"project is busy .*retried for 0 s"):
            coding_svc.apply_code(p, sid, 0, 9, code)
        assert not p.history.can_undo


def test_a_write_that_meets_a_lock_waits_and_then_succeeds(
    locked: tuple[Path, int, int, sqlite3.Connection], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, sid, code, other = locked
    waits: list[int] = []

    def release_on_first_retry(attempt: int) -> float:
        waits.append(attempt)
        other.execute("COMMIT")  # the other writer finishes while this one waits
        return 0.0

    monkeypatch.setattr(retry, "backoff", release_on_first_retry)
    told: list[float | None] = []
    set_wait_listener(told.append)
    try:
        with Project.open(path) as p:
            c = coding_svc.apply_code(p, sid, 0, 9, code)
    finally:
        set_wait_listener(None)
    assert waits == [0]
    assert len(told) == 2 and told[0] is not None and told[0] > 0 and told[1] is None
    with Project.open(path) as p:
        assert [x.id for x in coding_svc.codings_for_source(p, sid)] == [c.id]


def test_a_race_lost_again_and_again_is_a_user_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry, "backoff", lambda attempt: 0.0)
    calls: list[int] = []

    @retry.retry_writes
    def always_loses() -> None:
        calls.append(1)
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))

    with pytest.raises(retry.WriteConflict, match="not saved"):
        always_loses()
    assert len(calls) == retry.CONFLICT_ATTEMPTS


def test_other_errors_are_not_retried() -> None:
    calls: list[int] = []

    @retry.retry_writes
    def broken() -> None:
        calls.append(1)
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError):
        broken()
    assert calls == [1]


@pytest.mark.postgres
def test_a_postgresql_lock_wait_ends_in_project_busy(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another connection holds the codings table locked; without a lock timeout the write
    would wait for ever. With one, each try gives up and the retry window ends in ProjectBusy."""
    import psycopg

    monkeypatch.setattr(engine_mod, "PG_LOCK_TIMEOUT_MS", 100)
    monkeypatch.setattr(retry, "BUSY_SECONDS", 0.5)
    with Project.create(pg_url) as p:
        sid = add_source(p, "We answer every comment.")
        code = create_code(p, "Reacting").id
    raw, _, query = pg_url.replace("postgresql+psycopg://", "postgresql://").partition("?")
    options = query.split("=", 1)[1].replace("%3D", "=")
    with psycopg.connect(raw, options=options) as holder:
        holder.execute("LOCK TABLE codings IN ACCESS EXCLUSIVE MODE")
        with Project.open(pg_url) as p:
            with pytest.raises(retry.ProjectBusy, match="project is busy"):
                coding_svc.apply_code(p, sid, 0, 9, code, coder="ana")
        holder.rollback()
    with Project.open(pg_url) as p:
        assert coding_svc.apply_code(p, sid, 0, 9, code, coder="ana").start == 0
