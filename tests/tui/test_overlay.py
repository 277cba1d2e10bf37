"""The coding overlay (which codings cover which characters, and their stripe lanes) stays
right when codings are added, removed and changed one by one."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime

from coder.tui.widgets.transcript_model import CodingOverlay
from coder.vocab.dto import CodingInfo


def coding(i: int, start: int, end: int) -> CodingInfo:
    return CodingInfo(
        i,
        f"g{i}",
        1,
        "s",
        i % 5,
        f"code{i % 5}",
        "#112233",
        start,
        end,
        "",
        "ana",
        datetime(2024, 1, 1),
        "",
        False,
    )


def covering_sets(overlay: CodingOverlay, n: int) -> list[frozenset[int]]:
    out = []
    for a, b, active in overlay.runs(0, n):
        out.extend([frozenset(c.id for c in active)] * (b - a))
    return out


def test_incremental_overlay_matches_a_rebuild() -> None:
    rng = random.Random(3)
    n = 400
    codings = [
        coding(i, s, s + rng.randint(1, 60))
        for i, s in enumerate(rng.randrange(0, n - 60) for _ in range(30))
    ]
    overlay = CodingOverlay(codings)
    current = list(codings)
    next_id = 100
    for _step in range(200):
        action = rng.random()
        if action < 0.45 or not current:
            s = rng.randrange(0, n - 60)
            new = coding(next_id, s, s + rng.randint(1, 60))
            next_id += 1
            current.append(new)
            overlay = overlay.changed([new], [], [])
        elif action < 0.8:
            gone = current.pop(rng.randrange(len(current)))
            overlay = overlay.changed([], [gone], [])
        else:
            k = rng.randrange(len(current))
            current[k] = replace(current[k], exemplar=not current[k].exemplar)
            overlay = overlay.changed([], [], [current[k]])
        assert covering_sets(overlay, n) == covering_sets(CodingOverlay(current), n)
        assert sorted(c.id for c in overlay.codings) == sorted(c.id for c in current)
        # No two codings that overlap share a lane.
        for a in current:
            for b in current:
                if a.id < b.id and a.start < b.end and b.start < a.end:
                    assert overlay.lane[a.id] != overlay.lane[b.id]
    exemplars = {c.id for c in current if c.exemplar}
    assert {c.id for c in overlay.codings if c.exemplar} == exemplars
