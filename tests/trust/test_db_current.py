"""`coder db current` reads the schema revision without changing anything: a file that is not a
project (random bytes, a truncated project, an empty file, another program's database) is
refused in one line, never a traceback, and is left exactly as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coder.cli import main


def _one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("coder: "), err
    return err[0]


def test_db_current_refuses_what_is_not_a_project(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.coder"
    junk.write_bytes(b"not a database at all\n" * 10)
    cut = tmp_path / "cut.coder"
    cut.write_bytes(sample.read_bytes()[:50_000])
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    for path, why in (
        (junk, "not an SQLite database"),
        (cut, "malformed"),
        (other, "not a coder project"),
    ):
        before = path.read_bytes()
        line = _one_line(capsys, ["db", "current", str(path)])
        assert str(path) in line and why in line
        assert path.read_bytes() == before


def test_commands_leave_an_empty_file_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Opening an empty file made SQLite write its 4 KB header into it: `coder info notes.txt`
    on an empty notes.txt turned it into a database."""
    empty = tmp_path / "notes.txt"
    empty.write_bytes(b"")
    for argv in (["db", "current"], ["info"], ["sources"]):
        line = _one_line(capsys, [*argv, str(empty)])
        assert str(empty) in line and "empty" in line
        assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_db_current_still_reads_a_project(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from coder.db.lifecycle import head_revision

    head = head_revision()
    assert main(["db", "current", str(sample)]) == 0
    assert capsys.readouterr().out.strip() == f"{head} (newest {head}): up to date"


@pytest.mark.parametrize("command", [["info"], ["codes"], ["words"]])
def test_opening_another_programs_database_leaves_it_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """h13user: `coder info o.db` switched someone's database to WAL (and left -wal/-shm
    files beside it) before saying it is not a project."""
    other = tmp_path / "o.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = other.read_bytes()
    line = _one_line(capsys, [*command, str(other)])
    assert str(other) in line and "not a coder project (it has other tables)" in line
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.db"]
