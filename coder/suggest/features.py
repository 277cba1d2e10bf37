"""Sparse tf-idf rows over lemma terms, in plain numpy.

The shipped suggester must run on what spaCy already brings (numpy), so there is no scipy
here: a batch of passages is a CSR triple (indptr, indices, data), and the two products the
model needs (rows times a dense code matrix, and per-code sums of rows) are written with
`np.add.reduceat` and `np.add.at`. Vectors are sublinear tf times idf, L2-normalised; terms the
vocabulary does not know still count towards a passage's norm (at the highest idf), so a
passage full of unknown words does not look like a perfect match for the few words it shares.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
I32 = npt.NDArray[np.int32]


@dataclass
class Vocabulary:
    """Term -> id, with an idf per id."""

    index: dict[str, int]
    idf: F32
    oov_idf: float
    seen: npt.NDArray[np.bool_] | None = None  # False for terms only the codebook uses
    _terms: list[str] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def build(
        cls, docs: Iterable[Sequence[str]], extra: Iterable[Sequence[str]] = (), min_df: int = 1
    ) -> Vocabulary:
        """Idf from `docs` (document frequency); terms of `extra` (codebook texts) are added
        with df 1 when the documents never use them."""
        df: Counter[str] = Counter()
        n = 0
        for d in docs:
            df.update(set(d))
            n += 1
        only_extra: set[str] = set()
        for d in extra:
            for t in set(d):
                if t not in df:
                    df[t] = 1
                    only_extra.add(t)
        terms = sorted(t for t, k in df.items() if k >= min_df or t in only_extra)
        index = {t: i for i, t in enumerate(terms)}
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], np.float32)
        seen = np.array([t not in only_extra for t in terms], bool)
        return cls(index, idf, math.log(1 + n) + 1.0, seen)

    def __len__(self) -> int:
        return len(self.index)

    def seen_mask(self) -> npt.NDArray[np.bool_]:
        return self.seen if self.seen is not None else np.ones(len(self.index), bool)

    def terms(self) -> list[str]:
        """Term strings by id (built once)."""
        if self._terms is None:
            out = [""] * len(self.index)
            for t, i in self.index.items():
                out[i] = t
            self._terms = out
        return self._terms


@dataclass
class Rows:
    """A batch of sparse row vectors (CSR)."""

    indptr: I32
    indices: I32
    data: F32

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    def row(self, i: int) -> tuple[I32, F32]:
        a, b = self.indptr[i], self.indptr[i + 1]
        return self.indices[a:b], self.data[a:b]

    def take(self, rows: Sequence[int] | npt.NDArray[np.int64]) -> Rows:
        ptr = [0]
        idx: list[I32] = []
        dat: list[F32] = []
        for r in rows:
            i, d = self.row(int(r))
            idx.append(i)
            dat.append(d)
            ptr.append(ptr[-1] + len(i))
        return Rows(
            np.array(ptr, np.int32),
            np.concatenate(idx).astype(np.int32) if idx else np.zeros(0, np.int32),
            np.concatenate(dat).astype(np.float32) if dat else np.zeros(0, np.float32),
        )

    def dot(self, wt: F32) -> F32:
        """self @ W.T, where `wt` is W transposed: (n_terms, n_codes). Returns (n, n_codes)."""
        out = np.zeros((self.n, wt.shape[1]), np.float32)
        step = 512  # rows at a time, to bound the (non-zeros x codes) temporary
        for a in range(0, self.n, step):
            b = min(self.n, a + step)
            lo, hi = int(self.indptr[a]), int(self.indptr[b])
            if lo == hi:
                continue
            # Gather each non-zero's row of W, scale, and sum per passage. (A dense block times
            # W through BLAS is no faster here, and erratic with BLAS threads on small blocks.)
            contrib = wt[self.indices[lo:hi]] * self.data[lo:hi, None]
            ptr = self.indptr[a : b + 1] - lo
            nonempty = np.flatnonzero(np.diff(ptr) > 0)
            out[a + nonempty] = np.add.reduceat(contrib, ptr[nonempty], axis=0)
        return out

    def concat(self, other: Rows) -> Rows:
        """These rows followed by `other`'s."""
        return Rows(
            np.concatenate([self.indptr, other.indptr[1:] + self.indptr[-1]]).astype(np.int32),
            np.concatenate([self.indices, other.indices]).astype(np.int32),
            np.concatenate([self.data, other.data]).astype(np.float32),
        )

    def mix(self, other: Rows, weight: float) -> Rows:
        """Row-wise unit(self[i] + weight * other[i]): a passage with its context."""
        if weight <= 0 or not len(other.indices):
            return self
        rows = np.concatenate([self.row_ids(), other.row_ids()])
        cols = np.concatenate([self.indices, other.indices])
        vals = np.concatenate([self.data, other.data * np.float32(weight)])
        order = np.lexsort((cols, rows))
        rows, cols, vals = rows[order], cols[order], vals[order]
        first = np.ones(len(rows), bool)
        first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        starts = np.flatnonzero(first)
        summed = np.add.reduceat(vals, starts) if len(vals) else vals
        rows, cols = rows[starts], cols[starts]
        norms = np.zeros(self.n, np.float32)
        np.add.at(norms, rows, summed * summed)
        summed = summed / np.sqrt(np.maximum(norms[rows], 1e-12))
        indptr = np.zeros(self.n + 1, np.int32)
        np.add.at(indptr, rows + 1, 1)
        return Rows(
            np.cumsum(indptr).astype(np.int32), cols.astype(np.int32), summed.astype(np.float32)
        )

    def row_ids(self) -> I32:
        return np.repeat(np.arange(self.n, dtype=np.int32), np.diff(self.indptr))


