"""Spans of a text: whose turn an offset falls in, and how much of a text codings cover.

A passage that starts inside a turn belongs to that turn's speaker; one that starts in a label
("Helen: ") or in the gap between turns belongs to the next turn. Table 2, retrieval and the
REFI-QDA export all ask this, so the rule lives here once.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

TurnRow = tuple[int, int, str | None]
"""(start, end, speaker) of one turn; a source's turns are in order and do not overlap."""


def turn_at(starts: Sequence[int], turns: Sequence[TurnRow], offset: int) -> int | None:
    """The index of the turn containing `offset` (or of the next turn, from a label or gap),
    or None past the last turn.

    `starts` is `[t[0] for t in turns]`, passed in so a caller asking many times builds it once.
    """
    k = bisect.bisect_right(starts, offset) - 1
    if k >= 0 and turns[k][1] > offset:
        return k
    return k + 1 if k + 1 < len(turns) else None


def speaker_at(starts: Sequence[int], turns: Sequence[TurnRow], offset: int) -> str | None:
    """The speaker of the turn containing `offset` (or of the next turn, from a label or gap)."""
    k = turn_at(starts, turns, offset)
    return None if k is None else turns[k][2]


def coverage_chars(spans: Iterable[tuple[int, int]]) -> int:
    """Characters covered by the union of (start, end) spans: the one coverage rule."""
    total, cur_s, cur_e = 0, -1, -1
    for s, e in sorted(spans):
        if s > cur_e:
            total += max(0, cur_e - cur_s)
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    return total + max(0, cur_e - cur_s)


def clock(seconds: float) -> str:
    """Seconds into a recording as MM:SS, or HH:MM:SS from an hour on: how time stamps are
    shown in the workspace, the extracts and coder's messages."""
    s = int(seconds)
    return (
        f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
        if s >= 3600
        else f"{s // 60:02d}:{s % 60:02d}"
    )
