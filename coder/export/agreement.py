"""The APA table of per-code agreement, as a `Grid` every table writer already writes.

`coder export agreement PROJECT -o FILE` renders this grid with `coder.export.formats.render`
to .docx, .xlsx, .csv or .md, so agreement tables look like Table 1 and Table 2. The cells come
already formatted (see `coder.analysis.methods.table_rows`): exporters take plain data and do
not import the analysis layer.
"""

from __future__ import annotations

from collections.abc import Sequence

from coder.export.tables import Column, Grid

UNIT_LABELS = {
    "char": "characters",
    "sentence": "sentences",
    "turn": "speaker turns",
    "paragraph": "paragraphs",
    "source": "sources",
}


def agreement_grid(
    unit: str,
    coders: Sequence[str],
    rows: Sequence[tuple[str, ...]],
    note: str = "",
    number: int = 3,
) -> Grid:
    """Per-code agreement captioned `Table {number}` in APA style.

    Args:
        unit: The unit agreement was counted in ("char", "sentence", ...).
        coders: The compared coders; with two, their names head the "Only" columns.
        rows: Formatted cells: code, units, both, only a, only b, neither (all, some, none
            with three or more coders), percent agreement, κ, α.
        note: The note under the table (the methods paragraph).
        number: The table number in the caption.
    """
    two = len(coders) == 2
    counts = (
        (
            Column("both", "Both", True),
            Column("only_a", f"Only {coders[0]}", True),
            Column("only_b", f"Only {coders[1]}", True),
            Column("neither", "Neither", True),
        )
        if two
        else (
            Column("all", "All", True),
            Column("some", "Some", True),
            Column("none", "None", True),
        )
    )
    label = UNIT_LABELS.get(unit, unit)
    columns = (
        Column("code", "Code", weight=2.5),
        Column("units", label.capitalize(), True),
        *counts,
        Column("percent", "% agreement", True),
        Column("kappa", "Cohen's \u03ba" if two else "Fleiss' \u03ba", True),
        Column("alpha", "Krippendorff's \u03b1", True),
    )
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"agreement row has {len(row)} cells, the table {len(columns)}")
    return Grid(
        caption=f"Table {number}. Inter-coder agreement per code ({label})",
        columns=columns,
        rows=tuple(tuple(r) for r in rows),
        note=note,
    )
