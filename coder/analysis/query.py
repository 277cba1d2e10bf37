"""Coding queries: boolean expressions over codes, evaluated over coded spans.

- `"A"`: the passages coded A or any code below A (one passage per distinct span).
- `X AND Y`: where a passage of X and one of Y overlap, their overlap.
- `X AND NOT Y`: the passages of X that overlap no passage of Y.
- `X OR Y`: the passages of either.
- `X NEAR/N Y`: a passage of X and one of Y at most N words apart (0: touching or
  overlapping), as one passage from the first start to the last end.
- `X FOLLOWED BY Y`: Y starts at or after the end of X, in the same turn (a paragraph where a
  source has no turns); `FOLLOWED BY/N`: at most N words after it instead.
Filters (attributes, speaker, coder) choose the codings before anything is combined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from coder.analysis.filters import Where, coding_mask
from coder.analysis.intervals import BoolArray, IntArray, meeting_pairs, pair_ids
from coder.analysis.query_parse import Binary, CodeRef, Node, Not, fail, parse
from coder.analysis.records import SHIFT, Corpus
from coder.analysis.units import unit_intervals
from coder.errors import UserError
from coder.vocab.dto import CodedPassage


@dataclass(frozen=True, slots=True)
class Hit(CodedPassage):
    """A passage the query found (source name, span, its text and the codes), and the id of
    its source."""

    source_id: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "codes": list(self.codes),
        }


Bits = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class _Spans:
    """Passages as arrays: source index, global start/end keys, and each passage's codes as
    a row of bits (code row k is bit k, as np.packbits lays them out), so that combining
    passages is a vectorised OR, not a loop over Python sets."""

    src: IntArray
    gs: IntArray
    ge: IntArray
    codes: Bits

    @staticmethod
    def make(src: IntArray, gs: IntArray, ge: IntArray, codes: Bits) -> _Spans:
        """Distinct spans, sorted, codes merged."""
        if len(gs) == 0:
            e = np.zeros(0, dtype=np.int64)
            return _Spans(e, e, e, codes[:0])
        first, inv = pair_ids(gs, ge)
        order = np.argsort(inv, kind="stable")
        starts = np.flatnonzero(np.diff(inv[order], prepend=-1))
        merged = np.bitwise_or.reduceat(codes[order], starts, axis=0)
        return _Spans(src[first], gs[first], ge[first], merged)


class _Evaluator:
    def __init__(self, corpus: Corpus, expr: str, mask: BoolArray) -> None:
        self.corpus = corpus
        self.expr = expr
        self.mask = mask

    def eval(self, node: Node) -> _Spans:
        if isinstance(node, CodeRef):
            return self.leaf(node)
        if isinstance(node, Not):
            raise fail(
                self.expr, node.pos, 'NOT only removes from something: write "A" AND NOT "B"'
            )
        if node.op == "AND":
            if isinstance(node.right, Not) and isinstance(node.left, Not):
                raise fail(self.expr, node.pos, "both sides of AND are negated")
            if isinstance(node.right, Not):
                return self.without(self.eval(node.left), self.eval(node.right.inner))
            if isinstance(node.left, Not):
                return self.without(self.eval(node.right), self.eval(node.left.inner))
            return self.both(self.eval(node.left), self.eval(node.right))
        left, right = self.eval(node.left), self.eval(node.right)
        if node.op == "OR":
            return _Spans.make(
                np.concatenate([left.src, right.src]),
                np.concatenate([left.gs, right.gs]),
                np.concatenate([left.ge, right.ge]),
                np.concatenate([left.codes, right.codes]),
            )
        return self.sequence(left, right, node)

    def leaf(self, node: CodeRef) -> _Spans:
        try:
            code_id = self.corpus.find_code(node.ref)
        except UserError as exc:
            raise fail(self.expr, node.pos, str(exc)) from None
        arr = self.corpus.arrays
        rows = np.array(
            [self.corpus.code_index[c] for c in self.corpus.descendants(code_id)], dtype=np.int64
        )
        idx = np.flatnonzero(np.isin(arr.code, rows) & self.mask)
        width = (len(self.corpus.tree_order) + 7) // 8
        bits = np.zeros((len(idx), width), dtype=np.uint8)
        code = arr.code[idx]
        bits[np.arange(len(idx)), code // 8] = (128 >> (code % 8)).astype(np.uint8)
        return _Spans.make(arr.src[idx], arr.gstart[idx], arr.gend[idx], bits)

    def cross(self, a: _Spans, b: _Spans, unit: str, near: int = 0) -> tuple[IntArray, IntArray]:
        """Pairs (index in a, index in b) that meet in `unit`."""
        src = np.concatenate([a.src, b.src])
        gs, ge = np.concatenate([a.gs, b.gs]), np.concatenate([a.ge, b.ge])
        s, e, gap = unit_intervals(self.corpus, unit, src, gs, ge, near)
        i, j = meeting_pairs(s, e, gap)
        na = len(a.gs)
        cross = (i < na) != (j < na)
        i, j = i[cross], j[cross]
        ia, ib = np.where(i < na, i, j), np.where(i < na, j, i) - na
        return ia, ib

    def both(self, a: _Spans, b: _Spans) -> _Spans:
        ia, ib = self.cross(a, b, "overlap")
        return _Spans.make(
            a.src[ia],
            np.maximum(a.gs[ia], b.gs[ib]),
            np.minimum(a.ge[ia], b.ge[ib]),
            a.codes[ia] | b.codes[ib],
        )

    def without(self, a: _Spans, b: _Spans) -> _Spans:
        ia, _ = self.cross(a, b, "overlap")
        keep = np.ones(len(a.gs), dtype=bool)
        keep[ia] = False
        k = np.flatnonzero(keep)
        return _Spans(a.src[k], a.gs[k], a.ge[k], a.codes[k])

    def sequence(self, a: _Spans, b: _Spans, node: Binary) -> _Spans:
        if node.op == "NEAR":
            ia, ib = self.cross(a, b, "near", node.n or 0)
        elif node.n is None:
            ia, ib = self.cross(a, b, "turn")
        else:
            ia, ib = self.cross(a, b, "near", node.n)
        if node.op == "FOLLOWED":
            after = b.gs[ib] >= a.ge[ia]
            ia, ib = ia[after], ib[after]
        return _Spans.make(
            a.src[ia],
            np.minimum(a.gs[ia], b.gs[ib]),
            np.maximum(a.ge[ia], b.ge[ib]),
            a.codes[ia] | b.codes[ib],
        )


def run_query(
    corpus: Corpus,
    expr: str,
    where: Sequence[Where] = (),
    speaker: str = "participants",
    coders: Sequence[str] | None = None,
) -> tuple[Hit, ...]:
    """The passages `expr` finds, in source order then by position."""
    tree = parse(expr)
    mask = coding_mask(corpus, where, speaker, coders)
    spans = _Evaluator(corpus, expr, mask).eval(tree)
    k = len(corpus.tree_order)
    flags = np.unpackbits(spans.codes, axis=1, count=k).astype(bool) if len(spans.gs) else None
    paths = [corpus.paths[c.id] for c in corpus.tree_order]
    starts = (spans.gs - spans.src * SHIFT).tolist()
    ends = (spans.ge - spans.src * SHIFT).tolist()
    out = []
    for n, (s, start, end) in enumerate(zip(spans.src.tolist(), starts, ends, strict=True)):
        src = corpus.sources[s]
        assert flags is not None
        codes = tuple(sorted(paths[c] for c in np.flatnonzero(flags[n]).tolist()))
        out.append(Hit(src.name, start, end, src.text[start:end], codes, src.id))
    return tuple(out)
