"""PNG and SVG figures for reports: heat maps (matrix, co-occurrence) and bar charts.

matplotlib is imported only when a chart is drawn (it is slow to import), always through the
Agg canvas and a bare `Figure`, never pyplot, so drawing is safe from worker threads. Labels are
the researcher's own text: `$` is escaped so a code named "$5 tips" is not read as mathtext,
and SVG keeps text as text so the labels can be searched and edited. A figure is written to a
temporary file and moved into place, so a failed draw leaves nothing half written.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coder.errors import UserError

FORMATS = (".png", ".svg")


def plain(text: str) -> str:
    """A label matplotlib shows exactly as written."""
    return text.replace("$", r"\$")


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Any, path: Path) -> Path:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(f"{path}: a chart is written as .png or .svg, not {suffix or 'no suffix'}")
    import matplotlib

    fd, tmp = tempfile.mkstemp(suffix=suffix, dir=path.parent if path.parent.exists() else None)
    os.close(fd)
    try:
        with matplotlib.rc_context({"svg.fonttype": "none", "text.usetex": False}):
            fig.savefig(tmp, format=suffix[1:])
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def heatmap(
    path: str | Path,
    rows: Sequence[str],
    cols: Sequence[str],
    values: Sequence[Sequence[float]],
    title: str = "",
    annotate: bool | None = None,
) -> Path:
    """A heat map of `values` (one sequence per row), with row and column labels."""
    target = Path(path)
    if not target.parent.exists():
        raise UserError(f"{target}: the folder does not exist")
    nr, nc = max(len(rows), 1), max(len(cols), 1)
    longest = max((len(r) for r in rows), default=4)
    fig = _figure(min(4 + 0.45 * nc + 0.07 * longest, 40), min(2.5 + 0.32 * nr, 60))
    ax = fig.add_subplot()
    data = [[float(v) for v in row] for row in values] or [[0.0]]
    image = ax.imshow(data, cmap="YlOrRd", aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(cols)), [plain(c) for c in cols], rotation=45, ha="right")
    ax.set_yticks(range(len(rows)), [plain(r) for r in rows])
    if annotate if annotate is not None else nr * nc <= 400:
        top = max((max(r) for r in data if r), default=0.0) or 1.0
        for i, row in enumerate(data):
            for j, v in enumerate(row):
                ax.text(
                    j,
                    i,
                    f"{v:g}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if v > top * 0.6 else "black",
                )
    fig.colorbar(image, ax=ax, shrink=0.8)
    if title:
        ax.set_title(plain(title))
    return _save(fig, target)


def bars(
    path: str | Path,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    title: str = "",
    horizontal: bool = True,
) -> Path:
    """Grouped bars: one bar per label for each (name, values) series, with a legend when
    there is more than one series."""
    target = Path(path)
    if not target.parent.exists():
        raise UserError(f"{target}: the folder does not exist")
    n, k = max(len(labels), 1), max(len(series), 1)
    fig = (
        _figure(8, min(2 + 0.28 * n * max(1, k / 2), 60))
        if horizontal
        else _figure(min(4 + 0.35 * n * k, 40), 5)
    )
    ax = fig.add_subplot()
    width = 0.8 / k
    positions = list(range(len(labels)))
    for s, (name, values) in enumerate(series):
        offs = [p - 0.4 + width * (s + 0.5) for p in positions]
        vals = [float(v) for v in values]
        if horizontal:
            ax.barh(offs, vals, height=width, label=plain(name))
        else:
            ax.bar(offs, vals, width=width, label=plain(name))
    shown = [plain(x) for x in labels]
    if horizontal:
        ax.set_yticks(positions, shown)
        ax.invert_yaxis()
    else:
        ax.set_xticks(positions, shown, rotation=45, ha="right")
    if len(series) > 1:
        ax.legend(fontsize=8)
    if title:
        ax.set_title(plain(title))
    return _save(fig, target)
