"""The code matrix: codes (as a tree) against participants, organisations, sources, coders or
attribute groups, the way NVivo's matrix coding query and MAXQDA's code matrix browser work.

A theme's row counts what is coded to it or to any code below it, each passage (a distinct
source span) or participant once, so a theme is never the sum of double-counted children.
Cells count passages, participants, words coded (a word counts when it starts inside the
union of the coded spans, so overlapping codings are not counted twice) or the percentage of
the column's words that is coded (of every word, for a coder's column).
Every cell drills down, with `drill`, to exactly the passages it counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from coder.analysis.groups import Bins, group_sources, parse_by
from coder.analysis.intervals import IntArray, union_length
from coder.analysis.records import Corpus, Passage
from coder.errors import UserError

CellKind = Literal["passages", "participants", "words", "percent"]
CELL_KINDS: tuple[str, ...] = ("passages", "participants", "words", "percent")


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One code's row: `cells` follow the matrix's `cols`."""

    code_id: int
    code: str
    guid: str
    path: str
    depth: int
    cells: tuple[float, ...]
    total: float


@dataclass(frozen=True, slots=True)
class Matrix:
    """The result: columns, one row per code in tree order, column totals and the grand total."""

    by: str
    cell: str
    cols: tuple[str, ...]
    rows: tuple[MatrixRow, ...]
    totals: tuple[float, ...]
    total: float

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape: {"cols", "rows": [{"code", "guid", "path", "cells",
        "total"}], "totals"}."""
        return {
            "cols": list(self.cols),
            "rows": [
                {
                    "code": r.code,
                    "guid": r.guid,
                    "path": r.path,
                    "cells": list(r.cells),
                    "total": r.total,
                }
                for r in self.rows
            ],
            "totals": list(self.totals),
        }


def _columns(corpus: Corpus, by: str, bins: Bins | None) -> tuple[tuple[str, ...], IntArray]:
    """Column labels and each coding's column (-1: in no column)."""
    arr = corpus.arrays
    kind, _ = parse_by(by)
    if kind == "coder":
        return arr.coders, arr.coder
    grouping = group_sources(corpus, by, bins)
    return grouping.labels, grouping.of_source[arr.src]


def matrix(
    corpus: Corpus, by: str = "participant", cell: str = "passages", bins: Bins | None = None
) -> Matrix:
    """The code matrix of `corpus` with columns `by` and cells of kind `cell`."""
    if cell not in CELL_KINDS:
        raise UserError(f"unknown cell {cell!r}: use {', '.join(CELL_KINDS)}")
    arr = corpus.arrays
    cols, col_of = _columns(corpus, by, bins)
    ncols, nrows = len(cols), len(corpus.tree_order)
    # every coding once per ancestor-or-self row
    anc = corpus.ancestors[arr.code] if len(arr.code) else np.zeros((0, 1), dtype=np.int64)
    which, level = np.nonzero(anc >= 0)
    rows_of = anc[which, level]
    cols_of = col_of[which]

    part_of_source = _participants(corpus)
    counter = _Counter(corpus, cell, part_of_source)
    cells = counter.count(which, rows_of * ncols + cols_of, nrows * ncols)
    row_tot = counter.count(which, rows_of, nrows)
    all_ = np.arange(len(arr.code))
    col_tot = counter.count(all_, col_of, ncols)
    grand = counter.count(all_, np.zeros(len(all_), dtype=np.int64), 1)

    if cell == "percent":
        col_words = _column_words(corpus, by, bins, ncols)
        total_words = float(corpus.source_words.sum())
        cells = _pct(cells, np.tile(col_words, nrows))
        row_tot = _pct(row_tot, np.full(nrows, total_words))
        col_tot = _pct(col_tot, col_words)
        grand = _pct(grand, np.array([total_words]))
    grid = cells.reshape(nrows, ncols)
    out_rows = []
    for r, code in enumerate(corpus.tree_order):
        out_rows.append(
            MatrixRow(
                code_id=code.id,
                code=code.name,
                guid=code.guid,
                path=corpus.paths[code.id],
                depth=int((corpus.ancestors[r] >= 0).sum()) - 1,
                cells=tuple(_num(x) for x in grid[r]),
                total=_num(row_tot[r]),
            )
        )
    return Matrix(
        by=by,
        cell=cell,
        cols=tuple(cols),
        rows=tuple(out_rows),
        totals=tuple(_num(x) for x in col_tot),
        total=_num(grand[0]),
    )


