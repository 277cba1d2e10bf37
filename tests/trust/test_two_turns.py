"""Issue 13 item 12: two-turn transcripts are split into speakers, in files and REFI-QDA imports."""

from __future__ import annotations

from pathlib import Path

from coder.ingest.turns import find_turns
from coder.services.exchange.refi_project import import_qdpx
from coder.services.project.store import Project
from coder.services.sources.transcripts import get_source, import_files, list_sources
from tests.export import refi_fixtures

TWO = "Interviewer: How do you use social media?\nAnna: We post studio diaries every week.\n"


def test_two_turns_are_split() -> None:
    turns = find_turns(TWO)
    assert [t.speaker for t in turns] == ["Interviewer", "Anna"]
    assert TWO[turns[1].start : turns[1].end] == "We post studio diaries every week."


def test_two_turns_with_paragraphs() -> None:
    text = "Q: Tell me about covers.\n\nA: Fans post covers.\n\nWe share them on our page.\n"
    assert [t.speaker for t in find_turns(text)] == ["Q", "A"]


def test_headers_and_prose_are_still_not_speakers() -> None:
    assert all(t.speaker is None for t in find_turns("Date: 14 March 2013\nAnna: hello\n"))
    prose = "We met in Bristol.\nAnna: she said it was fine.\nBob: agreed.\n"
    assert all(t.speaker is None for t in find_turns(prose))
    memo = "Summary: the label posts a lot.\nNext step: ask about covers.\n"
    assert all(t.speaker is None for t in find_turns(memo))


def test_two_turn_file_import(sqlite_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "anna.txt"
    path.write_text(TWO, "utf-8")
    import_files(sqlite_project, [path])
    source = get_source(sqlite_project, list_sources(sqlite_project)[0].id)
    assert [t.speaker for t in source.turns] == ["Interviewer", "Anna"]


def test_refi_import_finds_speakers_in_short_sources(tmp_path: Path) -> None:
    qdpx = tmp_path / "nvivo.qdpx"
    qdpx.write_bytes(refi_fixtures.nvivo())
    target = tmp_path / "p.coder"
    import_qdpx(str(target), qdpx)
    with Project.open(target) as project:
        speakers = {
            s.name: {t.speaker for t in get_source(project, s.id).turns}
            for s in list_sources(project)
        }
    assert any(names == {"Q", "A"} for names in speakers.values()), speakers
    assert any(names == {"Interviewer", "Anna"} for names in speakers.values()), speakers
