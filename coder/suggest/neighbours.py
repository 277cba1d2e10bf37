"""A k-nearest-neighbours vote over the coded passages (issue 14, item 4).

A centroid is one point per code; a code applied to several kinds of passage (an abstract code,
or a common one used under many questions) is poorly summed up by one point. Once a code has
`knn_min` coded passages, the `knn_k` coded passages most similar to a new one (cosine, on the
same tf-idf rows as the centroids) vote: a code's vote is the similarity-weighted share of
those neighbours that carry it, added to its score at `knn_weight`. Plain numpy, as
coder.suggest.features: the queries are made dense a block at a time and multiplied against
the sparse neighbour rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coder.suggest.features import F32, Rows
from coder.suggest.learn import Learned
from coder.suggest.methods import Method

BLOCK = 128  # queries made dense at a time (block x vocabulary floats)
SELF = 0.9999  # a neighbour this similar is the passage itself (calibration holds examples)
# At most this many coded passages vote (evenly spaced, so the same ones every time): the vote
# costs (neighbours' non-zeros x passages scored), and training scores the calibration sample.
MAX_NEIGHBOURS = 2000


class Neighbours:
    """The coded passages as neighbours, and which scorer columns each carries."""

    def __init__(
        self,
        rows: Rows,
        codes: Sequence[Sequence[int]],
        column: dict[int, int],
        counts: dict[int, int],
        k: int,
        min_examples: int,
        width: int,
    ) -> None:
        if rows.n > MAX_NEIGHBOURS:
            keep = np.linspace(0, rows.n - 1, MAX_NEIGHBOURS).astype(np.int64)
            rows, codes = rows.take(keep), [codes[int(i)] for i in keep]
        self.rows, self.k, self.width = rows, max(1, k), width
        voting = {key for key, n in counts.items() if n >= min_examples and key in column}
        n_cols = len(column)
        self.labels = np.zeros((rows.n, max(n_cols, 1)), np.float32)
        for i, cs in enumerate(codes):
            for key in cs:
                if key in voting:
                    self.labels[i, column[key]] = 1.0
        self.labels = self.labels[:, :n_cols]
        self.active = bool(voting) and rows.n > 0

    def vote(self, queries: Rows) -> F32:
        """(queries x columns) similarity-weighted share of each code among the k nearest."""
        out = np.zeros((queries.n, self.labels.shape[1]), np.float32)
        if not self.active:
            return out
        k = min(self.k, self.rows.n)
        for a in range(0, queries.n, BLOCK):
            b = min(queries.n, a + BLOCK)
            dense = np.zeros((self.width, b - a), np.float32)
            part = queries.take(range(a, b))
            keep = part.indices < self.width
            dense[part.indices[keep], part.row_ids()[keep]] = part.data[keep]
            sim = self.rows.dot(dense).T  # (block, neighbours)
            sim[sim >= SELF] = 0.0
            top = np.argpartition(-sim, k - 1, axis=1)[:, :k]
            w = np.maximum(np.take_along_axis(sim, top, axis=1), 0.0)
            total = w.sum(1, keepdims=True)
            votes = np.einsum("bk,bkc->bc", w, self.labels[top])
            out[a:b] = np.where(total > 0, votes / np.maximum(total, 1e-12), 0.0)
        return out


def neighbours_of(
    learned: Learned, method: Method, column: dict[int, int], width: int
) -> Neighbours | None:
    """The coded passages as voters, when the method uses them and the model has them."""
    if method.knn_weight <= 0 or learned.nn is None or learned.nn_codes is None:
        return None
    counts = dict(zip(learned.keys, learned.counts, strict=True))
    nn = Neighbours(
        learned.nn, learned.nn_codes, column, counts, method.knn_k, method.knn_min, width
    )
    return nn if nn.active else None


def stored_neighbours(z: np.lib.npyio.NpzFile) -> tuple[Rows | None, list[list[int]] | None]:
    """The coded passages as a stored model holds them (None, None before version 2)."""
    if "nn_indptr" not in z.files:
        return None, None
    rows = Rows(z["nn_indptr"], z["nn_indices"], z["nn_data"])
    ptr, flat = z["nn_codes_indptr"], z["nn_codes"]
    return rows, [[int(k) for k in flat[a:b]] for a, b in zip(ptr[:-1], ptr[1:], strict=True)]
