"""The plain records analysis works on, and the arrays built from them once.

The services gather these from the database; tests and benchmarks build them by hand. Keeping
analysis on plain records means every statistic can be checked without a project, and the same
numbers feed the CLI, the TUI and the exports. `Corpus` holds the records and derives, lazily
and once, the numpy arrays that make the matrix, co-occurrence and queries fast on 200,000
codings: one row per coding, offsets made global by a per-source key so a single sorted array
serves every source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np
import numpy.typing as npt

from coder.errors import UserError

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
AttrValue = str | int | float | date | None

# Offsets of different sources never meet: each source's positions are shifted by its index
# times SHIFT (sources are far shorter than 2**32 characters or words).
SHIFT = np.int64(1 << 32)
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class CodeRec:
    """A code of the tree: `parent` is None for a top-level theme."""

    id: int
    guid: str
    name: str
    parent: int | None = None


@dataclass(frozen=True, slots=True)
class SourceRec:
    """A transcript with who it belongs to. `attributes` are the participant's (and, where the
    participant has none of that name, the organisation's) typed values. `word_starts` and
    `word_ends`, when given, replace tokenising `text` (benchmarks, or a cached index)."""

    id: int
    name: str
    text: str = ""
    participant: str | None = None
    organisation: str | None = None
    attributes: Mapping[str, AttrValue] = field(default_factory=dict)
    word_starts: tuple[int, ...] | None = None
    word_ends: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class CodingRec:
    """A code applied to [start, end) of a source by a coder."""

    source: int
    start: int
    end: int
    code: int
    coder: str = ""


@dataclass(frozen=True, slots=True)
class TurnRec:
    """A speaker turn [start, end) of a source."""

    source: int
    start: int
    end: int
    speaker: str | None = None
    is_interviewer: bool = False


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage of a result: a span of a source and the codes (ids) that put it there."""

    source: int
    start: int
    end: int
    codes: tuple[int, ...]


def merge_intervals(
    starts: IntArray, ends: IntArray, groups: IntArray | None = None
) -> tuple[IntArray, IntArray, IntArray]:
    """Union of intervals [starts, ends) within each group: (group, start, end), sorted.

    Vectorised: sort, running maximum of the ends (reset per group by an offset), and a new
    interval wherever a start lies beyond every end seen before it.
    """
    if groups is None:
        groups = np.zeros(len(starts), dtype=np.int64)
    if len(starts) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    order = np.lexsort((starts, groups))
    g, s, e = groups[order], starts[order], ends[order]
    # Ranks instead of raw keys, so that a per-group offset cannot overflow.
    values, inverse = np.unique(np.concatenate([s, e]), return_inverse=True)
    rs, re_ = inverse[: len(s)].astype(np.int64), inverse[len(s) :].astype(np.int64)
    _, grank = np.unique(g, return_inverse=True)
    base = grank.astype(np.int64) * np.int64(len(values) + 1)
    run = np.maximum.accumulate(re_ + base)
    new = np.ones(len(s), dtype=bool)
    new[1:] = (g[1:] != g[:-1]) | (rs[1:] + base[1:] > run[:-1])
    idx = np.flatnonzero(new)
    out_e = np.maximum.reduceat(e, idx)
    return g[idx], s[idx], out_e