def vectorize(docs: Iterable[Sequence[str]], vocab: Vocabulary) -> Rows:
    """Sublinear-tf idf rows, L2-normalised (unknown terms count in the norm only)."""
    ptr = [0]
    idx: list[int] = []
    dat: list[float] = []
    index, idf, oov = vocab.index, vocab.idf, vocab.oov_idf
    for d in docs:
        counts = Counter(d)
        ids: list[int] = []
        vals: list[float] = []
        norm2 = 0.0
        for t, c in counts.items():
            i = index.get(t)
            w = (1.0 + math.log(c)) * (float(idf[i]) if i is not None else oov)
            norm2 += w * w
            if i is not None:
                ids.append(i)
                vals.append(w)
        scale = 1.0 / math.sqrt(norm2) if norm2 > 0 else 0.0
        order = sorted(range(len(ids)), key=ids.__getitem__)
        idx.extend(ids[k] for k in order)
        dat.extend(vals[k] * scale for k in order)
        ptr.append(len(idx))
    return Rows(np.array(ptr, np.int32), np.array(idx, np.int32), np.array(dat, np.float32))


def label_sums(
    rows: Rows,
    labels: Sequence[Sequence[int]],
    n_labels: int,
    weights: Sequence[float] | None = None,
) -> F32:
    """Per-label sums of rows: out[c] = sum of rows[i] (times weights[i]) over i labelled c.
    Dense (n_labels, vocabulary size) is avoided: returns (n_labels, max index + 1)."""
    width = int(rows.indices.max()) + 1 if len(rows.indices) else 1
    out = np.zeros((n_labels, width), np.float32)
    lab_rows: list[int] = []
    lab_ids: list[int] = []
    lab_w: list[float] = []
    for i, cs in enumerate(labels):
        for c in cs:
            lab_rows.append(i)
            lab_ids.append(c)
            lab_w.append(1.0 if weights is None else float(weights[i]))
    if not lab_rows:
        return out
    lengths = np.diff(rows.indptr)
    lr = np.array(lab_rows)
    reps = lengths[lr]
    starts = rows.indptr[lr]
    # positions of every nnz of every labelled row
    offs = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    pos = np.repeat(starts, reps) + offs
    codes = np.repeat(np.array(lab_ids), reps)
    w = np.repeat(np.array(lab_w, np.float32), reps)
    np.add.at(out, (codes, rows.indices[pos]), rows.data[pos] * w)
    return out


def unit_rows(m: F32) -> F32:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.where(norms > 0, m / np.maximum(norms, 1e-12), 0.0).astype(np.float32)


def prune_rows(m: F32, keep: int) -> F32:
    """Keep the `keep` largest-magnitude entries of each row (in place and returned)."""
    if m.shape[1] <= keep:
        return m
    part = np.argpartition(-np.abs(m), keep, axis=1)[:, keep:]
    np.put_along_axis(m, part, 0.0, axis=1)
    return m


def sparse_triples(m: F32) -> npt.NDArray[np.float32]:
    """A dense matrix's non-zeros as (row, column, value) triples, to store compactly."""
    r, c = np.nonzero(m)
    out = np.zeros((len(r), 3), np.float32)
    out[:, 0], out[:, 1], out[:, 2] = r, c, m[r, c]
    return out


def dense_triples(trip: npt.NDArray[np.float32], n: int, width: int) -> F32:
    """The (n x width) matrix back from sparse_triples."""
    out = np.zeros((n, width), np.float32)
    if len(trip):
        out[trip[:, 0].astype(np.int64), trip[:, 1].astype(np.int64)] = trip[:, 2]
    return out
