"""The matrix against counts made naively from the codings, and drill-downs against cells."""

from __future__ import annotations

import re
from datetime import date

import pytest

from coder.analysis.groups import Bins, group_sources
from coder.analysis.matrix import drill, matrix
from coder.analysis.records import CodeRec, CodingRec, Corpus, SourceRec
from coder.errors import UserError

BYS = ["participant", "organisation", "source", "coder", "attr:Age", "attr:Joined", "attr:Genre(s)"]


def naive_descendants(corpus: Corpus, code_id: int) -> set[int]:
    out = {code_id}
    changed = True
    while changed:
        changed = False
        for c in corpus.codes:
            if c.parent in out and c.id not in out:
                out.add(c.id)
                changed = True
    return out


def naive_label(corpus: Corpus, by: str, coding: CodingRec) -> str:
    if by == "coder":
        return coding.coder
    src = next(s for s in corpus.sources if s.id == coding.source)
    grouping = group_sources(corpus, by)
    return grouping.labels[int(grouping.of_source[corpus.sources.index(src)])]


def word_starts(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\w+", text)]


def naive_cell(corpus: Corpus, codings: list[CodingRec], kind: str, col_words: int) -> float:
    if kind == "passages":
        return len({(c.source, c.start, c.end) for c in codings})
    if kind == "participants":
        by_id = {s.id: s for s in corpus.sources}
        return len({by_id[c.source].participant for c in codings} - {None})
    covered = set()
    for c in codings:
        text = next(s.text for s in corpus.sources if s.id == c.source)
        covered |= {(c.source, w) for w in word_starts(text) if c.start <= w < c.end}
    if kind == "words":
        return len(covered)
    return round(100 * len(covered) / col_words, 2) if col_words else 0


@pytest.mark.parametrize("by", BYS)
@pytest.mark.parametrize("kind", ["passages", "participants", "words", "percent"])
def test_cells_equal_naive_counts(random_corpus: Corpus, by: str, kind: str) -> None:
    m = matrix(random_corpus, by, kind)
    all_words = sum(len(word_starts(s.text)) for s in random_corpus.sources)

    def col_words(col: str) -> int:
        if by == "coder":
            return all_words
        return sum(
            len(word_starts(s.text))
            for s in random_corpus.sources
            if naive_label(random_corpus, by, CodingRec(s.id, 0, 1, 0)) == col
        )

    labels = {id(c): naive_label(random_corpus, by, c) for c in random_corpus.codings}
    for row in m.rows:
        desc = naive_descendants(random_corpus, row.code_id)
        mine = [c for c in random_corpus.codings if c.code in desc]
        for col, value in zip(m.cols, row.cells, strict=True):
            in_col = [c for c in mine if labels[id(c)] == col]
            assert value == naive_cell(random_corpus, in_col, kind, col_words(col)), (row.path, col)
        assert row.total == naive_cell(random_corpus, mine, kind, all_words), row.path
    for col, value in zip(m.cols, m.totals, strict=True):
        in_col = [c for c in random_corpus.codings if labels[id(c)] == col]
        assert value == naive_cell(random_corpus, in_col, kind, col_words(col)), col
    assert m.total == naive_cell(random_corpus, list(random_corpus.codings), kind, all_words)


def test_theme_row_counts_each_passage_once(random_corpus: Corpus) -> None:
    m = matrix(random_corpus, "participant", "passages")
    rows = {r.path: r for r in m.rows}
    theme, kids = rows["Reacting"], [rows["Reacting/Anger"], rows["Reacting/Calm"]]
    # some span is coded with two codes of the theme, so the theme is less than the sum
    assert theme.total < sum(k.total for k in kids) + sum(
        1 for c in random_corpus.codings if c.code == 1
    )
    assert theme.total >= max(k.total for k in kids)
    assert rows["Unused"].cells == (0,) * len(m.cols)


@pytest.mark.parametrize("by", ["participant", "coder", "attr:Age"])
def test_drill_returns_exactly_the_cells_passages(random_corpus: Corpus, by: str) -> None:
    m = matrix(random_corpus, by, "passages")
    labels = {id(c): naive_label(random_corpus, by, c) for c in random_corpus.codings}
    for row in m.rows:
        desc = naive_descendants(random_corpus, row.code_id)
        for col, value in zip(m.cols, row.cells, strict=True):
            got = drill(random_corpus, row.code_id, col, by)
            want = {
                (c.source, c.start, c.end)
                for c in random_corpus.codings
                if c.code in desc and labels[id(c)] == col
            }
            assert {(p.source, p.start, p.end) for p in got} == want
            assert len(got) == value
            for p in got:  # each passage lists the row's codes that cover exactly it
                assert set(p.codes) <= desc
        assert len(drill(random_corpus, row.code_id, None, by)) == row.total


def test_json_shape(random_corpus: Corpus) -> None:
    data = matrix(random_corpus, "participant").to_json()
    assert list(data) == ["cols", "rows", "totals"]
    assert data["cols"] == ["Ann", "Ben", "Cat", "Dan", "(none)"]
    assert list(data["rows"][0]) == ["code", "guid", "path", "cells", "total"]
    assert [r["path"] for r in data["rows"]][:4] == [
        "Reacting",
        "Reacting/Anger",
        "Reacting/Calm",
        "Reacting/Calm/Deep",
    ]
    assert all(len(r["cells"]) == len(data["cols"]) for r in data["rows"])


def test_number_and_date_bins() -> None:
    sources = [
        SourceRec(i, f"s{i}", "a b", f"p{i}", None, {"Age": age, "Since": since})
        for i, (age, since) in enumerate(
            [(25, date(2000, 1, 1)), (30, date(2005, 6, 1)), (41, date(2010, 1, 1)), (60, None)]
        )
    ]
    corpus = Corpus([CodeRec(1, "g", "A")], sources, [CodingRec(i, 0, 1, 1) for i in range(4)])
    cut = matrix(corpus, "attr:Age", bins=Bins(cuts=(30, 40)))
    assert cut.cols == ("25–29", "30–39", "40–60")
    assert cut.rows[0].cells == (1, 1, 2)
    even = matrix(corpus, "attr:Age", bins=Bins(count=2))
    assert even.cols == ("25–42", "43–60") and even.rows[0].cells == (3, 1)
    dates = matrix(corpus, "attr:Since", bins=Bins(count=2))
    assert dates.cols == ("2000-01-01–2004-12-31", "2005-01-01–2010-01-01", "(none)")
    assert dates.rows[0].cells == (1, 2, 1)


def test_cut_points_of_the_wrong_kind_are_refused() -> None:
    """`--bins 2001-01-01` on a number attribute was dropped without a word (four even bins
    came out instead), and a number cut on a date attribute was taken as a day count."""
    sources = [
        SourceRec(i, f"s{i}", "a b", f"p{i}", None, {"Age": age, "Since": since})
        for i, (age, since) in enumerate([(25, date(2000, 1, 1)), (41, date(2010, 1, 1))])
    ]
    corpus = Corpus([CodeRec(1, "g", "A")], sources, [CodingRec(i, 0, 1, 1) for i in range(2)])
    with pytest.raises(UserError, match="number attribute are numbers"):
        matrix(corpus, "attr:Age", bins=Bins(cuts=(date(2001, 1, 1),)))
    with pytest.raises(UserError, match="date attribute are dates"):
        matrix(corpus, "attr:Since", bins=Bins(cuts=(2005.0,)))
    assert matrix(corpus, "attr:Since", bins=Bins(cuts=(date(2005, 1, 1),))).rows[0].cells == (
        1,
        1,
    )


def test_bad_columns_and_cells(random_corpus: Corpus) -> None:
    with pytest.raises(UserError, match="cannot group by 'speaker'"):
        matrix(random_corpus, "speaker")
    with pytest.raises(UserError, match="no participant attribute named 'Height'"):
        matrix(random_corpus, "attr:Height")
    with pytest.raises(UserError, match="unknown cell"):
        matrix(random_corpus, "participant", "minutes")