def meeting_pairs(starts: IntArray, ends: IntArray, gap: int) -> tuple[IntArray, IntArray]:
    """Every unordered pair (i, j) of intervals with max(s) - min(e) < gap, i.e. overlapping
    when gap is 0 and at most gap - 1 units apart otherwise. Indices refer to the inputs."""
    n = len(starts)
    if n < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    order = np.argsort(starts, kind="stable")
    s, e = starts[order], ends[order]
    hi = np.searchsorted(s, e + (gap - 1), side="right")
    pos = np.arange(n)
    counts = np.maximum(hi - pos - 1, 0)
    total = int(counts.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    i = np.repeat(pos, counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    j = i + 1 + (np.arange(total) - first)
    return order[i].astype(np.int64), order[j].astype(np.int64)


@dataclass(frozen=True)
class Corpus:
    """Everything analysis reads: the code tree, sources, codings and turns."""

    codes: Sequence[CodeRec]
    sources: Sequence[SourceRec]
    codings: Sequence[CodingRec]
    turns: Sequence[TurnRec] = ()

    # -- the code tree ---------------------------------------------------------------------
    @cached_property
    def code_index(self) -> dict[int, int]:
        """Code id -> row index, in tree order (parents before children, siblings as given)."""
        return {c.id: i for i, c in enumerate(self.tree_order)}

    @cached_property
    def tree_order(self) -> tuple[CodeRec, ...]:
        children: dict[int | None, list[CodeRec]] = {}
        known = {c.id for c in self.codes}
        for c in self.codes:
            children.setdefault(c.parent if c.parent in known else None, []).append(c)
        out: list[CodeRec] = []
        stack = list(reversed(children.get(None, [])))
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(reversed(children.get(c.id, [])))
        return tuple(out)

    @cached_property
    def paths(self) -> dict[int, str]:
        """Code id -> "Theme/Sub-code" path."""
        by_id = {c.id: c for c in self.codes}
        out: dict[int, str] = {}
        for c in self.tree_order:
            p = by_id.get(c.parent) if c.parent is not None else None
            out[c.id] = f"{out[p.id]}/{c.name}" if p is not None else c.name
        return out

    @cached_property
    def ancestors(self) -> npt.NDArray[np.int64]:
        """[code row, depth] -> row of that code's ancestor-or-self at each level, -1 padded:
        column 0 is the code itself, then its parent, and so on."""
        by_id = {c.id: c for c in self.codes}
        chains: list[list[int]] = []
        for c in self.tree_order:
            chain = [self.code_index[c.id]]
            p = c.parent
            while p is not None and p in by_id:
                chain.append(self.code_index[p])
                p = by_id[p].parent
            chains.append(chain)
        depth = max((len(ch) for ch in chains), default=1)
        out = np.full((len(chains), depth), -1, dtype=np.int64)
        for r, ch in enumerate(chains):
            out[r, : len(ch)] = ch
        return out

    def find_code(self, ref: str) -> int:
        """The id of a code named by its path ("Theme/Sub") or, if unique, its name."""
        for cid, path in self.paths.items():
            if path == ref:
                return cid
        named = [c.id for c in self.codes if c.name == ref]
        if len(named) == 1:
            return named[0]
        if named:
            raise UserError(f"code name {ref!r} is ambiguous: give its path, as Theme/Code")
        raise UserError(f"no code named {ref!r}")

    def descendants(self, code_id: int) -> frozenset[int]:
        """The code and every code below it (ids)."""
        row = self.code_index[code_id]
        hit = (self.ancestors == row).any(axis=1)
        return frozenset(self.tree_order[r].id for r in np.flatnonzero(hit))

    # -- sources ---------------------------------------------------------------------------
    @cached_property
    def source_index(self) -> dict[int, int]:
        return {s.id: i for i, s in enumerate(self.sources)}

    @cached_property
    def _words(self) -> tuple[tuple[IntArray, IntArray], ...]:
        out = []
        for s in self.sources:
            if s.word_starts is not None:
                starts = np.asarray(s.word_starts, dtype=np.int64)
                ends = (
                    np.asarray(s.word_ends, dtype=np.int64)
                    if s.word_ends is not None
                    else starts + 1
                )
            else:
                found = [(m.start(), m.end()) for m in WORD.finditer(s.text)]
                arr = np.array(found, dtype=np.int64).reshape(-1, 2)
                starts, ends = arr[:, 0].copy(), arr[:, 1].copy()
            out.append((starts, ends))
        return tuple(out)

    @cached_property
    def word_starts(self) -> tuple[IntArray, ...]:
        """Per source (in `sources` order): the offset where each word starts."""
        return tuple(w[0] for w in self._words)

    @cached_property
    def word_end_keys(self) -> IntArray:
        """All word ends as global keys, in word order."""
        parts = [w[1] + np.int64(i) * SHIFT for i, w in enumerate(self._words)]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    @cached_property
    def word_keys(self) -> IntArray:
        """All word starts as global keys (source index * SHIFT + offset), sorted."""
        parts = [w + np.int64(i) * SHIFT for i, w in enumerate(self.word_starts)]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    @cached_property
    def source_words(self) -> IntArray:
        """Words per source (in `sources` order)."""
        return np.array([len(w) for w in self.word_starts], dtype=np.int64)

    @cached_property
    def first_word(self) -> IntArray:
        """Global index of each source's first word."""
        return np.concatenate([[0], np.cumsum(self.source_words)[:-1]]).astype(np.int64)

    # -- codings as arrays -----------------------------------------------------------------
    @cached_property
    def arrays(self) -> CodingArrays:
        return CodingArrays.build(self)

    def words_in(self, keys_start: IntArray, keys_end: IntArray) -> IntArray:
        """Words starting inside each global span [start, end)."""
        w = self.word_keys
        return np.searchsorted(w, keys_end, "left") - np.searchsorted(w, keys_start, "left")

    def word_span(self, src: IntArray, keys_start: IntArray, keys_end: IntArray) -> IntArray:
        """Per span, (first word, end word) as source-local word indices packed as keys:
        returns an (n, 2) array of global keys src * SHIFT + local word index."""
        # the first word ending after the start (a span starting inside a word counts it),
        # and the end: words starting before the span ends
        ws = np.searchsorted(self.word_end_keys, keys_start, "right")
        we = np.searchsorted(self.word_keys, keys_end, "left")
        base = self.first_word[src]
        return np.stack([src * SHIFT + (ws - base), src * SHIFT + (we - base)], axis=1)


@dataclass(frozen=True)
class CodingArrays:
    """One row per coding: source index, global start/end keys, code row, coder index,
    and the passage id (one per distinct source+span)."""

    src: IntArray
    start: IntArray
    end: IntArray
    gstart: IntArray
    gend: IntArray
    code: IntArray
    coder: IntArray
    coders: tuple[str, ...]
    passage: IntArray

    @staticmethod
    def build(corpus: Corpus) -> CodingArrays:
        sidx, cidx = corpus.source_index, corpus.code_index
        kept = [c for c in corpus.codings if c.source in sidx and c.code in cidx]
        coders = tuple(sorted({c.coder for c in kept}))
        coder_idx = {n: i for i, n in enumerate(coders)}
        src = np.fromiter((sidx[c.source] for c in kept), np.int64, len(kept))
        start = np.fromiter((c.start for c in kept), np.int64, len(kept))
        end = np.fromiter((c.end for c in kept), np.int64, len(kept))
        code = np.fromiter((cidx[c.code] for c in kept), np.int64, len(kept))
        coder = np.fromiter((coder_idx[c.coder] for c in kept), np.int64, len(kept))
        gstart, gend = src * SHIFT + start, src * SHIFT + end
        if len(kept):
            pairs = np.stack([gstart, gend], axis=1)
            _, passage = np.unique(pairs, axis=0, return_inverse=True)
            passage = passage.reshape(-1).astype(np.int64)
        else:
            passage = np.zeros(0, dtype=np.int64)
        return CodingArrays(src, start, end, gstart, gend, code, coder, coders, passage)
