"""Analysis results written to files: tables (docx, xlsx, csv, md) and charts (png, svg).

`coder export matrix|cooccur|query|words|framework|codematrix|quotes` all come here. The
output's suffix picks the format, checked before the project is read, so a wrong suffix costs
nothing and writes nothing. Tables go through the one Grid and the existing writers
(coder.export.formats); charts through services.analysis.figures. A table in Word may carry
its chart under it (`chart=True`). Every file is written whole or not at all.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from coder.analysis.groups import Bins
from coder.analysis.records import Corpus
from coder.errors import UserError
from coder.export.tables import Grid
from coder.services.project.store import Project

TABLES = {".docx": "docx", ".xlsx": "xlsx", ".csv": "csv", ".md": "md"}
CHARTS = {".png": "png", ".svg": "svg"}
KINDS = ("matrix", "cooccur", "query", "words", "framework", "codematrix", "quotes")
CHARTED = ("matrix", "cooccur", "words")
CELLS = ("passages", "participants", "words", "percent")
SPEAKERS = ("participants", "all")


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """The options of the analysis command an export mirrors (unused ones are ignored)."""

    cols: str = "participant"
    cell: str = "passages"
    bins: Bins | None = None
    by: str = "overlap"
    jaccard: bool = False
    expr: str = ""
    where: tuple[str, ...] = ()
    speaker: str | None = None
    coders: tuple[str, ...] = ()
    code: str | None = None
    group: str | None = None
    top: int = 30
    interviewer: bool = False
    chart: bool = False
    set_names: tuple[str, ...] = ()  # --set: only a source set's sources, a code set's codes


@dataclass(frozen=True, slots=True)
class Written:
    """What an export wrote: the file, its format, and how many rows (or bars, cells)."""

    path: str
    format: str
    rows: int


PRINTED = ("matrix", "cooccur", "query", "words", "framework")  # commands of their own


def output_format(kind: str, output: str, chart: bool = False) -> str:
    """The format `output`'s suffix asks for, or a one-line UserError naming the file."""
    if kind not in KINDS:
        raise UserError(f"unknown analysis export {kind!r}: use {', '.join(KINDS)}")
    suffix = Path(output).suffix.lower()
    if suffix in CHARTS:
        if kind not in CHARTED:
            raise UserError(f"{output}: {kind} has no chart; write it as .docx, .xlsx, .csv or .md")
        if chart:
            raise UserError(f"{output}: --chart places the chart in a .docx table export")
        return CHARTS[suffix]
    if suffix in TABLES:
        if chart and (suffix != ".docx" or kind not in CHARTED):
            raise UserError(
                f"{output}: --chart works with .docx exports of matrix, cooccur and words"
            )
        return TABLES[suffix]
    allowed = ".docx, .xlsx, .csv, .md" + (", .png, .svg" if kind in CHARTED else "")
    if output == "-":  # the journal tables print there; these exports are files only
        printed = f"; 'coder {kind}' prints it" if kind in PRINTED else ""
        raise UserError(f"-o -: {kind} is written to a file, named with {allowed}{printed}")
    raise UserError(
        f"{output}: cannot tell the format from {suffix or 'no suffix'!r}; use {allowed}"
    )


def check_options(kind: str, opts: ExportOptions) -> None:
    """Refuse options the analysis would refuse, before anything is read or written."""
    if kind == "matrix" and opts.cell not in CELLS:
        raise UserError(f"unknown --cell {opts.cell!r}: use {', '.join(CELLS)}")
    if kind == "query":
        from coder.analysis.filters import parse_where
        from coder.analysis.query_parse import parse

        if not opts.expr.startswith("@"):
            parse(opts.expr)
        for w in opts.where:
            parse_where(w)
        if opts.speaker not in (None, *SPEAKERS):
            raise UserError(f"unknown --speaker {opts.speaker!r}: use participants or all")
    if kind == "words" and opts.top < 1:
        raise UserError("--top must be at least 1")


