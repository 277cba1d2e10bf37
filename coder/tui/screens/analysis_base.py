"""What the workspace's analysis screens share: the project read once as a Corpus, results
posted back from workers, one status line, and a way back to the transcript.

Each analysis screen (matrix, co-occurrence, query, words) reads the project in a worker
(coder.services.analysis.gather), keeps the Corpus, and computes on it in further workers
whenever a setting changes; every result arrives as a message carrying a frozen dataclass.
A drill-down opens a DrillScreen; the passage chosen there closes the analysis screen with
its location, which the workspace shows in its transcript (`jump_to`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from coder.analysis.records import Corpus
from coder.services.analysis.gather import gather
from coder.services.analysis.views import PassageView
from coder.tui import keymap
from coder.tui.context import context
from coder.tui.screens.drill import DrillScreen, passage_item

Location = tuple[int, int, int]  # source id, start, end


@dataclass
class CorpusReady(Message):
    """The project, read for analysis."""

    corpus: Corpus


@dataclass
class ResultReady(Message):
    """A computed result (a frozen dataclass of coder.analysis) and what it was asked for."""

    kind: str
    result: Any


@dataclass
class DrillReady(Message):
    """The passages of a cell, to list under `title`."""

    title: str
    views: tuple[PassageView, ...]


@dataclass
class AnalysisFailed(Message):
    """One line saying what was wrong with the settings (a UserError's message)."""

    error: str


class AnalysisScreen(Screen[Location | None]):
    """Base of the analysis screens: see the module docstring. Subclasses set KEYS (their
    keymap group, also offered in the command palette) and implement `recompute`."""

    DEFAULT_CSS = """
    AnalysisScreen #analysis-title, AnalysisScreen #analysis-status { height: 1; padding: 0 1; }
    AnalysisScreen DataTable { height: 1fr; }
    """
    KEYS: ClassVar[list[Binding]] = []
    TITLE_TEXT = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A subclass's KEYS are its key bindings (set before Textual merges bindings)."""
        if "KEYS" in cls.__dict__:
            cls.BINDINGS = keymap.keys(cls.KEYS)
        super().__init_subclass__(**kwargs)

    def __init__(self) -> None:
        super().__init__()
        self.corpus: Corpus | None = None
        self.hint = ""  # the status line while nothing is under way

    def on_mount(self) -> None:
        self.status("Reading the project…")
        self.load_corpus()

    @work(thread=True, exclusive=True, group="analysis-corpus")
    def load_corpus(self) -> None:
        app = context(self)
        self.post_message(CorpusReady(gather(app.project, app.shown_coders())))

    def on_corpus_ready(self, event: CorpusReady) -> None:
        self.corpus = event.corpus
        self.recompute()

    def on_analysis_failed(self, event: AnalysisFailed) -> None:
        self.status(event.error, error=True)

    def recompute(self) -> None:
        """Start the worker that computes the screen's result from `self.corpus`."""
        raise NotImplementedError

    def status(self, message: str, error: bool = False) -> None:
        """Show one line under the title (plain text: it may quote names users typed)."""
        self.query_one("#analysis-status", Static).update(
            Text(message, style="bold red" if error else "dim", no_wrap=True, overflow="ellipsis")
        )

    def title_line(self, message: str) -> None:
        self.query_one("#analysis-title", Static).update(Text(message, style="bold"))

    def open_drill(self, title: str, passages: Callable[[], tuple[PassageView, ...]]) -> None:
        """Find a cell's passages in a worker, then list them."""
        self.status("Finding the passages…")
        self._drill(title, passages)

    @work(thread=True, exclusive=True, group="analysis-drill")
    def _drill(self, title: str, passages: Callable[[], tuple[PassageView, ...]]) -> None:
        self.post_message(DrillReady(title, passages()))

    def on_drill_ready(self, event: DrillReady) -> None:
        self.status(self.hint)
        items = [passage_item(v) for v in event.views]
        self.app.push_screen(DrillScreen(event.title, items), self.drilled)

    def drilled(self, location: Location | None) -> None:
        """A passage was chosen in a drill-down: go there in the transcript."""
        if location is not None:
            self.dismiss(location)

    def action_back(self) -> None:
        self.dismiss(None)
