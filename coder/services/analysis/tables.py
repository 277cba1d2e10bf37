"""Analysis results as export Grids, so the existing writers (docx, xlsx, csv, md) write them.

Glue only: every function takes a result of coder.analysis and returns a coder.export Grid
with one caption, typed columns (numbers right-aligned) and plain-text cells.
"""

from __future__ import annotations

from datetime import date

from coder.analysis.cooccur import Cooccurrence
from coder.analysis.extracts import CodeMatrix, QuoteTable
from coder.analysis.matrix import Matrix
from coder.analysis.query import Hit
from coder.analysis.records import AttrValue
from coder.analysis.words import WordTable
from coder.export.tables import Column, Grid


def _cell(value: AttrValue | float) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def share(value: float) -> str:
    """A share (Jaccard, % of words) with two decimals, so a column's figures line up."""
    return f"{value:.2f}"


def matrix_grid(m: Matrix) -> Grid:
    """Code rows (indented by level) against the matrix's columns, with totals."""
    cols = (
        Column("code", "Code", weight=3.0),
        *(Column(f"col:{c}", c, numeric=True) for c in m.cols),
        Column("total", "Total", numeric=True),
    )
    fmt = share if m.cell == "percent" else _cell
    rows = [("    " * r.depth + r.code, *(fmt(x) for x in r.cells), fmt(r.total)) for r in m.rows]
    rows.append(("Total", *(fmt(x) for x in m.totals), fmt(m.total)))
    return Grid(f"Codes by {m.by}: {m.cell}", cols, tuple(rows), landscape=len(m.cols) > 6)


def cooccur_grid(co: Cooccurrence, jaccard: bool = False) -> Grid:
    """The co-occurrence table of the codes in use (counts, or Jaccard)."""
    used = [k for k, row in enumerate(co.counts) if row[k] > 0]
    table = co.jaccard if jaccard else co.counts
    cols = (
        Column("code", "Code", weight=3.0),
        *(Column(f"code:{k}", co.codes[k], numeric=True) for k in used),
    )
    fmt = share if jaccard else _cell
    rows = tuple((co.codes[i], *(fmt(table[i][j]) for j in used)) for i in used)
    what = "Jaccard" if jaccard else "pairs of passages"
    return Grid(f"Co-occurrence by {co.by} ({what})", cols, rows, landscape=len(used) > 6)


def hits_grid(expr: str, hits: tuple[Hit, ...]) -> Grid:
    """The passages a query found."""
    cols = (
        Column("source", "Source"),
        Column("start", "Start", numeric=True),
        Column("end", "End", numeric=True),
        Column("text", "Passage", weight=4.0),
        Column("codes", "Codes", weight=2.0),
    )
    rows = tuple((h.source, str(h.start), str(h.end), h.text, "\n".join(h.codes)) for h in hits)
    return Grid(f"Query: {expr}", cols, rows)


def words_grid(table: WordTable) -> Grid:
    """Word counts, one column per group."""
    groups = table.groups if len(table.groups) > 1 else ()
    cols = (
        Column("word", "Word"),
        *(Column(f"group:{g}", g, numeric=True) for g in groups),
        Column("total", "Count", numeric=True),
    )
    rows = tuple(
        (w.word, *((str(x) for x in w.counts) if groups else ()), str(w.total)) for w in table.words
    )
    return Grid("Word frequency", cols, rows)


def code_matrix_grid(cm: CodeMatrix) -> Grid:
    """The 0/1 code matrix: one row per coded passage."""
    cols = (
        Column("source", "Source"),
        Column("start", "Start", numeric=True),
        Column("end", "End", numeric=True),
        Column("participant", "Participant"),
        Column("organisation", "Organisation"),
        *(Column(f"attr:{a}", a) for a in cm.attributes),
        *(Column(f"code:{c}", c, numeric=True) for c in cm.codes),
    )
    rows = tuple(
        (
            r.source,
            str(r.start),
            str(r.end),
            r.participant or "",
            r.organisation or "",
            *(_cell(v) for v in r.values),
            *(str(f) for f in r.flags),
        )
        for r in cm.rows
    )
    return Grid("Code matrix (1: the passage has the code)", cols, rows, landscape=True)


def quotes_grid(qt: QuoteTable) -> Grid:
    """Every coding as a quote with its code, participant, attributes and position."""
    cols = (
        Column("text", "Passage", weight=4.0),
        Column("code", "Code", weight=2.0),
        Column("participant", "Participant"),
        Column("organisation", "Organisation"),
        *(Column(f"attr:{a}", a) for a in qt.attributes),
        Column("source", "Source"),
        Column("turn", "Turn", numeric=True),
        Column("speaker", "Speaker"),
        Column("time", "Time (s)", numeric=True),
        Column("start", "Start", numeric=True),
        Column("end", "End", numeric=True),
        Column("coder", "Coder"),
    )
    rows = tuple(
        (
            q.text,
            q.code,
            q.participant or "",
            q.organisation or "",
            *(_cell(v) for v in q.values),
            q.source,
            _cell(q.turn),
            q.speaker or "",
            _cell(q.timestamp),
            str(q.start),
            str(q.end),
            q.coder,
        )
        for q in qt.quotes
    )
    return Grid("Quotes", cols, rows, landscape=True)
