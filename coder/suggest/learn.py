"""What training learns from the researcher's own coding: the centroids of coded, rejected
and read-but-uncoded passages.

Split from coder.suggest.model (the scorer and the model saved with the project) because
learning is the one step cross-validation repeats per fold; see that module's docstring for
how the centroids are blended with the codebook prior.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coder.suggest.components import Terms
from coder.suggest.features import F32, Rows, label_sums, prune_rows, unit_rows


@dataclass
class Example:
    """A passage the researcher has dealt with: coded (codes), rejected suggestions, or read
    and left uncoded (no codes, `seen`)."""

    terms: Terms
    context: Terms | None = None
    codes: frozenset[int] = frozenset()
    rejected: frozenset[int] = frozenset()
    seen: bool = False
    group: str = ""
    headed: bool = False  # a heading is over it (its context holds the last heading)


@dataclass
class Learned:
    """What training adds to the codebook prior (stored with the project)."""

    keys: list[int]
    pos: F32  # (len(keys), V) unit centroids of coded passages (pruned)
    counts: list[int]  # coded passages per key
    rej_keys: list[int]
    rej: F32  # (len(rej_keys), V) unit centroids of rejected passages
    rej_counts: list[int]
    seen: F32  # (V,) unit centroid of passages read and left uncoded
    n_seen: int = 0
    # (len(keys), V) unit centroids of the contexts (the question before) of coded passages;
    # None in models stored before the context prior existed.
    ctx: F32 | None = None
    # The coded passages themselves (their rows and codes), for the neighbours' vote
    # (coder.suggest.neighbours); None in models stored before it existed.
    nn: Rows | None = None
    nn_codes: list[list[int]] | None = None


@dataclass
class Totals:
    """What `learn` sums over the examples before it scales and prunes: adding a passage to a
    code's centroid is adding its row here (coder.suggest.incremental)."""

    keys: list[int]
    pos: F32  # (len(keys), V) sums of coded passages' rows
    counts: list[int]
    rej_keys: list[int]
    rej: F32
    rej_counts: list[int]
    seen: F32  # (V,) sum of passages read and left uncoded
    n_seen: int
    ctx: F32 | None  # (len(keys), V) sums of the coded passages' contexts


def totals(
    rows: Rows, examples: Sequence[Example], width: int, context: Rows | None = None
) -> Totals:
    """The per-code sums of coded, rejected and seen passages (rows[i] belongs to examples[i]),
    and of the coded passages' contexts (`context[i]`, when given)."""
    keys = sorted({c for e in examples for c in e.codes})
    pos_index = {k: i for i, k in enumerate(keys)}
    labels = [[pos_index[c] for c in e.codes] for e in examples]
    sums = _fit_width(label_sums(rows, labels, len(keys)), width)
    counts = Counter(c for e in examples for c in e.codes)
    rkeys = sorted({c for e in examples for c in e.rejected})
    rindex = {k: i for i, k in enumerate(rkeys)}
    rsums = _fit_width(
        label_sums(rows, [[rindex[c] for c in e.rejected] for e in examples], len(rkeys)), width
    )
    rcounts = Counter(c for e in examples for c in e.rejected)
    seen_flags = [[0] if (e.seen and not e.codes) else [] for e in examples]
    seen = _fit_width(label_sums(rows, seen_flags, 1), width)[0]
    ctx = None
    if context is not None:
        ctx = _fit_width(label_sums(context, labels, len(keys)), width)
    return Totals(
        keys,
        sums,
        [counts[k] for k in keys],
        rkeys,
        rsums,
        [rcounts[k] for k in rkeys],
        seen,
        sum(1 for f in seen_flags if f),
        ctx,
    )


def learn(
    rows: Rows,
    examples: Sequence[Example],
    width: int,
    keep: int,
    context: Rows | None = None,
) -> Learned:
    """Centroids of coded, rejected and seen passages (rows[i] belongs to examples[i]), and
    of the coded passages' contexts (`context[i]`, when given)."""
    t = totals(rows, examples, width, context)
    coded = [i for i, e in enumerate(examples) if e.codes]
    return Learned(
        t.keys,
        centroids(t.pos, keep),
        t.counts,
        t.rej_keys,
        centroids(t.rej, keep),
        t.rej_counts,
        unit_rows(t.seen[None, :])[0],
        t.n_seen,
        centroids(t.ctx, keep) if t.ctx is not None else None,
        rows.take(coded),
        [sorted(examples[i].codes) for i in coded],
    )


def centroids(sums: F32, keep: int) -> F32:
    """Unit centroids from sums, each row pruned to its `keep` largest terms (row by row, so
    one code's row can be redone alone)."""
    return prune_rows(unit_rows(sums), keep)


def _fit_width(m: F32, width: int) -> F32:
    if m.shape[1] == width:
        return m
    if m.shape[1] > width:
        return m[:, :width]
    out = np.zeros((m.shape[0], width), np.float32)
    out[:, : m.shape[1]] = m
    return out
