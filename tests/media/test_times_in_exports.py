"""Turn time stamps travel into the coded extracts and the quote table."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coder.cli import main
from coder.export.documents import passage_ref
from coder.services.codebook.codes import create_code
from coder.services.coding.codings import apply_code
from coder.services.project.store import Project
from coder.services.reports.tables import extracts_data
from coder.services.sources.transcripts import get_source, import_files
from tests.media.conftest import make_vtt


def _coded(project: Project, tmp_path: Path) -> int:
    [out] = import_files(project, [make_vtt(tmp_path / "ana.vtt", last=75.0)])
    sid = out.source_id or 0
    code = create_code(project, "Beginnings")
    turns = get_source(project, sid).turns
    apply_code(project, sid, turns[1].start, turns[1].end, code.id)
    apply_code(project, sid, turns[2].start + 2, turns[2].end, code.id)
    return sid


def test_extracts_carry_the_time_of_their_turn(project: Project, tmp_path: Path) -> None:
    _coded(project, tmp_path)
    [section] = extracts_data(project).sections
    assert [e.timestamp for e in section.extracts] == [1.5, 75.0]
    assert passage_ref(section.extracts[1]).split(" \u00b7 ")[1:] == ["Interviewer", "01:15"]


def test_quote_table_has_the_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.coder"
    with Project.create(path) as project:
        _coded(project, tmp_path)
    out = tmp_path / "quotes.csv"
    assert main(["export", "quotes", str(path), "-o", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["Time (s)"] for r in rows] == ["1.5", "75"]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "t.srt",
            "1\n00:00:01,000 --> 00:00:02,000\nAna: How did it start?\n\n"
            "2\n00:01:05,500 --> 00:01:07,000\nBen: Slowly, then fast.\n",
        ),
        ("t.txt", "Ana  0:01\nHow did it start?\n\nBen  1:05.5\nSlowly, then fast.\n"),
        ("t.md", "Ana (00:00:01): How did it start?\n\nBen (00:01:05.5): Slowly, then fast.\n"),
        (
            "t.rtf.txt",
            "[00:00:01] Ana: How did it start?\n\n[00:01:05.5] Ben: Slowly, then fast.\n",
        ),
    ],
    ids=["srt", "otter", "rev", "bracketed"],
)
def test_every_stamped_format_keeps_turn_times(
    sqlite_project: Project, tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    [out] = import_files(sqlite_project, [path])
    assert out.status == "imported", out.message
    turns = get_source(sqlite_project, out.source_id or 0).turns
    assert [t.timestamp for t in turns] == [1.0, 65.5]
