"""Coding query semantics on crafted spans, filters, and parse errors."""

from __future__ import annotations

from datetime import date

import pytest

from coder.analysis.filters import parse_where
from coder.analysis.query import run_query
from coder.analysis.query_parse import parse, tokenize
from coder.analysis.records import CodeRec, CodingRec, Corpus, SourceRec, TurnRec
from coder.errors import UserError
from tests.analysis.conftest import span, words_text

CODES = [
    CodeRec(1, "r", "Reacting"),
    CodeRec(2, "a", "Anger", 1),
    CodeRec(3, "b", "Bonding"),
    CodeRec(4, "ap", "Approaching", 3),
    CodeRec(5, "c", "Calm"),
    CodeRec(6, "c2", "Calm", 3),
]


def corpus(codings: list[CodingRec], turns: list[TurnRec] | None = None, **attrs: object) -> Corpus:
    sources = [
        SourceRec(
            1,
            "one",
            words_text(40),
            "Ann",
            None,
            {"Age": 25, "Genre(s)": "Rock, Pop", "Since": date(2001, 1, 1)},
        ),
        SourceRec(
            2,
            "two",
            words_text(40),
            "Ben",
            None,
            {"Age": 50, "Genre(s)": "Jazz", "Since": date(2015, 1, 1)},
        ),
    ]
    return Corpus(CODES, sources, codings, turns or [])


def spans(hits: tuple) -> list[tuple[str, int, int]]:  # type: ignore[type-arg]
    return [(h.source, h.start, h.end) for h in hits]


def test_code_includes_descendants_and_paths() -> None:
    c = corpus([CodingRec(1, *span(0, 2), 2), CodingRec(1, *span(5, 6), 1)])
    assert spans(run_query(c, '"Reacting"')) == [("one", 0, 8), ("one", 15, 20)]
    hit = run_query(c, '"Reacting/Anger"')[0]
    assert hit.to_json() == {
        "source": "one",
        "start": 0,
        "end": 8,
        "text": "wa wb wc",
        "codes": ["Reacting/Anger"],
    }


def test_and_is_the_overlap() -> None:
    c = corpus(
        [
            CodingRec(1, *span(0, 5), 2),
            CodingRec(1, *span(3, 9), 4),
            CodingRec(1, *span(20, 22), 2),
            CodingRec(1, *span(23, 25), 4),  # touches nothing: 20-22 ends before 23 starts
            CodingRec(2, *span(0, 5), 2),
        ]
    )
    hits = run_query(c, '"Anger" AND "Approaching"')
    assert spans(hits) == [("one", 9, 17)]
    assert hits[0].codes == ("Bonding/Approaching", "Reacting/Anger")


def test_not_removes_overlapping_passages_only() -> None:
    c = corpus(
        [
            CodingRec(1, *span(0, 5), 2),
            CodingRec(1, *span(10, 12), 2),
            CodingRec(1, *span(13, 14), 4),  # right after the second Anger: no overlap
            CodingRec(1, *span(5, 6), 4),  # shares word 5 with the first Anger
        ]
    )
    assert spans(run_query(c, '"Reacting" AND NOT "Bonding/Approaching"')) == [("one", 30, 38)]
    assert spans(run_query(c, 'NOT "Approaching" AND "Anger"')) == [("one", 30, 38)]


def test_or_merges_identical_spans() -> None:
    c = corpus([CodingRec(1, *span(0, 1), 2), CodingRec(1, *span(0, 1), 5)])
    hits = run_query(c, '"Anger" OR "Calm"')
    assert len(hits) == 1 and hits[0].codes == ("Calm", "Reacting/Anger")


@pytest.mark.parametrize("n", [0, 1, 4])
def test_near_boundaries(n: int) -> None:
    # Anger covers words 0-2; Calm starts exactly n words after it
    c = corpus([CodingRec(1, *span(0, 2), 2), CodingRec(1, *span(3 + n, 4 + n), 5)])
    assert spans(run_query(c, f'"Anger" NEAR/{n} "Calm"')) == [("one", 0, 3 * (4 + n) + 2)]
    assert run_query(c, f'"Calm" NEAR/{n} "Anger"')  # either order
    if n:
        assert run_query(c, f'"Anger" NEAR/{n - 1} "Calm"') == ()
    # N + 1 words apart: out
    far = corpus([CodingRec(1, *span(0, 2), 2), CodingRec(1, *span(4 + n, 5 + n), 5)])
    assert run_query(far, f'"Anger" NEAR/{n} "Calm"') == ()


def test_near_never_crosses_sources() -> None:
    c = corpus([CodingRec(1, *span(38, 39), 2), CodingRec(2, *span(0, 1), 5)])
    assert run_query(c, '"Anger" NEAR/50 "Calm"') == ()


def test_followed_by() -> None:
    turns = [TurnRec(1, 0, 59), TurnRec(1, 60, 119)]  # words 0-19 and 20-39
    c = corpus(
        [
            CodingRec(1, *span(0, 1), 2),
            CodingRec(1, *span(5, 6), 5),  # after Anger, same turn
            CodingRec(1, *span(25, 26), 5),  # next turn
            CodingRec(1, *span(30, 31), 2),  # Anger after the Calm of turn 2
        ],
        turns,
    )
    assert spans(run_query(c, '"Anger" FOLLOWED BY "Calm"')) == [("one", 0, 20)]
    assert spans(run_query(c, '"Calm" FOLLOWED BY "Anger"')) == [("one", 75, 95)]
    assert spans(run_query(c, '"Anger" followed by/3 "Calm"')) == [("one", 0, 20)]
    assert run_query(c, '"Anger" FOLLOWED BY/2 "Calm"') == ()
    assert len(run_query(c, '"Anger" FOLLOWED BY/30 "Calm"')) == 2


