"""How the selection moves: by sentence, turn and paragraph, and grows or shrinks by word and
sentence. Pure functions of the text units and the current selection, so they are easy to
test and the transcript widget only has to call them.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

Span = tuple[int, int]


def _start(span: Span) -> int:
    """The sort key of the bisections: units are in text order, so their starts are sorted
    and a search needs no list of them (a 50,000-word transcript has thousands of sentences,
    and building that list cost more than the search at every step and page)."""
    return span[0]


def step(spans: Sequence[Span], sel: Span, direction: int) -> Span | None:
    """The next (direction 1) or previous (-1) unit after or before the selection."""
    if not spans:
        return None
    if direction > 0:
        k = bisect.bisect_left(spans, sel[1], key=_start)
        if k < len(spans):
            return spans[k]
        # The selection ends inside the last unit: select it whole if it is not yet.
        last = spans[-1]
        return last if last[0] > sel[0] else None
    k = bisect.bisect_left(spans, sel[0], key=_start) - 1
    return spans[k] if k >= 0 else None


def containing(spans: Sequence[Span], offset: int) -> Span | None:
    """The unit containing `offset`, else the nearest one after it, else the last."""
    if not spans:
        return None
    k = bisect.bisect_right(spans, offset, key=_start) - 1
    if k >= 0 and spans[k][1] > offset:
        return spans[k]
    if k + 1 < len(spans):
        return spans[k + 1]
    return spans[-1]


def extend_end(spans: Sequence[Span], sel: Span, direction: int) -> Span:
    """Move the selection's end to the next (or previous) unit end."""
    start, end = sel
    ends = sorted(e for _, e in spans)
    if direction > 0:
        k = bisect.bisect_right(ends, end)
        return (start, ends[k]) if k < len(ends) else sel
    k = bisect.bisect_left(ends, end) - 1
    return (start, ends[k]) if k >= 0 and ends[k] > start else sel


def shrink_word(words: Sequence[Span], sel: Span) -> Span:
    """Take the last word off the selection, with whatever follows it (a selected sentence
    loses its last word and its full stop together, not the full stop alone)."""
    start, end = sel
    ends = sorted(e for _, e in words)
    k = bisect.bisect_right(ends, end) - 1  # the last word ending inside the selection
    return (start, ends[k - 1]) if k >= 1 and ends[k - 1] > start else sel


def extend_start(spans: Sequence[Span], sel: Span, direction: int) -> Span:
    """Move the selection's start back (direction 1, grows) or on (-1, shrinks) a unit."""
    start, end = sel
    starts = [s for s, _ in spans]
    if direction > 0:
        k = bisect.bisect_left(starts, start) - 1
        return (starts[k], end) if k >= 0 else sel
    k = bisect.bisect_right(starts, start)
    return (starts[k], end) if k < len(starts) and starts[k] < end else sel


def snap_to_words(words: Sequence[Span], a: int, b: int) -> Span:
    """The span from the word at `a` to the word at `b` (either order), whole words."""
    lo, hi = min(a, b), max(a, b)
    first = containing(words, lo)
    last = containing(words, max(lo, hi - 1))
    if first is None or last is None:
        return (lo, max(hi, lo + 1))
    return (min(first[0], last[0]), max(first[1], last[1]))
