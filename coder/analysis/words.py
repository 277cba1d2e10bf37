"""Word frequency and keyword-in-context over pre-lemmatised words.

The caller lemmatises (coder.suggest.lemmas does it with the project's one offline spaCy
pipeline) and hands over flat arrays, so this module stays pure and counting ten million words
is a handful of numpy operations. Stop words (spaCy's list, marked by the caller in `content`)
are never counted; only words inside turns count where a source has turns (speaker labels
and headers are not speech), and interviewer turns are left out unless asked for. Counts can
be restricted to the passages of a code (and the codes below it) and split by a participant
grouping.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from coder.analysis.filters import spoken_keys
from coder.analysis.groups import Bins, group_sources
from coder.analysis.intervals import BoolArray, IntArray, covered
from coder.analysis.records import SHIFT, Corpus, Passage
from coder.errors import UserError


@dataclass(frozen=True)
class Tokens:
    """Every word of the corpus: `source` (index in corpus.sources), `start`, `end` and `lemma`
    (index into `vocab`), sorted by source then start; `content[v]` is False for stop words."""

    vocab: tuple[str, ...]
    content: BoolArray
    source: IntArray
    start: IntArray
    end: IntArray
    lemma: IntArray

    @cached_property
    def keys(self) -> IntArray:
        """Global keys of the words' starts (source index * SHIFT + start), sorted."""
        keys = self.source * SHIFT + self.start
        if len(keys) > 1 and bool((keys[1:] < keys[:-1]).any()):
            raise ValueError("Tokens must be sorted by source, then start")
        return keys


@dataclass(frozen=True, slots=True)
class WordRow:
    word: str
    counts: tuple[int, ...]
    total: int


@dataclass(frozen=True, slots=True)
class WordTable:
    """The most frequent lemmas; `counts` follow `groups` (one group, "all", when ungrouped)."""

    groups: tuple[str, ...]
    words: tuple[WordRow, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "groups": list(self.groups),
            "words": [
                {"word": w.word, "counts": list(w.counts), "total": w.total} for w in self.words
            ],
        }


def _token_mask(
    corpus: Corpus, tokens: Tokens, code: int | None, interviewer: bool, content: bool = True
) -> BoolArray:
    keys = tokens.keys
    keep = tokens.content[tokens.lemma] if content else np.ones(len(keys), dtype=bool)
    keep &= spoken_keys(corpus, keys, interviewer)
    if code is not None:
        arr = corpus.arrays
        rows = np.array([corpus.code_index[c] for c in corpus.descendants(code)], dtype=np.int64)
        sel = np.isin(arr.code, rows)
        keep &= covered(keys, arr.gstart[sel], arr.gend[sel])
    return keep


def word_frequency(
    corpus: Corpus,
    tokens: Tokens,
    code: int | None = None,
    group: str | None = None,
    top: int = 50,
    interviewer: bool = False,
    bins: Bins | None = None,
) -> WordTable:
    """The `top` lemmas by count: everywhere, or within code `code`; by `group` (participant,
    organisation, source or attr:NAME) or overall."""
    if top < 1:
        raise UserError("--top must be at least 1")
    keep = _token_mask(corpus, tokens, code, interviewer)
    lem = tokens.lemma[keep]
    nv = len(tokens.vocab)
    if group is None:
        labels: tuple[str, ...] = ("all",)
        grid = np.bincount(lem, minlength=nv)[None, :]
    else:
        grouping = group_sources(corpus, group, bins)
        labels = grouping.labels
        g = grouping.of_source[tokens.source[keep]]
        grid = np.bincount(g * nv + lem, minlength=len(labels) * nv).reshape(len(labels), nv)
    totals = grid.sum(axis=0)
    n = min(top, int((totals > 0).sum()))
    if n:
        # every lemma tied with the n-th, then ordered by count and word, then cut: ties are
        # broken alphabetically, never by the order argpartition happens to leave
        kth = int(np.partition(totals, len(totals) - n)[len(totals) - n])
        cand = np.flatnonzero(totals >= max(kth, 1))
        words = np.array([tokens.vocab[b] for b in cand])
        best = cand[np.lexsort((words, -totals[cand]))][:n]
    else:
        best = np.zeros(0, dtype=np.int64)
    return WordTable(
        labels,
        tuple(
            WordRow(tokens.vocab[b], tuple(int(x) for x in grid[:, b]), int(totals[b]))
            for b in best.tolist()
        ),
    )


@dataclass(frozen=True, slots=True)
class KwicLine:
    """One occurrence of a word with its context, and the codes of the passages around it."""

    source: str
    source_id: int
    start: int
    end: int
    left: str
    word: str
    right: str
    codes: tuple[str, ...]


def kwic(
    corpus: Corpus,
    tokens: Tokens,
    word: str,
    width: int = 40,
    code: int | None = None,
    interviewer: bool = False,
    limit: int | None = None,
) -> tuple[KwicLine, ...]:
    """Every occurrence of lemma `word` (as given, lower-cased) with `width` characters of
    context each side (line breaks shown as spaces)."""
    target = word.casefold()
    ids = [i for i, v in enumerate(tokens.vocab) if v == target]
    if not ids:
        return ()
    keep = _token_mask(corpus, tokens, code, interviewer, content=False)
    hit = np.flatnonzero(np.isin(tokens.lemma, ids) & keep)
    if limit is not None:
        hit = hit[:limit]
    out = []
    for t in hit.tolist():
        src = corpus.sources[int(tokens.source[t])]
        s, e = int(tokens.start[t]), int(tokens.end[t])
        codes = tuple(
            sorted({corpus.paths[c] for p in passages_at(corpus, src.id, s, e) for c in p.codes})
        )
        out.append(
            KwicLine(
                src.name,
                src.id,
                s,
                e,
                _flat(src.text[max(0, s - width) : s]),
                src.text[s:e],
                _flat(src.text[e : e + width]),
                codes,
            )
        )
    return tuple(out)


def _flat(text: str) -> str:
    return " ".join(text.split("\n"))


def passages_at(corpus: Corpus, source_id: int, start: int, end: int) -> tuple[Passage, ...]:
    """The coded passages overlapping [start, end) of a source (a KWIC line's drill-down)."""
    spans: dict[tuple[int, int], set[int]] = {}
    for c in corpus.codings:
        if c.source == source_id and c.start < end and c.end > start:
            spans.setdefault((c.start, c.end), set()).add(c.code)
    return tuple(
        Passage(source_id, a, b, tuple(sorted(cs))) for (a, b), cs in sorted(spans.items())
    )
