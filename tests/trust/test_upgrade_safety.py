"""Issue 13 item 14: an interrupted upgrade leaves no half backup; two openers do not crash."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from coder.db.lifecycle import head_revision
from coder.services.project.store import Project

OLD = Path(__file__).resolve().parent.parent / "data" / "project-rev0001.coder"
REPO = Path(__file__).resolve().parent.parent.parent

# Runs `coder info` with a file size limit: writes past it fail with EFBIG, as on a full disk.
FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from coder.cli import main
sys.exit(main(["info", sys.argv[1]]))
"""

# Waits for a start signal so that both processes open the project at the same moment.
OPENER = """
import os, sys, time
from coder.cli import main
go = sys.argv[2]
while not os.path.exists(go):
    time.sleep(0.001)
sys.exit(main(["info", sys.argv[1]]))
"""


def _backups(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".backup-" in p.name)


def _rows(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(con.execute("SELECT count(*) FROM codings").fetchone()[0])
    finally:
        con.close()


def test_full_disk_during_backup_leaves_no_partial_backup(tmp_path: Path) -> None:
    target = tmp_path / "old.coder"
    shutil.copy(OLD, target)
    before = _rows(target)
    limit = 64 * 1024  # smaller than the project: the backup copy cannot be finished
    run = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(target), str(limit)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert _backups(tmp_path) == []  # complete or absent
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []
    assert _rows(target) == before  # the project itself is untouched and sound
    con = sqlite3.connect(target)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    con.close()
    with Project.open(target) as project:  # with room again, the upgrade works
        assert project.schema_revision() == head_revision()
        backup = Path(project.upgrade.backup or "")
    assert _rows(backup) == _rows(target)


def test_two_processes_open_an_old_project_at_once(tmp_path: Path) -> None:
    for trial in range(3):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        target = folder / "old.coder"
        shutil.copy(OLD, target)
        go = folder / "go"
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPENER, str(target), str(go)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=REPO,
                env=env,
            )
            for _ in range(2)
        ]
        go.touch()
        results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
        for p in procs:
            for stream in (p.stdout, p.stderr):
                if stream is not None:
                    stream.close()
        assert [code for code, _ in results] == [0, 0], results
        assert len(_backups(folder)) == 1
        with Project.open(target) as project:
            assert project.schema_revision() == head_revision()
