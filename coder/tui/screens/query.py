"""The coding query in the workspace: type a boolean expression over codes, narrow it by
attributes, speaker and coder, and see the passages it finds; Enter on one opens it in its
transcript. Queries are saved by name in the project (coder.services.analysis.saved) and
chosen again from a list, which runs them on the coding as it is now.

A mistake in the expression shows as one line with its position, and the last good results
stay until the query is fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Checkbox, Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from coder.analysis.filters import parse_where
from coder.analysis.query import run_query
from coder.services.analysis.saved import SavedQuery, delete_query, save_query, saved_queries
from coder.services.analysis.views import PassageView, hit_views
from coder.services.team.view import coder_names
from coder.tui import keymap
from coder.tui.context import context
from coder.tui.messages import WriteFailed
from coder.tui.screens.analysis_base import AnalysisScreen, ResultReady
from coder.tui.screens.drill import passage_item
from coder.wording import count

if TYPE_CHECKING:
    from coder.services.project.store import Project


@dataclass
class SavedLoaded(Message):
    """The project's saved queries (after opening, saving or forgetting one)."""

    queries: tuple[SavedQuery, ...]
    coders: tuple[str, ...] = ()  # who has coded, for the coders filter's hint


def split(text: str, sep: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(sep) if p.strip())


class QueryScreen(AnalysisScreen):
    """Expression, filters, results; see the module docstring."""

    DEFAULT_CSS = """
    QueryScreen Horizontal { height: 3; }
    QueryScreen #query-where, QueryScreen #query-coders, QueryScreen #query-name { width: 1fr; }
    QueryScreen #query-saved { width: 1fr; }
    QueryScreen #query-results { height: 1fr; }
    """
    KEYS = keymap.QUERY

    def __init__(self) -> None:
        super().__init__()
        self.views: tuple[PassageView, ...] = ()
        self.saved: tuple[SavedQuery, ...] = ()
        self.ran: SavedQuery | None = None

    def compose(self) -> ComposeResult:
        yield Static("Coding query", id="analysis-title")
        yield Input(
            placeholder='"Code A" AND NOT "Theme/Code B" · OR · NEAR/5 · FOLLOWED BY — Enter runs',
            id="query-expr",
        )
        with Horizontal():
            yield Input(placeholder="where: Genre(s) contains Rock; …", id="query-where")
            yield Input(placeholder="coders: (all)", id="query-coders")
        with Horizontal():
            yield Checkbox("Interviewer too", id="query-all")
            yield Select[str]([], prompt="saved queries", id="query-saved")
            yield Input(placeholder="name to save as (Ctrl+S)", id="query-name")
        yield Static("", id="analysis-status")
        yield OptionList(id="query-results")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#query-expr", Input).focus()
        self.load_saved()

    @work(thread=True, exclusive=True, group="analysis-saved")
    def load_saved(self) -> None:
        project = context(self).project
        self.post_message(SavedLoaded(saved_queries(project), tuple(coder_names(project))))

    def on_saved_loaded(self, event: SavedLoaded) -> None:
        self.saved = event.queries
        if event.coders:  # the project's own coders, not made-up names
            hint = ", ".join(event.coders[:3]) + (", …" if len(event.coders) > 3 else "")
            self.query_one("#query-coders", Input).placeholder = f"coders: {hint} (all)"
        select = self.query_one("#query-saved", Select)
        with self.prevent(Select.Changed):
            select.set_options((q.name, q.name) for q in event.queries)

    def current(self) -> SavedQuery:
        """The query as the inputs now describe it."""
        return SavedQuery(
            self.query_one("#query-name", Input).value.strip(),
            self.query_one("#query-expr", Input).value,
            split(self.query_one("#query-where", Input).value, ";"),
            "all" if self.query_one("#query-all", Checkbox).value else "participants",
            split(self.query_one("#query-coders", Input).value, ","),
        )

    def recompute(self) -> None:
        q = self.current()
        if self.corpus is None:
            return
        if not q.expr.strip():
            self.status('Type a query, as "Code A" AND "Code B", and press Enter.')
            return
        self.status("Searching…")
        self.compute(q)

    @work(thread=True, exclusive=True, group="analysis-query")
    def compute(self, q: SavedQuery) -> None:
        corpus = self.corpus
        assert corpus is not None

        def found() -> tuple[SavedQuery, tuple[PassageView, ...]]:
            where = [parse_where(w) for w in q.where]
            hits = run_query(corpus, q.expr, where, q.speaker, list(q.coders) or None)
            return q, hit_views(corpus, hits)

        self.publish("query", found)

    def on_result_ready(self, event: ResultReady) -> None:
        q, views = event.result
        self.ran = q
        self.views = views
        results = self.query_one("#query-results", OptionList)
        results.clear_options()
        results.add_options(Option(passage_item(v)[0]) for v in views)
        hint = " (interviewer turns left out)" if q.speaker == "participants" else ""
        self.status(f"{count(len(views), 'passage')}{hint} · Ctrl+O: go to the results")
        if views:
            results.highlighted = 0

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "query-name":
            self.action_save_query()
        else:
            self.recompute()

    @on(Checkbox.Changed)
    def speaker_changed(self) -> None:
        self.recompute()

    @on(Select.Changed, "#query-saved")
    def saved_chosen(self, event: Select.Changed) -> None:
        q = next((q for q in self.saved if q.name == event.value), None)
        if q is None:
            return
        self.query_one("#query-expr", Input).value = q.expr
        self.query_one("#query-where", Input).value = "; ".join(q.where)
        self.query_one("#query-coders", Input).value = ", ".join(q.coders)
        self.query_one("#query-name", Input).value = q.name
        with self.prevent(Checkbox.Changed):
            self.query_one("#query-all", Checkbox).value = q.speaker == "all"
        self.recompute()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        v = self.views[event.option_index]
        self.dismiss((v.source_id, v.start, v.end))

    def action_focus_results(self) -> None:
        self.query_one("#query-results", OptionList).focus()

    def action_save_query(self) -> None:
        q = self.current()
        if not q.name:
            self.status("Give the query a name first (the box beside the saved queries).", True)
            self.query_one("#query-name", Input).focus()
            return
        self._change_saved("save query", lambda project: save_query(project, q))
        self.status(f"Saved as {q.name}.")

    def action_delete_query(self) -> None:
        name = self.query_one("#query-name", Input).value.strip()
        if not name:
            return
        self._change_saved("forget query", lambda project: delete_query(project, name))
        self.status(f"Forgot {name}.")

    def _change_saved(self, label: str, change: Callable[[Project], object]) -> None:
        """One write to the saved queries, then the list as it now is (SavedLoaded)."""
        project = context(self).project

        def write() -> tuple[SavedQuery, ...]:
            change(project)
            return saved_queries(project)

        context(self).writer.submit(self, label, write, SavedLoaded)

    def on_write_failed(self, event: WriteFailed) -> None:
        self.status(event.error, error=True)
