"""A code's passages: every passage coded to it, with participant, speaker and context.

The count and the first page come from one small query each, so the first screen appears at
once however many passages there are; further pages load as they scroll into view. Enter
returns the passage's location so the workspace can open it in its transcript.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from coder.services.coding.codings import set_coding_memo, set_exemplar
from coder.services.coding.workspace import passage_count, passage_page
from coder.services.team.view import coder_names
from coder.tui import keymap
from coder.tui.context import CoderContext, context
from coder.tui.dialogs.memo import MemoResult, MemoScreen
from coder.tui.messages import PassagesLoaded, WriteFailed
from coder.tui.widgets.passages import PAGE, PassageList
from coder.vocab.dto import CodeCounts, CodeInfo, CodingInfo, Passage
from coder.wording import count

Location = tuple[int, int, int]  # source id, start, end


@dataclass
class PassageChanged(Message):
    """The coding of passage `index` changed (a memo or the exemplar mark)."""

    index: int
    passage: Passage


class RetrievalScreen(Screen[Location | None]):
    """Lists a code's passages; returns (source_id, start, end) of the chosen one."""

    BINDINGS = keymap.keys(keymap.RETRIEVAL)

    def __init__(
        self,
        code: CodeInfo,
        own_ids: list[int],
        subtree_ids: list[int],
        counts: CodeCounts | None = None,
    ) -> None:
        super().__init__()
        self.code = code
        self.counts = counts
        self.own_ids = own_ids
        self.subtree_ids = subtree_ids
        self.with_subcodes = False

    @property
    def coder_app(self) -> CoderContext:
        return context(self)

    @property
    def code_ids(self) -> list[int]:
        return self.subtree_ids if self.with_subcodes else self.own_ids

    def compose(self) -> ComposeResult:
        yield Static(self._title(None), id="retrieval-title")
        yield PassageList(id="passages")
        with VerticalScroll(id="retrieval-full-pane"):
            yield Static("", id="retrieval-full", markup=False)
        yield Footer()

    def _title(self, total: int | None) -> Text:
        subs = " and its sub-codes" if self.with_subcodes else ""
        amount = "counting…" if total is None else count(total, "passage")
        if total is not None and self.counts is not None and not self.with_subcodes:
            amount += (
                f" in {count(self.counts.sources, 'transcript')}, "
                f"{count(self.counts.participants, 'participant')}"
            )
        title = Text("■ ", style=self.code.color)
        title.append(self.code.name, style="bold")  # a name is text, never markup
        title.append(f"{subs} — {amount}")
        return title

    def on_mount(self) -> None:
        self.coders = self.coder_app.shown_coders()  # whose codings: as the workspace shows
        self.query_one(PassageList).focus()
        self.load_first()

    @work(thread=True, exclusive=True, group="retrieval-first")
    def load_first(self) -> None:
        ids = self.code_ids
        project = self.coder_app.project
        total = passage_count(project, ids, self.coders)
        first = passage_page(project, ids, offset=0, limit=PAGE, coders=self.coders)
        # Two coders' codings of one span are two passages: without names they read as a
        # passage listed twice.
        team = len(self.coders if self.coders is not None else coder_names(project)) > 1
        self.post_message(PassagesLoaded(0, first, total, team=team))

    @on(PassageList.Moved)
    def show_full(self) -> None:
        """The whole passage under the cursor, with its context, below the list (the list
        shows a few lines of each)."""
        current = self._current()
        full = self.query_one("#retrieval-full", Static)
        if current is None:
            full.update("")
            return
        p = current[1]
        text = Text()
        if p.before.strip():
            text.append(" ".join(p.before.split()) + " ", style="dim")
        text.append(" ".join(p.coding.snippet.split()), style="bold")
        if p.after.strip():
            text.append(" " + " ".join(p.after.split()), style="dim")
        full.update(text)
        self.query_one("#retrieval-full-pane", VerticalScroll).scroll_home(animate=False)

    def on_passages_loaded(self, event: PassagesLoaded) -> None:
        passages = self.query_one(PassageList)
        if event.total is not None:
            passages.show_coders = event.team
            passages.reset(event.total)
            self.query_one("#retrieval-title", Static).update(self._title(event.total))
        passages.set_page(event.page, event.passages)
        if event.total is not None:
            passages.move_to(0)
        self.show_full()

    @on(PassageList.NeedPage)
    def need_page(self, event: PassageList.NeedPage) -> None:
        self.load_page(event.page)

    @work(thread=True, group="retrieval-page")
    def load_page(self, page: int) -> None:
        found = passage_page(
            self.coder_app.project,
            self.code_ids,
            offset=page * PAGE,
            limit=PAGE,
            coders=self.coders,
        )
        self.post_message(PassagesLoaded(page, found))

    # --- actions ------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def action_move(self, step: int) -> None:
        passages = self.query_one(PassageList)
        passages.move_to(passages.cursor + step)

    def action_page(self, direction: int) -> None:
        passages = self.query_one(PassageList)
        passages.move_to(passages.cursor + direction * passages.page_size())

    def action_edge(self, direction: int) -> None:
        passages = self.query_one(PassageList)
        passages.move_to(passages.total - 1 if direction > 0 else 0)

    def action_jump(self) -> None:
        passages = self.query_one(PassageList)
        p = passages.passage(passages.cursor)
        if p is not None:
            self.dismiss((p.coding.source_id, p.coding.start, p.coding.end))

    @on(PassageList.Chosen)
    def chosen(self) -> None:
        self.action_jump()

    def action_toggle_subcodes(self) -> None:
        if len(self.subtree_ids) <= 1:
            self.notify(f"{self.code.name} has no sub-codes.")
            return
        self.with_subcodes = not self.with_subcodes
        self.query_one("#retrieval-title", Static).update(self._title(None))
        self.load_first()

    def _current(self) -> tuple[int, Passage] | None:
        passages = self.query_one(PassageList)
        p = passages.passage(passages.cursor)
        return (passages.cursor, p) if p is not None else None

    def _update(self, index: int, p: Passage, label: str, fn: Callable[[], CodingInfo]) -> None:
        """Write a change to passage `index`'s coding; the list then shows the new coding."""
        self.coder_app.writer.submit(
            self,
            label,
            fn,
            lambda info: PassageChanged(index, Passage(info, p.before, p.after, p.speaker)),
        )

    def action_exemplar(self) -> None:
        if (cur := self._current()) is not None:
            index, p = cur
            project = self.coder_app.project
            exemplar = not p.coding.exemplar
            self._update(index, p, "exemplar", lambda: set_exemplar(project, p.coding.id, exemplar))

    def action_memo(self) -> None:
        cur = self._current()
        if cur is None:
            return
        index, p = cur
        project = self.coder_app.project

        def save(result: MemoResult | None) -> None:
            if result is not None:
                text = result.text
                self._update(
                    index, p, "coding memo", lambda: set_coding_memo(project, p.coding.id, text)
                )

        self.app.push_screen(
            MemoScreen(
                f"Memo on this {p.coding.code_name} coding", p.coding.memo, quote=p.coding.snippet
            ),
            save,
        )

    def on_passage_changed(self, event: PassageChanged) -> None:
        self.query_one(PassageList).replace(event.index, event.passage)
        self.coder_app.changed_elsewhere = True

    def on_write_failed(self, event: WriteFailed) -> None:
        self.notify(event.error, title=event.label, severity="error")
