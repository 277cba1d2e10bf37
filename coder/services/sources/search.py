"""Project-wide text search that knows "answering" is a form of "answer".

Researchers look for what people talked about, not for exact spellings, so the query and the
transcripts are compared word by word on their lemmas (spaCy's lookup lemmatizer, through
`coder.suggest.nlp.lemma`). A query of several words matches those lemmas in sequence.

Searching ten million words must not freeze anything and must show the first hits at once,
so the search is a generator that reads a few sources at a time and yields its progress and
the hits found so far; callers may stop early. Each source is first reduced to its distinct
words, which are lemmatised (cached), and only sources holding every query lemma are scanned
word by word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import select

from coder.db.models import Case, Source
from coder.services.project.store import Project
from coder.vocab.dto import SearchHit


@dataclass(frozen=True, slots=True)
class SearchProgress:
    """Sources searched so far, of how many, and the hits found in the last batch."""

    done: int
    total: int
    hits: tuple[SearchHit, ...]


def query_lemmas(query: str) -> tuple[str, ...]:
    """The lemmas a query looks for, in order (spaCy is imported on first use)."""
    from coder.suggest.nlp import lemma, words

    return tuple(lemma(w) for _, _, w in words(query))


def _context(text: str, start: int, end: int, width: int) -> tuple[str, str]:
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    if start - width > 0 and " " in before:
        before = before[before.index(" ") + 1 :]
    if end + width < len(text) and " " in after:
        after = after[: after.rindex(" ")]
    return before, after


def find_in_text(text: str, lemmas: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of `text` whose words have `lemmas` in sequence."""
    from coder.suggest.nlp import WORD, lemma

    if not lemmas:
        return []
    vocab = {w: lemma(w) for w in set(WORD.findall(text.lower()))}
    present = set(vocab.values())
    if any(lem not in present for lem in lemmas):
        return []
    forms = sorted((w for w, lem in vocab.items() if lem == lemmas[0]), key=len, reverse=True)
    first = re.compile(
        r"(?<![^\W_])(?:" + "|".join(map(re.escape, forms)) + r")(?![^\W_'’])", re.IGNORECASE
    )
    out: list[tuple[int, int]] = []
    for m in first.finditer(text):
        end, ok = m.end(), True
        for want in lemmas[1:]:
            nxt = WORD.search(text, end)
            if (
                nxt is None
                or text[end : nxt.start()].strip(" \t,;:-–—\"'“”‘’()")
                or vocab.get(nxt.group().lower()) != want
            ):
                ok = False
                break
            end = nxt.end()
        if ok:
            out.append((m.start(), end))
    return out


def iter_search(
    project: Project,
    query: str,
    *,
    context: int = 70,
    batch: int = 20,
    limit: int = 5000,
) -> Iterator[SearchProgress]:
    """Search every source, yielding progress and new hits after each batch of sources.

    Args:
        project: the open project.
        query: one or more words; each matches any form of the word.
        context: characters of context either side of a hit.
        batch: sources read per database round trip.
        limit: stop after this many hits.
    """
    lemmas = query_lemmas(query)
    with project.reading() as s:
        rows = s.execute(
            select(Source.id, Source.name, Case.name)
            .outerjoin(Case, Case.id == Source.case_id)
            .order_by(Source.name)
        ).all()
    total, found = len(rows), 0
    if not lemmas:
        yield SearchProgress(total, total, ())
        return
    for k in range(0, total, batch):
        chunk = rows[k : k + batch]
        with project.reading() as s:
            texts = {
                sid: text
                for sid, text in s.execute(
                    select(Source.id, Source.text).where(Source.id.in_([r[0] for r in chunk]))
                )
            }
        hits: list[SearchHit] = []
        for sid, name, case_name in chunk:
            text = texts.get(sid, "")
            for start, end in find_in_text(text, lemmas):
                before, after = _context(text, start, end, context)
                hits.append(
                    SearchHit(sid, name, case_name, start, end, before, text[start:end], after)
                )
        found += len(hits)
        if found >= limit:
            yield SearchProgress(total, total, tuple(hits[: len(hits) - (found - limit)]))
            return
        yield SearchProgress(min(k + batch, total), total, tuple(hits))


def search(
    project: Project,
    query: str,
    *,
    context: int = 70,
    limit: int = 5000,
    should_stop: Callable[[], bool] | None = None,
) -> list[SearchHit]:
    """All hits of a lemma-aware search (see `iter_search`), in source order."""
    out: list[SearchHit] = []
    for step in iter_search(project, query, context=context, limit=limit):
        out.extend(step.hits)
        if should_stop is not None and should_stop():
            break
    return out
