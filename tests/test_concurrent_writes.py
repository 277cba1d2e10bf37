"""Two connections writing to one SQLite project (the TUI's writer and its trainer, or two
windows): a unit of work that reads and then writes must wait for the other, never fail."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from coder.db.models import Setting
from coder.services.project.settings import put_setting
from coder.services.project.store import Project


def test_read_then_write_waits_for_another_writer_instead_of_failing(tmp_path: Path) -> None:
    path = tmp_path / "study.coder"
    Project.create(path).close()
    with Project.open(path) as a, Project.open(path) as b:
        put_setting(a, "k", "0")
        errors: list[BaseException] = []

        def other_writer() -> None:
            try:
                put_setting(b, "other", "1")
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)

        with a.transaction() as s:
            row = s.get(Setting, "k")  # a read first...
            assert row is not None
            t = threading.Thread(target=other_writer)
            t.start()
            time.sleep(0.3)  # ...the other connection tries to commit meanwhile...
            row.value = "1"  # ...then a write in the same unit of work
        t.join(15)
        assert errors == []
    with Project.open(path) as c, c.reading() as s:
        stored = {r.key: r.value for r in s.query(Setting)}
    assert stored["k"] == "1" and stored["other"] == "1"
