"""Word tables keep every word whole. A Table 1 of eleven attributes on a portrait page used to
squeeze every column below its longest word, and Word and LibreOffice broke "Presiden|t",
"Lab|el" and "establishe|d"; a co-occurrence table counted "Bonding/Encouraging" as one word
although a line breaks after the slash, so it squeezed "Bondi|ng". Now the text of a table
that cannot fit at 10 pt is set smaller (not below 8 pt), and slashes and hyphens break."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from coder.export.docx_tables import table_docx
from coder.export.tables import Column, Grid

CELL_MARGINS = 8.6  # points: the tables' left and right cell margins (86 twips each)
EM_PER_CHAR = 0.45  # Times New Roman's average letter is about 0.45 em wide


def _layout(data: bytes) -> tuple[list[float], set[float], float]:
    """Column widths (points), the run sizes used in the table, and the text width."""
    doc = Document(io.BytesIO(data))
    table = doc.tables[0]
    widths = [int(g.get(qn("w:w"))) / 20 for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    sizes = {
        run.font.size.pt
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
        for run in p.runs
        if run.font.size is not None
    }
    sec = doc.sections[-1]
    usable = (sec.page_width - sec.left_margin - sec.right_margin) / Pt(1)
    return widths, sizes, usable


def _longest(grid: Grid, c: int) -> int:
    import re

    texts = [grid.columns[c].label, *(row[c] for row in grid.rows)]
    return max(len(w) for t in texts for w in re.split(r"\s+|(?<=[/-])", t) if w)


def _fits_every_word(grid: Grid) -> tuple[float, float]:
    widths, sizes, usable = _layout(table_docx(grid))
    assert len(sizes) == 1, sizes
    size = sizes.pop()
    for c, width in enumerate(widths):
        need = _longest(grid, c) * EM_PER_CHAR * size + CELL_MARGINS
        assert width >= need, (grid.columns[c].label, width, need, size)
    assert sum(widths) <= usable + 1
    return size, sum(widths)


def test_a_wide_table1_sets_smaller_text_instead_of_breaking_words() -> None:
    labels = [
        "Participant", "Label", "Position", "Years in music industry", "Genre(s)",
        "Year established", "Interview (min)", "Role", "Staff", "Founded", "Country",
    ]  # fmt: skip
    rows = [
        ("P01", "A", "Vice President", "14", "Rock, Folk etc.", "1998", "130", "", "", "", ""),
        ("P05", "E", "CEO and Producer", "22", "Rock", "2011", "150", "", "", "", ""),
        ("S02", "", "", "", "", "", "", "Label manager", "5", "2014", "Netherlands"),
    ]
    numeric = {"Years in music industry", "Year established", "Interview (min)", "Staff"}
    grid = Grid(
        "Table 1. Participants",
        tuple(Column(f"k{i}", label, label in numeric) for i, label in enumerate(labels)),
        tuple(rows),
    )
    size, _ = _fits_every_word(grid)
    assert 8 <= size < 10


def test_slashes_break_so_a_cooccurrence_table_keeps_10_pt_and_whole_words() -> None:
    codes = [
        "Bonding", "Bonding/Approaching", "Bonding/Reacting", "Bonding/Encouraging participation",
        "Spreading/Freedom to participate and share", "Spreading/Freedom of expression",
    ]  # fmt: skip
    grid = Grid(
        "Co-occurrence by overlap (pairs of passages)",
        (Column("code", "Code"), *(Column(f"c{i}", c, True) for i, c in enumerate(codes))),
        tuple((c, *("0" for _ in codes)) for c in codes),
    )
    size, _ = _fits_every_word(grid)
    assert size == 10


def test_a_narrow_table_is_unchanged() -> None:
    grid = Grid("T", (Column("a", "Theme"), Column("n", "Passages (n)", True)), (("Bonding", "3"),))
    size, _ = _fits_every_word(grid)
    assert size == 10
