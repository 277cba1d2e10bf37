"""The vectorised sentence cutter agrees with the rule written the slow, obvious way."""

from __future__ import annotations

import random
import re

import pytest

from coder.analysis.segments import clean_bounds, paragraphs, sentences

_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)|\n")


def slow_sentences(text: str) -> list[tuple[int, int]]:
    """Cut after terminal marks (plus closers) followed by whitespace and at line breaks."""
    cuts = [0, *(m.end() for m in _END.finditer(text)), len(text)]
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = text[a:b]
        if piece.strip():
            lead = a + len(piece) - len(piece.lstrip())
            out.append((lead, lead + len(piece.strip())))
    return out


@pytest.mark.parametrize("seed", range(5))
def test_sentences_match_the_slow_rule(seed: int) -> None:
    rng = random.Random(seed)
    words = ["alpha", "beta.", "gamma!", "\n", "eps?", "x...", "\u201cq!\u201d", "a.b", "(c.)",
             "\u00a0", "\n\n", "end?!", "\u3000", "\t", "\u2026", "caf\u00e9",
             "\U0001f600."]  # fmt: skip
    for _ in range(400):
        text = rng.choice(["", " ", "\n"]).join(
            rng.choice(words) for _ in range(rng.randint(0, 25))
        )
        assert [tuple(b) for b in sentences(text).tolist()] == slow_sentences(text), repr(text)


def test_empty_and_blank_texts() -> None:
    assert sentences("").shape == (0, 2) and sentences(" \n\t ").shape == (0, 2)
    assert paragraphs("").shape == (0, 2)


def test_clean_bounds_clips_sorts_and_cuts_overlaps() -> None:
    got = clean_bounds([(50, 70), (-3, 10), (8, 20), (30, 30), (95, 120)], 100).tolist()
    assert got == [[0, 8], [8, 20], [50, 70], [95, 100]]
