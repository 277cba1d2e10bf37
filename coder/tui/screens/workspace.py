"""The coding workspace: sources and codebook on the left, the transcript in the middle,
suggestions on the right, the quick-code bar and the passage line below.

This file lays the panes out, loads what they show (in worker threads, results by message)
and keeps them in step. What the researcher does lives in two mixins: coding actions
(workspace_coding.py) and codebook actions (workspace_codebook.py).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, cast

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Tab, Tabs

from coder.services.coding.workspace import (
    code_counts,
    codebook,
    list_source_entries,
    load_preferences,
    load_source,
    save_last_source,
    source_coverage,
)
from coder.tui import keymap
from coder.tui.messages import (
    CodeHighlighted,
    CountsLoaded,
    CoverageLoaded,
    DocLoaded,
    Fetched,
    OpenSource,
    PrefsLoaded,
    SelectionChanged,
    SourcesLoaded,
    TreeLoaded,
    WriteDone,
    WriteFailed,
)
from coder.tui.screens.export import ExportScreen
from coder.tui.screens.workspace_codebook import CodebookActions
from coder.tui.screens.workspace_coding import CodingActions
from coder.tui.screens.workspace_review import ReviewActions
from coder.tui.screens.workspace_suggest import SuggestActions
from coder.tui.state import WorkspaceState
from coder.tui.widgets.codebook import CodebookTree
from coder.tui.widgets.info import PassageInfo
from coder.tui.widgets.quickbar import QuickBar
from coder.tui.widgets.sources import SourcesTree
from coder.tui.widgets.suggestions import SuggestionHint, SuggestionsPanel
from coder.tui.widgets.transcript import TranscriptView

if TYPE_CHECKING:
    from coder.tui.app import CoderApp

TALL = 34  # from this height the sidebar shows sources and codebook together
SUGGESTIONS_FROM = 110  # from this width the suggestions panel shows by default


class WorkspaceScreen(CodingActions, CodebookActions, SuggestActions, ReviewActions, Screen[None]):
    """The main screen of `coder open`."""

    BINDINGS = keymap.keys(keymap.WORKSPACE)

    def __init__(self) -> None:
        super().__init__()
        self.state = WorkspaceState()
        self.sidebar_tab = "codebook"
        self.show_sidebar = True
        self.show_suggestions: bool | None = None  # None: decide by width
        self._focus_code: int | None = None
        self._last_refresh = 0.0
        self._totals_requested = False

    @property
    def coder_app(self) -> CoderApp:
        return cast("CoderApp", self.app)

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                yield Tabs(
                    Tab("Sources F2", id="tab-sources"),
                    Tab("Codebook F3", id="tab-codebook"),
                    id="sidebar-tabs",
                )
                with Vertical(id="sources-pane", classes="pane"):
                    yield SourcesTree(id="sources")
                with Vertical(id="codebook-pane", classes="pane"):
                    yield CodebookTree(id="codebook")
            with Vertical(id="transcript-pane", classes="pane"):
                yield TranscriptView(id="transcript")
            with Vertical(id="suggestions-pane", classes="pane"):
                yield SuggestionsPanel(id="suggestions")
        yield QuickBar(id="quickbar")
        with Horizontal(id="status"):
            yield PassageInfo(id="info")
            yield SuggestionHint(id="suggest-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sources-pane").border_title = "Sources"
        codebook_pane = self.query_one("#codebook-pane")
        codebook_pane.border_title = "Codebook"
        codebook_pane.border_subtitle = "codings · participants"
        self.query_one("#transcript-pane").border_title = "Transcript"
        self.query_one("#suggestions-pane").border_title = "Suggestions"
        self.query_one("#suggestions-pane").border_subtitle = "F6 hide"
        self.query_one(Tabs).active = "tab-codebook"
        self.transcript.empty_message = "Loading…"
        self.transcript.focus()
        self._apply_layout()
        self.load_tree()
        self.load_start()
        self._last_refresh = time.monotonic()

    @property
    def transcript(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def codetree(self) -> CodebookTree:
        return self.query_one(CodebookTree)

    @property
    def sources(self) -> SourcesTree:
        return self.query_one(SourcesTree)

    @property
    def suggestions(self) -> SuggestionsPanel:
        """The suggestions panel (filled by the suggestion engine)."""
        return self.query_one(SuggestionsPanel)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_layout()

    def _apply_layout(self) -> None:
        width, height = self.size
        tall = height >= TALL
        self.set_class(tall, "-tall")
        self.set_class(width < 100, "-narrow")
        self.set_class(width >= 150, "-wide")
        sidebar = self.query_one("#sidebar")
        sidebar.display = self.show_sidebar
        self.query_one("#sidebar-tabs").display = not tall
        self.query_one("#sources-pane").display = tall or self.sidebar_tab == "sources"
        self.query_one("#codebook-pane").display = tall or self.sidebar_tab == "codebook"
        show = self.show_suggestions
        self.query_one("#suggestions-pane").display = (
            width >= SUGGESTIONS_FROM if show is None else show
        )
        self.suggestions_layout_changed()

    def _show_tab(self, tab: str) -> None:
        self.sidebar_tab = tab
        self.show_sidebar = True
        tabs = self.query_one(Tabs)
        if tabs.active != f"tab-{tab}":
            tabs.active = f"tab-{tab}"
        self._apply_layout()

    @on(Tabs.TabActivated, "#sidebar-tabs")
    def tab_activated(self, event: Tabs.TabActivated) -> None:
        tab = "sources" if event.tab.id == "tab-sources" else "codebook"
        if tab != self.sidebar_tab:
            self.sidebar_tab = tab
            self._apply_layout()

    def action_focus_sources(self) -> None:
        self._show_tab("sources")
        self.sources.focus()

    def action_focus_codebook(self) -> None:
        self._show_tab("codebook")
        self.codetree.focus()

    def action_focus_transcript(self) -> None:
        self.transcript.focus()

    def action_toggle_sidebar(self) -> None:
        self.show_sidebar = not self.show_sidebar
        self._apply_layout()
        if not self.show_sidebar:
            self.transcript.focus()

    def action_toggle_suggestions(self) -> None:
        visible = self.query_one("#suggestions-pane").display
        self.show_suggestions = not visible
        self._apply_layout()

    def action_export(self) -> None:
        self.app.push_screen(ExportScreen())

    # --- loading (workers post messages; handlers draw) ---------------------------------------

    @work(thread=True, exclusive=True, group="load-tree")
    def load_tree(self) -> None:
        self.post_message(TreeLoaded(codebook(self.coder_app.project)))

    @work(thread=True, exclusive=True, group="load-counts")
    def load_counts(self) -> None:
        self.post_message(CountsLoaded(code_counts(self.coder_app.project), True))

    @work(thread=True, group="load-counts-some")
    def load_some_counts(self, code_ids: list[int]) -> None:
        self.post_message(CountsLoaded(code_counts(self.coder_app.project, code_ids), False))

    @work(thread=True, exclusive=True, group="load-sources")
    def load_sources(self) -> None:
        self.post_message(SourcesLoaded(list_source_entries(self.coder_app.project)))

    @work(thread=True, exclusive=True, group="load-coverage")
    def load_coverage(self, source_ids: list[int] | None = None) -> None:
        self.post_message(CoverageLoaded(source_coverage(self.coder_app.project, source_ids)))

    @work(thread=True, exclusive=True, group="load-start")
    def load_start(self) -> None:
        """First paint: the source list and the transcript last worked on (or the first)."""
        project = self.coder_app.project
        slots, last = load_preferences(project)
        self.post_message(PrefsLoaded(slots))
        entries = list_source_entries(project)
        self.post_message(SourcesLoaded(entries))
        ids = {e.id for e in entries}
        target = last if last in ids else (entries[0].id if entries else None)
        if target is not None:
            self.post_message(DocLoaded(load_source(project, target), None))

    @work(thread=True, exclusive=True, group="load-doc")
    def load_doc(
        self, source_id: int, select: tuple[int, int] | None = None, keep_view: bool = False
    ) -> None:
        project = self.coder_app.project
        self.post_message(DocLoaded(load_source(project, source_id), select, keep_view))

    def reload(
        self, *, tree: bool = True, counts: bool = True, doc: bool = True, sources: bool = False
    ) -> None:
        """Fetch again what may have changed (after undo, a codebook edit, or a refresh)."""
        if tree:
            self.load_tree()
        if counts:
            self.load_counts()
        if sources:
            self.load_sources()
            self.load_coverage()
        if doc and self.state.doc is not None:
            self.load_doc(self.state.doc.source.info.id, self.transcript.selection, True)

    def refresh_all(self) -> None:
        self._last_refresh = time.monotonic()
        self.reload(sources=True)

    def refresh_if_stale(self, seconds: float = 3.0) -> None:
        """Refresh unless that was done moments ago (called when the terminal regains focus)."""
        if time.monotonic() - self._last_refresh > seconds:
            self.refresh_all()

    # --- handlers -----------------------------------------------------------------------------

    def on_tree_loaded(self, event: TreeLoaded) -> None:
        self.state.set_tree(event.nodes)
        self.codetree.show(self.state, self._focus_code)
        self._focus_code = None
        self.query_one(QuickBar).show(self.state)
        self.transcript.set_marks(self.state.marks())

    def on_prefs_loaded(self, event: PrefsLoaded) -> None:
        self.state.slots = list(event.slots)
        if self.state.codes:
            self.state.set_tree(self.state.nodes)
            self.slots_changed()

    def slots_changed(self) -> None:
        """Redraw what shows the quick-code numbers."""
        self.query_one(QuickBar).show(self.state)
        self.codetree.refresh_labels()
        self.transcript.set_marks(self.state.marks())

    def on_counts_loaded(self, event: CountsLoaded) -> None:
        if event.complete:
            self.state.counts = event.counts
            self.state.counts_ready = True
            self.codetree.refresh_labels()
        else:
            self.state.counts.update(event.counts)
            self.codetree.refresh_labels(list(event.counts))

    def on_sources_loaded(self, event: SourcesLoaded) -> None:
        first = not self.state.entries
        self.state.entries = event.entries
        self.sources.show(self.state)
        if first and not event.entries:
            self.transcript.empty_message = (
                "This project has no transcripts yet: import some with "
                "'coder import PROJECT FILES…'."
            )
            self.transcript.refresh()
            self._load_totals()

    def _load_totals(self) -> None:
        """Counts and coverage: slow on big studies, so fetched once the transcript is up."""
        if not self._totals_requested:
            self._totals_requested = True
            self.load_counts()
            self.load_coverage()

    def on_coverage_loaded(self, event: CoverageLoaded) -> None:
        self.state.coverage.update(event.coverage)
        self.sources.redraw()
        self._title()

    def on_doc_loaded(self, event: DocLoaded) -> None:
        doc = event.doc
        previous = self.state.doc.source.info.id if self.state.doc is not None else None
        if previous is not None and previous != doc.source.info.id:
            project, sid = self.coder_app.project, doc.source.info.id
            self.coder_app.writer.submit(
                self, "remember the open transcript", lambda: save_last_source(project, sid)
            )
        self.state.doc = doc
        self.transcript.load(doc, event.select, event.keep_view)
        self.call_after_refresh(self._load_totals)
        self.sources.show_current(doc.source.info.id, move=not event.keep_view)
        self._title()

    def _title(self) -> None:
        doc = self.state.doc
        if doc is None:
            return
        info = doc.source.info
        who = " · ".join(x for x in (info.case_name, info.organisation) if x)
        cov = self.state.coverage.get(info.id, info.coded_fraction)
        pane = self.query_one("#transcript-pane")
        title = f"{info.name}" + (f" ({who})" if who else "")
        subtitle = f"{info.words:,} words · {round(cov * 100)}% coded"
        if pane.border_title != title:
            pane.border_title = title
        if pane.border_subtitle != subtitle:
            pane.border_subtitle = subtitle

    def on_selection_changed(self, event: SelectionChanged) -> None:
        doc = self.state.doc
        if doc is None:
            return
        words = len(doc.source.text[event.start : event.end].split())
        self.query_one(PassageInfo).show(words, self.transcript.codings_here())
        self.suggest_soon()

    def on_open_source(self, event: OpenSource) -> None:
        self.load_doc(event.source_id)
        self.transcript.focus()

    def on_code_highlighted(self, event: CodeHighlighted) -> None:
        if event.code_id is None:
            return
        info = self.state.codes.get(event.code_id)
        if info is not None and self.focused is self.codetree:
            desc = info.description.split("\n")[0] if info.description else "no description"
            self.query_one(PassageInfo).message(f"{self.state.path(info.id)}: {desc}")

    def on_fetched(self, event: Fetched) -> None:
        event.apply(event.result)

    def on_write_done(self, event: WriteDone) -> None:
        if event.apply is not None:
            event.apply(event.result)
        self.train_soon()  # retrains only if the coding changed

    def on_write_failed(self, event: WriteFailed) -> None:
        self.notify(event.error, title=f"Could not {event.label}", severity="error")

    def on_screen_resume(self) -> None:
        if self.coder_app.changed_elsewhere:
            self.coder_app.changed_elsewhere = False
            self.reload()
