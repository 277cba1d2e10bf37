"""The training sample of a huge project: bounded, fair to every code, and stable as it grows."""

from __future__ import annotations

import random

from coder.suggest.sampling import MIN_PER_CODE, cap_spans


def study(n: int, codes: int, seed: int = 0) -> dict:  # type: ignore[type-arg]
    rng = random.Random(seed)
    out = {}
    for i in range(n):
        k = 0 if i % 10 else rng.randrange(1, codes)  # code 0 is common, the rest are rare
        out[(i // 100, i % 100 * 10, i % 100 * 10 + 9)] = ({k}, set(), False)
    return out


def test_a_small_project_is_untouched() -> None:
    spans = study(500, 5)
    assert cap_spans(spans, limit=1000) is spans


def test_a_big_project_is_capped_but_every_code_keeps_its_share() -> None:
    spans = study(50_000, 40)
    kept = cap_spans(spans, limit=2_000)
    assert len(kept) <= 2_000 + MIN_PER_CODE * 40
    per_code: dict[int, int] = {}
    for codes, _rej, _seen in kept.values():
        for k in codes:
            per_code[k] = per_code.get(k, 0) + 1
    assert set(per_code) == set(range(40))  # no code lost
    assert min(per_code.values()) >= MIN_PER_CODE
    assert per_code[0] < 2_000  # the common code no longer crowds the others out


def test_rejections_are_always_kept() -> None:
    spans = study(20_000, 10)
    spans[(999, 0, 5)] = (set(), {3}, False)
    assert (999, 0, 5) in cap_spans(spans, limit=500)


def test_the_sample_is_stable_as_coding_grows() -> None:
    before = set(cap_spans(study(30_000, 10), limit=3_000))
    after = set(cap_spans(study(33_000, 10), limit=3_000))  # the same study, 10% more coded
    assert len(before & after) >= 0.85 * len(before)
