"""The same table as CSV, XLSX or Markdown, and picking the format from a file name.

CSV is for reuse in other tools, so every row is complete (merged cells repeat their value).
XLSX keeps the look: caption row, header row, and the merged spans merged. Markdown follows
the Word table: a merged cell's continuation is left blank, and lines inside a cell become
`<br>`. Every writer returns bytes; the caller writes them atomically.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from coder.errors import UserError
from coder.export.cell_safety import csv_cell, risky
from coder.export.docx_tables import table_docx
from coder.export.tables import Grid
from coder.vocab.values import is_integer

FORMATS = ("docx", "csv", "xlsx", "md")
SUFFIXES = {".docx": "docx", ".csv": "csv", ".xlsx": "xlsx", ".md": "md", ".markdown": "md"}


class FormatError(UserError):
    """An output format that coder cannot write (one line)."""


def pick_format(
    path: str | Path | None,
    fmt: str | None,
    allowed: tuple[str, ...] = FORMATS,
    default: str = "docx",
) -> str:
    """The output format: `fmt` if given, else from the file extension, else `default`."""
    if fmt:
        f = fmt.lower().lstrip(".")
        if f == "markdown":
            f = "md"
        if f not in allowed:
            raise FormatError(f"format {fmt!r} is not one of {', '.join(allowed)}")
        return f
    if path is not None and str(path) != "-":
        suffix = Path(path).suffix.lower()
        if suffix in SUFFIXES and SUFFIXES[suffix] in allowed:
            return SUFFIXES[suffix]
        if suffix:
            raise FormatError(
                f"{path}: cannot tell the format from {suffix!r}; "
                f"use --format ({', '.join(allowed)})"
            )
    return default


def render(grid: Grid, fmt: str) -> bytes:
    """The grid in one of FORMATS."""
    if fmt == "docx":
        return table_docx(grid)
    if fmt == "csv":
        return grid_csv(grid)
    if fmt == "xlsx":
        return grid_xlsx(grid)
    if fmt == "md":
        return grid_markdown(grid).encode("utf-8")
    raise FormatError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")


def grid_csv(grid: Grid) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads accents), header row first, every cell filled."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([csv_cell(c.label) for c in grid.columns])
    for row in grid.rows:
        w.writerow([csv_cell(t, col.numeric) for t, col in zip(row, grid.columns, strict=False)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def grid_markdown(grid: Grid) -> str:
    """A pipe table under a bold caption label, numeric columns right-aligned."""
    label, sep, title = grid.caption.partition(". ")
    head = f"**{label}.** *{title}*" if sep and label.lower().startswith("table") else grid.caption
    lines = [head, ""]
    lines.append("| " + " | ".join(_md_cell(c.label) for c in grid.columns) + " |")
    lines.append("|" + "|".join("---:" if c.numeric else "---" for c in grid.columns) + "|")
    for r, row in enumerate(grid.rows):
        cells = ["" if grid.continues(r, c) else _md_cell(t) for c, t in enumerate(row)]
        lines.append("| " + " | ".join(cells) + " |")
    if grid.note:
        lines += ["", grid.note]
    return "\n".join(lines) + "\n"


def grid_xlsx(grid: Grid) -> bytes:
    """A worksheet: caption in A1, header in row 2, body below, spans merged, panes frozen."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "Table"

    def text_cell(row: int, column: int, text: str) -> Cell:
        # Typed as a string so that openpyxl never stores data as a formula (see cell_safety).
        cell = ws.cell(row=row, column=column, value=text)
        cell.data_type = "s"
        if risky(text):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
        return cell

    text_cell(1, 1, grid.caption).font = Font(bold=True)
    rule = Side(style="thin", color="000000")
    for c, col in enumerate(grid.columns, 1):
        cell = text_cell(2, c, col.label)
        cell.border = Border(top=rule, bottom=rule)
        cell.alignment = Alignment(
            horizontal="right" if col.numeric else "left", vertical="bottom", wrap_text=True
        )
    last = len(grid.rows) + 2
    for r, row in enumerate(grid.rows, 3):
        for c, text in enumerate(row, 1):
            col = grid.columns[c - 1]
            if col.numeric and is_integer(text):
                cell = ws.cell(row=r, column=c, value=int(text))
            else:
                cell = text_cell(r, c, text)
            cell.alignment = Alignment(
                horizontal="right" if col.numeric else "left", vertical="top", wrap_text=True
            )
            if r == last:
                cell.border = Border(bottom=rule)
    for span in grid.spans:
        ws.merge_cells(
            start_row=span.first + 3,
            start_column=span.column + 1,
            end_row=span.last + 3,
            end_column=span.column + 1,
        )
    for c, col in enumerate(grid.columns, 1):
        longest = max(
            [len(col.label)]
            + [max((len(x) for x in row[c - 1].split("\n")), default=0) for row in grid.rows]
        )
        ws.column_dimensions[ws.cell(row=2, column=c).column_letter].width = min(60, longest + 2)
    ws.freeze_panes = "A3"
    if grid.note:
        text_cell(last + 2, 1, grid.note)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
