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

from coder.analysis.intervals import BoolArray, IntArray, distinct, pair_ids, search
from coder.errors import UserError

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
    attributes: Mapping[str, AttrValue] = field(default_factory=dict, hash=False)
    word_starts: tuple[int, ...] | IntArray | None = field(default=None, hash=False, compare=False)
    word_ends: tuple[int, ...] | IntArray | None = field(default=None, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class SpanRec:
    """[start, end) of a source (code points): where codings, turns and passages lie."""

    source: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CodingRec(SpanRec):
    """A code applied to [start, end) of a source by a coder."""

    code: int
    coder: str = ""


@dataclass(frozen=True, slots=True)
class TurnRec(SpanRec):
    """A speaker turn [start, end) of a source."""

    speaker: str | None = None
    is_interviewer: bool = False
    position: int = 0
    timestamp: float | None = None


@dataclass(frozen=True, slots=True)
class Passage(SpanRec):
    """A passage of a result: a span of a source and the codes (ids) that put it there."""

    codes: tuple[int, ...]


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

    # -- turns and paragraphs ------------------------------------------------------------
    @cached_property
    def turn_arrays(self) -> TurnArrays:
        """The turns (of known sources, not empty) as arrays."""
        sidx = self.source_index
        kept = [t for t in self.turns if t.source in sidx and t.end > t.start]
        src = np.fromiter((sidx[t.source] for t in kept), np.int64, len(kept))
        start = np.fromiter((t.start for t in kept), np.int64, len(kept))
        end = np.fromiter((t.end for t in kept), np.int64, len(kept))
        who = np.fromiter((t.is_interviewer for t in kept), bool, len(kept))
        return TurnArrays(src, src * SHIFT + start, src * SHIFT + end, who)

    @cached_property
    def paragraph_bounds(self) -> IntArray:
        """Global keys where a paragraph (a line of text) begins."""
        parts = []
        for i, s in enumerate(self.sources):
            nl = np.frombuffer(s.text.encode("utf-32-le"), dtype=np.uint32) == 10
            starts = np.concatenate([[0], np.flatnonzero(nl) + 1]).astype(np.int64)
            parts.append(starts + np.int64(i) * SHIFT)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    @cached_property
    def turn_bounds(self) -> IntArray:
        """Global keys where a turn begins; a source without turns is cut at its lines."""
        ta = self.turn_arrays
        keys = ta.gstart
        with_turns = np.zeros(len(self.sources), dtype=bool)
        with_turns[np.unique(keys // SHIFT)] = True
        starts = np.flatnonzero(with_turns).astype(np.int64) * SHIFT  # each source's offset 0
        paras = self.paragraph_bounds
        lines = paras[~with_turns[paras // SHIFT]]
        return distinct(np.concatenate([keys, starts, lines]))

    # -- codings as arrays -----------------------------------------------------------------
    @cached_property
    def arrays(self) -> CodingArrays:
        return CodingArrays.build(self)

    @cached_property
    def coding_words(self) -> tuple[IntArray, IntArray]:
        """Per coding, the global indices [first, end) of the words starting inside it."""
        arr = self.arrays
        w = self.word_keys
        return search(w, arr.gstart, "left"), search(w, arr.gend, "left")

    def word_span(self, src: IntArray, keys_start: IntArray, keys_end: IntArray) -> IntArray:
        """Per span, (first word, end word) as source-local word indices packed as keys:
        returns an (n, 2) array of global keys src * SHIFT + local word index."""
        # the first word ending after the start (a span starting inside a word counts it),
        # and the end: words starting before the span ends
        ws = search(self.word_end_keys, keys_start, "right")
        we = search(self.word_keys, keys_end, "left")
        base = self.first_word[src]
        return np.stack([src * SHIFT + (ws - base), src * SHIFT + (we - base)], axis=1)


@dataclass(frozen=True)
class TurnArrays:
    """One row per turn: source index, global start/end keys, whether the interviewer's."""

    src: IntArray
    gstart: IntArray
    gend: IntArray
    interviewer: BoolArray


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
        passage = pair_ids(gstart, gend)[1]
        return CodingArrays(src, start, end, gstart, gend, code, coder, coders, passage)
