"""The units agreement is counted in: characters, sentences, speaker turns, paragraphs, sources.

Unit boundaries are plain `(start, end)` character offsets, half-open, sorted and disjoint. Turns
come from the caller (the importer found them); paragraphs and sentences are cut here by a
small, documented rule so that the same text always gives the same units:

- a paragraph is one non-blank line, without its leading and trailing whitespace (a Word or
  ODT paragraph becomes one line of the source text, as NVivo counts paragraphs);
- a sentence is a stretch of a paragraph ending with `.`, `!`, `?` or `…` (optionally followed
  by closing quotes or brackets) that is followed by whitespace, or the rest of the paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

Unit = Literal["char", "sentence", "turn", "paragraph", "source"]
UNITS: tuple[str, ...] = get_args(Unit)

Bounds = npt.NDArray[np.int64]
"""An (n, 2) int64 array of half-open unit boundaries."""

_PARAGRAPH = re.compile(r"\S(?:[^\n]*\S)?")
_SPACE, _TERMINAL, _CLOSER = 1, 2, 4
_KIND = np.zeros(0x3002, dtype=np.uint8)  # the last slot stands for every higher code point
_KIND[[c for c in range(0x3001) if chr(c).isspace()]] = _SPACE
_KIND[[ord(c) for c in ".!?\u2026"]] = _TERMINAL
_KIND[[ord(c) for c in "\"'\u201d\u2019)]"]] = _CLOSER


def _matches(pattern: re.Pattern[str], text: str) -> Bounds:
    flat = [pos for m in pattern.finditer(text) for pos in m.span()]
    return np.asarray(flat, dtype=np.int64).reshape(-1, 2)


def paragraphs(text: str) -> Bounds:
    """The non-blank lines of `text`, trimmed, as (start, end) pairs."""
    return _matches(_PARAGRAPH, text)


def sentences(text: str) -> Bounds:
    """The sentences of `text` (never crossing a line break), trimmed, as (start, end) pairs.

    Vectorised over the code points (a regex scan costs ~0.1 s per million characters): a
    sentence ends after a run of terminal marks and closing quotes or brackets that is
    followed by whitespace, and at every line break.
    """
    if not text:
        return np.zeros((0, 2), dtype=np.int64)
    cp = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    kind = _KIND[np.minimum(cp, len(_KIND) - 1)]
    space = (kind & _SPACE) > 0
    positions = np.arange(len(cp), dtype=np.int64)
    last_mark = np.maximum.accumulate(np.where((kind & _CLOSER) > 0, -1, positions))
    after = np.flatnonzero(space[1:]) + 1
    before = last_mark[after - 1]
    ends = after[(before >= 0) & ((kind[np.maximum(before, 0)] & _TERMINAL) > 0)]
    lines = np.flatnonzero(cp == 10) + 1
    bounds = distinct(np.concatenate((ends, lines, [0, len(cp)])))
    solid = np.flatnonzero(~space)
    if len(solid) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    first = np.searchsorted(solid, bounds[:-1], side="left")
    last = np.searchsorted(solid, bounds[1:], side="left") - 1
    keep = (first <= last) & (first < len(solid))
    return np.column_stack((solid[first[keep]], solid[last[keep]] + 1)).astype(np.int64)


def distinct(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Sorted distinct values (a sort is several times faster than numpy 2's hashing unique)."""
    if len(values) == 0:
        return values
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def clean_bounds(bounds: Sequence[tuple[int, int]] | Bounds, length: int) -> Bounds:
    """Caller-given boundaries clipped to the text, empty ones dropped, sorted.

    Overlapping boundaries (two turns sharing characters) are cut at the later start so that
    every character belongs to at most one unit.
    """
    arr = np.asarray(bounds, dtype=np.int64).reshape(-1, 2)
    arr = np.clip(arr, 0, length)
    arr = arr[arr[:, 1] > arr[:, 0]]
    if len(arr) == 0:
        return arr
    arr = arr[np.lexsort((arr[:, 1], arr[:, 0]))]
    ends = arr[:, 1].copy()
    ends[:-1] = np.minimum(ends[:-1], arr[1:, 0])
    arr = np.column_stack((arr[:, 0], ends))
    return arr[arr[:, 1] > arr[:, 0]]
