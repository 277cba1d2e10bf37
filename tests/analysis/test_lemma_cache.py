"""Cached lemmas: the same words and lemmas as lemmatising afresh, stored once, refreshed when
a source's text changes, gone with the source; the same word counts either way."""

from __future__ import annotations

import numpy as np
from sqlalchemy import func, select

from coder.analysis.words import Tokens, word_frequency
from coder.db.models import LemmaCache, Source
from coder.services.analysis.gather import gather, tokens
from coder.services.analysis.lemma_cache import cached_tokens, decode, encode, warm_lemmas
from coder.services.project.store import Project
from coder.services.sources.transcripts import text_sha256
from tests.team.helpers import add_source

TEXTS = (
    "Interviewer: Do you answer fans?\nAnn: We're answering every fan, daily. Labels don't.",
    "Ben: The labels were pressing vinyl; we thanked the fans — naïve café owners too.",
    "",
)


def _words(t: Tokens) -> list[tuple[int, int, int, str]]:
    return [
        (int(s), int(a), int(b), t.vocab[int(v)])
        for s, a, b, v in zip(t.source, t.start, t.end, t.lemma, strict=True)
    ]


def test_blob_round_trip() -> None:
    start = np.array([0, 5, 70_000, 70_010], dtype=np.int64)
    end = np.array([4, 9, 70_003, 70_300], dtype=np.int64)
    lemma = np.array([1, 0, 1, 2], dtype=np.int64)
    for vocab in (["a", "b", "ç"], [f"w{k}" for k in range(70_000)]):
        s, e, ids, v = decode(encode(start, end, lemma, vocab))
        assert s.tolist() == start.tolist() and e.tolist() == end.tolist()
        assert ids.tolist() == lemma.tolist() and v == vocab


def test_cached_equals_fresh_and_is_kept(project: Project) -> None:
    for k, text in enumerate(TEXTS):
        add_source(project, text, f"s{k}")
    corpus = gather(project)
    fresh = tokens(corpus)
    first = cached_tokens(project, corpus)
    assert _words(first) == _words(fresh) and len(fresh.lemma) > 20
    with project.reading() as s:
        assert s.scalar(select(func.count()).select_from(LemmaCache)) == 3
        stored = {r.source_id: r.data for r in s.scalars(select(LemmaCache))}
    again = cached_tokens(project, gather(project))
    assert _words(again) == _words(fresh)
    with project.reading() as s:  # read back, not rewritten
        assert {r.source_id: r.data for r in s.scalars(select(LemmaCache))} == stored
    assert word_frequency(corpus, again, top=10) == word_frequency(corpus, fresh, top=10)
    assert word_frequency(corpus, again, top=10).words  # something was counted
    ours = {v: bool(c) for v, c in zip(first.vocab, first.content, strict=True)}
    theirs = {v: bool(c) for v, c in zip(fresh.vocab, fresh.content, strict=True)}
    assert ours == theirs and not ours["the"] and ours["fan"]


def test_a_changed_text_is_lemmatised_again_and_a_deleted_source_forgotten(
    sqlite_project: Project,
) -> None:
    p = sqlite_project
    a = add_source(p, "Fans answered.", "a")
    b = add_source(p, "Labels pressed vinyl.", "b")
    assert warm_lemmas(p, gather(p)) == 2
    with p.transaction() as s:
        src = s.get_one(Source, a)
        src.text = "Bands toured."
        src.sha256 = text_sha256(src.text)
    words = {w for *_, w in _words(cached_tokens(p, gather(p)))}
    assert {"band", "tour", "label"} <= words and "fan" not in words
    with p.transaction() as s:
        s.delete(s.get_one(Source, b))
    cached_tokens(p, gather(p))
    with p.reading() as s:
        assert list(s.scalars(select(LemmaCache.source_id))) == [a]
