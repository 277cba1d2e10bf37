"""Writing Table 1 and Table 2 to a file, with the researcher's remembered layout.

`table_file` renders a table as docx, csv, xlsx or md and `write_table` writes it atomically;
both merge the given layout over the remembered one (coder.services.reports.layout) and may
remember it. The tables themselves are gathered in table1.py and table2.py, the codebook and
extracts documents in documents.py.
"""

from __future__ import annotations

from pathlib import Path

from coder.export.columns import TableConfig
from coder.export.formats import pick_format, render
from coder.export.tables import Table1, Table2
from coder.files import atomic_write
from coder.services.codebook.codes import code_tree
from coder.services.project.store import Project
from coder.services.reports.layout import load_config, save_config
from coder.services.reports.table1 import table1_data
from coder.services.reports.table2 import table2_from
from coder.vocab.dto import CodeNode


def bare_tree(project: Project) -> tuple[CodeNode, ...]:
    """The code tree without usage counts: one cheap query, for exports that count themselves."""
    return code_tree(project, counts=False)


def table_file(
    project: Project,
    table: str,
    fmt: str = "docx",
    config: TableConfig | None = None,
    *,
    remember: bool = False,
) -> tuple[Table1 | Table2, bytes]:
    """Table 1 or Table 2 rendered as docx, csv, xlsx or md.

    Args:
        project: The open project.
        table: "table1" or "table2".
        fmt: One of coder.export.formats.FORMATS.
        config: Columns, caption and options; empty fields use the remembered layout.
        remember: Store the given fields (over the remembered ones) for next time.
    """
    given = config or TableConfig()
    layout = given.merged_over(load_config(project, table))  # the remembered layout, read once
    if remember and given != TableConfig():
        save_config(project, table, layout)
    data = table1_data(project, layout) if table == "table1" else table2_from(project, layout)
    return data, render(data.grid(), fmt)


def write_table(
    project: Project,
    table: str,
    path: str | Path,
    config: TableConfig | None = None,
    fmt: str | None = None,
    *,
    remember: bool = True,
) -> Table1 | Table2:
    """Write Table 1 or 2 to `path` atomically; the format follows `fmt` or the extension."""
    data, raw = table_file(project, table, pick_format(path, fmt), config, remember=remember)
    atomic_write(path, raw)
    return data
