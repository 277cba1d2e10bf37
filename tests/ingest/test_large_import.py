"""A transcript larger than the pieces that import works in (a megabyte and more) is stored as
any other: the same text, word count, hash, turns and lemma cache as its whole text gives. On
SQLite its text reaches the database through a one-off SQL function (coder.db.bulk.large_text)
rather than a parameter SQLite would keep a copy of; it is still stored as TEXT."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from coder.db.bulk import LARGE_TEXT_CHARS, large_text
from coder.db.models import LemmaCache, Source
from coder.ingest import read_source
from coder.services.analysis.lemma_blob import build
from coder.services.project.store import Project
from coder.services.sources.transcripts import get_source, import_files
from coder.vocab.pieces import PIECE_CHARS
from coder.vocab.turns import is_interviewer

TURNS = (
    "Interviewer: How did the label’s fans reply to the remix? Don't say it's a secret.\n\n",
    "Participant: They kept sharing stems and café photos; naïve, maybe, but the vinyl sold.\n\n",
)


@pytest.fixture
def big_file(tmp_path: Path) -> Path:
    path = tmp_path / "long interview.txt"
    n = LARGE_TEXT_CHARS // len("".join(TURNS)) + 40
    path.write_bytes(("Recorded in May\r\n\r\n" + "".join(TURNS) * n).encode("utf-8"))
    return path


def test_a_large_transcript_is_stored_as_its_whole_text_gives(
    project: Project, big_file: Path
) -> None:
    parsed = read_source(big_file)
    assert len(parsed.text) > max(LARGE_TEXT_CHARS, 2 * PIECE_CHARS)
    [outcome] = import_files(project, [big_file])
    assert outcome.status == "imported" and outcome.turns == len(parsed.turns) > 10_000
    stored = get_source(project, outcome.source_id or 0)
    assert stored.text == parsed.text
    assert [(t.start, t.end) for t in stored.turns] == [(t.start, t.end) for t in parsed.turns]
    spans = [(t.start, t.end, is_interviewer(t.speaker)) for t in parsed.turns]
    with project.reading() as s:
        words, digest = s.execute(select(Source.words, Source.sha256)).one()
        blob = s.scalar(select(LemmaCache.data))
    assert words == outcome.words == len(parsed.text.split())
    assert digest == hashlib.sha256(parsed.text.encode("utf-8")).hexdigest()
    assert bytes(blob) == build(parsed.text, spans, 10**9)[0]


def test_large_text_goes_through_a_function_only_while_it_is_needed(
    sqlite_project: Project, big_file: Path
) -> None:
    import_files(sqlite_project, [big_file])
    with sqlite_project.reading() as s:
        assert s.scalar(select(func.typeof(Source.text))) == "text"
    big, small = "x " * LARGE_TEXT_CHARS, "a short memo"
    with sqlite_project.transaction() as s:
        with large_text(s, small) as value:
            assert value is small
        with large_text(s, big) as value:
            assert value is not big
            assert s.scalar(select(value)) == big
        # gone, or (Python 3.11) left as a function that holds nothing and fails
        with pytest.raises(OperationalError, match="no such function|raised exception"):
            s.execute(text("SELECT coder_large_text()"))
