"""Writing a `Grid` as a real Word table, the way a journal typesets it.

Cells that share a value down an organisation (Table 1) or a theme (Table 2) are merged with
python-docx's `cell.merge`, which writes `w:vMerge` restart/continue, so Word shows one cell
and screen readers announce it once. Widths follow the columns' weights when they have them
(long text columns get room), otherwise Word fits the columns to their contents.
"""

from __future__ import annotations

import io
import re

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Emu, Inches, Pt

from coder.export.docx_style import (
    TABLE_PT,
    apa_rules,
    caption,
    new_document,
    new_table,
    set_cell_text,
    to_bytes,
)
from coder.export.tables import Grid


def table_docx(grid: Grid, figure: bytes | None = None) -> bytes:
    """The grid as a .docx: caption, APA-ruled table, and the note under it if any; with
    `figure` (PNG bytes), the figure under the table, as wide as the text."""
    doc = new_document(landscape=grid.landscape, page=grid.page)
    add_grid(doc, grid)
    if figure is not None:
        add_figure(doc, figure)
    return to_bytes(doc)


def add_figure(doc, png: bytes) -> None:  # type: ignore[no-untyped-def]
    """Append a PNG figure, scaled down to fit the text width and the page height."""
    sec = doc.sections[-1]
    usable = int(sec.page_width - sec.left_margin - sec.right_margin)
    tall = int(sec.page_height - sec.top_margin - sec.bottom_margin) * 9 // 10
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(12)
    p.paragraph_format.keep_with_next = False
    run = p.add_run()
    pic = run.add_picture(io.BytesIO(png))
    if pic.width > usable:
        pic.height = Emu(int(pic.height * usable / pic.width))
        pic.width = Emu(usable)
    if pic.height > tall:
        pic.width = Emu(int(pic.width * tall / pic.height))
        pic.height = Emu(tall)


def add_grid(doc, grid: Grid) -> None:  # type: ignore[no-untyped-def]
    """Append the caption, the table and its note to an open document."""
    caption(doc, grid.caption)
    sec = doc.sections[-1]
    size = fitting_size(grid, int(sec.page_width - sec.left_margin - sec.right_margin))
    ncols = len(grid.columns)
    table = new_table(doc, rows=len(grid.rows) + 1, cols=ncols)
    cells = [row.cells for row in table.rows]
    aligns = [
        WD_ALIGN_PARAGRAPH.RIGHT if c.numeric else WD_ALIGN_PARAGRAPH.LEFT for c in grid.columns
    ]
    for c, col in enumerate(grid.columns):
        set_cell_text(cells[0][c], col.label, align=aligns[c], size=size)
        cells[0][c].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    for r, row in enumerate(grid.rows):
        for c, text in enumerate(row):
            if not grid.continues(r, c):
                set_cell_text(cells[r + 1][c], text, align=aligns[c], size=size)
    for span in grid.spans:
        for r in range(span.first + 1, span.last + 1):  # keep a group on one page if it fits
            for cell in cells[r]:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True
        top = cells[span.first + 1][span.column]
        merged = top.merge(cells[span.last + 1][span.column])
        merged.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    _widths(doc, table, grid, cells, size)
    apa_rules(table)
    if grid.note:
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(6)
        label, sep, rest = grid.note.partition(" ")
        if label.rstrip(".").lower() == "note" and sep:
            p.add_run(label).italic = True
            p.add_run(" " + rest)
        else:
            p.add_run(grid.note)
        for run in p.runs:
            run.font.size = Pt(10)


def content_weights(grid: Grid) -> list[float]:
    """Relative widths in EMU (like the minimums) from the text: each column's longest line,
    capped at 40 characters, so short columns stay narrow."""
    out = []
    for c in range(len(grid.columns)):
        longest = max((len(line) for row in grid.rows for line in row[c].split("\n")), default=0)
        out.append(float(int(max(min(longest, 40), 3) * CHAR + PAD)))
    return out


CHAR = Pt(5)  # average character width at 10 pt, a little generous for Times
PAD = Emu(int(Inches(0.15)))  # cell margins


SMALLEST_PT = 8.0  # the smallest text a journal table is set in


def _longest_words(grid: Grid) -> list[int]:
    """Each column's longest word in characters, the header's included (so "Participants (n)"
    may take two lines and leave a portrait page's room to the quotes). Word and LibreOffice
    break a line after a slash or a hyphen, so "Bonding/Reacting" is two words here."""
    out = []
    for c, col in enumerate(grid.columns):
        texts = [col.label, *(row[c] for row in grid.rows)]
        word = max((len(w) for t in texts for w in WORD_BREAK.split(t)), default=1)
        out.append(min(max(word, 1), 24))
    return out


WORD_BREAK = re.compile(r"\s+|(?<=[/-])")


def _min_widths(grid: Grid, size: float = TABLE_PT) -> list[int]:
    """The width that keeps each column's longest word on one line at `size` points."""
    return [int(w * CHAR * size / TABLE_PT + PAD) for w in _longest_words(grid)]


def fitting_size(grid: Grid, usable: int) -> float:
    """The table's text size: TABLE_PT, or smaller (in half points, down to SMALLEST_PT) when
    the columns' longest words do not fit the page side by side at TABLE_PT, as with a
    Table 1 of eleven attributes on a portrait page. Squeezing the columns instead broke
    words in the middle ("Presiden|t")."""
    words = sum(_longest_words(grid)) * CHAR
    room = usable - len(grid.columns) * PAD
    if words <= room:
        return float(TABLE_PT)
    size = max(SMALLEST_PT, int(2 * TABLE_PT * room / words) / 2)
    return float(size)


def fit_widths(weights: list[float], minimum: list[int], usable: int) -> list[int]:
    """Widths proportional to `weights` over `usable`, none below its minimum: columns that
    would fall short are held at their minimum and the rest share what is left."""
    fixed: dict[int, int] = {}
    while True:
        flex = [i for i in range(len(weights)) if i not in fixed]
        free = usable - sum(fixed.values())
        total = sum(weights[i] for i in flex)
        if not flex or free <= 0 or total <= 0:  # even the minimums do not fit: shrink them
            scale = min(1.0, usable / max(sum(minimum), 1))
            return [int(m * scale) for m in minimum]
        share = {i: free * weights[i] / total for i in flex}
        short = [i for i in flex if share[i] < minimum[i]]
        if not short:
            return [fixed[i] if i in fixed else int(share[i]) for i in range(len(weights))]
        for i in short:
            fixed[i] = minimum[i]


def _widths(doc, table, grid: Grid, cells, size: float) -> None:  # type: ignore[no-untyped-def]
    """Set the grid and cell widths (Word reads either; LibreOffice needs the grid)."""
    minimum = _min_widths(grid, size)
    weights = [c.weight for c in grid.columns]
    if not all(weights):  # from the text itself, never below what the minimum needs
        weights = [max(w, float(m)) for w, m in zip(content_weights(grid), minimum, strict=True)]
    sec = doc.sections[-1]
    usable = int(sec.page_width - sec.left_margin - sec.right_margin)
    widths = [Emu(w) for w in fit_widths(weights, minimum, usable)]
    table.autofit = False
    for c, col in enumerate(table.columns):
        col.width = widths[c]
    for row in cells:
        for c, cell in enumerate(row):
            cell.width = widths[c]
