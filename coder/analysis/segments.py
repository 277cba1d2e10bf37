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
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)|\n")


def _matches(pattern: re.Pattern[str], text: str) -> Bounds:
    flat = [pos for m in pattern.finditer(text) for pos in m.span()]
    return np.asarray(flat, dtype=np.int64).reshape(-1, 2)


def paragraphs(text: str) -> Bounds:
    """The non-blank lines of `text`, trimmed, as (start, end) pairs."""
    return _matches(_PARAGRAPH, text)


def sentences(text: str) -> Bounds:
    """The sentences of `text` (never crossing a line break), trimmed, as (start, end) pairs."""
    cuts = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]
    flat: list[int] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = text[a:b]
        body = piece.strip()
        if body:
            lead = a + len(piece) - len(piece.lstrip())
            flat += (lead, lead + len(body))
    return np.asarray(flat, dtype=np.int64).reshape(-1, 2)


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
