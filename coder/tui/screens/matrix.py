"""The code matrix in the workspace: codes (as a tree) against participants, organisations,
sources, coders or attribute groups, cells switchable between passages, participants, words
coded and % of words, with row and column totals.

Modelled on VisiData's frequency tables: Enter on any cell lists the passages it counts, and
Enter on one of those opens it in its transcript. `c` steps through the column choices
(each attribute in turn), `v` through the cell kinds, `+`/`-` set the number of bins for a
number or date attribute and `k` asks for cut points instead ("10,20", or dates), as the
CLI's `--bins` takes them; `h` and `b` draw the matrix as a heat map or the highlighted
code's row as bars.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Static

from coder.analysis.groups import Bins, describe_bins, parse_bins
from coder.analysis.matrix import CELL_KINDS, Matrix, drill, matrix
from coder.errors import UserError
from coder.services.analysis.views import attribute_names, passage_views
from coder.tui import keymap
from coder.tui.child import Child
from coder.tui.dialogs.prompt import PromptScreen
from coder.tui.screens.analysis_base import AnalysisScreen, ResultReady
from coder.tui.screens.chart import ChartScreen, bars, heat

CODE_WIDTH = 30  # the code column at most; the name is cut with … (80 columns show 8 more)
BASE_COLS = ("participant", "organisation", "source", "coder")
CELL_NAMES = {
    "passages": "passages",
    "participants": "participants",
    "words": "words coded",
    "percent": "% of words coded",
}


def _number(x: float, share: bool = False) -> str:
    """A count with thousands separators; a share (or any fraction) with two decimals."""
    return f"{x:,}" if isinstance(x, int) and not share else f"{x:.2f}"


class MatrixScreen(AnalysisScreen):
    """Codes × columns; see the module docstring."""

    KEYS = keymap.MATRIX

    def __init__(self, by: str = "participant", cell: str = "passages") -> None:
        super().__init__()
        self.by = by
        self.cell = cell
        self.bins = Bins()
        self.result: Matrix | None = None

    def compose(self) -> ComposeResult:
        yield Static("Code matrix", id="analysis-title")
        yield Static("", id="analysis-status")
        table: DataTable[Text] = DataTable(
            id="matrix-table", cursor_type="cell", zebra_stripes=True
        )
        yield table
        yield Footer()

    table: Child[DataTable[Text]] = Child(DataTable, "#matrix-table")

    def choices(self) -> list[str]:
        """Every column choice: the four kinds, then attr:NAME for each attribute."""
        names = attribute_names(self.corpus) if self.corpus is not None else ()
        return [*BASE_COLS, *(f"attr:{n}" for n in names)]

    def recompute(self) -> None:
        if self.corpus is not None:
            self.status("Counting…")
            self.compute(self.by, self.cell, self.bins)

    @work(thread=True, exclusive=True, group="analysis-matrix")
    def compute(self, by: str, cell: str, bins: Bins) -> None:
        corpus = self.corpus
        assert corpus is not None
        self.publish("matrix", lambda: matrix(corpus, by, cell, bins))

    def on_result_ready(self, event: ResultReady) -> None:
        m: Matrix = event.result
        if (m.by, m.cell) != (self.by, self.cell):
            return  # an answer to settings changed since
        self.result = m
        share = m.cell == "percent"
        table = self.table
        row, col = table.cursor_coordinate
        table.clear(columns=True)
        names = ["  " * r.depth + r.code for r in m.rows]
        wide = min(CODE_WIDTH, max((len(n) for n in names), default=4) + 1)
        table.add_column(Text("Code"), key="code", width=wide)
        for k, c in enumerate(m.cols):
            table.add_column(Text(c, justify="right"), key=f"col{k}")
        table.add_column(Text("Total", justify="right"), key="total")
        for r in m.rows:
            name = Text(
                "  " * r.depth + r.code,
                style="bold" if r.depth == 0 else "",
                no_wrap=True,
                overflow="ellipsis",
            )
            cells = [Text(_number(x, share), justify="right") for x in (*r.cells, r.total)]
            table.add_row(name, *cells, key=str(r.code_id))
        totals = [
            Text(_number(x, share), justify="right", style="bold") for x in (*m.totals, m.total)
        ]
        table.add_row(Text("Total", style="bold"), *totals, key="total")
        table.cursor_coordinate = table.validate_cursor_coordinate(
            type(table.cursor_coordinate)(row, col)
        )
        bins = ""
        if m.by.startswith("attr:"):
            cuts = self.bins.cuts
            bins = (
                f" · cut at {describe_bins(self.bins)} (k)"
                if cuts
                else f" · {self.bins.count} bins (+/-, k)"
            )
        self.title_line(f"Codes by {m.by}: {CELL_NAMES.get(m.cell, m.cell)}{bins}")
        self.hint = "Enter: passages of a cell · c: columns · v: cell · h: heat map · b: bars"
        self.status(self.hint)
        table.focus()

    # --- settings -----------------------------------------------------------------------------

    def action_next_cols(self) -> None:
        options = self.choices()
        i = options.index(self.by) if self.by in options else -1
        self.by = options[(i + 1) % len(options)]
        self.recompute()

    def action_next_cell(self) -> None:
        self.cell = CELL_KINDS[(CELL_KINDS.index(self.cell) + 1) % len(CELL_KINDS)]
        self.recompute()

    def action_bins(self, step: int) -> None:
        if not self.by.startswith("attr:"):
            self.notify("Bins apply to a number or date attribute's columns (c).")
            return
        self.bins = Bins(count=min(12, max(1, self.bins.count + step)))  # from cut points too
        self.recompute()

    def action_cut_points(self) -> None:
        if not self.by.startswith("attr:"):
            self.notify("Cut points apply to a number or date attribute's columns (c).")
            return
        self.app.push_screen(
            PromptScreen(
                f"Bins for {self.by[5:]}: cut points (10,20 or 2010-01-01,2020-01-01), "
                "or a number of equal bins",
                describe_bins(self.bins),
                "10,20",
            ),
            self.cut_points_given,
        )

    def cut_points_given(self, text: str | None) -> None:
        """The prompt's answer: nothing (Escape, or emptied) keeps the bins as they are."""
        if text is None:
            return
        try:
            bins = parse_bins(text)
        except UserError as e:
            self.notify(str(e), severity="error", markup=False)
            return
        self.bins = bins or Bins()
        self.recompute()

    # --- drill-down and charts ----------------------------------------------------------------

    def selected(self) -> tuple[int | None, str | None, bool]:
        """The highlighted cell as (code id or None for the totals row, column label or None
        for the total column, whether the cursor is on the code name)."""
        m = self.result
        assert m is not None
        row, col = self.table.cursor_coordinate
        code_id = m.rows[row].code_id if row < len(m.rows) else None
        label = m.cols[col - 1] if 1 <= col <= len(m.cols) else None
        return code_id, label, col == 0

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_drill()

    def action_drill(self) -> None:
        if self.result is None or self.corpus is None:
            return
        code_id, label, _ = self.selected()
        if code_id is None:
            self.notify("Choose a code's row: the totals row has no passages of its own.")
            return
        corpus, by, bins = self.corpus, self.by, self.bins
        where = f" · {label}" if label is not None else ""
        self.open_drill(
            f"{corpus.paths[code_id]}{where}",
            lambda: passage_views(corpus, drill(corpus, code_id, label, by, bins)),
        )

    def action_heat_map(self) -> None:
        m = self.result
        if m is None:
            return
        rows = ["· " * r.depth + r.code for r in m.rows]
        data = heat(
            f"Codes by {m.by}: {CELL_NAMES.get(m.cell, m.cell)}",
            rows,
            m.cols,
            [r.cells for r in m.rows],
        )
        self.app.push_screen(
            ChartScreen(data, "Yellow: the most; dark blue: none. Escape: back to the table.")
        )

    def action_bar_chart(self) -> None:
        m = self.result
        if m is None:
            return
        code_id, _, _ = self.selected()
        row = next((r for r in m.rows if r.code_id == code_id), None)
        name, values = (row.path, row.cells) if row is not None else ("All codes", m.totals)
        data = bars(f"{name}: {CELL_NAMES.get(m.cell, m.cell)} by {m.by}", m.cols, values)
        self.app.push_screen(ChartScreen(data, "Escape: back to the table."))
