"""The coding workspace: sources and codebook on the left, the transcript in the middle,
suggestions on the right, the quick-code bar and the passage line below.

The panes own what the researcher does in them (panes/codebook.py, panes/transcript.py,
panes/suggestions.py) and post upward what happened. This screen lays them out, loads what
they show (workers in workspace_loading.py, results by message) and keeps them in step: a
`Coded` from any pane updates the transcript, the counts, the slots and the coverage; a
`CodingsChanged` from the transcript updates the passage line and the suggestions.
"""

from __future__ import annotations

from dataclasses import replace

from textual import events, on
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widgets import Footer, Tab, Tabs

from coder.suggest.results import Suggestion
from coder.tui import keymap
from coder.tui.context import context
from coder.tui.messages import (
    ApplyCode,
    CodebookChanged,
    Coded,
    CodeHighlighted,
    CodingsChanged,
    CodingUpdated,
    Noted,
    OpenSource,
    PlayStarted,
    ReviewCode,
    SelectionChanged,
    ShowPassages,
    SlotsChanged,
    Uncoded,
    Undone,
    WriteDone,
    WriteFailed,
)
from coder.tui.panes.codebook import CodebookPane
from coder.tui.panes.suggestions import SuggesterTrained, SuggestionsPane
from coder.tui.panes.transcript import TranscriptPane
from coder.tui.screens.workspace_team import WorkspaceTeam
from coder.tui.state import WorkspaceState
from coder.tui.widgets.info import PassageInfo
from coder.tui.widgets.quickbar import QuickBar
from coder.tui.widgets.sources import SourcesTree
from coder.tui.widgets.suggestions import SuggestionHint
from coder.vocab.dto import CodeCounts

TALL = 34  # from this height the sidebar shows sources and codebook together
SUGGESTIONS_FROM = 110  # from this width the suggestions panel shows by default
FOOTER_KEYS = ("suggest_accept", "suggest_reject")
RECOUNT_AFTER = 0.3  # seconds of quiet after codings before participant counts are fetched


