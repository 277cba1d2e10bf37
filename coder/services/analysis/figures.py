"""Analysis results as figures: the glue between coder.analysis results and export.charts.

Kept here (services may import both layers) so that charts stay generic (labels and numbers)
and analysis stays free of matplotlib. Each function writes one PNG or SVG, chosen by the
suffix of `path`, and returns the path.
"""

from __future__ import annotations

from pathlib import Path

from coder.analysis.cooccur import Cooccurrence
from coder.analysis.matrix import Matrix
from coder.analysis.words import WordTable
from coder.export.charts import bars, heatmap

_CELL_TITLES = {
    "passages": "passages",
    "participants": "participants",
    "words": "words coded",
    "percent": "% of words coded",
}


def matrix_figure(m: Matrix, path: str | Path) -> Path:
    """A heat map of the matrix: codes (marked › per level below a theme) against its
    columns. Tick labels are right-aligned, so leading spaces would not show the tree."""
    rows = ["› " * r.depth + r.code for r in m.rows]
    title = f"Codes by {m.by}: {_CELL_TITLES.get(m.cell, m.cell)}"
    return heatmap(path, rows, list(m.cols), [list(r.cells) for r in m.rows], title)


def cooccur_figure(co: Cooccurrence, path: str | Path, jaccard: bool = False) -> Path:
    """A heat map of co-occurrence counts (or Jaccard), codes that are used only."""
    used = [k for k, row in enumerate(co.counts) if row[k] > 0]
    table = co.jaccard if jaccard else co.counts
    labels = [co.codes[k] for k in used]
    values = [[table[i][j] for j in used] for i in used]
    what = "Jaccard" if jaccard else "pairs"
    return heatmap(path, labels, labels, values, f"Co-occurrence by {co.by} ({what})")


def words_figure(table: WordTable, path: str | Path) -> Path:
    """Bars of word frequency, one series per group."""
    labels = [w.word for w in table.words]
    series = [(g, [w.counts[k] for w in table.words]) for k, g in enumerate(table.groups)]
    return bars(path, labels, series, "Word frequency")


def code_frequency_figure(m: Matrix, path: str | Path, depth: int = 0) -> Path:
    """Grouped bars of code frequency by column, for the codes at `depth` (0: themes)."""
    rows = [r for r in m.rows if r.depth == depth]
    series = [(col, [r.cells[k] for r in rows]) for k, col in enumerate(m.cols)]
    title = f"{_CELL_TITLES.get(m.cell, m.cell).capitalize()} by {m.by}"
    return bars(path, [r.path for r in rows], series, title)
