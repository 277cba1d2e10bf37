"""Issue 13 item 10: `coder check` finds storage damage and says so in one line, never crashes."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from coder.cli import main
from coder.errors import UserError
from coder.services.project.check import check_project
from coder.services.project.store import Project

PAGE = 4096


def _compact_copy(sample: Path, tmp_path: Path) -> Path:
    """The sample study as one self-contained file with no free pages."""
    path = tmp_path / "clean.coder"
    shutil.copy(sample, path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("VACUUM")
    assert con.execute("PRAGMA page_size").fetchone()[0] == PAGE
    assert con.execute("PRAGMA freelist_count").fetchone()[0] == 0
    con.close()
    return path


def test_healthy_project_is_ok(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(sample)]) == 0
    assert capsys.readouterr().out.strip().endswith(": ok")


def test_every_single_page_corruption_is_one_line(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = _compact_copy(sample, tmp_path)
    data = clean.read_bytes()
    pages = len(data) // PAGE
    assert pages > 50
    rng = random.Random(13)
    missed: list[int] = []
    for page in range(pages):
        broken = tmp_path / f"broken-{page}.coder"
        junk = bytes(rng.randrange(256) for _ in range(PAGE))
        broken.write_bytes(data[: page * PAGE] + junk + data[(page + 1) * PAGE :])
        capsys.readouterr()
        code = main(["check", str(broken)])  # must not raise
        out, err = capsys.readouterr()
        if code == 0:
            missed.append(page)
            continue
        lines = [line for line in (out + err).splitlines() if line.strip()]
        assert len(lines) == 1, (page, lines)
        assert str(broken) in lines[0] or "checked" in lines[0], (page, lines)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{broken}{suffix}").unlink(missing_ok=True)
    assert missed == []


def test_missing_rows_behind_foreign_keys_are_reported(sample: Path, tmp_path: Path) -> None:
    path = _compact_copy(sample, tmp_path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("DELETE FROM sources WHERE id = (SELECT min(id) FROM sources)")
    con.commit()
    con.close()
    with Project.open(path) as project:
        report = check_project(project)
    assert any(p.kind == "foreign-key" for p in report.problems)


@pytest.mark.postgres
def test_postgres_check(pg_url: str) -> None:
    with Project.create(pg_url) as project:
        assert check_project(project).ok
        with project.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE memos CASCADE")
        with pytest.raises(UserError, match="memos"):
            check_project(project)
