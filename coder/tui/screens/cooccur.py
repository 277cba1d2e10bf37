"""Code co-occurrence in the workspace: which codes meet, by overlapping spans, in the same
turn or paragraph, or within N words; counts of meeting pairs or Jaccard, with the same
drill-down as the matrix (Enter on a cell lists its meeting passages; Enter on one opens it).

Only codes in use get a row and a column; columns are numbered like the rows so that the
table fits 80 columns.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Static

from coder.analysis.cooccur import Cooccurrence, cooccur, drill
from coder.errors import UserError
from coder.services.analysis.views import pair_views
from coder.tui import keymap
from coder.tui.child import Child
from coder.tui.screens.analysis_base import AnalysisFailed, AnalysisScreen, ResultReady
from coder.tui.screens.chart import ChartScreen, heat

UNITS = ("overlap", "turn", "paragraph", "near")


class CooccurScreen(AnalysisScreen):
    """Codes × codes; see the module docstring."""

    KEYS = keymap.COOCCUR

    def __init__(self, unit: str = "overlap", near: int = 10) -> None:
        super().__init__()
        self.unit = unit
        self.near = near
        self.jaccard = False
        self.result: Cooccurrence | None = None
        self.used: list[int] = []

    @property
    def by(self) -> str:
        return f"near:{self.near}" if self.unit == "near" else self.unit

    def compose(self) -> ComposeResult:
        yield Static("Co-occurrence", id="analysis-title")
        yield Static("", id="analysis-status")
        yield DataTable(id="cooccur-table", cursor_type="cell", zebra_stripes=True, fixed_columns=1)
        yield Footer()

    table: Child[DataTable[Text]] = Child(DataTable, "#cooccur-table")

    def recompute(self) -> None:
        if self.corpus is not None:
            self.status("Counting…")
            self.compute(self.by)

    @work(thread=True, exclusive=True, group="analysis-cooccur")
    def compute(self, by: str) -> None:
        assert self.corpus is not None
        try:
            result = cooccur(self.corpus, by)
        except UserError as e:
            self.post_message(AnalysisFailed(str(e)))
            return
        self.post_message(ResultReady("cooccur", result))

    def on_result_ready(self, event: ResultReady) -> None:
        co: Cooccurrence = event.result
        if co.by != self.by:
            return
        self.result = co
        self.show()

    def show(self) -> None:
        co = self.result
        if co is None:
            return
        self.used = [k for k, row in enumerate(co.counts) if row[k] > 0]
        grid = co.jaccard if self.jaccard else co.counts
        table = self.table
        row, col = table.cursor_coordinate
        table.clear(columns=True)
        labels = [f"{n + 1}. {co.codes[i]}" for n, i in enumerate(self.used)]
        wide = min(36, max((len(x) for x in labels), default=4) + 1)
        table.add_column(Text("Code"), key="code", width=wide)
        for n, _ in enumerate(self.used):
            table.add_column(Text(str(n + 1), justify="right"), key=f"c{n}")
        for n, i in enumerate(self.used):
            cells = [
                Text(f"{grid[i][j]:.2f}" if self.jaccard else f"{grid[i][j]:,}", justify="right")
                for j in self.used
            ]
            table.add_row(
                Text(labels[n], no_wrap=True, overflow="ellipsis"), *cells, key=str(co.code_ids[i])
            )
        if self.used:
            coordinate = type(table.cursor_coordinate)(row, max(col, 1))
            table.cursor_coordinate = table.validate_cursor_coordinate(coordinate)
        what = "Jaccard" if self.jaccard else "meeting pairs of passages"
        self.title_line(f"Co-occurrence by {co.by}: {what}")
        if self.used:
            self.hint = "Enter: the passages of a cell · u: unit · j: Jaccard · h: heat map"
            self.status(self.hint)
        else:
            self.status("No codings yet.")
        table.focus()

    def action_next_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.recompute()

    def action_near(self, step: int) -> None:
        if self.unit != "near":
            self.notify("Within N words: choose it first with u.")
            return
        self.near = max(0, self.near + step)
        self.recompute()

    def action_toggle_jaccard(self) -> None:
        self.jaccard = not self.jaccard
        self.show()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_drill()

    def action_drill(self) -> None:
        co, corpus = self.result, self.corpus
        if co is None or corpus is None or not self.used:
            return
        row, col = self.table.cursor_coordinate
        if col == 0 or row >= len(self.used):
            self.notify("Choose a cell: the passages where the row's and column's codes meet.")
            return
        a, b = co.code_ids[self.used[row]], co.code_ids[self.used[col - 1]]
        if a == b:
            self.notify("That is the code with itself: its passages are under F7 or v.")
            return
        by = self.by
        self.open_drill(
            f"{corpus.paths[a]} with {corpus.paths[b]} ({by})",
            lambda: pair_views(corpus, drill(corpus, a, b, by)),
        )

    def action_heat_map(self) -> None:
        co = self.result
        if co is None:
            return
        grid = co.jaccard if self.jaccard else co.counts
        labels = [f"{n + 1}. {co.codes[i]}" for n, i in enumerate(self.used)]
        values = [[float(grid[i][j]) for j in self.used] for i in self.used]
        cols = [str(n + 1) for n in range(len(self.used))]
        what = "Jaccard" if self.jaccard else "pairs"
        data = heat(f"Co-occurrence by {co.by} ({what})", labels, cols, values)
        self.app.push_screen(
            ChartScreen(data, "Yellow: the most; dark blue: none. Escape: back to the table.")
        )
