"""The transcript's geometry, kept apart from drawing: rows, wrapping, and coding lanes.

`RowLayout` wraps a source to a width once (a 50,000-word transcript wraps in tens of
milliseconds) into rows: a speaker header before each turn, blank separators, and text rows
that each know their character span, so the view can draw any visible row on its own.
`CodingOverlay` sweeps the codings of a source once into elementary spans with the codings
active on each, and gives every coding a lane in the stripe gutter so a coding's bar is one
unbroken line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

from coder.vocab.dto import CodingInfo
from coder.vocab.transcript import Turn

Span = tuple[int, int]

TEXT, HEADER, BLANK = 0, 1, 2
_TOKEN = re.compile(r"\S+\s*")


@dataclass(frozen=True, slots=True)
class Row:
    kind: int
    start: int  # character span for TEXT rows; the turn's start for HEADER rows
    end: int
    turn: int = -1  # index of the turn (HEADER rows, and TEXT rows inside a turn)


def _wrap(text: str, start: int, end: int, width: int) -> list[Span]:
    """Greedy word wrap of text[start:end] into spans of at most `width` cells."""
    out: list[Span] = []
    if width < 4:
        width = 4
    chunk = text[start:end]
    ascii_only = chunk.isascii()
    row_s, used = start, 0
    for m in _TOKEN.finditer(chunk):
        word = m.group().rstrip()
        w = len(word) if ascii_only else cell_len(word)
        tok_s = start + m.start()
        if used and used + w > width:
            out.append((row_s, tok_s))
            row_s, used = tok_s, 0
        while w > width:  # a word longer than the row: cut it
            cut = tok_s + width if ascii_only else tok_s + _cut(word, width)
            out.append((row_s, cut))
            word = text[cut : tok_s + len(word)]
            row_s, tok_s, used = cut, cut, 0
            w = len(word) if ascii_only else cell_len(word)
        used += w + (len(m.group()) - len(m.group().rstrip()) > 0)
    if row_s < end:
        out.append((row_s, end))
    return out


def _cut(word: str, width: int) -> int:
    used = 0
    for i, ch in enumerate(word):
        used += cell_len(ch)
        if used > width:
            return max(1, i)
    return len(word)


class RowLayout:
    """A transcript laid out in rows for one width."""

    def __init__(
        self, text: str, turns: Sequence[Turn], paragraphs: Sequence[Span], width: int
    ) -> None:
        self.width = width
        self.rows: list[Row] = []
        self._text_rows: list[int] = []  # row index of each TEXT row
        self._text_starts: list[int] = []  # character start of each TEXT row
        turn_starts = [t.start for t in turns]
        current_turn = -1
        for s, e in paragraphs:
            k = bisect.bisect_right(turn_starts, s) - 1
            inside = k >= 0 and turns[k].start <= s < turns[k].end
            if inside and turns[k].start == s and k != current_turn:
                if self.rows:
                    self.rows.append(Row(BLANK, s, s))
                self.rows.append(Row(HEADER, s, s, k))
                current_turn = k
            elif not inside:
                if current_turn != -1 and self.rows:
                    self.rows.append(Row(BLANK, s, s))
                current_turn = -1
            for a, b in _wrap(text, s, e, width):
                self._text_rows.append(len(self.rows))
                self._text_starts.append(a)
                self.rows.append(Row(TEXT, a, b, current_turn))

    def __len__(self) -> int:
        return len(self.rows)

    def row_of(self, offset: int) -> int:
        """The row showing character `offset` (the nearest text row before it)."""
        if not self._text_starts:
            return 0
        k = max(0, bisect.bisect_right(self._text_starts, offset) - 1)
        return self._text_rows[k]

    def last_row_of(self, end: int) -> int:
        """The row showing the last character of a span ending at `end`."""
        return self.row_of(max(0, end - 1))


class CodingOverlay:
    """Which codings cover which characters, and each coding's lane in the gutter."""

    def __init__(self, codings: Sequence[CodingInfo]) -> None:
        self.codings = sorted(codings, key=lambda c: (c.start, -c.end, c.id))
        self.lane: dict[int, int] = {}
        lane_ends: list[int] = []
        for c in self.codings:
            for i, end in enumerate(lane_ends):
                if end <= c.start:
                    lane_ends[i] = c.end
                    self.lane[c.id] = i
                    break
            else:
                self.lane[c.id] = len(lane_ends)
                lane_ends.append(c.end)
        self.lanes = len(lane_ends)
        starts: dict[int, list[CodingInfo]] = {}
        ends: dict[int, list[CodingInfo]] = {}
        for c in self.codings:
            starts.setdefault(c.start, []).append(c)
            ends.setdefault(c.end, []).append(c)
        self.points = sorted(starts.keys() | ends.keys())
        # Sweep once: the codings open on each elementary span between two points.
        self.active: list[tuple[CodingInfo, ...]] = []
        open_: dict[int, CodingInfo] = {}
        for p in self.points[:-1]:
            for c in ends.get(p, ()):
                del open_[c.id]
            for c in starts.get(p, ()):
                open_[c.id] = c
            self.active.append(tuple(open_.values()))

    def changed(
        self,
        added: Sequence[CodingInfo],
        removed: Sequence[CodingInfo],
        replaced: Sequence[CodingInfo],
    ) -> CodingOverlay:
        """A copy with a few codings added, removed or replaced, touching only their spans.

        Lanes of the codings already drawn stay where they are (a new coding takes the first
        lane free along its span), so stripes never jump about while coding.
        """
        new = CodingOverlay.__new__(CodingOverlay)
        new.lane = dict(self.lane)
        new.points = list(self.points)
        new.active = list(self.active)
        gone = {c.id for c in removed}
        swap = {c.id: c for c in replaced}
        for c in added:
            new._split(c.start)
            new._split(c.end)
        for c in [*removed, *replaced, *added]:
            lo = bisect.bisect_left(new.points, c.start)
            hi = bisect.bisect_left(new.points, c.end)
            for k in range(lo, min(hi, len(new.active))):
                cur = new.active[k]
                if gone or swap:
                    cur = tuple(swap.get(x.id, x) for x in cur if x.id not in gone)
                new.active[k] = cur
        for c in added:
            lo = bisect.bisect_left(new.points, c.start)
            hi = bisect.bisect_left(new.points, c.end)
            taken = {new.lane.get(x.id, -1) for k in range(lo, hi) for x in new.active[k]}
            new.lane[c.id] = next(i for i in range(len(taken) + 1) if i not in taken)
            for k in range(lo, hi):
                new.active[k] = (*new.active[k], c)
        for cid in gone:
            new.lane.pop(cid, None)
        keep = [swap.get(c.id, c) for c in self.codings if c.id not in gone]
        new.codings = sorted([*keep, *added], key=lambda c: (c.start, -c.end, c.id))
        new.lanes = max(new.lane.values(), default=-1) + 1
        return new

    def _split(self, p: int) -> None:
        """Make `p` a boundary point (the span it falls in is cut in two)."""
        pts = self.points
        k = bisect.bisect_left(pts, p)
        if k < len(pts) and pts[k] == p:
            return
        if k == 0 or k == len(pts):  # outside every coding: a new, empty span (if any)
            had_points = bool(pts)
            pts.insert(k, p)
            if had_points:
                self.active.insert(0 if k == 0 else len(self.active), ())
            return
        pts.insert(k, p)
        self.active.insert(k, self.active[k - 1])

    def runs(self, start: int, end: int) -> list[tuple[int, int, tuple[CodingInfo, ...]]]:
        """(run start, run end, active codings) covering [start, end), in order."""
        out: list[tuple[int, int, tuple[CodingInfo, ...]]] = []
        pts = self.points
        if not pts or end <= pts[0] or start >= pts[-1]:
            return [(start, end, ())]
        k = max(0, bisect.bisect_right(pts, start) - 1)
        pos = start
        if pos < pts[0]:
            out.append((pos, pts[0], ()))
            pos = pts[0]
        while pos < end and k < len(self.active):
            stop = min(end, pts[k + 1])
            if stop > pos:
                out.append((pos, stop, self.active[k]))
                pos = stop
            k += 1
        if pos < end:
            out.append((pos, end, ()))
        return out

    def covering(self, start: int, end: int) -> list[CodingInfo]:
        """Codings overlapping [start, end) (or touching `start` when the span is empty)."""
        stop = end if end > start else start + 1
        return [c for c in self.codings if c.start < stop and c.end > start]
