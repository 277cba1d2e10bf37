"""Where passages sit: as characters, words, turns or paragraphs, as global interval keys.

Co-occurrence and queries ask whether two passages "meet": overlap, share a turn or a
paragraph, or lie within N words. Each of these is the same question asked in a different unit,
so every span is converted to an interval [first, end) in that unit, keyed by source so that
passages of different sources never meet, and `meeting_pairs` answers all of them.
"""

from __future__ import annotations

import re

import numpy as np

from coder.analysis.records import SHIFT, Corpus, IntArray
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
    bounds = turn_bounds(corpus) if unit == "turn" else paragraph_bounds(corpus)
    first = np.searchsorted(bounds, gstart, "right")
    last = np.searchsorted(bounds, np.maximum(gend - 1, gstart), "right")
    return src * SHIFT + first, src * SHIFT + last + 1, 0


def paragraph_bounds(corpus: Corpus) -> IntArray:
    """Global keys where a paragraph (a line of text) begins."""
    parts = []
    for i, s in enumerate(corpus.sources):
        nl = np.frombuffer(s.text.encode("utf-32-le"), dtype=np.uint32) == 10
        starts = np.concatenate([[0], np.flatnonzero(nl) + 1]).astype(np.int64)
        parts.append(starts + np.int64(i) * SHIFT)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def turn_bounds(corpus: Corpus) -> IntArray:
    """Global keys where a turn begins; a source without turns is cut at its lines."""
    by_source: dict[int, list[int]] = {}
    for t in corpus.turns:
        by_source.setdefault(t.source, []).append(t.start)
    paras = None
    parts = []
    for i, s in enumerate(corpus.sources):
        if s.id in by_source:
            starts = np.array(sorted({0, *by_source[s.id]}), dtype=np.int64)
            parts.append(starts + np.int64(i) * SHIFT)
        else:
            if paras is None:
                paras = paragraph_bounds(corpus)
            lo, hi = np.int64(i) * SHIFT, np.int64(i + 1) * SHIFT
            parts.append(paras[(paras >= lo) & (paras < hi)])
    return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