def _num(x: Any) -> float:
    v = float(x)
    return int(v) if v.is_integer() else round(v, 2)


def _pct(counts: np.ndarray, words: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(words > 0, 100.0 * counts / np.maximum(words, 1), 0.0)
    return np.round(out, 2)


def _participants(corpus: Corpus) -> IntArray:
    """Each source's participant index (-1: none)."""
    people = sorted({s.participant for s in corpus.sources if s.participant})
    names = {p: i for i, p in enumerate(people)}
    return np.array(
        [names[s.participant] if s.participant else -1 for s in corpus.sources], dtype=np.int64
    )


def _column_words(corpus: Corpus, by: str, bins: Bins | None, ncols: int) -> np.ndarray:
    """Words in each column's sources (every source's words for a coder column)."""
    if parse_by(by)[0] == "coder":
        return np.full(ncols, float(corpus.source_words.sum()))
    of_source = group_sources(corpus, by, bins).of_source
    return np.bincount(of_source, weights=corpus.source_words, minlength=ncols)


class _Counter:
    """Counts passages, participants or words for codings assigned to groups."""

    def __init__(self, corpus: Corpus, cell: str, part_of_source: IntArray) -> None:
        self.corpus = corpus
        self.cell = cell
        self.part_of_source = part_of_source

    def count(self, idx: IntArray, group: IntArray, ngroups: int) -> np.ndarray:
        arr = self.corpus.arrays
        keep = group >= 0
        idx, group = idx[keep], group[keep]
        if self.cell == "passages":
            return _distinct(group, arr.passage[idx], ngroups)
        if self.cell == "participants":
            part = self.part_of_source[arr.src[idx]]
            ok = part >= 0
            return _distinct(group[ok], part[ok], ngroups)
        # words coded = the union of the codings' word ranges, per group
        ws, we = self.corpus.coding_words
        total = len(self.corpus.word_keys)
        out = np.zeros(ngroups, dtype=np.int64)
        lengths = union_length(group, ws[idx], we[idx], total)
        out[: len(lengths)] = lengths
        return out


def _distinct(group: IntArray, item: IntArray, ngroups: int) -> IntArray:
    """How many distinct items each group has."""
    if len(group) == 0:
        return np.zeros(ngroups, dtype=np.int64)
    width = np.int64(int(item.max()) + 1)
    keys = np.sort(group * width + item)
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return np.bincount(keys[first] // width, minlength=ngroups).astype(np.int64)


def drill(
    corpus: Corpus,
    code_id: int,
    col: str | None = None,
    by: str = "participant",
    bins: Bins | None = None,
) -> tuple[Passage, ...]:
    """The passages a cell counts: codings of `code_id` or any code below it, in column `col`
    (None: the whole row), one Passage per distinct span with the codes that cover it exactly.
    Computed straight from the records, independently of `matrix`."""
    codes = corpus.descendants(code_id)
    kind, _ = parse_by(by)
    label_of_source: dict[int, str] = {}
    if kind != "coder":
        grouping = group_sources(corpus, by, bins)
        label_of_source = {
            s.id: grouping.labels[int(g)]
            for s, g in zip(corpus.sources, grouping.of_source, strict=True)
        }
    spans: dict[tuple[int, int, int], set[int]] = {}
    for c in corpus.codings:
        if c.code not in codes or c.source not in corpus.source_index:
            continue
        if col is not None:
            label = c.coder if kind == "coder" else label_of_source[c.source]
            if label != col:
                continue
        spans.setdefault((c.source, c.start, c.end), set()).add(c.code)
    order = corpus.source_index
    return tuple(
        Passage(s, a, b, tuple(sorted(cs)))
        for (s, a, b), cs in sorted(spans.items(), key=lambda kv: (order[kv[0][0]], *kv[0][1:]))
    )
