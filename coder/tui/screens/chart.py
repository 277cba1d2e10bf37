"""Charts in the terminal: bars of a code's frequency by group and a heat map of a matrix.

Drawn by plotext through textual-plotext; both are imported only when a chart is first shown,
so starting coder never pays for them. A chart is a pure function of its data and the
widget's size (no colours from the clock, no random markers), so the same data draws the same
picture at the same size.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from coder.tui import keymap


@dataclass(frozen=True, slots=True)
class ChartData:
    """What to draw: `kind` "bars" (one series: `values[0]` over `cols`) or "heat" (rows ×
    cols), with a title."""

    kind: str
    title: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]


def _short(label: str, width: int) -> str:
    label = " ".join(label.split())
    return label if len(label) <= width else label[: width - 1] + "…"


def _ramp(level: float) -> tuple[int, int, int]:
    """A colour for a share of the largest cell: dark blue (none) to yellow (the most)."""
    low, high = (20, 30, 70), (250, 220, 60)
    return tuple(round(a + (b - a) * level) for a, b in zip(low, high, strict=True))  # type: ignore[return-value]


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}".rstrip("0").rstrip(".")


def _round_steps() -> Iterator[int]:
    """1, 2, 5, 10, 20, 50, 100, …"""
    scale = 1
    while True:
        yield from (scale, 2 * scale, 5 * scale)
        scale *= 10


def whole_ticks(values: Sequence[float], most: int = 6) -> list[int]:
    """Ticks for an axis of whole numbers (0, a round step, up to the largest value), or []
    when the values are not all whole (plotext's own ticks then)."""
    if not values or any(not float(v).is_integer() for v in values):
        return []
    top = int(max(values))
    if top <= 0:
        return [0]
    step = next(s for s in _round_steps() if top // s < most)
    return list(range(0, top + 1, step))


def _draw(plt: Any, data: ChartData, width: int, height: int) -> None:
    """Draw `data` on a plotext figure of `width` × `height` characters."""
    plt.clear_figure()
    plt.theme("clear")  # fixed colours: the same picture on every terminal theme
    plt.plotsize(width, height)
    if data.kind == "bars":
        labels = [_short(c, 12) for c in data.cols]
        values = list(data.values[0]) if data.values else []
        plt.bar(labels, values, marker="hd")
        ticks = whole_ticks(values)
        if ticks:  # counts: whole numbers on the axis, never 8.3 passages
            plt.yticks(ticks, [str(t) for t in ticks])
        plt.title(data.title)
        return
    nrows, ncols = len(data.values), len(data.cols)
    top = max((max(r) for r in data.values if r), default=0.0) or 1.0
    # each cell filled with points of its colour (about two per character each way), its
    # number written in the middle
    kx = max(2, (2 * width) // max(ncols, 1))
    ky = max(2, (2 * height) // max(nrows, 1))
    # The cells' numbers and the columns' names, only where a cell is wide enough to hold
    # them apart: 32 columns at 80 characters ran the numbers together ("00").
    cell = (width - 22) / max(ncols, 1)
    numbered = cell >= 1 + max((len(_number(v)) for r in data.values for v in r), default=0)
    for r, row in enumerate(data.values):
        y = nrows - 1 - r
        for c, v in enumerate(row):
            colour = _ramp(v / top)
            xs = [c - 0.5 + (i + 0.5) / kx for i in range(kx)] * ky
            ys = [y - 0.5 + (j + 0.5) / ky for j in range(ky) for _ in range(kx)]
            plt.scatter(xs, ys, marker="█", color=colour)
            ink = (0, 0, 0) if v / top > 0.5 else (255, 255, 255)
            if numbered:
                plt.text(_number(v), c, y, color=ink, background=colour, alignment="center")
    plt.xlim(-0.5, ncols - 0.5)
    plt.ylim(-0.5, nrows - 0.5)
    plt.yticks(list(range(nrows)), [_short(x, 18) for x in reversed(data.rows)])
    room = min(6, int(cell) - 1)
    if room >= 2:
        plt.xticks(list(range(ncols)), [_short(c, room) for c in data.cols])
    else:  # too narrow for names: number the columns, every few as space allows
        every = max(1, round(3 / max(cell, 0.1)))
        plt.xticks(list(range(0, ncols, every)), [str(i + 1) for i in range(0, ncols, every)])
    plt.title(data.title)


def chart_widget(data: ChartData) -> Widget:
    """A plotext plot widget drawing `data` (drawn again for each size it is given)."""
    from textual_plotext import PlotextPlot

    class Chart(PlotextPlot):
        def render(self) -> RenderResult:
            width, height = self.size.width, self.size.height
            _draw(self.plt, data, width, height)
            # as textual-plotext does: plotext otherwise caps the size at the terminal's
            self.plt._set_size(width, height)
            return Text.from_ansi(self.plt.build())

    return Chart(id="chart-plot")


class ChartScreen(Screen[None]):
    """One chart, full screen; Escape goes back."""

    DEFAULT_CSS = """
    ChartScreen #chart-note { height: 1; padding: 0 1; }
    """
    BINDINGS = keymap.keys(keymap.CHART)

    def __init__(self, data: ChartData, note: str = "") -> None:
        super().__init__()
        self.data = data
        self.note = note

    def compose(self) -> ComposeResult:
        yield chart_widget(self.data)
        yield Static(Text(self.note, style="dim", no_wrap=True), id="chart-note")
        yield Footer()

    def action_back(self) -> None:
        self.dismiss(None)


def heat(
    title: str, rows: Sequence[str], cols: Sequence[str], values: Sequence[Sequence[float]]
) -> ChartData:
    """A heat map's data."""
    return ChartData("heat", title, tuple(rows), tuple(cols), tuple(tuple(r) for r in values))


def bars(title: str, cols: Sequence[str], values: Sequence[float]) -> ChartData:
    """A bar chart's data: one bar per column."""
    return ChartData("bars", title, (), tuple(cols), (tuple(values),))
