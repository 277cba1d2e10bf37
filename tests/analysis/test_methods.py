"""The methods paragraph and the APA agreement table, written to every table format."""

from __future__ import annotations

import csv
import io

import docx
import openpyxl
import pytest

from coder.analysis.agreement import compare
from coder.analysis.agreement_model import CodeInput, SourceInput
from coder.analysis.methods import apa_stat, methods_paragraph, table_note, table_rows
from coder.analysis.records import CodingRec as CodingInput
from coder.export.agreement import agreement_grid
from coder.export.formats import render

SOURCES = [
    SourceInput(1, "one", "First point. Second point. Third point."),
    SourceInput(2, "two", "Only ann read this one."),
]
CODES = [CodeInput(1, "Trust", "g1"), CodeInput(2, "Never used", "g2")]
CODINGS = [
    CodingInput(1, 0, 12, 1, "ann"),
    CodingInput(1, 0, 12, 1, "ben"),
    CodingInput(1, 13, 26, 1, "ann"),
    CodingInput(1, 27, 39, 1, "ben"),
    CodingInput(2, 0, 5, 1, "ann"),
]


def test_apa_numbers() -> None:
    assert [apa_stat(x) for x in (0.784, -0.051, 1.0, 0.0, None, -0.001)] == [
        ".78", "\u2212.05", "1.00", ".00", "\u2014", ".00",
    ]  # fmt: skip


def test_methods_paragraph_reports_what_a_journal_asks() -> None:
    result = compare(SOURCES, CODES, CODINGS, ["ann", "ben"], unit="sentence")
    text = methods_paragraph(result)
    assert text.startswith("Two coders (ann and ben) independently coded 1 of 2 sources (")
    share = round(100 * len(SOURCES[0].text) / sum(len(s.text) for s in SOURCES))
    assert f"({share}% of the text)" in text
    assert "per sentence over 3 sentences (only sentences that at least one coder coded)" in text
    o = result.overall
    assert f"Overall agreement was {o.percent:.1f}%" in text
    assert f"Cohen's \u03ba = {apa_stat(o.kappa)}" in text
    assert f"Krippendorff's \u03b1 (nominal) = {apa_stat(o.alpha)}" in text


def test_methods_paragraph_says_when_figures_are_undefined() -> None:
    codings = [CodingInput(1, 0, 39, 1, who) for who in ("ann", "ben", "cat")]
    result = compare(SOURCES[:1], CODES[:1], codings, ["ann", "ben", "cat"], unit="char")
    text = methods_paragraph(result)
    assert text.startswith("Three coders (ann, ben and cat)")
    assert "as NVivo's coding comparison counts" in text
    assert "Fleiss' \u03ba and Krippendorff's \u03b1 are undefined here" in text
    assert "nan" not in text.lower()


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv", "md"])
def test_agreement_table_in_every_format(fmt: str) -> None:
    result = compare(SOURCES, CODES, CODINGS, ["ann", "ben"], unit="sentence")
    grid = agreement_grid(result.unit, result.coders, table_rows(result), table_note(result))
    data = render(grid, fmt)
    header = ["Code", "Sentences", "Both", "Only ann", "Only ben", "Neither", "% agreement",
              "Cohen's \u03ba", "Krippendorff's \u03b1"]  # fmt: skip
    trust = ["Trust", "3", "1", "1", "1", "0", "33.3", apa_stat(result.codes[0].figures.kappa),
             apa_stat(result.codes[0].figures.alpha)]  # fmt: skip
    unused = ["Never used", "3", "0", "0", "0", "3", "100.0", "\u2014", "\u2014"]
    if fmt == "docx":
        doc = docx.Document(io.BytesIO(data))
        table = doc.tables[0]
        cells = [[c.text for c in row.cells] for row in table.rows]
        assert cells[0] == header and cells[1] == trust and cells[2] == unused
        assert cells[3][0] == "All codes"
        notes = "\n".join(p.text for p in doc.paragraphs)
        assert "Two coders (ann and ben)" in notes and "\u2014 = undefined" in notes
    elif fmt == "xlsx":
        ws = openpyxl.load_workbook(io.BytesIO(data)).active
        rows = [[("" if v is None else str(v)) for v in r] for r in ws.iter_rows(values_only=True)]
        assert rows[1] == header and rows[2] == trust
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0] == header and rows[1] == trust and rows[2] == unused
    else:
        text = data.decode("utf-8")
        assert "| " + " | ".join(trust) + " |" in text
        assert "Two coders (ann and ben)" in text


def test_table_with_three_coders_has_all_some_none() -> None:
    codings = [*CODINGS, CodingInput(1, 0, 39, 1, "cat")]
    result = compare(SOURCES, CODES, codings, ["ann", "ben", "cat"], unit="sentence")
    grid = agreement_grid(result.unit, result.coders, table_rows(result))
    assert [c.label for c in grid.columns][2:5] == ["All", "Some", "None"]
    assert grid.columns[6].label == "Fleiss' \u03ba"
    with pytest.raises(ValueError, match="cells"):
        agreement_grid("sentence", ("a", "b"), table_rows(result))
