"""Co-occurrence counts and Jaccard on crafted spans, and against a naive pairwise count."""

from __future__ import annotations

import itertools
import re

import pytest

from coder.analysis.cooccur import cooccur, drill
from coder.analysis.records import CodeRec, CodingRec, Corpus, SourceRec, TurnRec
from coder.errors import UserError
from tests.analysis.conftest import span, words_text

CODES = [CodeRec(1, "a", "A"), CodeRec(2, "b", "B"), CodeRec(3, "c", "C")]


def crafted() -> Corpus:
    # source 1: 30 words, two turns: words 0-14 and 15-29; a paragraph break after word 9
    text = words_text(30)
    text = text[:29] + "\n" + text[30:]
    src = [SourceRec(1, "one", text), SourceRec(2, "two", words_text(30))]
    turns = [TurnRec(1, 0, 44), TurnRec(1, 45, 89)]
    codings = [
        CodingRec(1, *span(0, 3), 1),  # A1
        CodingRec(1, *span(2, 5), 2),  # B1 overlaps A1
        CodingRec(1, *span(7, 8), 2),  # B2: same turn and paragraph as A1, 3 words after it
        CodingRec(1, *span(12, 13), 1),  # A2: same turn as B2, other paragraph
        CodingRec(1, *span(20, 22), 3),  # C1 alone in turn 2
        CodingRec(2, *span(0, 3), 1, "x"),  # A3 and the same span by another coder: one passage
        CodingRec(2, *span(0, 3), 1, "y"),
        CodingRec(2, *span(0, 3), 3),  # C2 on A3's span
    ]
    return Corpus(CODES, src, codings, turns)


def test_overlap_counts_and_jaccard() -> None:
    co = cooccur(crafted(), "overlap")
    assert co.codes == ("A", "B", "C")
    assert co.counts == ((3, 1, 1), (1, 2, 0), (1, 0, 2))
    # A-B: A1 meets B1 -> (1 + 1) / (3 + 2); A-C: A3 meets C2 -> (1 + 1) / (3 + 2)
    assert co.jaccard[0][1] == pytest.approx(0.4) and co.jaccard[0][2] == pytest.approx(0.4)
    assert co.jaccard[1][2] == 0.0 and co.jaccard[0][0] == 1.0


def test_turn_paragraph_and_near() -> None:
    corpus = crafted()
    turn = cooccur(corpus, "turn")
    # turn 1 holds A1, A2, B1, B2: four A-B pairs
    assert turn.counts[0][1] == 4 and turn.jaccard[0][1] == pytest.approx(4 / 5)
    para = cooccur(corpus, "paragraph")
    # paragraph 1 (words 0-9): A1 with B1 and B2; A2 is in paragraph 2
    assert para.counts[0][1] == 2 and para.jaccard[0][1] == pytest.approx(3 / 5)
    # A1 ends at word 3, B2 starts at word 7: three words between
    # near:3: A1-B1 (overlap), A1-B2 and A2-B2 (three words between each); A2-B1 is 6 apart
    assert cooccur(corpus, "near:3").counts[0][1] == 3
    assert cooccur(corpus, "near:2").counts[0][1] == 1
    assert cooccur(corpus, "near:0").counts[0][1] == 1
    pairs = drill(corpus, 1, 2, "near:3")
    assert sorted((a.start, b.start) for a, b in pairs) == [(0, 6), (0, 21), (36, 21)]


def test_bad_unit() -> None:
    with pytest.raises(UserError, match="near:N"):
        cooccur(crafted(), "sentence")


def naive_meet(corpus: Corpus, by: str, a: CodingRec, b: CodingRec) -> bool:
    if a.source != b.source:
        return False
    if by == "overlap":
        return a.start < b.end and b.start < a.end
    text = next(s.text for s in corpus.sources if s.id == a.source)
    if by == "paragraph":
        return text.count("\n", 0, a.start) <= text.count("\n", 0, b.end - 1) and text.count(
            "\n", 0, b.start
        ) <= text.count("\n", 0, a.end - 1)
    if by == "turn":

        def turns_of(c: CodingRec) -> set[int]:
            ts = [t for t in corpus.turns if t.source == c.source]
            starts = sorted({0, *(t.start for t in ts)})
            return {
                k
                for k, s in enumerate(starts)
                if s < c.end and (k + 1 == len(starts) or starts[k + 1] > c.start)
            }

        return bool(turns_of(a) & turns_of(b))
    n = int(by.split(":")[1])
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]

    def wspan(c: CodingRec) -> tuple[int, int]:
        idx = [k for k, (s, e) in enumerate(words) if s < c.end and e > c.start]
        return (idx[0], idx[-1]) if idx else (-1, -1)

    (a0, a1), (b0, b1) = wspan(a), wspan(b)
    gap = max(a0, b0) - min(a1, b1) - 1
    return gap <= n


@pytest.mark.parametrize("by", ["overlap", "turn", "paragraph", "near:0", "near:4"])
def test_against_naive_pairs(random_corpus: Corpus, by: str) -> None:
    co = cooccur(random_corpus, by)
    passages: dict[int, list[CodingRec]] = {}
    for c in random_corpus.codings:
        seen = {(p.source, p.start, p.end) for p in passages.get(c.code, [])}
        if (c.source, c.start, c.end) not in seen:
            passages.setdefault(c.code, []).append(c)
    for (x, a), (y, b) in itertools.combinations(enumerate(co.code_ids), 2):
        pa, pb = passages.get(a, []), passages.get(b, [])
        pairs = [(p, q) for p in pa for q in pb if naive_meet(random_corpus, by, p, q)]
        assert co.counts[x][y] == co.counts[y][x] == len(pairs), (by, a, b)
        met = len({id(p) for p, _ in pairs}) + len({id(q) for _, q in pairs})
        want = met / (len(pa) + len(pb)) if pa or pb else 0.0
        assert co.jaccard[x][y] == pytest.approx(want, abs=1e-4)
        assert len(drill(random_corpus, a, b, by)) == len(pairs)
