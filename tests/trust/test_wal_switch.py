"""Two processes opening a rollback-journal project at once both switch it to WAL.

SQLite breaks the deadlock between their locks by failing one switch at once with "database is
locked" (no busy wait); the CI saw `coder info` fail that way on an old project. The switch is
now tried again until the busy timeout.
"""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from coder.db import engine as engine_mod

OLD = Path(__file__).resolve().parent.parent / "data" / "project-rev0001.coder"


def _journal_mode(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        con.close()


class _LockedOnce:
    """A cursor whose first journal-mode switch fails as SQLite's deadlock breaker makes it."""

    def __init__(self, cur: sqlite3.Cursor) -> None:
        self.cur = cur
        self.failures = 0

    def execute(self, sql: str) -> Any:
        if "journal_mode=WAL" in sql and self.failures == 0:
            self.failures += 1
            raise sqlite3.OperationalError("database is locked")
        return self.cur.execute(sql)

    def close(self) -> None:
        self.cur.close()


def test_a_switch_that_loses_the_deadlock_is_tried_again(tmp_path: Path) -> None:
    target = tmp_path / "old.coder"
    shutil.copy(OLD, target)
    assert _journal_mode(target) == "delete"
    con = sqlite3.connect(target, isolation_level=None)
    cur = _LockedOnce(con.cursor())
    engine_mod._switch_to_wal(cur)
    cur.close()
    con.close()
    assert cur.failures == 1
    assert _journal_mode(target) == "wal"


def test_other_errors_are_not_retried(tmp_path: Path) -> None:
    class Broken:
        calls = 0

        def execute(self, sql: str) -> None:
            Broken.calls += 1
            raise sqlite3.OperationalError("disk I/O error")

    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        engine_mod._switch_to_wal(Broken())
    assert Broken.calls == 1


def _open_and_read(path: str, go: str, out: Any) -> None:
    import os

    while not os.path.exists(go):
        pass
    try:
        eng = engine_mod.make_engine(path)
        with eng.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM codings").fetchall()
        eng.dispose()
        out.put("ok")
    except Exception as exc:  # reported to the parent, which asserts on it
        out.put(repr(exc))


def test_three_processes_switch_an_old_project_at_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    for trial in range(40):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        target = folder / "old.coder"
        shutil.copy(OLD, target)
        go = folder / "go"
        out = ctx.Queue()
        procs = [
            ctx.Process(target=_open_and_read, args=(str(target), str(go), out)) for _ in range(3)
        ]
        for p in procs:
            p.start()
        go.touch()
        for p in procs:
            p.join(timeout=60)
        results = [out.get(timeout=5) for _ in procs]
        assert results == ["ok"] * 3, (trial, results)
        assert _journal_mode(target) == "wal"
