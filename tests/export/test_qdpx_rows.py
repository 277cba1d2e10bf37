"""A .qdpx import stores each source's own columns and turns as a transcript import does:
text hash, word count, participant and speaker turns equal the exported project's."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from coder.db.models import Case, Source, Turn
from coder.services.exchange.refi_project import export_qdpx, import_qdpx
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


def test_sources_and_turns_come_back_as_exported(tmp_path: Path) -> None:
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