def test_precedence_and_parentheses() -> None:
    c = corpus(
        [
            CodingRec(1, *span(0, 3), 2),
            CodingRec(1, *span(2, 4), 4),
            CodingRec(1, *span(10, 11), 5),
        ]
    )
    # AND binds tighter than OR
    assert spans(run_query(c, '"Calm" OR "Anger" AND "Approaching"')) == [
        ("one", 6, 11),
        ("one", 30, 35),
    ]
    assert spans(run_query(c, '("Calm" OR "Anger") AND "Approaching"')) == [("one", 6, 11)]


def test_filters_where_speaker_coder() -> None:
    turns = [TurnRec(1, 0, 29, "I", True), TurnRec(1, 30, 119, "Ann", False)]
    c = corpus(
        [
            CodingRec(1, *span(0, 2), 2, "ana"),  # inside the interviewer's turn
            CodingRec(1, *span(12, 13), 2, "bo"),
            CodingRec(2, *span(0, 2), 2, "ana"),
        ],
        turns,
    )
    assert spans(run_query(c, '"Anger"')) == [("one", 36, 41), ("two", 0, 8)]
    assert len(run_query(c, '"Anger"', speaker="all")) == 3
    assert spans(run_query(c, '"Anger"', coders=["ana"])) == [("two", 0, 8)]
    older = [parse_where("Age >= 30")]
    assert spans(run_query(c, '"Anger"', where=older)) == [("two", 0, 8)]
    rock = [parse_where("Genre(s) contains rock")]
    assert spans(run_query(c, '"Anger"', where=rock)) == [("one", 36, 41)]
    since = [parse_where("Since < 2010-01-01"), parse_where("Age = 25")]
    assert spans(run_query(c, '"Anger"', where=since)) == [("one", 36, 41)]
    with pytest.raises(UserError, match="no participant attribute named 'Height'"):
        run_query(c, '"Anger"', where=[parse_where("Height > 2")])
    with pytest.raises(UserError, match="is a number"):
        run_query(c, '"Anger"', where=[parse_where("Age > old")])
    with pytest.raises(UserError, match="ATTRIBUTE OP VALUE"):
        parse_where("Age")
    with pytest.raises(UserError, match="no codings by 'zed'"):
        run_query(c, '"Anger"', coders=["zed"])


@pytest.mark.parametrize(
    ("expr", "pos", "message"),
    [
        ('"Anger" AND', 12, "expected a code in double quotes, found the end"),
        ('"Anger" "Calm"', 9, "expected AND, OR or the end"),
        ('("Anger" OR "Calm"', 19, "expected ')'"),
        ('"Anger', 1, "no closing double quote"),
        ("Anger", 1, "put code names in double quotes"),
        ('"Anger" NEAR "Calm"', 9, "NEAR needs a word distance"),
        ('"Anger" NEAR/ "Calm"', 13, "a word distance must follow '/'"),
        ('"Anger" FOLLOWED "Calm"', 9, "FOLLOWED must be followed by BY"),
        ('NOT "Anger"', 1, "NOT only removes from something"),
        ('"Anger" OR NOT "Calm"', 12, "NOT only removes from something"),
        ('"Nobody"', 1, "no code named 'Nobody'"),
        ('"Anger" AND "Zed"', 13, "no code named 'Zed'"),
        ("", 1, "the query is empty"),
        ('"Anger" & "Calm"', 9, "unexpected '&'"),
    ],
)
def test_parse_errors_point_at_the_position(expr: str, pos: int, message: str) -> None:
    c = corpus([CodingRec(1, *span(0, 1), 2)])
    with pytest.raises(UserError) as err:
        run_query(c, expr)
    text = str(err.value)
    assert f"position {pos}:" in text and message in text and "\n" not in text


def test_tokens_and_tree() -> None:
    kinds = [t.kind for t in tokenize('("A\\"x" near/3 "B") followed  by "C"')]
    assert kinds == ["LPAREN", "STRING", "NEAR", "STRING", "RPAREN", "FOLLOWED", "STRING", "END"]
    assert tokenize('"A\\"x"')[0].text == 'A"x'
    tree = parse('"A" OR "B" AND NOT NOT "C"')
    assert tree.op == "OR" and tree.right.op == "AND"  # type: ignore[union-attr]
    assert tree.right.right.ref == "C"  # type: ignore[union-attr]


def test_names_resolve_by_path_first_then_unique_name() -> None:
    c = corpus([CodingRec(1, *span(0, 1), 5), CodingRec(1, *span(4, 5), 6)])
    assert spans(run_query(c, '"Calm"')) == [("one", 0, 5)]  # the top-level code's path
    assert spans(run_query(c, '"Bonding/Calm"')) == [("one", 12, 17)]
    both = Corpus(
        [
            CodeRec(1, "x", "X"),
            CodeRec(2, "y", "Y"),
            CodeRec(3, "x1", "Calm", 1),
            CodeRec(4, "y1", "Calm", 2),
        ],
        c.sources,
        [],
    )
    with pytest.raises(UserError, match="position 1: code name 'Calm' is ambiguous"):
        run_query(both, '"Calm"')
