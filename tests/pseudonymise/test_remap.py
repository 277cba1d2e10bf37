"""Property tests of the pure offset map: random texts, random replacements, random spans."""

from __future__ import annotations

import random

import pytest

from coder.ingest.pseudonym import non_overlapping, replace
from coder.vocab.pseudonym import Hit

ALPHABET = "ab cdé\nXY–😀"


def _random_case(rng: random.Random) -> tuple[str, list[Hit]]:
    text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 80)))
    raw = []
    for _ in range(rng.randint(0, 8)):
        a = rng.randrange(len(text))
        b = rng.randint(a + 1, min(len(text), a + 10))
        pseudo = "".join(rng.choice("PQ0123") for _ in range(rng.randint(1, 12)))
        raw.append(Hit(a, b, text[a:b], pseudo, "list"))
    return text, non_overlapping(raw)


def _expected(text: str, hits: list[Hit], start: int, end: int) -> str:
    """The span grown over every name it cuts, with the names inside it replaced: built
    naively, without the map."""
    for h in hits:
        if h.start < start < h.end:
            start = h.start
        if h.start < end < h.end:
            end = h.end
    out, pos = [], start
    for h in sorted(hits, key=lambda h: h.start):
        if h.start >= start and h.end <= end:
            out.append(text[pos : h.start] + h.pseudonym)
            pos = h.end
    out.append(text[pos:end])
    return "".join(out)


@pytest.mark.parametrize("seed", range(300))
def test_every_span_keeps_its_text(seed: int) -> None:
    rng = random.Random(seed)
    text, hits = _random_case(rng)
    new, mapping = replace(text, hits)
    for _ in range(30):
        a = rng.randrange(len(text))
        b = rng.randint(a + 1, len(text))
        s, e = mapping.span(a, b)
        assert 0 <= s < e <= len(new)
        assert new[s:e] == _expected(text, hits, a, b)


@pytest.mark.parametrize("seed", range(100))
def test_text_is_the_pieces_and_the_pseudonyms(seed: int) -> None:
    rng = random.Random(seed)
    text, hits = _random_case(rng)
    new, mapping = replace(text, hits)
    assert new == _expected(text, hits, 0, len(text))
    assert mapping.span(0, len(text)) == (0, len(new))
    for h in hits:  # each name maps onto exactly its pseudonym
        s, e = mapping.span(h.start, h.end)
        assert new[s:e] == h.pseudonym


def test_overlapping_hits_keep_the_first_and_longest() -> None:
    hits = [Hit(0, 5, "Helen", "P01", "list"), Hit(0, 11, "Helen Smith", "P01", "list"),
            Hit(6, 11, "Smith", "P01", "list")]  # fmt: skip
    assert non_overlapping(hits) == [hits[1]]


def test_overlapping_hits_are_refused() -> None:
    with pytest.raises(ValueError):
        replace("Helen Smith", [Hit(0, 5, "Helen", "P", "list"), Hit(3, 8, "en Sm", "Q", "list")])
