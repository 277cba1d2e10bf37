"""The workspace's ways to other places: a code's passages, search, review mode, the next
transcript, and undo; each comes back to a passage that the transcript then shows.

A plain base class of WorkspaceScreen (on top of the reading side, WorkspaceLoading): the
screens it opens return a location, and `jump_to` shows it.
"""

from __future__ import annotations

from textual import work

from coder.services.coding.workspace import subtree_ids
from coder.services.sources.case_attributes import case_card, set_attributes
from coder.tui.context import DIALOG, context
from coder.tui.dialogs.attributes import AttributesScreen, Changes
from coder.tui.dialogs.memo import MemoTarget, edit_memo
from coder.tui.messages import AttributesSaved, CaseCardLoaded, Undone
from coder.tui.screens.retrieval import RetrievalScreen
from coder.tui.screens.review import ReviewScreen
from coder.tui.screens.search import SearchScreen
from coder.tui.screens.workspace_loading import WorkspaceLoading
from coder.tui.state import WorkspaceState
from coder.vocab.dto import CodeInfo, SearchHit

Location = tuple[int, int, int]  # source id, start, end


class WorkspaceNavigation(WorkspaceLoading):
    """Opens the other screens and follows where they lead (see the module docstring)."""

    def __init__(self, state: WorkspaceState) -> None:
        super().__init__(state)
        self._last_search: tuple[str, list[SearchHit]] = ("", [])

    def shown_coders(self) -> list[str] | None:
        """The coders whose codings are in view (None: everyone; the team side narrows it)."""
        return None

    def jump_to(self, location: Location | None) -> None:
        """Show a passage in its transcript and select it."""
        if location is None:
            return
        source_id, start, end = location
        view = self.transcript
        view.focus()
        if self.state.doc is not None and self.state.doc.source.info.id == source_id:
            view.select(start, end, reveal=False)
            view._reveal(center=True)
        else:
            self.load_doc(source_id, (start, end))

    def open_retrieval(self, code_id: int) -> None:
        info = self.state.codes.get(code_id)
        if info is not None:
            screen = RetrievalScreen(
                info,
                [code_id],
                subtree_ids(self.state.nodes, code_id),
                self.state.counts.get(code_id),
            )
            self.app.push_screen(screen, self.jump_to)

    def action_search(self) -> None:
        screen = SearchScreen(*self._last_search, state=self.state, coders=self.shown_coders())

        def done(location: Location | None) -> None:
            self._last_search = (screen.query_text, screen.hits)
            app = context(self)
            if location is not None and app.changed_elsewhere:
                # Hits were coded: reload here, or the reload on resume overtakes the jump.
                app.changed_elsewhere = False
                self.reload(doc=False)
                self.load_doc(location[0], (location[1], location[2]))
                self.transcript.focus()
            else:
                self.jump_to(location)

        self.app.push_screen(screen, done)

    def action_export(self) -> None:
        # Imported here: the export stack (python-docx, spaCy for quotes) would otherwise
        # be loaded before the workspace's first screen.
        from coder.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen())

    def action_analysis(self, kind: str) -> None:
        """Open an analysis screen (matrix, cooccur, query, words); a passage chosen there
        is shown here."""
        from coder.tui.screens.analysis import analysis_screen

        self.app.push_screen(analysis_screen(kind), self.jump_to)

    def action_memos(self) -> None:
        from coder.tui.screens.memos import MemoManagerScreen

        def done(location: Location | None) -> None:
            if location is None:
                self.reload(sources=False)
                return
            source_id, start, end = location  # a note's place: its transcript, fresh
            self.transcript.focus()
            self.load_doc(source_id, (start, end) if end > start else None)

        self.app.push_screen(MemoManagerScreen(), done)

    def _step_source(self, step: int) -> None:
        if not self.state.entries:
            return
        current = self.state.doc.source.info.id if self.state.doc else None
        i = self.state.entry_index(current) if current is not None else -1
        self.load_doc(self.state.entries[(i + step) % len(self.state.entries)].id)

    def action_next_source(self) -> None:
        self._step_source(1)

    def action_previous_source(self) -> None:
        self._step_source(-1)

    @work(group=DIALOG)
    async def action_source_memo(self) -> None:
        sid = self.sources.source_id if self.focused is self.sources else None
        if sid is None and self.state.doc is not None:
            sid = self.state.doc.source.info.id
        if sid is None:
            return
        name = next((e.name for e in self.state.entries if e.id == sid), "this transcript")
        await edit_memo(self, f"Memo on {name}", "", MemoTarget("source", source_id=sid))

    # --- a participant's attributes (i) --------------------------------------------------------

    def action_participant(self) -> None:
        """Show the attributes of the highlighted (sources list) or open transcript's
        participant, to read or correct."""
        sid = self.sources.source_id if self.focused is self.sources else None
        if sid is None and self.state.doc is not None:
            sid = self.state.doc.source.info.id
        if sid is None:
            self.notify("Open a transcript first (F2).", severity="warning")
            return
        name = next((e.name for e in self.state.entries if e.id == sid), "this transcript")
        self.load_card(sid, name)

    @work(thread=True, exclusive=True, group="case-card")
    def load_card(self, source_id: int, source_name: str) -> None:
        self.post_message(CaseCardLoaded(case_card(context(self).project, source_id), source_name))

    def on_case_card_loaded(self, event: CaseCardLoaded) -> None:
        card = event.card
        if card is None:
            self.notify(
                f"{event.source_name} has no participant: link one with a participants sheet "
                "(coder cases import … --source-column).",
                severity="warning",
            )
            return

        def done(changes: Changes | None) -> None:
            if changes:
                project = context(self).project
                context(self).writer.submit(
                    self,
                    f"save the attributes of {card.name}",
                    lambda: set_attributes(project, card.case_id, changes),
                    AttributesSaved,
                )

        self.app.push_screen(AttributesScreen(card), done)

    def on_attributes_saved(self, event: AttributesSaved) -> None:
        self.notify(f"Saved the attributes of {event.card.name} (Ctrl+Z undoes).", timeout=2.5)

    def undo(self, redo: bool = False) -> None:
        project = context(self).project
        history = project.history
        fn = (lambda: history.redo(project)) if redo else (lambda: history.undo(project))
        context(self).writer.submit(self, "redo" if redo else "undo", fn, Undone)

    # --- review mode --------------------------------------------------------------------------

    def action_review_source(self) -> None:
        doc = self.state.doc
        if doc is None:
            self.notify("Open a transcript first (F2).", severity="warning")
            return
        self.open_review(source=(doc.source.info.id, doc.source.info.name))

    def review_code(self, code_id: int | None) -> None:
        info = self.state.codes.get(code_id) if code_id is not None else None
        if info is None:
            self.notify("Highlight a code in the codebook (F3) first.", severity="warning")
        elif not info.codable:
            self.notify(
                f"{info.name} only groups sub-codes; review one of them.", severity="warning"
            )
        else:
            self.open_review(code=info)

    def open_review(
        self, code: CodeInfo | None = None, source: tuple[int, str] | None = None
    ) -> None:
        """Review mode for one code (across the project) or one source (any code)."""
        screen = ReviewScreen(code=code, source=source)

        def done(location: Location | None) -> None:
            if screen.decided:
                self.suggestions.train_soon()
            app = context(self)
            if location is not None and app.changed_elsewhere:
                # Codings changed in review: reload here rather than on resume, whose reload
                # of the open transcript would otherwise overtake the jump.
                app.changed_elsewhere = False
                self.reload(doc=False)
                self.transcript.focus()
                self.load_doc(location[0], (location[1], location[2]))
            else:
                self.jump_to(location)

        self.app.push_screen(screen, done)
