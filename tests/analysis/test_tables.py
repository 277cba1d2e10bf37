"""Extracts (0/1 code matrix, quotes) and every result as a Grid written by the real writers."""

from __future__ import annotations

import csv
import io
from datetime import date

from coder.analysis.cooccur import cooccur
from coder.analysis.extracts import code_matrix, quotes
from coder.analysis.matrix import matrix
from coder.analysis.query import run_query
from coder.analysis.records import CodeRec, CodingRec, Corpus, SourceRec, TurnRec
from coder.analysis.words import WordRow, WordTable
from coder.export.formats import render
from coder.services.analysis.tables import (
    code_matrix_grid,
    cooccur_grid,
    hits_grid,
    matrix_grid,
    quotes_grid,
    words_grid,
)


def small() -> Corpus:
    text = "Q: why?\nA: because bands, labels and fans.\n"
    a = text.index("because")
    return Corpus(
        [CodeRec(1, "t", "Theme"), CodeRec(2, "a", "A", 1), CodeRec(3, "b", "B")],
        [
            SourceRec(1, "one", text, "Ann", "Label", {"Age": 30, "Since": date(2001, 2, 3)}),
            SourceRec(2, "two", "nothing coded", "Ben", None, {"Age": 41}),
        ],
        [
            CodingRec(1, a, a + 13, 2, "ana"),
            CodingRec(1, a, a + 13, 3, "bo"),
            CodingRec(1, a + 8, a + 21, 3, "ana"),
        ],
        [TurnRec(1, 3, 7, "Q", True, 0, 1.5), TurnRec(1, 11, len(text) - 1, "A", False, 1, 4.0)],
    )


def test_code_matrix_rows_and_flags() -> None:
    cm = code_matrix(small())
    assert cm.codes == ("Theme", "Theme/A", "B") and cm.attributes == ("Age", "Since")
    assert [(r.start, r.end, r.flags) for r in cm.rows] == [
        (11, 24, (0, 1, 1)),
        (19, 32, (0, 0, 1)),
    ]
    assert cm.rows[0].values == (30, date(2001, 2, 3)) and cm.rows[0].participant == "Ann"
    out = list(csv.reader(io.StringIO(render(code_matrix_grid(cm), "csv").decode("utf-8-sig"))))
    assert out[0] == [
        "Source",
        "Start",
        "End",
        "Participant",
        "Organisation",
        "Age",
        "Since",
        "Theme",
        "Theme/A",
        "B",
    ]
    assert out[1] == ["one", "11", "24", "Ann", "Label", "30", "2001-02-03", "0", "1", "1"]


def test_quotes_with_turn_and_time() -> None:
    qt = quotes(small())
    assert [(q.code, q.text, q.turn, q.speaker, q.timestamp) for q in qt.quotes] == [
        ("B", "because bands", 2, "A", 4.0),
        ("Theme/A", "because bands", 2, "A", 4.0),
        ("B", "bands, labels", 2, "A", 4.0),
    ]
    md = render(quotes_grid(qt), "md").decode()
    assert "because bands" in md and "Theme/A" in md


def test_every_result_renders_in_every_format() -> None:
    corpus = small()
    grids = [
        matrix_grid(matrix(corpus, "attr:Age")),
        cooccur_grid(cooccur(corpus, "overlap"), jaccard=True),
        hits_grid('"A" AND "B"', run_query(corpus, '"A" AND "B"')),
        words_grid(WordTable(("x", "y"), (WordRow("band", (1, 2), 3),))),
    ]
    for grid in grids:
        for fmt in ("docx", "csv", "xlsx", "md"):
            assert render(grid, fmt)
    text = render(grids[0], "csv").decode("utf-8-sig")
    assert "    A" in text and "Total" in text
    assert "because bands" in render(grids[2], "md").decode()


def test_a_quote_starting_on_a_speaker_label_belongs_to_the_turn_it_reaches() -> None:
    base = small()
    label = base.sources[0].text.index("A: ")
    corpus = Corpus(base.codes, base.sources, [CodingRec(1, label, label + 9, 3)], base.turns)
    (q,) = quotes(corpus).quotes
    assert (q.text, q.turn, q.speaker) == ("A: becaus", 2, "A")
    before = Corpus(base.codes, base.sources, [CodingRec(1, 0, 2, 3)], base.turns)
    assert quotes(before).quotes[0].turn is None  # "Q:" is a label, before any turn


def test_shares_are_written_with_two_decimals_so_their_column_lines_up() -> None:
    """Jaccard and % of words printed 1, 0.4 and 0.1667 side by side in one journal table."""
    corpus = small()
    jac = render(cooccur_grid(cooccur(corpus, "overlap"), jaccard=True), "csv")
    rows = list(csv.reader(io.StringIO(jac.decode("utf-8-sig"))))[1:]
    cells = [c for r in rows for c in r[1:] if c]
    assert cells and all(len(c.split(".")[-1]) == 2 and "." in c for c in cells), cells
    pct = render(matrix_grid(matrix(corpus, "participant", "percent")), "csv")
    rows = list(csv.reader(io.StringIO(pct.decode("utf-8-sig"))))[1:]
    assert all(c.count(".") == 1 and len(c.split(".")[1]) == 2 for r in rows for c in r[1:])
    counts = render(cooccur_grid(cooccur(corpus, "overlap")), "csv").decode("utf-8-sig")
    assert "." not in counts.split("\n", 2)[2]