class WorkspaceScreen(WorkspaceTeam):
    """The main screen of `coder open`."""

    BINDINGS = keymap.keys(keymap.WORKSPACE)

    sidebar_tab = var("codebook", init=False)
    show_sidebar = var(True, init=False)
    show_suggestions: var[bool | None] = var[bool | None](None, init=False)  # None: by width

    def __init__(self) -> None:
        super().__init__(WorkspaceState())
        self._recount: set[int] = set()
        self._recount_timer: object | None = None
        self._offered: bool | None = None  # whether the footer was last drawn with y and n

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
                    yield CodebookPane(self.state, id="codebook")
            yield TranscriptPane(self.state, id="transcript-pane")
            with Vertical(id="suggestions-pane", classes="pane"):
                yield SuggestionsPane(self.state, id="suggestions")
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
        self.start()

    def on_resize(self, event: events.Resize) -> None:
        self._apply_layout()

    def watch_sidebar_tab(self) -> None:
        self._apply_layout()

    def watch_show_sidebar(self, shown: bool) -> None:
        self._apply_layout()
        if not shown:
            self.transcript.focus()

    def watch_show_suggestions(self) -> None:
        self._apply_layout()

    def _apply_layout(self) -> None:
        width, height = self.size
        tall = height >= TALL
        self.set_class(tall, "-tall")
        self.set_class(width < 100, "-narrow")
        self.set_class(width >= 150, "-wide")
        self.query_one("#sidebar").display = self.show_sidebar
        self.query_one("#sidebar-tabs").display = not tall
        self.query_one("#sources-pane").display = tall or self.sidebar_tab == "sources"
        self.query_one("#codebook-pane").display = tall or self.sidebar_tab == "codebook"
        show = self.show_suggestions
        self.query_one("#suggestions-pane").display = (
            width >= SUGGESTIONS_FROM if show is None else show
        )
        self._draw_hint()
        self.refresh_bindings()

    def _show_tab(self, tab: str) -> None:
        self.sidebar_tab = tab
        self.show_sidebar = True
        tabs = self.query_one(Tabs)
        if tabs.active != f"tab-{tab}":
            tabs.active = f"tab-{tab}"

    @on(Tabs.TabActivated, "#sidebar-tabs")
    def tab_activated(self, event: Tabs.TabActivated) -> None:
        self.sidebar_tab = "sources" if event.tab.id == "tab-sources" else "codebook"

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

    def action_toggle_suggestions(self) -> None:
        self.show_suggestions = not self.query_one("#suggestions-pane").display

    # --- suggestions: y and n from anywhere, and the status-line hint --------------------------

    def top_suggestion(self) -> Suggestion | None:
        return self.suggestions.top_suggestion()

    def _target(self) -> tuple[int, int, int] | None:
        doc = self.state.doc
        if doc is None:
            return None
        start, end = self.transcript.selection
        return (doc.source.info.id, start, end) if end > start else None

    def _follow(self, force: bool = False) -> None:
        here = frozenset(c.code_id for c in self.transcript.codings_here())
        self.suggestions.follow(self._target(), here, force)

    def _draw_hint(self) -> None:
        """The status-line form of the top suggestion, shown while the panel is hidden."""
        panel_shown = bool(self.query_one("#suggestions-pane").display)
        hint = self.hint
        hint.display = not panel_shown and self.state.doc is not None
        if panel_shown:
            return
        if self.suggestions.busy_now:
            hint.show_top(None, busy=True)
            return
        top = self.top_suggestion()
        hint.show_top(*((top.code_name, top.color, top.score) if top else (None,)))

    def on_suggestions_pane_changed(self, event: SuggestionsPane.Changed) -> None:
        self._draw_hint()
        # The footer shows y and n only while there is a top suggestion; redrawing it costs
        # a recompose (several milliseconds), so only when that changed once an answer is in,
        # not at every move (while "…" shows, y and n do nothing either way).
        if self.suggestions.busy_now:
            return
        offered = self.top_suggestion() is not None
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    def on_suggester_trained(self, event: SuggesterTrained) -> None:
        self.suggestions.trained(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in FOOTER_KEYS:
            return self.top_suggestion() is not None  # y and n work (and show) only then
        return super().check_action(action, parameters)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """As the screen's, but with the panel hidden the status line shows y and n instead
        of the footer (at 80 columns they would push Help off the footer)."""
        found = super().active_bindings
        panes = self.query("#suggestions-pane")
        if panes and not panes.first().display:
            for key, active in list(found.items()):
                if active.binding.action in FOOTER_KEYS:
                    found[key] = active._replace(binding=replace(active.binding, show=False))
        return found

    def action_suggest_accept(self) -> None:
        self.suggestions.accept_top()

    def action_suggest_reject(self) -> None:
        self.suggestions.reject_top()

    def action_focus_suggestions(self) -> None:
        if not self.query_one("#suggestions-pane").display:
            self.show_suggestions = True
        self.suggestions.focus_list()

    # --- coding (the transcript pane does it) ------------------------------------------------

    def apply(self, code_id: int) -> None:
        """Apply a code to the transcript selection."""
        self.transcript_pane.apply(code_id)

    def action_quick_code(self, n: int) -> None:
        self.transcript_pane.quick_code(n)

    def action_find_code(self) -> None:
        self.transcript_pane.find_code()

    def action_uncode(self) -> None:
        self.transcript_pane.uncode()

    def action_coding_memo(self) -> None:
        self.transcript_pane.coding_memo()

    def action_exemplar(self) -> None:
        self.transcript_pane.exemplar()

    def action_play(self) -> None:
        self.transcript_pane.play()

    def on_play_started(self, event: PlayStarted) -> None:
        self.query_one(PassageInfo).message(event.result.message)
        if not event.result.ok:
            self.notify(event.result.message, severity="warning")

    def action_retrieve_here(self) -> None:
        tree = self.codetree
        if self.focused is tree and tree.code_id is not None:
            self.open_retrieval(tree.code_id)
        elif self.transcript.codings_here():
            self.transcript_pane.for_coding("Passages", lambda c: self.open_retrieval(c.code_id))
        elif tree.code_id is not None:
            self.open_retrieval(tree.code_id)

    # --- what the panes report ----------------------------------------------------------------

    def on_selection_changed(self, event: SelectionChanged) -> None:
        self.state.selection = (event.start, event.end)
        self._passage_line()
        self._follow()

    def on_codings_changed(self, event: CodingsChanged) -> None:
        self._passage_line()
        self._follow()

    def _passage_line(self) -> None:
        doc = self.state.doc
        if doc is not None:
            start, end = self.transcript.selection
            words = len(doc.source.text[start:end].split())
            self.query_one(PassageInfo).show(words, self.transcript.codings_here())

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

    def on_apply_code(self, event: ApplyCode) -> None:
        self.apply(event.code_id)

    def on_show_passages(self, event: ShowPassages) -> None:
        self.open_retrieval(event.code_id)

    def on_review_code(self, event: ReviewCode) -> None:
        self.review_code(event.code_id)

    def on_codebook_changed(self, event: CodebookChanged) -> None:
        if event.note:
            self.notify(event.note)
        self.focus_code = event.focus
        self.reload(tree=True, counts=event.codings, doc=event.codings)

    def on_slots_changed(self, event: SlotsChanged) -> None:
        self.slots_changed()

    def on_coded(self, event: Coded) -> None:
        coding = event.coding
        is_new = self.transcript_pane.show_coded(coding)
        if self.transcript_pane.is_open(coding.source_id):
            self._update_coverage()
        if is_new:
            old = self.state.counts.get(coding.code_id, CodeCounts())
            self.state.counts[coding.code_id] = replace(old, codings=old.codings + 1)
            self.codetree.refresh_labels([coding.code_id])
            self.recount_later(coding.code_id)
        self.state.use(coding.code_id)  # never gives the code a number (issue 13.3)

    def on_uncoded(self, event: Uncoded) -> None:
        self.transcript_pane.show_uncoded(event)
        self._update_coverage()
        self.recount_later(event.code_id)

    def on_coding_updated(self, event: CodingUpdated) -> None:
        self.transcript_pane.show_updated(event.coding)
        if event.note:
            self.notify(event.note, timeout=2)

    def on_undone(self, event: Undone) -> None:
        result = event.result
        if self.app.screen is not self:  # review mode, say, shows what the undo changed
            self.app.screen.post_message(Undone(result))
        self.notify(
            result.message[:1].upper() + result.message[1:],  # keep code names' case
            timeout=2.5,
            severity="information" if result.done else "warning",
        )
        if result.done:
            self.reload(sources=False)
            self.app.call_later(self._reload_coverage)

    def on_noted(self, event: Noted) -> None:
        self.notify(event.text, timeout=event.timeout)

    def on_write_done(self, event: WriteDone) -> None:
        self.suggestions.train_soon()  # retrains only if the coding changed

    def on_write_failed(self, event: WriteFailed) -> None:
        self.notify(event.error, title=f"Could not {event.label}", severity="error")

    def on_screen_resume(self) -> None:
        if context(self).changed_elsewhere:
            context(self).changed_elsewhere = False
            self.reload()

    def recount_later(self, code_id: int) -> None:
        """Fetch a code's participant count soon, once a burst of codings has settled (the
        coding count itself is updated at once)."""
        self._recount.add(code_id)
        if self._recount_timer is not None:
            self._recount_timer.stop()  # type: ignore[attr-defined]
        self._recount_timer = self.set_timer(RECOUNT_AFTER, self._recount_now)

    def _recount_now(self) -> None:
        if self._recount:
            self.load_some_counts(sorted(self._recount))
            self._recount.clear()

    def _update_coverage(self) -> None:
        doc = self.state.doc
        if doc is not None:
            self.state.coverage[doc.source.info.id] = self.transcript_pane.coverage()
            self.sources.update_coverage([doc.source.info.id])
            self.title_transcript()
