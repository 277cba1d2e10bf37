"""What the researcher does to the transcript: apply and remove codes, memos and exemplars,
retrieval and search, undo and redo.

Every write goes through the app's Writer (one ordered lane, committed before the result comes
back); the screen then updates what it shows from the returned dataclass rather than
reloading, so a coding is on screen within a frame of the key press.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.worker import Worker

from coder.services.codebook.memos import list_memos, save_memo
from coder.services.coding.codings import apply_code, set_coding_memo, set_exemplar, uncode_span
from coder.services.coding.workspace import coverage_chars, subtree_ids
from coder.tui.screens.memo import MemoResult, MemoScreen
from coder.tui.screens.pick import Choice, PickScreen
from coder.tui.screens.retrieval import RetrievalScreen
from coder.tui.screens.search import SearchScreen
from coder.tui.screens.workspace_host import WorkspaceHost
from coder.vocab.dto import CodingInfo, MemoInfo, UndoResult
from coder.wording import count

if TYPE_CHECKING:
    from coder.tui.widgets.sources import SourcesTree

Location = tuple[int, int, int]


class CodingActions(WorkspaceHost):
    """Mixed into WorkspaceScreen."""

    if TYPE_CHECKING:
        focused: Any
        _last_search: tuple[str, list[Any]]

        @property
        def sources(self) -> SourcesTree: ...
        def load_some_counts(self, code_ids: list[int]) -> Worker[None]: ...
        def slots_changed(self) -> None: ...
        def _title(self) -> None: ...
        def run_worker(self, *a: Any, **kw: Any) -> Any: ...
        def set_timer(self, *a: Any, **kw: Any) -> Any: ...
        def post_message(self, message: Any) -> bool: ...

    # --- helpers ------------------------------------------------------------------------------

    def fetch(self, group: str, fn: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """Read in a worker thread, then call `then(result)` on the main thread."""
        from coder.tui.messages import Fetched

        def work() -> None:
            self.post_message(Fetched(group, fn(), then))

        self.run_worker(work, thread=True, exclusive=True, group=f"fetch-{group}")

    def _write(self, label: str, fn: Callable[[], Any], apply: Callable[[Any], None]) -> None:
        self.coder_app.writer.submit(self, label, fn, apply)  # type: ignore[arg-type]

    def _pick_coding(self, what: str, then: Callable[[CodingInfo], None]) -> None:
        here = self.transcript.codings_here()
        if not here:
            self.notify("No coding on the selected passage.", severity="warning")
            return
        if len(here) == 1:
            then(here[0])
            return
        text = self.coder_app.current_text()
        choices = [
            Choice(
                c,
                c.code_name,
                Text("■ ", style=c.code_color),
                f"by {c.coder} · “{' '.join(text[c.start : c.end].split())[:40]}…”",
            )
            for c in here
        ]

        def chosen(c: CodingInfo | None) -> None:
            if c is not None:
                then(c)

        self.coder_app.push_screen(PickScreen(f"{what}: which coding?", choices), chosen)

    # --- applying codes -----------------------------------------------------------------------

    def action_quick_code(self, n: int) -> None:
        if n - 1 < len(self.state.slots):
            self.apply(self.state.slots[n - 1])
        else:
            self.notify(f"No code on key {n} yet (p in the codebook pins one).")

    def code_choices(
        self, only_codable: bool = True, exclude: set[int] | None = None
    ) -> list[Choice]:
        out = []
        for cid in self.state.order:
            info = self.state.codes[cid]
            if (only_codable and not info.codable) or (exclude and cid in exclude):
                continue
            slot = self.state.slot_of(cid)
            prefix = Text(f"{slot} " if slot else "  ", style="bold")
            prefix.append("■ ", style=info.color)
            counts = self.state.counts.get(cid)
            out.append(
                Choice(
                    cid,
                    self.state.path(cid),
                    prefix,
                    count(counts.codings, "coding") if counts else "",
                )
            )
        return out

    def action_find_code(self) -> None:
        if self.state.doc is None:
            self.notify("Open a transcript first (F2).", severity="warning")
            return

        def chosen(code_id: int | None) -> None:
            if code_id is not None:
                self.apply(code_id)

        self.coder_app.push_screen(
            PickScreen(
                "Apply which code to the selection?",
                self.code_choices(),
                "Type part of a code's name…",
            ),
            chosen,
        )

    def apply(self, code_id: int) -> None:
        """Apply a code to the transcript selection (committed, then drawn)."""
        doc, info = self.state.doc, self.state.codes.get(code_id)
        if doc is None or info is None:
            return
        if not info.codable:
            self.notify(
                f"{info.name} only groups sub-codes; apply one of them.", severity="warning"
            )
            return
        start, end = self.transcript.selection
        source_id, project = doc.source.info.id, self.coder_app.project
        self._write(
            f"code {info.name}",
            lambda: apply_code(project, source_id, start, end, code_id),
            self._coded,
        )

    def _coded(self, coding: CodingInfo) -> None:
        current = self.transcript.codings
        is_new = all(c.id != coding.id for c in current)
        if self.state.doc is not None and coding.source_id == self.state.doc.source.info.id:
            if is_new:
                self.transcript.set_codings([*current, coding])
            self._update_coverage()
        if is_new:
            from dataclasses import replace

            from coder.services.coding.workspace import CodeCounts

            old = self.state.counts.get(coding.code_id, CodeCounts())
            self.state.counts[coding.code_id] = replace(old, codings=old.codings + 1)
            self.codetree.refresh_labels([coding.code_id])
            self.recount_later(coding.code_id)
        if self.state.use(coding.code_id):
            self.slots_changed()
            self.coder_app.save_slots(self.state.slots)

    def recount_later(self, code_id: int) -> None:
        """Fetch a code's participant count soon, once a burst of codings has settled (the
        coding count itself is updated at once)."""
        pending: set[int] = self.__dict__.setdefault("_recount", set())
        pending.add(code_id)
        timer = self.__dict__.get("_recount_timer")
        if timer is not None:
            timer.stop()
        self.__dict__["_recount_timer"] = self.set_timer(0.3, self._recount_now)

    def _recount_now(self) -> None:
        pending: set[int] = self.__dict__.setdefault("_recount", set())
        if pending:
            self.load_some_counts(sorted(pending))
            pending.clear()

    def _update_coverage(self) -> None:
        doc = self.state.doc
        if doc is None:
            return
        chars = len(doc.source.text) or 1
        covered = coverage_chars((c.start, c.end) for c in self.transcript.codings)
        self.state.coverage[doc.source.info.id] = covered / chars
        self.sources.update_coverage([doc.source.info.id])
        self._title()

    # --- removing, memos, exemplars -----------------------------------------------------------

    def action_uncode(self) -> None:
        here = self.transcript.codings_here()
        doc = self.state.doc
        if doc is None or not here:
            self.notify("No code on the selected passage.", severity="warning")
            return
        start, end = self.transcript.selection
        codes = {c.code_id: c for c in here}

        def remove(code_id: int | None) -> None:
            if code_id is None or doc is None:
                return
            project, sid = self.coder_app.project, doc.source.info.id
            self._write(
                f"uncode {codes[code_id].code_name}",
                lambda: uncode_span(project, sid, start, end, code_id),
                lambda n: self._uncoded(code_id, start, end, n),
            )

        if len(codes) == 1:
            remove(next(iter(codes)))
            return
        choices = [
            Choice(cid, c.code_name, Text("■ ", style=c.code_color), f"by {c.coder}")
            for cid, c in codes.items()
        ]
        self.coder_app.push_screen(
            PickScreen("Remove which code from this passage?", choices), remove
        )

    def _uncoded(self, code_id: int, start: int, end: int, removed: int) -> None:
        keep = [
            c
            for c in self.transcript.codings
            if not (c.code_id == code_id and c.start < end and c.end > start)
        ]
        self.transcript.set_codings(keep)
        self._update_coverage()
        self.recount_later(code_id)
        name = self.state.codes[code_id].name if code_id in self.state.codes else "code"
        self.notify(f"Removed {name} from {count(removed, 'coding')}", timeout=2)

    def _replace_coding(self, info: CodingInfo) -> None:
        self.transcript.set_codings(
            [info if c.id == info.id else c for c in self.transcript.codings]
        )

    def action_coding_memo(self) -> None:
        def edit(c: CodingInfo) -> None:
            project = self.coder_app.project

            def save(result: MemoResult | None) -> None:
                if result is not None:
                    self._write(
                        "save memo",
                        lambda: set_coding_memo(project, c.id, result.text),
                        self._replace_coding,
                    )

            self.coder_app.push_screen(
                MemoScreen(
                    f"Memo on this {c.code_name} coding (by {c.coder})", c.memo, quote=c.snippet
                ),
                save,
            )

        self._pick_coding("Memo", edit)

    def action_exemplar(self) -> None:
        def toggle(c: CodingInfo) -> None:
            project = self.coder_app.project

            def done(info: CodingInfo) -> None:
                self._replace_coding(info)
                state = "exemplar ★" if info.exemplar else "not an exemplar"
                self.notify(f"{info.code_name}: {state}", timeout=2)

            self._write("mark exemplar", lambda: set_exemplar(project, c.id, not c.exemplar), done)

        self._pick_coding("Exemplar", toggle)

    def action_source_memo(self) -> None:
        sid = self.sources.source_id if self.focused is self.sources else None
        if sid is None and self.state.doc is not None:
            sid = self.state.doc.source.info.id
        if sid is None:
            return
        project = self.coder_app.project
        name = next((e.name for e in self.state.entries if e.id == sid), "this transcript")
        self.edit_memo(
            f"Memo on {name}",
            "",
            lambda: list_memos(project, source_id=sid, kind="source"),
            lambda r: save_memo(project, kind="source", source_id=sid, title=r.title, text=r.text),
        )

    def edit_memo(
        self,
        heading: str,
        default_title: str,
        read: Callable[[], list[MemoInfo]],
        write: Callable[[MemoResult], Any],
    ) -> None:
        """Open the first memo `read` finds (or a new one titled `default_title`) and save
        what the researcher writes with `write`: the code-memo and source-memo flows."""

        def opened(memos: list[MemoInfo]) -> None:
            first = memos[0] if memos else None

            def save(result: MemoResult | None) -> None:
                if result is not None:
                    self._write(
                        "save memo",
                        lambda: write(result),
                        lambda _m: self.notify("Memo saved", timeout=1.5),
                    )

            others = f" ({len(memos)} memos; showing the first)" if len(memos) > 1 else ""
            self.coder_app.push_screen(
                MemoScreen(
                    heading + others,
                    first.text if first else "",
                    title=first.title if first else default_title,
                ),
                save,
            )

        self.fetch("memo", read, opened)

    # --- retrieval, search, navigation --------------------------------------------------------

    def open_retrieval(self, code_id: int) -> None:
        info = self.state.codes.get(code_id)
        if info is None:
            return
        self.coder_app.push_screen(
            RetrievalScreen(
                info,
                [code_id],
                subtree_ids(self.state.nodes, code_id),
                self.state.counts.get(code_id),
            ),
            self.jump_to,
        )

    def action_retrieve_here(self) -> None:
        here = self.transcript.codings_here()
        if self.focused is self.codetree and self.codetree.code_id is not None:
            self.open_retrieval(self.codetree.code_id)
        elif here:
            self._pick_coding("Passages", lambda c: self.open_retrieval(c.code_id))
        elif self.codetree.code_id is not None:
            self.open_retrieval(self.codetree.code_id)

    def action_search(self) -> None:
        query, hits = getattr(self, "_last_search", ("", []))

        def done(location: Location | None) -> None:
            self._last_search = (screen.query_text, screen.hits)
            self.jump_to(location)

        screen = SearchScreen(query, hits)
        self.coder_app.push_screen(screen, done)

    def jump_to(self, location: Location | None) -> None:
        """Show a passage in its transcript and select it."""
        if location is None:
            return
        source_id, start, end = location
        self.transcript.focus()
        if self.state.doc is not None and self.state.doc.source.info.id == source_id:
            self.transcript.select(start, end, reveal=False)
            self.transcript._reveal(center=True)
        else:
            self.load_doc(source_id, (start, end))

    def _step_source(self, step: int) -> None:
        if not self.state.entries:
            return
        current = self.state.doc.source.info.id if self.state.doc else None
        i = self.state.entry_index(current) if current is not None else -1
        nxt = self.state.entries[(i + step) % len(self.state.entries)]
        self.load_doc(nxt.id)

    def action_next_source(self) -> None:
        self._step_source(1)

    def action_previous_source(self) -> None:
        self._step_source(-1)

    # --- undo ---------------------------------------------------------------------------------

    def undo(self, redo: bool = False) -> None:
        project = self.coder_app.project
        history = project.history

        def done(result: UndoResult) -> None:
            self.notify(
                result.message[:1].upper() + result.message[1:],  # keep code names' case
                timeout=2.5,
                severity="information" if result.done else "warning",
            )
            if result.done:
                self.reload(sources=False)
                self.coder_app.call_later(self._update_coverage_after_reload)

        fn = (lambda: history.redo(project)) if redo else (lambda: history.undo(project))
        self._write("redo" if redo else "undo", fn, done)

    def _update_coverage_after_reload(self) -> None:
        if self.state.doc is not None:
            sid = self.state.doc.source.info.id
            self.run_worker(
                lambda: self._post_coverage(sid),
                thread=True,
                group="load-coverage-one",
                exclusive=True,
            )

    def _post_coverage(self, sid: int) -> None:
        from coder.services.coding.workspace import source_coverage
        from coder.tui.messages import CoverageLoaded

        self.post_message(CoverageLoaded(source_coverage(self.coder_app.project, [sid])))