def export_analysis(project: Project, kind: str, output: str, opts: ExportOptions) -> Written:
    """Compute `kind` on the project and write it to `output` (format from the suffix)."""
    fmt = output_format(kind, output, opts.chart)
    check_options(kind, opts)
    target = Path(output)
    if not target.parent.exists():
        raise UserError(f"{target}: folder {target.parent} does not exist")
    if kind == "framework":
        from coder.services.analysis.framework import framework_grid

        return _write_table(framework_grid(project), target, fmt, None)
    if kind == "words":  # from the lemma cache's counts: no need to read the whole project
        return _charted(project, kind, None, target, fmt, opts)
    from coder.services.analysis.gather import gather
    from coder.services.analysis.set_filter import in_sets

    corpus = in_sets(project, gather(project), opts.set_names)
    if kind == "query":
        return _write_table(_query_grid(project, corpus, opts), target, fmt, None)
    if kind in ("codematrix", "quotes"):
        from coder.analysis.extracts import code_matrix, quotes
        from coder.services.analysis.tables import code_matrix_grid, quotes_grid

        if kind == "codematrix":
            return _write_table(code_matrix_grid(code_matrix(corpus)), target, fmt, None)
        return _write_table(quotes_grid(quotes(corpus)), target, fmt, None)
    return _charted(project, kind, corpus, target, fmt, opts)


def _charted(
    project: Project, kind: str, corpus: Corpus | None, target: Path, fmt: str, opts: ExportOptions
) -> Written:
    from coder.services.analysis import figures, tables

    if kind == "matrix":
        from coder.analysis.matrix import matrix

        assert corpus is not None
        m = matrix(corpus, opts.cols, opts.cell, opts.bins)
        grid, n = tables.matrix_grid(m), len(m.rows)

        def draw(path: Path) -> Path:
            return figures.matrix_figure(m, path)
    elif kind == "cooccur":
        from coder.analysis.cooccur import cooccur

        assert corpus is not None
        co = cooccur(corpus, opts.by)
        grid = tables.cooccur_grid(co, opts.jaccard)
        n = len(grid.rows)

        def draw(path: Path) -> Path:
            return figures.cooccur_figure(co, path, opts.jaccard)
    else:
        from coder.services.analysis.word_counts import word_table

        wt = word_table(
            project, opts.code, opts.group, opts.top, opts.interviewer, sets=opts.set_names
        )
        grid, n = tables.words_grid(wt), len(wt.words)

        def draw(path: Path) -> Path:
            return figures.words_figure(wt, path)

    if fmt in CHARTS.values():
        draw(target)
        return Written(str(target), fmt, n)
    png = None
    if opts.chart:
        with tempfile.TemporaryDirectory(prefix="coder-chart-") as tmp:
            png = draw(Path(tmp) / "chart.png").read_bytes()
    return _write_table(grid, target, fmt, png)


def _query_grid(project: Project, corpus: Corpus, opts: ExportOptions) -> Grid:
    from coder.analysis.filters import parse_where
    from coder.analysis.query import run_query
    from coder.services.analysis.saved import saved_query
    from coder.services.analysis.tables import hits_grid

    expr, where, coders, speaker = opts.expr, opts.where, opts.coders, opts.speaker
    if expr.startswith("@"):
        saved = saved_query(project, expr[1:])
        expr, where = saved.expr, saved.where + where
        coders, speaker = saved.coders + coders, speaker or saved.speaker
    conditions = [parse_where(w) for w in where]
    hits = run_query(corpus, expr, conditions, speaker or "participants", list(coders) or None)
    return hits_grid(expr, hits)


def _write_table(grid: Grid, target: Path, fmt: str, png: bytes | None) -> Written:
    from coder.export.formats import render
    from coder.files import atomic_write

    if png is not None:
        from coder.export.docx_tables import table_docx

        data = table_docx(grid, png)
    else:
        data = render(grid, fmt)
    atomic_write(target, data)
    return Written(str(target), fmt, len(grid.rows))
