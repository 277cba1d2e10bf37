"""Vectorised counting of who applied which code where: the heart of the agreement engine.

Every statistic (percent agreement, Cohen's and Fleiss' κ, Krippendorff's α) follows from two
tables per (code, source) block:

- `hist[code, source, k]`: how many units exactly k of the m coders applied the code to
  (k = 0..m; k = 0 is the units no coder applied it to, among the units that count);
- `coded[code, source, c]`: how many units coder c applied the code to.

At character level the units are characters, counted by interval sweeps over each coder's
merged spans (no per-character loop). At the other levels a coding marks every unit it
overlaps by at least one character; each unit is found with a binary search.

All positions are mapped into one integer line: `code * total + offset[source] + position`,
so that spans of different codes or sources never touch and one sort handles everything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from coder.analysis.segments import Bounds, distinct

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Codings:
    """Codings as parallel integer arrays (already mapped to indices).

    Attributes:
        source: Index of the source (0..n_sources-1).
        start: First character, relative to the source text.
        end: One past the last character.
        code: Index of the reported code, or -1 for a code that is not reported (it still
            marks the unit as coded when uncoded text is skipped).
        coder: Index of the coder (0..m-1).
    """

    source: Ints
    start: Ints
    end: Ints
    code: Ints
    coder: Ints


@dataclass(frozen=True, slots=True)
class Counts:
    """The per-block tables (see the module docstring) and the units that count per source."""

    hist: Ints  # (n_codes, n_sources, m + 1)
    coded: Ints  # (n_codes, n_sources, m)
    considered: Ints  # (n_sources,)


def merge(starts: Ints, ends: Ints) -> tuple[Ints, Ints]:
    """The union of half-open intervals as sorted, disjoint intervals (touching ones kept apart)."""
    if len(starts) == 0:
        return starts, ends
    order = np.argsort(starts, kind="stable")
    s = starts[order]
    reach = np.maximum.accumulate(ends[order])
    new = np.empty(len(s), dtype=bool)
    new[0] = True
    new[1:] = s[1:] >= reach[:-1]
    first = np.flatnonzero(new)
    last = np.empty_like(first)
    last[:-1] = first[1:] - 1
    last[-1] = len(s) - 1
    return s[first], reach[last]


def _sweep(starts: list[Ints], ends: list[Ints]) -> tuple[Ints, Ints, Ints]:
    """Segments between the events of several disjoint interval sets: (position, length, depth).

    Depth is how many of the sets cover the segment that begins at `position`.
    """
    pos = np.concatenate(starts + ends)
    delta = np.concatenate(
        [np.ones(len(s), dtype=np.int64) for s in starts]
        + [-np.ones(len(e), dtype=np.int64) for e in ends]
    )
    if len(pos) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    order = np.argsort(pos, kind="stable")
    pos = pos[order]
    depth = np.cumsum(delta[order])
    return pos[:-1], np.diff(pos), depth[:-1]


def char_counts(
    lengths: Ints, codings: Codings, n_codes: int, m: int, skip_uncoded: bool
) -> Counts:
    """Character-level tables: every character of every source is a unit."""
    n_src = len(lengths)
    offsets = np.zeros(n_src + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    total = max(int(offsets[-1]), 1)
    gstart = offsets[codings.source] + codings.start
    gend = offsets[codings.source] + codings.end

    if skip_uncoded:
        cs, ce = merge(gstart, gend)
        src_of = np.searchsorted(offsets, cs, side="right") - 1
        considered = np.bincount(src_of, weights=ce - cs, minlength=n_src).astype(np.int64)
    else:
        considered = lengths.astype(np.int64)

    shown = codings.code >= 0
    base = codings.code[shown] * total
    ks, ke = gstart[shown] + base, gend[shown] + base
    coder = codings.coder[shown]
    n_blocks = n_codes * n_src

    def block(keys: Ints) -> Ints:
        code = keys // total
        src = np.searchsorted(offsets, keys - code * total, side="right") - 1
        return code * n_src + src

    starts: list[Ints] = []
    ends: list[Ints] = []
    coded = np.zeros((n_blocks, m), dtype=np.int64)
    for c in range(m):
        mine = coder == c
        s, e = merge(ks[mine], ke[mine])
        starts.append(s)
        ends.append(e)
        coded[:, c] = np.bincount(block(s), weights=e - s, minlength=n_blocks)
    pos, length, depth = _sweep(starts, ends)
    keep = (depth > 0) & (length > 0)
    hist = np.zeros((n_blocks, m + 1), dtype=np.int64)
    flat = block(pos[keep]) * (m + 1) + depth[keep]
    hist.reshape(-1)[:] = np.bincount(flat, weights=length[keep], minlength=n_blocks * (m + 1))
    return _finish(hist, coded, considered, n_codes, n_src, m)


def unit_counts(
    lengths: Ints, units: list[Bounds], codings: Codings, n_codes: int, m: int, skip_uncoded: bool
) -> Counts:
    """Unit-level tables: a coding marks every unit it overlaps by at least one character."""
    n_src = len(lengths)
    offsets = np.zeros(n_src + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    per_source = np.array([len(u) for u in units], dtype=np.int64)
    unit_src = np.repeat(np.arange(n_src, dtype=np.int64), per_source)
    bounds = [u for u in units if len(u)]
    allb = np.concatenate(bounds) if bounds else np.zeros((0, 2), dtype=np.int64)
    ustart = allb[:, 0] + offsets[unit_src]
    uend = allb[:, 1] + offsets[unit_src]
    n_units = len(ustart)

    gstart = offsets[codings.source] + codings.start
    gend = offsets[codings.source] + codings.end
    first = np.searchsorted(uend, gstart, side="right")
    last = np.searchsorted(ustart, gend, side="left") - 1
    span = np.maximum(last - first + 1, 0)
    owner = np.repeat(np.arange(len(span), dtype=np.int64), span)
    step = np.arange(len(owner), dtype=np.int64) - np.repeat(np.cumsum(span) - span, span)
    unit = first[owner] + step
    code = codings.code[owner]
    coder = codings.coder[owner]

    if skip_uncoded:
        touched = distinct(unit)
        considered = np.bincount(unit_src[touched], minlength=n_src).astype(np.int64)
    else:
        considered = per_source

    shown = code >= 0
    triple = distinct((code[shown] * max(n_units, 1) + unit[shown]) * m + coder[shown])
    pair, who = np.divmod(triple, m)
    pcode, punit = np.divmod(pair, max(n_units, 1))
    blk = pcode * n_src + unit_src[punit]
    n_blocks = n_codes * n_src
    coded = np.bincount(blk * m + who, minlength=n_blocks * m).reshape(n_blocks, m)
    first_of = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])  # `pair` is sorted
    k = np.diff(np.r_[first_of, len(pair)])
    hist = np.bincount(blk[first_of] * (m + 1) + k, minlength=n_blocks * (m + 1))
    hist = hist.reshape(n_blocks, m + 1)
    return _finish(hist, coded, considered, n_codes, n_src, m)


def _finish(hist: Ints, coded: Ints, considered: Ints, n_codes: int, n_src: int, m: int) -> Counts:
    hist = hist.astype(np.int64).reshape(n_codes, n_src, m + 1)
    hist[:, :, 0] = considered[np.newaxis, :] - hist[:, :, 1:].sum(axis=2)
    return Counts(
        hist=hist,
        coded=coded.astype(np.int64).reshape(n_codes, n_src, m),
        considered=considered.astype(np.int64),
    )
