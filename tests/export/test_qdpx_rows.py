"""A .qdpx import stores each source's own columns and turns as a transcript import does:
text hash, word count, participant and speaker turns equal the exported project's."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from coder.db.models import Case, Source, Turn
from coder.ingest import turn_worker
from coder.services.exchange.refi_project import export_qdpx, import_qdpx
from coder.services.exchange.refi_store import Importer
from coder.services.project.sample import build_sample_study
from coder.services.project.store import Project


def _rows(path: Path) -> tuple[dict[str, tuple[object, ...]], dict[str, list[object]]]:
    with Project.open(path) as p, p.reading() as s:
        cases = {c.id: c.guid for c in s.scalars(select(Case))}
        sources = {
            x.guid: (x.name, x.sha256, x.words, x.format, cases.get(x.case_id or 0))
            for x in s.scalars(select(Source))
        }
        guid = {x.id: x.guid for x in s.scalars(select(Source))}
        turns: dict[str, list[object]] = {}
        for t in s.scalars(select(Turn).order_by(Turn.source_id, Turn.position)):
            turns.setdefault(guid[t.source_id], []).append((t.position, t.speaker, t.start, t.end))
    return sources, turns


@pytest.mark.parametrize("in_child", [False, True], ids=["here", "in-a-child-process"])
def test_sources_and_turns_come_back_as_exported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_child: bool
) -> None:
    """Also with the turns found in a second process, as for a big project."""
    if in_child:
        monkeypatch.setattr(turn_worker, "MIN_CHARS", 0)
        started: list[object] = []
        monkeypatch.setattr(turn_worker.TurnWorker, "_receive", _counted(started))
    built = build_sample_study(tmp_path / "s.coder", second_coder=True, survey=True)
    with Project.open(built) as p:
        export_qdpx(p, tmp_path / "s.qdpx")
    import_qdpx(str(tmp_path / "again.coder"), tmp_path / "s.qdpx")
    sources, turns = _rows(built)
    again_sources, again_turns = _rows(tmp_path / "again.coder")
    # coder stores every imported text as UTF-8 "txt"; the rest is the source's own
    assert {g: (*r[:3], r[4]) for g, r in again_sources.items()} == {
        g: (*r[:3], r[4]) for g, r in sources.items()
    }
    assert len(sources) > 20 and any(r[4] for r in sources.values())
    transcripts = {g for g, r in sources.items() if r[3] != "survey"}
    assert {g: again_turns.get(g) for g in transcripts} == {g: turns.get(g) for g in transcripts}
    if in_child:
        assert started == [0]  # the child ran, and succeeded


def _counted(seen: list[object]):  # type: ignore[no-untyped-def]
    receive = turn_worker.TurnWorker._receive

    def run(self, proc):  # type: ignore[no-untyped-def]
        receive(self, proc)
        seen.append(proc.returncode)

    return run


def _journal_seen(monkeypatch: pytest.MonkeyPatch, fail: bool = False) -> list[str]:
    """The journal mode inside the import's transaction, as its last step (memos) sees it."""
    seen: list[str] = []
    memos = Importer.memos

    def run(self: Importer) -> None:
        seen.append(str(self.s.connection().exec_driver_sql("PRAGMA journal_mode").scalar()))
        memos(self)
        if fail:
            raise RuntimeError("stopped at the end")

    monkeypatch.setattr(Importer, "memos", run)
    return seen


def _sample_qdpx(tmp_path: Path) -> Path:
    """The sample study exported as a .qdpx (tmp_path/s.qdpx)."""
    with Project.open(build_sample_study(tmp_path / "s.coder")) as p:
        export_qdpx(p, tmp_path / "s.qdpx")
    return tmp_path / "s.qdpx"


def _journal(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return str(db.execute("PRAGMA journal_mode").fetchone()[0])


def test_a_new_file_is_filled_through_a_rollback_journal_and_left_in_wal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its pages are written once; a project that existed already keeps WAL throughout."""
    qdpx = _sample_qdpx(tmp_path)
    seen = _journal_seen(monkeypatch)
    import_qdpx(str(tmp_path / "new.coder"), qdpx)
    Project.create(tmp_path / "empty.coder").close()
    import_qdpx(str(tmp_path / "empty.coder"), qdpx)
    assert seen == ["delete", "wal"]
    assert _journal(tmp_path / "new.coder") == _journal(tmp_path / "empty.coder") == "wal"
    assert _rows(tmp_path / "new.coder") == _rows(tmp_path / "empty.coder")


def test_a_new_file_whose_import_fails_at_the_end_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    qdpx = _sample_qdpx(tmp_path)
    seen = _journal_seen(monkeypatch, fail=True)
    with pytest.raises(RuntimeError):
        import_qdpx(str(tmp_path / "new.coder"), qdpx)
    assert seen == ["delete"]
    assert not list(tmp_path.glob("new.coder*"))
