"""How sources fall into columns or groups: by participant, organisation, source or attribute.

An attribute's text values each make a group; numbers and dates are cut into bins (equal width
by default, or at cut points the researcher gives), so "Years in music industry" becomes a few
ranges rather than one column per value. Sources with no value fall in "(none)", kept last.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from coder.analysis.intervals import IntArray
from coder.analysis.records import AttrValue, Corpus
from coder.errors import UserError

NONE_LABEL = "(none)"
SOURCE_KINDS = ("participant", "organisation", "source")


@dataclass(frozen=True, slots=True)
class Bins:
    """Binning of number and date attributes: `count` equal-width bins between the smallest
    and largest value, or, when `cuts` is given, bins cut at those values."""

    count: int = 4
    cuts: tuple[float | date, ...] = ()


@dataclass(frozen=True, slots=True)
class Grouping:
    """Group labels, in display order, and each source's group index (-1 for none)."""

    labels: tuple[str, ...]
    of_source: IntArray


def parse_bins(text: str | None, what: str = "bins") -> Bins | None:
    """A researcher's bins: a number of equal bins ("4"), or cut points, numbers or dates
    ("10,20" or "2010-01-01,2020-01-01"); None for nothing given. `what` names the setting in
    the one-line error."""
    if not text or not text.strip():
        return None
    if text.strip().isdigit():
        return Bins(count=int(text))
    cuts: list[float | date] = []
    for part in text.split(","):
        part = part.strip()
        try:
            cuts.append(float(part))
        except ValueError:
            try:
                cuts.append(date.fromisoformat(part))
            except ValueError:
                raise UserError(
                    f"{what} {text!r}: give a number of bins (4) or cut points (10,20 or "
                    "2010-01-01,2020-01-01)"
                ) from None
    return Bins(cuts=tuple(cuts))


def describe_bins(bins: Bins) -> str:
    """Bins as the researcher would type them again: "4" or "10, 20"."""
    if not bins.cuts:
        return str(bins.count)
    return ", ".join(c.isoformat() if isinstance(c, date) else f"{c:g}" for c in bins.cuts)


def parse_by(by: str) -> tuple[str, str | None]:
    """'participant' | 'organisation' | 'source' | 'coder' | 'attr:NAME' -> (kind, name)."""
    if by in (*SOURCE_KINDS, "coder"):
        return by, None
    if by.startswith("attr:") and by[5:].strip():
        return "attr", by[5:].strip()
    raise UserError(
        f"cannot group by {by!r}: use participant, organisation, source, coder or attr:NAME"
    )


def group_sources(corpus: Corpus, by: str, bins: Bins | None = None) -> Grouping:
    """The grouping of sources for `by` (everything but 'coder', which groups codings)."""
    kind, name = parse_by(by)
    if kind == "coder":
        raise ValueError("coder groups codings, not sources")
    if kind == "attr":
        assert name is not None
        values = [s.attributes.get(name) for s in corpus.sources]
        if not any(name in s.attributes for s in corpus.sources):
            raise UserError(f"no participant attribute named {name!r}")
        labels, order = _attr_labels(values, bins or Bins())
        return _index(labels, order)
    elif kind == "participant":
        labels = [s.participant for s in corpus.sources]
    elif kind == "organisation":
        labels = [s.organisation for s in corpus.sources]
    else:
        labels = [s.name for s in corpus.sources]
    return _index(labels, None)


def _index(labels: Sequence[str | None], order: Sequence[str] | None) -> Grouping:
    present = [x for x in dict.fromkeys(labels) if x is not None]
    if order is None:
        present.sort(key=str.casefold)
    else:
        present = list(order)  # every bin, empty ones too, so the ranges read continuously
    cols = list(present) + ([NONE_LABEL] if any(x is None for x in labels) else [])
    where = {c: i for i, c in enumerate(cols)}
    of = np.array([where[NONE_LABEL if x is None else x] for x in labels], dtype=np.int64)
    return Grouping(tuple(cols), of)


def _attr_labels(values: list[AttrValue], bins: Bins) -> tuple[list[str | None], list[str] | None]:
    """A label per value, and the labels' display order (bins ascending; None: by name)."""
    present = [v for v in values if v is not None and v != ""]
    if present and all(isinstance(v, date) for v in present):
        days = [float(v.toordinal()) for v in present if isinstance(v, date)]
        if not all(isinstance(c, date) for c in bins.cuts):
            raise UserError("cut points for a date attribute are dates, as in 2010-01-01")
        cuts = [float(c.toordinal()) for c in bins.cuts if isinstance(c, date)]
        edges = _edges(days, cuts, bins.count, True)

        def fmt_d(x: float, last: bool) -> str:
            return date.fromordinal(int(x) - (0 if last else 1)).isoformat()

        return _binned(values, edges, fmt_d, lambda v: float(v.toordinal()))
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        integer = all(isinstance(v, int) for v in present)
        nums = [float(v) for v in present if isinstance(v, int | float)]
        if any(isinstance(c, date) for c in bins.cuts):
            raise UserError("cut points for a number attribute are numbers, as in 10,20")
        cuts = [float(c) for c in bins.cuts if not isinstance(c, date)]
        edges = _edges(nums, cuts, bins.count, integer)

        def fmt_n(x: float, last: bool) -> str:
            if integer:
                return str(int(x) - (0 if last else 1))
            return f"{x:g}"

        return _binned(values, edges, fmt_n, float)
    return [None if v is None or v == "" else str(v) for v in values], None


def _edges(nums: list[float], cuts: list[float], count: int, integer: bool) -> list[float]:
    """Bin edges: [lowest, cut..., highest]; bins are [edge_i, edge_i+1), the last closed."""
    lo, hi = min(nums), max(nums)
    if cuts:
        inner = sorted({c for c in cuts if lo < c <= hi})
    else:
        if count < 1:
            raise UserError("bins must be at least 1")
        width = (hi - lo) / count
        inner = [lo + width * k for k in range(1, count)]
        if integer:
            inner = [float(math.ceil(x)) for x in inner]
        inner = sorted({x for x in inner if lo < x <= hi})
    return [lo, *inner, hi]


def _binned(
    values: list[AttrValue],
    edges: list[float],
    fmt: Callable[[float, bool], str],
    to_num: Callable[[Any], float],
) -> tuple[list[str | None], list[str]]:
    """Each value's bin label, and every bin's label in ascending order."""
    n = len(edges) - 1
    names: list[str] = []
    for k in range(n):
        lo, hi = fmt(edges[k], True), fmt(edges[k + 1], k == n - 1)
        names.append(lo if lo == hi else f"{lo}–{hi}")
    inner = np.array(edges[1:-1], dtype=float)
    out: list[str | None] = []
    for v in values:
        if v is None or v == "":
            out.append(None)
        else:
            k = int(np.searchsorted(inner, to_num(v), side="right"))
            out.append(names[min(k, n - 1)])
    return out, names
