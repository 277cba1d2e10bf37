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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from coder.analysis.filters import spoken_keys
from coder.analysis.groups import Bins, group_sources
from coder.analysis.intervals import BoolArray, IntArray, covered, union
from coder.analysis.records import SHIFT, Corpus, Passage
from coder.errors import UserError

SpeechArray = npt.NDArray[np.uint8]

# Who spoke a word, as the lemma cache keeps it: outside every turn (a speaker label or a
# header), a participant (or anyone, in a source without turns), or the interviewer only.
OUTSIDE, SPOKEN, ASKED = 0, 1, 2


@dataclass(frozen=True)
class Tokens:
    """Every word of the corpus: `source` (index in corpus.sources), `start`, `end` and `lemma`
    (index into `vocab`), sorted by source then start; `content[v]` is False for stop words.
    `speech`, when given (the lemma cache keeps it), is each word's speech class and stands in
    for the corpus's turns."""

    vocab: tuple[str, ...]
    content: BoolArray
    source: IntArray
    start: IntArray
    end: IntArray
    lemma: IntArray
    speech: SpeechArray | None = None

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
    if tokens.speech is not None:
        keep &= (tokens.speech >= SPOKEN) if interviewer else (tokens.speech == SPOKEN)
    else:
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
    return top_words(labels, grid, tokens.vocab, top)


def top_words(
    labels: tuple[str, ...], grid: npt.NDArray[np.int64], vocab: tuple[str, ...], top: int
) -> WordTable:
    """The `top` lemmas of a (groups x lemmas) count grid, most frequent first; ties are
    broken alphabetically, never by the order argpartition happens to leave."""
    totals = grid.sum(axis=0)
    n = min(top, int((totals > 0).sum()))
    if n:
        # every lemma tied with the n-th, then ordered by count and word, then cut
        kth = int(np.partition(totals, len(totals) - n)[len(totals) - n])
        cand = np.flatnonzero(totals >= max(kth, 1))
        words = np.array([vocab[b] for b in cand])
        best = cand[np.lexsort((words, -totals[cand]))][:n]
    else:
        best = np.zeros(0, dtype=np.int64)
    return WordTable(
        labels,
        tuple(
            WordRow(vocab[b], tuple(int(x) for x in grid[:, b]), int(totals[b]))
            for b in best.tolist()
        ),
    )


def frequency_from_counts(
    corpus: Corpus,
    counts: Sequence[tuple[Sequence[str], IntArray] | None],
    group: str | None = None,
    top: int = 50,
    bins: Bins | None = None,
) -> WordTable:
    """`word_frequency` over everything, from per-source counts instead of every word:
    `counts[k]` is source k's content lemmas and how often each was counted (already
    restricted to the speakers wanted), or None for a source with no words."""
    if top < 1:
        raise UserError("--top must be at least 1")
    of_source = np.zeros(len(corpus.sources), dtype=np.int64)
    labels: tuple[str, ...] = ("all",)
    if group is not None:
        grouping = group_sources(corpus, group, bins)
        labels, of_source = grouping.labels, grouping.of_source
    ids: dict[str, int] = {}
    parts_id, parts_n, parts_g = [], [], []
    for k, entry in enumerate(counts):
        if entry is None or not len(entry[0]):
            continue
        words, n = entry
        parts_id.append(np.fromiter((ids.setdefault(w, len(ids)) for w in words), np.int64))
        parts_n.append(n)
        parts_g.append(np.full(len(words), of_source[k], dtype=np.int64))
    nv, ng = len(ids), len(labels)
    if parts_id:
        flat = np.concatenate(parts_g) * nv + np.concatenate(parts_id)
        weights = np.concatenate(parts_n).astype(np.float64)  # exact below 2**53
        grid = np.bincount(flat, weights, ng * nv).round().astype(np.int64).reshape(ng, nv)
    else:
        grid = np.zeros((ng, 0), dtype=np.int64)
    return top_words(labels, grid, tuple(ids), top)


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
    codes_at = _codes_at(corpus, tokens, hit)
    for t, codes in zip(hit.tolist(), codes_at, strict=True):
        src = corpus.sources[int(tokens.source[t])]
        s, e = int(tokens.start[t]), int(tokens.end[t])
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


def _codes_at(corpus: Corpus, tokens: Tokens, hit: IntArray) -> list[tuple[str, ...]]:
    """For each word `hit`, the paths of the codes whose codings overlap it (what
    `passages_at` gives for one), source by source: a study's ten thousand hits each
    compared with their own source's codings, not with every coding of the study."""
    arr = corpus.arrays
    order = np.argsort(arr.src, kind="stable")
    bounds = np.searchsorted(arr.src[order], np.arange(len(corpus.sources) + 1))
    paths = [corpus.paths[c.id] for c in corpus.tree_order]
    out: list[tuple[str, ...]] = []
    for t in hit.tolist():
        k = int(tokens.source[t])
        rows = order[bounds[k] : bounds[k + 1]]
        s, e = tokens.start[t], tokens.end[t]
        inside = rows[(arr.start[rows] < e) & (arr.end[rows] > s)]
        out.append(tuple(sorted({paths[c] for c in arr.code[inside].tolist()})))
    return out


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


def counts_in_spans(
    start: IntArray,
    lemma: npt.NDArray[np.unsignedinteger[Any]] | IntArray,
    speech: SpeechArray,
    content: int,
    spans: tuple[IntArray, IntArray],
    interviewer: bool = False,
) -> IntArray:
    """One source's count of each content lemma (ids below `content`) among the words that
    start inside the spans (start, end) and were said by the speakers wanted: what
    `word_frequency` counts within a code, for one source."""
    keep = (lemma < content) & ((speech >= SPOKEN) if interviewer else (speech == SPOKEN))
    keep &= covered(start, spans[0], spans[1])
    return np.bincount(lemma[keep], minlength=content)[:content].astype(np.int64)


def speech_classes(starts: IntArray, turns: Sequence[tuple[int, int, bool]]) -> SpeechArray:
    """Each word's speech class from its start (sorted) and the source's turns as (start, end,
    by the interviewer): the rule of `spoken_keys`, worked out once per source text."""
    return speech_classifier(turns)(starts)


def speech_classifier(
    turns: Sequence[tuple[int, int, bool]],
) -> Callable[[IntArray], SpeechArray]:
    """`speech_classes` for one source's turns, as a function of word starts (sorted) that can
    be called on the words of one piece of the text at a time, the turns read once."""
    kept = [(a, b, i) for a, b, i in turns if b > a]
    spans = []
    for who, cls in ((True, ASKED), (False, SPOKEN)):  # a participant's turn wins: last
        a = np.array([t[0] for t in kept if t[2] is who], dtype=np.int64)
        b = np.array([t[1] for t in kept if t[2] is who], dtype=np.int64)
        if len(a):
            spans.append((cls, *union(a, b)))

    def classes(starts: IntArray) -> SpeechArray:
        if not kept:
            return np.full(len(starts), SPOKEN, dtype=np.uint8)
        out = np.full(len(starts), OUTSIDE, dtype=np.uint8)
        if not len(starts):
            return out
        for cls, a, b in spans:  # disjoint and sorted: only those reaching these words
            lo = int(np.searchsorted(b, starts[0], "right"))
            hi = int(np.searchsorted(a, starts[-1], "right"))
            out[covered(starts, a[lo:hi], b[lo:hi])] = cls
        return out

    return classes
