"""Replace names in a text and carry offsets across: the pure core of pseudonymisation.

Codings, turns and suggestion decisions are spans of code points into a source's text. When a
name is replaced by a pseudonym of another length, every later offset moves. `replace` applies
non-overlapping hits and returns an `OffsetMap` that moves a span's start and end to the new
text; a span that begins or ends inside a replaced name grows to cover the whole pseudonym, so a
coding never loses text and never ends half-way through a pseudonym. No I/O, no database, no
spaCy: property tests drive it with random texts and random replacements.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coder.vocab.pseudonym import Hit

__all__ = ["OffsetMap", "non_overlapping", "replace"]


def non_overlapping(hits: Iterable[Hit]) -> list[Hit]:
    """The hits sorted by start, keeping the earliest (then longest) where two overlap."""
    chosen: list[Hit] = []
    last_end = -1
    for h in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if h.start >= last_end and h.end > h.start:
            chosen.append(h)
            last_end = h.end
    return chosen


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Moves offsets of the old text to the new one (built by `replace`)."""

    starts: tuple[int, ...]  # old starts of the replaced names, ascending
    ends: tuple[int, ...]  # old ends
    new_starts: tuple[int, ...]  # where each pseudonym begins in the new text
    new_ends: tuple[int, ...]

    def _shift_before(self, pos: int) -> int:
        """`pos` moved by every replacement that ends at or before it."""
        i = bisect_right(self.ends, pos)  # replacements wholly at or before pos
        if i == 0:
            return pos
        return pos + self.new_ends[i - 1] - self.ends[i - 1]

    def _inside(self, pos: int) -> int:
        """The index of the replacement with start < pos < end, else -1."""
        i = bisect_left(self.starts, pos) - 1
        if i >= 0 and self.starts[i] < pos < self.ends[i]:
            return i
        return -1

    def start(self, pos: int) -> int:
        """Where a span starting at old `pos` starts (a name it starts inside is included)."""
        i = self._inside(pos)
        return self.new_starts[i] if i >= 0 else self._shift_before(pos)

    def end(self, pos: int) -> int:
        """Where a span ending at old `pos` ends (a name it ends inside is included)."""
        i = self._inside(pos)
        return self.new_ends[i] if i >= 0 else self._shift_before(pos)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The new [start, end) of the old span [start, end)."""
        return self.start(start), self.end(end)


def replace(text: str, hits: Sequence[Hit]) -> tuple[str, OffsetMap]:
    """`text` with each hit replaced by its pseudonym, and the map of its offsets.

    Args:
        text: The original text.
        hits: Non-overlapping hits (see `non_overlapping`), in any order.

    Raises:
        ValueError: When hits overlap, fall outside the text or have an empty pseudonym.
    """
    ordered = sorted(hits, key=lambda h: h.start)
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    pos = 0
    out_len = 0
    for h in ordered:
        if h.start < pos or h.end > len(text) or h.start >= h.end or not h.pseudonym:
            raise ValueError(f"bad replacement at {h.start}-{h.end}")
        parts.append(text[pos : h.start])
        out_len += h.start - pos
        starts.append(h.start)
        ends.append(h.end)
        new_starts.append(out_len)
        parts.append(h.pseudonym)
        out_len += len(h.pseudonym)
        new_ends.append(out_len)
        pos = h.end
    parts.append(text[pos:])
    mapping = OffsetMap(tuple(starts), tuple(ends), tuple(new_starts), tuple(new_ends))
    return "".join(parts), mapping
