"""What the export dialog asks of the services, run in its worker threads, and the messages
that bring the answers back to the screen.

Each function takes the open project and returns plain data (column checklists, previews, a
one-line summary of what was written); the dialog calls them from `@work(thread=True)` workers
and never touches a widget from the thread. Writing goes through the same service call as
`coder export table1|table2`, so the columns and caption are remembered the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from coder.export.columns import TableConfig
from coder.export.formats import FORMATS
from coder.export.tables import Table1, Table2
from coder.files import atomic_write
from coder.services.codebook.reading import code_tree
from coder.services.reports.tables import (
    document_file,
    table1_columns,
    table1_data,
    table2_columns,
    table2_data,
    write_table,
)
from coder.tui.widgets.export_columns import ColumnItem, column_items
from coder.tui.widgets.export_preview import Preview, codes_preview, table_preview

if TYPE_CHECKING:
    from coder.services.project.store import Project


@dataclass(frozen=True)
class Kind:
    """Something the dialog exports."""

    key: str  # "table1", "table2", "codebook", "extracts"; also the default file name
    tab: str
    formats: tuple[str, ...]

    @property
    def table(self) -> bool:
        return self.key in ("table1", "table2")


KINDS = (
    Kind("table1", "Table 1: participants", FORMATS),
    Kind("table2", "Table 2: themes", FORMATS),
    Kind("codebook", "Codebook", ("docx", "md")),
    Kind("extracts", "Coded extracts", ("docx", "md")),
)
BY_KEY = {k.key: k for k in KINDS}
FIXED = {"table2": ("theme", "subtheme")}  # the merged theme cells hang on these two

Columns = tuple[tuple[str, str], ...]


@dataclass
class TableLoaded(Message):
    """A table's checklist (remembered layout, else the defaults), caption and preview."""

    kind: str
    items: list[ColumnItem]
    caption: str
    preview: Preview


@dataclass
class PreviewReady(Message):
    kind: str
    keys: tuple[str, ...]  # the column keys it was fetched for
    preview: Preview


@dataclass
class Exported(Message):
    kind: str
    path: Path
    summary: str


@dataclass
class ExportFailed(Message):
    error: str


def load_table(project: Project, kind: str) -> TableLoaded:
    """The checklist as the next export would lay the table out, with its preview."""
    data: Table1 | Table2
    if kind == "table1":
        choices, data = table1_columns(project), table1_data(project)
    else:
        choices, data = table2_columns(project), table2_data(project)
    items = column_items(
        [(c.key, c.label, c.description) for c in choices],
        [(c.key, c.label) for c in data.columns],
        FIXED.get(kind, ()),
    )
    return TableLoaded(kind, items, data.caption, table_preview(data))


def preview(project: Project, kind: str, columns: Columns) -> Preview:
    """The rows the export would write with these columns (or the codes a document holds)."""
    if kind == "table1":
        return table_preview(table1_data(project, TableConfig(columns)))
    if kind == "table2":
        return table_preview(table2_data(project, TableConfig(columns)))
    return codes_preview(code_tree(project), kind)


def write(project: Project, kind: str, path: Path, fmt: str, config: TableConfig) -> str:
    """Write the export atomically; tables also remember `config`. Returns a summary line.

    Raises:
        UserError: (or OSError) when the file cannot be written.
    """
    if kind in ("table1", "table2"):
        data = write_table(project, kind, path, config, fmt, remember=True)
        return f"{len(data.rows)} rows, {len(data.columns)} columns"
    n, raw = document_file(project, kind, fmt)
    atomic_write(path, raw)
    return f"{n} codes" if kind == "codebook" else f"{n:,} passages"
