"""Charts in the terminal: bars of a code's frequency by group and a heat map of a matrix.

Drawn by plotext through textual-plotext; both are imported only when a chart is first shown,
so starting coder never pays for them. A chart is a pure function of its data and the
widget's size (no colours from the clock, no random markers), so the same data draws the same
picture at the same size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
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


def chart_widget(data: ChartData) -> Widget:
    """A plotext plot widget drawing `data`."""
    from textual_plotext import PlotextPlot

    class Chart(PlotextPlot):
        def on_mount(self) -> None:
            super().on_mount()
            self.theme = "clear"  # fixed colours: the same picture on every terminal theme
            plt = self.plt
            plt.clear_figure()
            if data.kind == "bars":
                labels = [_short(c, 12) for c in data.cols]
                plt.bar(labels, list(data.values[0]) if data.values else [], marker="hd")
            else:
                grid = [list(r) for r in data.values] or [[0.0]]
                top = max((max(r) for r in grid if r), default=0.0) or 1.0
                # plotext draws 0..255 grey levels; scale so the largest cell is white
                plt.matrix_plot([[int(255 * v / top) for v in r] for r in grid])
                nrows = len(grid)
                plt.yticks(list(range(nrows)), [_short(r, 18) for r in reversed(data.rows)] or [""])
                plt.xticks(list(range(len(data.cols))), [_short(c, 6) for c in data.cols])
                plt.xlabel("")
                plt.ylabel("")
            plt.title(data.title)

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
