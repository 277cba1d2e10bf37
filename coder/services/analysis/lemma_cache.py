"""Each source's words and lemmas, kept in the project so word frequency need not lemmatise.

Lemmatising ten million words takes most of a minute; reading the counts back takes a fraction
of a second. Importing transcripts or survey answers stores a source's blob
(coder.services.analysis.lemma_blob) in the transaction that stores its text and turns
(`store_lemmas`, called by `insert_turns`), so a study is ready for word frequency as soon as it
is imported. Rows are keyed by the source's text hash (`Source.sha256`): a source whose text
differs from what was cached, a project from before this format, or one whose cache was never
filled (a whole project imported from a .qdpx, where lemmatising would be most of the import's
time) is lemmatised on first use (`fresh_blobs`), and a deleted source takes its cache row
with it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import cast

import numpy as np
from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from coder.analysis.records import Corpus
from coder.analysis.words import Tokens
from coder.db.models import LemmaCache, Source, Turn
from coder.services.analysis.lemma_blob import (
    TurnSpec,
    build,
    is_current,
    read_words,
    word_count,
)
from coder.services.project.store import Project
from coder.vocab.turns import is_interviewer

CHUNK = 500  # ids per IN (...) list: well inside every database's limit on parameters


def store_lemmas(
    s: Session,
    source_id: int,
    text: str,
    digest: str,
    turns: Sequence[TurnSpec],
    replace: bool = False,
) -> bytes:
    """Lemmatise one source and store its cache row (replacing the one there with
    `replace`), in the caller's transaction; returns the blob stored. Core statements: an
    import stores thousands of these, and the ORM's per-row work would cost more than them."""
    data, n = build(text, turns)
    table = cast(Table, LemmaCache.__table__)
    if replace:
        s.connection().execute(delete(table).where(table.c.source_id == source_id))
    row = {"source_id": source_id, "text_sha256": digest, "words": n, "data": data}
    s.connection().execute(insert(table), [row])
    return data


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def fresh_blobs(project: Project, source_ids: Sequence[int]) -> dict[int, bytes]:
    """Cache blobs by source id, lemmatising and storing first the sources that have none,
    an outdated one, or one made from another text."""
    wanted = set(source_ids)
    with project.reading() as s:
        digests = {
            sid: digest
            for sid, digest in s.execute(select(Source.id, Source.sha256))
            if sid in wanted
        }
        blobs = {
            sid: data
            for sid, digest, data in s.execute(
                select(LemmaCache.source_id, LemmaCache.text_sha256, LemmaCache.data)
            )
            if digests.get(sid) == digest and is_current(data)
        }
    stale = [sid for sid in source_ids if sid in digests and sid not in blobs]
    if stale:
        with project.transaction() as s:
            for part in _chunks(stale):
                turns: dict[int, list[TurnSpec]] = {}
                for sid, a, b, who in s.execute(
                    select(Turn.source_id, Turn.start, Turn.end, Turn.speaker).where(
                        Turn.source_id.in_(part)
                    )
                ):
                    turns.setdefault(sid, []).append((a, b, is_interviewer(who)))
                texts = s.execute(select(Source.id, Source.text).where(Source.id.in_(part)))
                for sid, text in texts.all():
                    blobs[sid] = store_lemmas(s, sid, text, digests[sid], turns.get(sid, []), True)
    return blobs


def warm_lemmas(project: Project, corpus: Corpus) -> int:
    """Lemmatise and store every source the cache lacks; returns how many sources it holds."""
    return len(fresh_blobs(project, [src.id for src in corpus.sources]))


def cached_tokens(project: Project, corpus: Corpus, only: Collection[int] | None = None) -> Tokens:
    """Every word of the corpus's sources (or of those with ids in `only`) with its lemma and
    speech class, from the cache (filled as needed), the sources' lemma lists merged into one.

    The corpus-wide arrays are allocated once and each source's words unpacked into its slice
    (steps of a few ten thousand words rather than passes over ten million)."""
    wanted = [src.id for src in corpus.sources if only is None or src.id in only]
    blobs = fresh_blobs(project, wanted)
    held = [(k, blobs[src.id]) for k, src in enumerate(corpus.sources) if src.id in blobs]
    total = sum(word_count(data) for _, data in held)
    source, start, end, lemma = (np.empty(total, dtype=np.int64) for _ in range(4))
    speech = np.empty(total, dtype=np.uint8)
    ids: dict[str, int] = {}
    content: list[bool] = []
    a = 0
    for k, data in held:
        w = read_words(data)
        b = a + len(w.gaps)
        for i, v in enumerate(w.vocab):
            if v not in ids:
                ids[v] = len(ids)
                content.append(i < w.content)
        mapping = np.fromiter((ids[v] for v in w.vocab), np.int64, len(w.vocab))
        if b > a:
            np.take(mapping, w.lemma, out=lemma[a:b])
        w.offsets_into(start[a:b], end[a:b])
        source[a:b], speech[a:b] = k, w.speech
        a = b
    return Tokens(tuple(ids), np.array(content, dtype=bool), source, start, end, lemma, speech)
