"""Gathering a real SQLite project (the sample study) into analysis records."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from coder.analysis.matrix import matrix
from coder.analysis.query import run_query
from coder.db.models import Code, Source, Turn
from coder.services.analysis.gather import gather, tokens
from coder.services.coding.codings import apply_code
from coder.services.project.store import Project


def code_sample(path: Path) -> dict[str, int]:
    """Code a few passages of the sample study; returns code ids by name."""
    with Project.open(path) as p:
        with p.reading() as s:
            codes = {c.name: c.id for c in s.scalars(select(Code))}
            srcs = {x.name: (x.id, x.text) for x in s.scalars(select(Source))}
        leaves = [n for n in codes if n not in ("Bonding", "Spreading")][:3]
        for k, (sid, text) in enumerate(sorted(srcs.values())):
            at = text.index("radio") if "radio" in text else len(text) // 2
            apply_code(p, sid, at, at + 40, codes[leaves[k % 3]], coder="ana")
            apply_code(p, sid, at + 20, at + 80, codes[leaves[(k + 1) % 3]], coder="bo")
            with p.reading() as s:
                turn = s.scalars(
                    select(Turn).where(Turn.source_id == sid).order_by(Turn.position)
                ).first()
                assert turn is not None and turn.speaker in ("Interviewer", "Q")
                q0, q1 = turn.start, turn.end
            apply_code(p, sid, q0, min(q1, q0 + 30), codes[leaves[0]], coder="ana")
    return codes


def test_gather_reads_the_whole_project(sample: Path) -> None:
    code_sample(sample)
    with Project.open(sample) as p:
        corpus = gather(p)
    assert len(corpus.sources) == 12 and len(corpus.codings) == 36
    assert {c.coder for c in corpus.codings} == {"ana", "bo"}
    p01 = next(s for s in corpus.sources if s.name.startswith("P01"))
    assert p01.participant == "P01" and p01.organisation
    assert p01.attributes["Years in music industry"] == "14"  # a text attribute in the sheet
    assert p01.attributes["Year established"] == 1998
    assert "Rock" in str(p01.attributes["Genre(s)"])
    speakers = {t.speaker: t.is_interviewer for t in corpus.turns if t.source == p01.id}
    assert speakers["Interviewer"] is True and speakers["Helen"] is False
    m = matrix(corpus, "participant")
    assert len(m.cols) == 12 and m.total == 36
    # one coding per source lies in the interviewer's first question: left out by default
    first = corpus.tree_order[0].name
    hits = run_query(corpus, f'"{first}"', speaker="all")
    assert len(hits) > len(run_query(corpus, f'"{first}"'))
    older = run_query(corpus, f'"{first}"', speaker="all")
    assert all(
        h.text == corpus.sources[corpus.source_index[h.source_id]].text[h.start : h.end]
        for h in older
    )
    toks = tokens(corpus)
    assert len(toks.vocab) > 500 and int(toks.content.sum()) < len(toks.vocab)


@pytest.mark.parametrize("by", ["organisation", "attr:Year established", "coder"])
def test_matrix_columns_from_project(sample: Path, by: str) -> None:
    code_sample(sample)
    with Project.open(sample) as p:
        m = matrix(gather(p), by)
    assert sum(m.totals) >= m.total == 36
    if by == "attr:Year established":
        assert len(m.cols) == 4 and m.cols[0].startswith("19")  # four bins of years


def test_quotes_know_their_turn_and_recording_time(sample: Path) -> None:
    from coder.analysis.extracts import quotes

    code_sample(sample)
    with Project.open(sample) as p:
        qt = quotes(gather(p))
    assert len(qt.quotes) == 36 and all(q.turn for q in qt.quotes)
    vtt = [q for q in qt.quotes if q.source.startswith("P03")]
    assert vtt and all(q.timestamp is not None for q in vtt)
    assert "Year established" in qt.attributes
