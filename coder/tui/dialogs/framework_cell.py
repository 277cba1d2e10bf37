"""Writing one cell of the framework matrix: the summary in a text area, and beside it the
passages the cell rests on (the participant's passages coded to the theme or below it), so
the researcher reads and writes in one place.

Ctrl+S saves; Escape with unsaved changes asks whether to save them, as the memo dialog does.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from coder.tui import keymap
from coder.tui.dialogs.confirm import close_asking
from coder.vocab.dto import CodedPassage
from coder.wording import count


def passage_label(p: CodedPassage) -> Text:
    """Where the passage is (dim), then its words; all plain text."""
    label = Text()
    label.append(f"{p.source} · {p.start}–{p.end}", style="dim")
    if p.codes:
        label.append(f" · {'; '.join(p.codes)}", style="dim italic")
    label.append("\n" + " ".join(p.text.split()))
    return label


class FrameworkCellScreen(ModalScreen[str | None]):
    """Returns the summary to save, or None when nothing is to be saved."""

    DEFAULT_CSS = """
    FrameworkCellScreen Horizontal { height: 1fr; }
    FrameworkCellScreen #cell-text { width: 1fr; }
    FrameworkCellScreen #cell-passages { width: 1fr; height: 1fr; }
    """
    BINDINGS = keymap.keys(keymap.DIALOG)

    def __init__(
        self, participant: str, theme: str, summary: str, passages: tuple[CodedPassage, ...]
    ) -> None:
        super().__init__()
        self.participant = participant
        self.theme = theme
        self.summary = summary
        self.passages = passages

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog framework-cell"):
            head = Text(f"{self.participant} · {self.theme}", style="bold")
            head.append(f" — {count(len(self.passages), 'passage')}", style="dim")
            yield Static(head, classes="dialog-title")
            with Horizontal():
                yield TextArea(
                    self.summary, id="cell-text", soft_wrap=True, show_line_numbers=False
                )
                yield OptionList(
                    *(Option(passage_label(p)) for p in self.passages), id="cell-passages"
                )
            yield Static(
                Text("Ctrl+S save · Escape close · Tab: the passages", style="dim"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        box = self.query_one(".framework-cell", Vertical)
        box.styles.width = "95%"  # wider and taller than the app's .dialog: two panes
        box.styles.height = "90%"
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def text(self) -> str:
        return self.query_one(TextArea).text

    def changed(self) -> bool:
        return self.text().strip() != self.summary.strip()

    def action_save(self) -> None:
        self.dismiss(self.text())

    def action_cancel(self) -> None:
        close_asking(self, self.changed(), "Unsaved summary", "summary", self.text)
