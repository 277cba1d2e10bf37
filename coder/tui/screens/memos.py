"""The memo manager: every memo of the project in one list (code, source and project memos,
and notes on uncoded text), to filter by typing, open, rename and delete (undoable with Ctrl+Z
like everything else).

Reached with F12 from the workspace or "Memos" in the command palette. Memos on codings live on
their coding and are edited from the transcript or the passages list, so they are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from coder.tui import keymap
from coder.tui.context import DIALOG, context
from coder.tui.dialogs.memo import MemoResult, MemoScreen, MemoTarget, save_result
from coder.tui.dialogs.prompt import PromptScreen
from coder.tui.messages import Noted, Undone, WriteDone, WriteFailed
from coder.vocab.dto import MemoInfo


@dataclass
class MemosLoaded(Message):
    memos: list[MemoInfo]
    names: dict[tuple[str, int], str]  # ("code"|"source", id) -> name


def memo_label(m: MemoInfo, on: str) -> Text:
    """`Title · on what · first words`, all plain text."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(m.title or "(untitled)", style="bold")
    text.append(f"  {on}", style="italic")
    words = " ".join(m.text.split())
    text.append(f"  {words[:200]}", style="dim")
    return text


Location = tuple[int, int, int]  # source id, start, end: where the workspace should go


class MemoManagerScreen(Screen[Location | None]):
    """All memos: type to filter, Enter opens, F2 renames, F8 deletes, F5 shows a note (or a
    transcript's memo) in its transcript, Escape goes back."""

    BINDINGS = keymap.keys(keymap.MEMOS)

    def __init__(self) -> None:
        super().__init__()
        self.memos: list[MemoInfo] = []
        self.names: dict[tuple[str, int], str] = {}
        self.shown: list[MemoInfo] = []

    def compose(self) -> ComposeResult:
        yield Static("Memos · type to filter", id="memos-title", markup=False)
        yield Input(placeholder="filter by title, text or what the memo is on", id="memos-filter")
        yield OptionList(id="memos-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.load()

    @work(thread=True, exclusive=True, group="memos-load")
    def load(self) -> None:
        from coder.services.codebook.memos import list_memos
        from coder.services.codebook.reading import flat_codes
        from coder.services.sources.transcripts import list_sources

        project = context(self).project
        names = {("code", c.id): c.name for c in flat_codes(project)}
        names.update({("source", s.id): s.name for s in list_sources(project)})
        shown = context(self).shown_coders()  # blind mode: only my own memos
        self.post_message(MemosLoaded(list_memos(project, coders=shown), names))

    def on_memos_loaded(self, event: MemosLoaded) -> None:
        self.memos, self.names = event.memos, event.names
        self._show()

    def on_of(self, m: MemoInfo) -> str:
        if m.kind == "code" and m.code_id is not None:
            return "code " + self.names.get(("code", m.code_id), "?")
        if m.kind == "source" and m.source_id is not None:
            return "transcript " + self.names.get(("source", m.source_id), "?")
        if m.kind == "span" and m.source_id is not None:
            where = self.names.get(("source", m.source_id), "?")
            return f"text in {where} ({m.start}\u2013{m.end})"
        return "project"

    def _show(self) -> None:
        words = self.query_one(Input).value.lower().split()
        keep = self.current()
        self.shown = [
            m
            for m in self.memos
            if all(w in f"{m.title} {m.text} {self.on_of(m)}".lower() for w in words)
        ]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(memo_label(m, self.on_of(m)), id=str(m.id)) for m in self.shown)
        ids = [m.id for m in self.shown]
        if self.shown:
            options.highlighted = ids.index(keep.id) if keep and keep.id in ids else 0
        status = f"Memos · {len(self.shown)} of {len(self.memos)} · type to filter"
        if not self.memos:  # "0 of 0" said nothing of where memos come from
            status = (
                "No memos yet · M writes one on a transcript, m one on a code (F3) or a note "
                "on text with no code · a coding's memo stays with its passage (v)"
            )
        self.query_one("#memos-title", Static).update(status)

    @on(Input.Changed, "#memos-filter")
    def filter_changed(self) -> None:
        self._show()

    @on(Input.Submitted, "#memos-filter")
    def filter_submitted(self) -> None:
        self.query_one(OptionList).focus()

    def current(self) -> MemoInfo | None:
        options = self.query_one(OptionList)
        i = options.highlighted
        return self.shown[i] if i is not None and 0 <= i < len(self.shown) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    @work(group=DIALOG)
    async def action_open(self) -> None:
        m = self.current()
        if m is None:
            return
        result = await self.app.push_screen_wait(
            MemoScreen(f"Memo on {self.on_of(m)}", m.text, title=m.title, deletable=True)
        )
        save_result(self, result, MemoTarget(m.kind, m.code_id, m.source_id), m.id)

    @work(group=DIALOG)
    async def action_rename(self) -> None:
        m = self.current()
        if m is None:
            return
        title = await self.app.push_screen_wait(PromptScreen("Rename memo", m.title))
        if title is not None and title != m.title:
            target = MemoTarget(m.kind, m.code_id, m.source_id)
            save_result(self, MemoResult(title, m.text), target, m.id)

    def action_delete(self) -> None:
        m = self.current()
        if m is not None:
            save_result(self, MemoResult("", "", delete=True), MemoTarget(m.kind), m.id)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_show(self) -> None:
        """Back to the workspace at the highlighted note's text (a transcript memo: its start)."""
        m = self.current()
        if m is None or m.source_id is None:
            self.notify("Only notes on text and transcript memos have a place to show.")
            return
        start, end = (m.start, m.end) if m.start is not None and m.end is not None else (0, 0)
        self.dismiss((m.source_id, start, end))

    def on_write_done(self, event: WriteDone) -> None:
        self.load()

    def on_undone(self, event: Undone) -> None:
        self.load()

    def on_noted(self, event: Noted) -> None:
        event.stop()
        self.notify(event.text, timeout=event.timeout)

    def on_write_failed(self, event: WriteFailed) -> None:
        self.notify(event.error, title=f"Could not {event.label}", severity="error")
        self.load()
