"""The workspace's reading side: what it knows (`WorkspaceState`), the workers that fetch it,
and the handlers that store and draw what they fetched.

Workers post messages; handlers on the main thread update the state and the widgets. This is
the base of WorkspaceScreen (a plain base class: everything it uses, it defines); the screen
adds the layout, the actions and the coordination between panes.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import work
from textual.screen import Screen

from coder.services.coding.workspace import (
    code_counts,
    codebook,
    list_source_entries,
    load_preferences,
    load_source,
    rollup_counts,
    save_last_source,
    source_coverage,
)
from coder.tui.child import Child
from coder.tui.context import context
from coder.tui.messages import (
    CountsLoaded,
    CoverageLoaded,
    DocLoaded,
    PrefsLoaded,
    SourcesLoaded,
    TreeLoaded,
)
from coder.tui.panes.suggestions import SuggestionsPane
from coder.tui.panes.transcript import TranscriptPane
from coder.tui.state import WorkspaceState
from coder.tui.widgets.codebook import CodebookTree
from coder.tui.widgets.quickbar import QuickBar
from coder.tui.widgets.sources import SourcesTree
from coder.tui.widgets.suggestions import SuggestionHint
from coder.tui.widgets.transcript import TranscriptView


class WorkspaceLoading(Screen[None]):
    """Loads the project into `state` and draws it (see the module docstring)."""

    def __init__(self, state: WorkspaceState) -> None:
        super().__init__()
        self.state = state
        self.focus_code: int | None = None  # the code to highlight once the tree is loaded
        self._last_refresh = 0.0
        self._totals_requested = False
        self._pane_title = ""

    def start(self) -> None:
        """First load, from on_mount."""
        self.load_tree()
        self.load_start()
        self._last_refresh = time.monotonic()

    # --- workers ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load-tree")
    def load_tree(self) -> None:
        self.post_message(TreeLoaded(codebook(context(self).project)))

    @work(thread=True, exclusive=True, group="load-counts")
    def load_counts(self) -> None:
        project = context(self).project
        self.post_message(CountsLoaded(code_counts(project), True, rollup_counts(project)))

    @work(thread=True, group="load-counts-some")
    def load_some_counts(self, code_ids: list[int]) -> None:
        project = context(self).project
        counts = code_counts(project, code_ids)
        self.post_message(CountsLoaded(counts, False, rollup_counts(project)))

    @work(thread=True, exclusive=True, group="load-sources")
    def load_sources(self) -> None:
        self.post_message(SourcesLoaded(list_source_entries(context(self).project)))

    @work(thread=True, exclusive=True, group="load-coverage")
    def load_coverage(self, source_ids: list[int] | None = None) -> None:
        self.post_message(CoverageLoaded(source_coverage(context(self).project, source_ids)))

    @work(thread=True, exclusive=True, group="load-coverage-one")
    def load_coverage_of(self, source_id: int) -> None:
        self.post_message(CoverageLoaded(source_coverage(context(self).project, [source_id])))

    @work(thread=True, exclusive=True, group="load-start")
    def load_start(self) -> None:
        """First paint: the transcript last worked on (or the first), then the source list.

        The transcript goes first: on a big study building the list (1,000 sources) takes the
        event loop a few hundred milliseconds, which the researcher would otherwise wait
        through before seeing any text."""
        project = context(self).project
        slots, last = load_preferences(project)
        self.post_message(PrefsLoaded(slots))
        entries = list_source_entries(project)
        ids = {e.id for e in entries}
        target = last if last in ids else (entries[0].id if entries else None)
        if target is not None:
            self.post_message(
                DocLoaded(load_source(project, target, context(self).shown_coders()), None)
            )
        self.post_message(SourcesLoaded(entries))

    @work(thread=True, exclusive=True, group="load-doc")
    def load_doc(
        self, source_id: int, select: tuple[int, int] | None = None, keep_view: bool = False
    ) -> None:
        project = context(self).project
        doc = load_source(project, source_id, context(self).shown_coders())
        self.post_message(DocLoaded(doc, select, keep_view))

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

    def _reload_coverage(self) -> None:
        if self.state.doc is not None:
            self.load_coverage_of(self.state.doc.source.info.id)

    # --- handlers -----------------------------------------------------------------------------

    transcript: Child[TranscriptView] = Child(TranscriptView)

    codetree: Child[CodebookTree] = Child(CodebookTree)

    sources: Child[SourcesTree] = Child(SourcesTree)

    transcript_pane: Child[TranscriptPane] = Child(TranscriptPane)

    suggestions: Child[SuggestionsPane] = Child(SuggestionsPane)

    hint: Child[SuggestionHint] = Child(SuggestionHint)

    def on_tree_loaded(self, event: TreeLoaded) -> None:
        if self.state.set_tree(event.nodes):
            context(self).save_slots(self.state.slots)
        self.codetree.show(self.state, self.focus_code)
        self.focus_code = None
        self.query_one(QuickBar).show(self.state)
        self.transcript.set_marks(self.state.marks())

    def on_prefs_loaded(self, event: PrefsLoaded) -> None:
        if self.state.load_slots(event.slots):
            context(self).save_slots(self.state.slots)
        if self.state.codes:
            self.slots_changed()

    def slots_changed(self) -> None:
        """Redraw what shows the quick-code numbers."""
        self.query_one(QuickBar).show(self.state)
        self.codetree.refresh_labels()
        self.transcript.set_marks(self.state.marks())

    def on_counts_loaded(self, event: CountsLoaded) -> None:
        if event.rollup is not None:
            changed = set(event.rollup) ^ set(self.state.rollup) | {
                c for c, n in event.rollup.items() if self.state.rollup.get(c) != n
            }
            self.state.rollup = event.rollup
            if not event.complete:
                self.codetree.refresh_labels(sorted(changed))
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

    def on_doc_loaded(self, event: DocLoaded) -> None:
        doc = event.doc
        previous = self.state.doc.source.info.id if self.state.doc is not None else None
        if previous is not None and previous != doc.source.info.id:
            project, sid = context(self).project, doc.source.info.id
            context(self).writer.submit(
                self, "remember the open transcript", lambda: save_last_source(project, sid)
            )
        self.state.doc = doc
        self.transcript.load(doc, event.select, event.keep_view)
        self.state.selection = self.transcript.selection
        self.call_after_refresh(self._load_totals)
        self.sources.show_current(doc.source.info.id, move=not event.keep_view)
        self.title_transcript()

    def title_transcript(self) -> None:
        """The transcript pane's title: name, participant and how much of it is coded."""
        doc = self.state.doc
        if doc is None:
            return
        info = doc.source.info
        who = " · ".join(x for x in (info.case_name, info.organisation) if x)
        cov = self.state.coverage.get(info.id, info.coded_fraction)
        pane = self.query_one("#transcript-pane")
        title = f"{info.name}" + (f" ({who})" if who else "")
        subtitle = f"{info.words:,} words · {round(cov * 100)}% coded"
        if doc.recording:
            subtitle += " · p plays the recording"
        if self._pane_title != title:  # a name is text, never markup
            self._pane_title = title
            pane.border_title = Text(title)
        if pane.border_subtitle != subtitle:
            pane.border_subtitle = subtitle

    def on_coverage_loaded(self, event: CoverageLoaded) -> None:
        self.state.coverage.update(event.coverage)
        self.sources.redraw()
        self.title_transcript()
