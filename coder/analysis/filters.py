"""Which codings a query may use: attribute conditions, speaker and coder.

`--where "Years in music industry >= 10"` keeps the sources of participants whose attribute
passes (typed: numbers and dates compare as such, text case-insensitively; `contains` finds a
substring, so `Genre(s) contains Rock` works on a list-like value). The speaker filter leaves
out passages lying wholly inside interviewer turns (the default: participants' words only).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from coder.analysis.intervals import BoolArray, covered, search, union
from coder.analysis.records import SHIFT, AttrValue, Corpus
from coder.errors import UserError

OPS = ("<=", ">=", "!=", "=", "<", ">", "contains")
_WHERE = re.compile(r"^\s*(.+?)\s*(<=|>=|!=|=|<|>|\bcontains\b)\s*(.*?)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Where:
    """One attribute condition."""

    attr: str
    op: str
    value: str


def parse_where(text: str) -> Where:
    """'ATTR OP VALUE' -> Where (OP one of = != < <= > >= contains)."""
    m = _WHERE.match(text)
    if not m or not m.group(3):
        raise UserError(
            f"cannot read the condition {text!r}: write ATTRIBUTE OP VALUE with OP one of "
            "= != < <= > >= contains"
        )
    return Where(m.group(1), m.group(2).lower(), m.group(3).strip("\"'"))


def _passes(value: AttrValue, cond: Where) -> bool:
    if value is None or value == "":
        return False
    want: object
    have: object = value
    if isinstance(value, bool) or isinstance(value, str):
        have, want = str(value).casefold(), cond.value.casefold()
        if cond.op == "contains":
            return want in have
    elif isinstance(value, int | float):
        if cond.op == "contains":
            return cond.value in str(value)
        try:
            want = float(cond.value)
        except ValueError:
            raise UserError(f"{cond.attr!r} is a number: {cond.value!r} is not") from None
    elif isinstance(value, date):
        if cond.op == "contains":
            return cond.value in value.isoformat()
        try:
            want = date.fromisoformat(cond.value)
        except ValueError:
            raise UserError(f"{cond.attr!r} is a date: {cond.value!r} is not YYYY-MM-DD") from None
    else:
        have, want = str(value).casefold(), cond.value.casefold()
    ops = {
        "=": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
    }
    return bool(ops[cond.op](have, want))


def source_mask(corpus: Corpus, where: Sequence[Where]) -> BoolArray:
    """Sources (in corpus order) whose participant passes every condition."""
    keep = np.ones(len(corpus.sources), dtype=bool)
    for cond in where:
        if not any(cond.attr in s.attributes for s in corpus.sources):
            raise UserError(f"no participant attribute named {cond.attr!r}")
        keep &= np.array([_passes(s.attributes.get(cond.attr), cond) for s in corpus.sources])
    return keep


def spoken_keys(corpus: Corpus, keys: np.ndarray, interviewer: bool) -> BoolArray:
    """For sorted global keys (word starts), whether each word was spoken by a participant
    (or, with `interviewer`, by anyone): inside a turn of such a speaker. Speaker labels and
    headers lie outside every turn and are not speech; a source without turns is all speech."""
    ta = corpus.turn_arrays
    has_turns = np.zeros(len(corpus.sources), dtype=bool)
    has_turns[ta.src] = True
    keep = ~has_turns[keys // SHIFT] if len(keys) else np.zeros(0, dtype=bool)
    sel = np.ones(len(ta.src), dtype=bool) if interviewer else ~ta.interviewer
    if sel.any():
        keep |= covered(keys, ta.gstart[sel], ta.gend[sel])
    return keep


def interviewer_only(corpus: Corpus, gstart: np.ndarray, gend: np.ndarray) -> BoolArray:
    """For each global span, whether it lies wholly inside interviewer turns."""
    ta = corpus.turn_arrays
    if not ta.interviewer.any() or len(gstart) == 0:
        return np.zeros(len(gstart), dtype=bool)
    # adjacent interviewer turns join, so a span across two of them is still the interviewer's
    ms, me = union(ta.gstart[ta.interviewer], ta.gend[ta.interviewer] + 1)
    me = me - 1
    k = search(ms, gstart, "right") - 1
    ok = k >= 0
    kk = np.maximum(k, 0)
    return ok & (ms[kk] <= gstart) & (me[kk] >= gend)


def coding_mask(
    corpus: Corpus,
    where: Sequence[Where] = (),
    speaker: str = "participants",
    coders: Sequence[str] | None = None,
) -> BoolArray:
    """Codings (rows of corpus.arrays) a query may use."""
    if speaker not in ("participants", "all"):
        raise UserError(f"unknown speaker {speaker!r}: use participants or all")
    arr = corpus.arrays
    keep = source_mask(corpus, where)[arr.src] if where else np.ones(len(arr.src), dtype=bool)
    if coders:
        known = set(arr.coders)
        missing = [c for c in coders if c not in known]
        if missing:
            raise UserError(f"no codings by {missing[0]!r}")
        wanted = np.array([arr.coders.index(c) for c in coders], dtype=np.int64)
        keep &= np.isin(arr.coder, wanted)
    if speaker == "participants":
        keep &= ~interviewer_only(corpus, arr.gstart, arr.gend)
    return keep
