"""The export dialog's preview: the rows the export will write, in a DataTable.

The preview is built from the same `Table1` / `Table2` grid the writers use, so what the
researcher sees is what lands in the file: the same rows, the same column order, and merged
cells (an organisation's shared values, a theme down its sub-themes) blank below their first
row, as in the Word table. Long cells are cut to one short line; the file gets them whole. For
the codebook and extracts documents it lists the codes the document will hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from rich.text import Text
from textual.widgets import DataTable

from coder.export.tables import Grid, Table1, Table2
from coder.vocab.dto import CodeNode

CELL = 38  # characters of a cell shown in the preview


@dataclass(frozen=True)
class Preview:
    """What the preview shows.

    Attributes:
        keys: Column keys, so renamed headers can be shown without fetching again.
        headers: Default header of each column.
        rows: Cell texts, merged continuations already blank.
        labels: A label per row (participant ids when Table 1 does not show them), or ().
        numeric: Right-align these columns.
        note: A line under the table (how many rows, the table's note).
    """

    keys: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    labels: tuple[str, ...] = ()
    numeric: tuple[bool, ...] = ()
    note: str = ""


def cell_text(text: str, width: int = CELL) -> str:
    """A cell as one short line: paragraphs joined with " / ", cut with an ellipsis."""
    flat = " / ".join(" ".join(p.split()) for p in text.split("\n") if p.strip())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def grid_preview(grid: Grid, labels: Sequence[str] = (), what: str = "rows") -> Preview:
    """The grid as the preview shows it: merged cells blank below their first row."""
    rows = tuple(
        tuple("" if grid.continues(r, c) else cell_text(t) for c, t in enumerate(row))
        for r, row in enumerate(grid.rows)
    )
    n = len(rows)
    note = f"{n} {what if n != 1 else what.rstrip('s')}"
    return Preview(
        tuple(c.key for c in grid.columns),
        tuple(c.label for c in grid.columns),
        rows,
        tuple(labels),
        tuple(c.numeric for c in grid.columns),
        note + (f" · {cell_text(grid.note, 90)}" if grid.note else ""),
    )


def table_preview(table: Table1 | Table2) -> Preview:
    """Table 1 (rows labelled with the participant when that column is left out) or Table 2."""
    if isinstance(table, Table1):
        shown = any(c.key == "participant" for c in table.columns)
        labels = () if shown else tuple(r.participant for r in table.rows)
        preview = grid_preview(table.grid(), labels, "participants")
        if shown:
            return preview
        hint = "ids at the left are not in the table: tick Participant to add them"
        return replace(preview, note=f"{preview.note} · {hint}")
    return grid_preview(table.grid(), (), "rows")


def codes_preview(tree: Sequence[CodeNode], what: str) -> Preview:
    """The codes the codebook ("codebook") or the extracts report ("extracts") will hold."""
    rows: list[tuple[str, ...]] = []
    for node in tree:
        for c in node.walk():
            name = "  " * c.depth + cell_text(c.name, 40)
            if what == "codebook":
                rows.append((name, cell_text(c.description, 60), str(c.codings)))
            else:
                rows.append((name, str(c.codings), str(c.participants)))
    if what == "codebook":
        keys, headers = ("code", "definition", "codings"), ("Code", "Definition", "Codings")
        numeric = (False, False, True)
        note = f"{len(rows)} codes, each with its definition, criteria, keywords and examples"
    else:
        keys, headers = ("code", "passages", "participants"), ("Code", "Passages", "Participants")
        numeric = (False, True, True)
        total = sum(c.codings for node in tree for c in node.walk())
        note = f"{total:,} coded passages under {len(rows)} codes, with each participant's details"
    return Preview(keys, headers, tuple(rows), (), numeric, note)


class PreviewTable(DataTable[Text | str]):
    """A read-only table of the preview rows."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, zebra_stripes=True, cursor_type="row", show_row_labels=True)
        self.preview: Preview | None = None

    def show(self, preview: Preview, headers: Mapping[str, str] | None = None) -> None:
        """Draw `preview`; `headers` renames columns by key (the dialog's header fields)."""
        self.preview = preview
        headers = headers or {}
        self.clear(columns=True)
        for i, (key, default) in enumerate(zip(preview.keys, preview.headers, strict=True)):
            right = bool(preview.numeric) and preview.numeric[i]
            head = Text(headers.get(key, default), justify="right" if right else "left")
            self.add_column(head, key=key)
        self.show_row_labels = bool(preview.labels)
        for r, row in enumerate(preview.rows):
            name = preview.labels[r] if preview.labels else ""
            cells = [
                Text(t, justify="right" if preview.numeric and preview.numeric[i] else "left")
                for i, t in enumerate(row)
            ]
            self.add_row(*cells, key=str(r), label=Text(name, style="dim") if name else None)

    def row_texts(self, label: str) -> list[str]:
        """The cells of the row labelled `label` (a participant id, or the first cell)."""
        p = self.preview
        assert p is not None
        firsts = p.labels or tuple(row[0] if row else "" for row in p.rows)
        return [str(c) for c in self.get_row(str(firsts.index(label)))]

    def column_labels(self) -> list[str]:
        return [str(c.label) for c in self.ordered_columns]
