"""Code co-occurrence: which codes meet in the same passages, turns, paragraphs or nearby.

Each code's passages are its own distinct coded spans (a span two coders coded once).
For codes A and B:
- `count` is the number of pairs (a passage of A, a passage of B) that meet: overlap, share a
  turn, share a paragraph, or lie within N words of each other (`near:N`; N words between them
  at most).
- `jaccard` is the share of the two codes' passages that meet a passage of the other code:
  (A passages meeting B + B passages meeting A) / (A passages + B passages); 1 when every
  passage of each has the other code with it, 0 when they never meet.
The diagonal holds each code's passage count and a Jaccard of 1 (0 for an unused code).
`drill` gives the meeting pairs of one cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from coder.analysis.intervals import IntArray, distinct, first_of_each, meeting_pairs
from coder.analysis.records import Corpus, Passage
from coder.analysis.units import parse_unit, unit_intervals


@dataclass(frozen=True, slots=True)
class Cooccurrence:
    """Codes (paths, tree order) and the square count and Jaccard tables."""

    by: str
    code_ids: tuple[int, ...]
    codes: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    jaccard: tuple[tuple[float, ...], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "codes": list(self.codes),
            "counts": [list(r) for r in self.counts],
            "jaccard": [list(r) for r in self.jaccard],
        }


@dataclass(frozen=True, slots=True)
class _Passages:
    code: IntArray  # code row
    passage: IntArray
    src: IntArray
    start: IntArray
    end: IntArray
    gstart: IntArray
    gend: IntArray


def _passages(corpus: Corpus, rows: IntArray | None = None) -> _Passages:
    arr = corpus.arrays
    keep = np.ones(len(arr.code), dtype=bool) if rows is None else np.isin(arr.code, rows)
    idx = np.flatnonzero(keep)
    if len(idx):
        idx = idx[
            first_of_each(arr.code[idx] * np.int64(int(arr.passage.max()) + 1) + arr.passage[idx])
        ]
    return _Passages(
        arr.code[idx],
        arr.passage[idx],
        arr.src[idx],
        arr.start[idx],
        arr.end[idx],
        arr.gstart[idx],
        arr.gend[idx],
    )


def _pairs(corpus: Corpus, p: _Passages, by: str) -> tuple[IntArray, IntArray]:
    unit, near = parse_unit(by)
    s, e, gap = unit_intervals(corpus, unit, p.src, p.gstart, p.gend, near)
    i, j = meeting_pairs(s, e, gap)
    other = p.code[i] != p.code[j]
    return i[other], j[other]


def cooccur(corpus: Corpus, by: str = "overlap") -> Cooccurrence:
    """The co-occurrence tables of every code against every code."""
    p = _passages(corpus)
    i, j = _pairs(corpus, p, by)
    k = len(corpus.tree_order)
    ci, cj = p.code[i], p.code[j]
    counts = np.bincount(ci * k + cj, minlength=k * k) + np.bincount(cj * k + ci, minlength=k * k)
    counts = counts.reshape(k, k)
    n = np.bincount(p.code, minlength=k)
    np.fill_diagonal(counts, n)
    # passages of each code meeting each other code, each passage once per other code
    meet = distinct(np.concatenate([i * k + cj, j * k + ci]))
    met = np.bincount(p.code[meet // k] * k + meet % k, minlength=k * k).reshape(k, k)
    both = met + met.T
    denom = n[:, None] + n[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = np.where(denom > 0, both / np.maximum(denom, 1), 0.0)
    np.fill_diagonal(jac, (n > 0).astype(float))
    jac = np.round(jac, 4)
    return Cooccurrence(
        by=by,
        code_ids=tuple(c.id for c in corpus.tree_order),
        codes=tuple(corpus.paths[c.id] for c in corpus.tree_order),
        counts=tuple(tuple(int(x) for x in row) for row in counts),
        jaccard=tuple(tuple(float(x) for x in row) for row in jac),
    )


def drill(
    corpus: Corpus, a: int, b: int, by: str = "overlap"
) -> tuple[tuple[Passage, Passage], ...]:
    """The meeting pairs (passage of code `a`, passage of code `b`) one cell counts."""
    rows = np.array([corpus.code_index[a], corpus.code_index[b]], dtype=np.int64)
    p = _passages(corpus, rows)
    i, j = _pairs(corpus, p, by)
    src_ids = [s.id for s in corpus.sources]
    out = []
    for x, y in zip(i.tolist(), j.tolist(), strict=True):
        if p.code[x] != rows[0]:
            x, y = y, x
        pa = Passage(src_ids[p.src[x]], int(p.start[x]), int(p.end[x]), (a,))
        pb = Passage(src_ids[p.src[y]], int(p.start[y]), int(p.end[y]), (b,))
        out.append((pa, pb))
    order = corpus.source_index
    return tuple(
        sorted(out, key=lambda t: (order[t[0].source], t[0].start, t[0].end, t[1].start, t[1].end))
    )
