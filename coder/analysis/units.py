"""Where passages sit: as characters, words, turns or paragraphs, as global interval keys.

Co-occurrence and queries ask whether two passages "meet": overlap, share a turn or a
paragraph, or lie within N words. Each of these is the same question asked in a different unit,
so every span is converted to an interval [first, end) in that unit, keyed by source so that
passages of different sources never meet, and `meeting_pairs` answers all of them.
"""

from __future__ import annotations

import re

import numpy as np

from coder.analysis.intervals import IntArray, search
from coder.analysis.records import SHIFT, Corpus
from coder.errors import UserError

_NEAR = re.compile(r"near:(\d+)$")


def parse_unit(by: str) -> tuple[str, int]:
    """'overlap' | 'turn' | 'paragraph' | 'near:N' -> (unit, N)."""
    if by in ("overlap", "turn", "paragraph"):
        return by, 0
    m = _NEAR.match(by)
    if m:
        return "near", int(m.group(1))
    raise UserError(f"unknown co-occurrence {by!r}: use overlap, turn, paragraph or near:N")


def unit_intervals(
    corpus: Corpus, unit: str, src: IntArray, gstart: IntArray, gend: IntArray, near: int = 0
) -> tuple[IntArray, IntArray, int]:
    """(start key, end key, gap) so that two spans meet iff their intervals are less than
    `gap` apart (see records.meeting_pairs)."""
    if unit == "overlap":
        return gstart, gend, 0
    if unit == "near":
        w = corpus.word_span(src, gstart, gend)
        return w[:, 0], w[:, 1], near + 1
    bounds = corpus.turn_bounds if unit == "turn" else corpus.paragraph_bounds
    first = search(bounds, gstart, "right")
    last = search(bounds, np.maximum(gend - 1, gstart), "right")
    return src * SHIFT + first, src * SHIFT + last + 1, 0
