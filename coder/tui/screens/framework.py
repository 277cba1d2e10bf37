"""The framework matrix in the workspace: participants against themes (top-level codes),
each cell showing the start of the summary the researcher wrote for it.

Enter on a cell opens it in a dialog (coder.tui.dialogs.framework_cell) with the summary in a
text area and the cell's passages beside it. Saving goes through the app's Writer like every
other edit (coder.services.analysis.framework.set_summary: one transaction, undoable), and
the matrix is read again afterwards; Ctrl+Z undoes the last edit and reads it again too.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from coder.errors import UserError
from coder.services.analysis.framework import (
    Framework,
    cell_passages,
    framework,
    set_summary,
)
from coder.tui import keymap
from coder.tui.child import Child
from coder.tui.context import context
from coder.tui.dialogs.framework_cell import FrameworkCellScreen
from coder.tui.messages import WriteFailed
from coder.tui.screens.analysis_base import AnalysisFailed, AnalysisScreen
from coder.vocab.dto import CodedPassage
from coder.wording import count

NAME_WIDTH = 16  # the participant column
CELL_WIDTH = 22  # each theme's column: the start of the summary


@dataclass
class FrameworkLoaded(Message):
    """The matrix, read (after opening, saving or undoing)."""

    result: Framework


@dataclass
class CellLoaded(Message):
    """One cell's summary and passages, to edit."""

    participant: str
    theme: str
    summary: str
    passages: tuple[CodedPassage, ...]


def cell_text(summary: str, passages: int) -> Text:
    """The start of the summary on one line; with none written, how many passages wait."""
    if summary:
        return Text(" ".join(summary.split()), no_wrap=True, overflow="ellipsis")
    return Text(f"· {count(passages, 'passage')}" if passages else "·", style="dim")


class FrameworkScreen(AnalysisScreen):
    """Participants × themes; see the module docstring."""

    KEYS = keymap.FRAMEWORK

    def __init__(self) -> None:
        super().__init__()
        self.result: Framework | None = None

    def compose(self) -> ComposeResult:
        yield Static("Framework matrix", id="analysis-title")
        yield Static("", id="analysis-status")
        table: DataTable[Text] = DataTable(id="framework-table", cursor_type="cell")
        yield table
        yield Footer()

    table: Child[DataTable[Text]] = Child(DataTable, "#framework-table")

    def on_mount(self) -> None:
        self.status("Reading the project…")
        self.recompute()

    def recompute(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="analysis-framework")
    def load(self) -> None:
        app = context(self)
        self.post_message(FrameworkLoaded(framework(app.project, app.shown_coders())))

    def on_framework_loaded(self, event: FrameworkLoaded) -> None:
        fw = event.result
        self.result = fw
        table = self.table
        row, col = table.cursor_coordinate
        table.clear(columns=True)
        table.add_column(Text("Participant"), key="participant", width=NAME_WIDTH)
        for k, theme in enumerate(fw.themes):
            table.add_column(
                Text(theme, no_wrap=True, overflow="ellipsis"), key=f"t{k}", width=CELL_WIDTH
            )
        for name, cells in zip(fw.participants, fw.cells, strict=True):
            table.add_row(
                Text(name, style="bold", no_wrap=True, overflow="ellipsis"),
                *(cell_text(c.summary, c.passages) for c in cells),
            )
        table.cursor_coordinate = table.validate_cursor_coordinate(
            type(table.cursor_coordinate)(row, max(col, 1))
        )
        written = sum(1 for r in fw.cells for c in r if c.summary)
        self.title_line(
            f"Framework matrix: {count(len(fw.participants), 'participant')} × "
            f"{count(len(fw.themes), 'theme')} · {count(written, 'summary', 'summaries')}"
        )
        self.hint = "Enter: write the cell's summary beside its passages · Ctrl+Z: undo"
        self.status(self.hint)
        table.focus()

    def selected(self) -> tuple[str, str] | None:
        """The highlighted cell as (participant, theme), or None on the names column."""
        fw = self.result
        if fw is None or not fw.participants or not fw.themes:
            return None
        row, col = self.table.cursor_coordinate
        if col < 1 or row >= len(fw.participants):
            return None
        return fw.participants[row], fw.themes[col - 1]

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_edit_cell()

    def action_edit_cell(self) -> None:
        cell = self.selected()
        if cell is None:
            self.notify("Choose a theme's cell (the names column has no summary).")
            return
        self.status("Finding the passages…")
        self.read_cell(*cell)

    @work(thread=True, exclusive=True, group="analysis-drill")
    def read_cell(self, participant: str, theme: str) -> None:
        project = context(self).project
        fw = self.result
        assert fw is not None
        i, j = fw.participants.index(participant), fw.themes.index(theme)
        try:
            passages = cell_passages(project, participant, theme, context(self).shown_coders())
        except UserError as e:
            self.post_message(AnalysisFailed(str(e)))
            return
        self.post_message(CellLoaded(participant, theme, fw.cells[i][j].summary, passages))

    def on_cell_loaded(self, event: CellLoaded) -> None:
        self.status(self.hint)

        def written(text: str | None) -> None:
            if text is not None and text.strip() != event.summary.strip():
                self.save(event.participant, event.theme, text)

        dialog = FrameworkCellScreen(event.participant, event.theme, event.summary, event.passages)
        self.app.push_screen(dialog, written)

    def save(self, participant: str, theme: str, text: str) -> None:
        project, shown = context(self).project, context(self).shown_coders()

        def write() -> Framework:
            set_summary(project, participant, theme, text)
            return framework(project, shown)

        self.status("Saving…")
        context(self).writer.submit(self, "framework summary", write, FrameworkLoaded)

    async def action_undo(self, redo: bool = False) -> None:
        """Undo (or redo) the last edit, this screen's or any other, then read the matrix
        again (the Writer runs jobs in order, so the reading sees the undo)."""
        await self.app.run_action("redo" if redo else "undo")
        project, shown = context(self).project, context(self).shown_coders()
        context(self).writer.submit(
            self, "framework", lambda: framework(project, shown), FrameworkLoaded
        )

    def on_write_failed(self, event: WriteFailed) -> None:
        self.status(event.error, error=True)
