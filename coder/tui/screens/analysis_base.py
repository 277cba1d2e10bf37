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
from coder.analysis.subset import restrict
from coder.errors import UserError
from coder.services.analysis.gather import gather
from coder.services.analysis.set_filter import SetFilter, set_filter
from coder.services.analysis.views import PassageView
from coder.services.exchange.sets import list_sets
from coder.tui import keymap
from coder.tui.context import context
from coder.tui.screens.drill import DrillScreen, passage_item

Location = tuple[int, int, int]  # source id, start, end


@dataclass
class CorpusReady(Message):
    """The project, read for analysis, with its sets (name and members) to filter by."""

    corpus: Corpus
    sets: tuple[tuple[str, SetFilter], ...] = ()


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
        self.whole: Corpus | None = None  # the corpus before a set narrows it
        self.sets: tuple[tuple[str, SetFilter], ...] = ()
        self.set_index = -1  # -1: no set; else the set the analysis is kept to
        self.hint = ""  # the status line while nothing is under way

    def on_mount(self) -> None:
        self.status("Reading the project…")
        self.load_corpus()

    @work(thread=True, exclusive=True, group="analysis-corpus")
    def load_corpus(self) -> None:
        app = context(self)
        project = app.project
        sets = tuple((st.name, set_filter(project, [st.guid])) for st in list_sets(project))
        self.post_message(CorpusReady(gather(project, app.shown_coders()), sets))

    def on_corpus_ready(self, event: CorpusReady) -> None:
        self.whole, self.sets = event.corpus, event.sets
        self._narrow()

    def _narrow(self) -> None:
        if self.whole is None:
            return
        if 0 <= self.set_index < len(self.sets):
            chosen = self.sets[self.set_index][1]
            self.corpus = restrict(self.whole, chosen.source_ids, chosen.code_ids)
        else:
            self.corpus = self.whole
        self.recompute()

    def action_next_set(self) -> None:
        """Keep the analysis to the next set (MAXQDA document sets, ATLAS.ti code groups),
        then to none again (issue 13.15)."""
        if not self.sets:
            self.notify(
                "This project has no sets (a .qdpx import keeps document sets and code groups).",
                severity="warning",
            )
            return
        self.set_index = self.set_index + 1 if self.set_index + 1 < len(self.sets) else -1
        name = self.sets[self.set_index][0] if self.set_index >= 0 else None
        self.notify(f"Only the set {name}" if name else "Every source and code again", timeout=2)
        self._narrow()

    @property
    def set_name(self) -> str | None:
        return self.sets[self.set_index][0] if 0 <= self.set_index < len(self.sets) else None

    def on_analysis_failed(self, event: AnalysisFailed) -> None:
        self.status(event.error, error=True)

    def recompute(self) -> None:
        """Start the worker that computes the screen's result from `self.corpus`."""
        raise NotImplementedError

    def publish(self, kind: str, compute: Callable[[], object]) -> None:
        """In a worker: post `compute()` as ResultReady(kind), or the one line of the
        UserError it raised (a bad setting) as AnalysisFailed."""
        try:
            result = compute()
        except UserError as e:
            self.post_message(AnalysisFailed(str(e)))
            return
        self.post_message(ResultReady(kind, result))

    def status(self, message: str, error: bool = False) -> None:
        """Show one line under the title (plain text: it may quote names users typed)."""
        self.query_one("#analysis-status", Static).update(
            Text(message, style="bold red" if error else "dim", no_wrap=True, overflow="ellipsis")
        )

    def title_line(self, message: str) -> None:
        title = Text(message, style="bold")
        if self.set_name is not None:
            title.append(f" · set {self.set_name}", style="bold italic")
        self.query_one("#analysis-title", Static).update(title)

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
