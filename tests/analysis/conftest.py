"""Corpora for the analysis tests: a random one (checked against naive counts) and helpers
for crafted ones (every word three characters apart, so word k starts at offset 3k)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from coder.analysis.records import CodeRec, CodingRec, Corpus, SourceRec, TurnRec


def words_text(n: int, prefix: str = "w") -> str:
    """n two-letter words separated by single spaces: word k starts at 3k."""
    return " ".join(f"{prefix}{chr(97 + k % 26)}" for k in range(n))


def span(first: int, last: int) -> tuple[int, int]:
    """Character span covering words first..last (inclusive) of a words_text."""
    return 3 * first, 3 * last + 2


CODES = [
    CodeRec(1, "g-1", "Reacting"),
    CodeRec(2, "g-2", "Anger", 1),
    CodeRec(3, "g-3", "Calm", 1),
    CodeRec(4, "g-4", "Deep", 3),
    CodeRec(5, "g-5", "Bonding"),
    CodeRec(6, "g-6", "Approaching", 5),
    CodeRec(7, "g-7", "Unused"),
    CodeRec(8, "g-8", "Calm", 5),
]

PEOPLE = [
    ("Ann", "Label A", {"Age": 25, "Joined": date(2001, 5, 1), "Genre(s)": "Rock, Pop"}),
    ("Ben", "Label A", {"Age": 30, "Joined": date(2010, 1, 1), "Genre(s)": "Jazz"}),
    ("Cat", None, {"Age": 41, "Joined": date(2015, 3, 9), "Genre(s)": "Rock"}),
    ("Dan", "Label B", {"Age": 60, "Genre(s)": None}),
    (None, None, {}),
]


@pytest.fixture(scope="session")
def random_corpus() -> Corpus:
    rng = random.Random(12)
    sources = []
    turns = []
    codings = []
    for i, (who, org, attrs) in enumerate(PEOPLE):
        n = 60 + 20 * i
        text = words_text(n)
        sid = 100 + i
        sources.append(SourceRec(sid, f"interview {i}", text, who, org, attrs))
        pos = 0
        while pos < n:
            length = rng.randint(3, 9)
            end = min(pos + length, n)
            turns.append(TurnRec(sid, 3 * pos, 3 * end - 1, "I" if pos % 2 else who, pos % 2 == 1))
            pos = end
        for _ in range(40):
            a = rng.randrange(n)
            b = min(n - 1, a + rng.randrange(6))
            code = rng.choice([2, 3, 4, 5, 6, 8, 1])
            s, e = span(a, b)
            s += rng.choice([0, 0, 1])  # sometimes start inside a word
            coder = rng.choice(["ana", "bo"])
            codings.append(CodingRec(sid, s, e, code, coder))
            if rng.random() < 0.3:  # same span again: another code or another coder
                codings.append(CodingRec(sid, s, e, rng.choice([2, 4, 6]), coder))
            if rng.random() < 0.2:
                codings.append(CodingRec(sid, s, e, code, "cy"))
    return Corpus(CODES, sources, codings, turns)
