"""Disagreement review: each place two coders differ, side by side, and the team's decision.

The review service lists the units (sentences by default) where coder A's codes differ from
coder B's. This screen shows one at a time: the text, then each coder's codes with their memos.
The keys accept A, accept B, both, or neither, written as the target coder's codings
("consensus" unless another coder is chosen); a note (N) goes with the decision as the memo of
the codings it writes. Every decision is one step of the project's undo history: Ctrl+Z here
undoes the last one and the screen marks it undecided again.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from coder.errors import UserError
from coder.services.team.review import (
    CHOICE_WORDS,
    CONSENSUS,
    Choice,
    Decision,
    Disagreement,
    ReviewCoding,
    decide,
    disagreements,
)
from coder.services.team.view import coder_names
from coder.tui import keymap
from coder.tui.context import DIALOG, context
from coder.tui.dialogs.pick import Choice as PickChoice
from coder.tui.dialogs.pick import PickScreen
from coder.tui.dialogs.prompt import PromptScreen
from coder.tui.messages import WriteFailed
from coder.vocab.dto import UndoResult


@dataclass
class DisagreementsLoaded(Message):
    items: list[Disagreement]
    error: str | None


@dataclass
class DecisionMade(Message):
    index: int
    choice: str
    decision: Decision


@dataclass
class ReviewUndone(Message):
    result: UndoResult
    redo: bool


def side_text(who: str, name: str, codings: tuple[ReviewCoding, ...]) -> Text:
    """One coder's side: a heading, then each code (once) with the memos of its codings."""
    out = Text()
    out.append(f"{who}: {name}\n", style="bold")
    if not codings:
        out.append("no codes here\n", style="dim italic")
    seen: dict[int, list[str]] = {}
    for c in codings:
        seen.setdefault(c.code_id, [])
        if c.memo.strip():
            seen[c.code_id].append(c.memo.strip())
    for code_id, memos in seen.items():
        c = next(x for x in codings if x.code_id == code_id)
        out.append("■ ", style=c.color or "white")
        out.append(f"{c.code}\n")
        for memo in memos:
            out.append(f"  memo: {memo}\n", style="italic")
    out.rstrip()
    return out


class DisagreementScreen(Screen[None]):
    """Escape goes back."""

    BINDINGS = keymap.keys(keymap.DISAGREEMENTS)

    DEFAULT_CSS = """
    DisagreementScreen { layout: vertical; }
    DisagreementScreen #dis-title { height: 1; padding: 0 1; text-style: bold; }
    DisagreementScreen #dis-where { height: 1; padding: 0 1; color: $text-muted; }
    DisagreementScreen #dis-text-box { height: 1fr; border: round $primary; padding: 0 1; }
    DisagreementScreen #dis-sides { height: auto; max-height: 45%; }
    DisagreementScreen .dis-side { width: 1fr; height: auto; border: round $secondary;
        padding: 0 1; }
    DisagreementScreen #dis-status { height: auto; padding: 0 1; }
    """

    def __init__(self, coder_a: str, coder_b: str, unit: str = "sentence") -> None:
        super().__init__()
        self.coder_a, self.coder_b, self.unit = coder_a, coder_b, unit
        self.into = CONSENSUS
        self.items: list[Disagreement] = []
        self.index = 0
        self.decided: dict[int, str] = {}  # item index -> choice
        self.notes: dict[int, str] = {}  # item index -> note
        self.done: list[int] = []  # decided item indexes, latest last (what Ctrl+Z undoes)
        self.undone: list[int] = []
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Disagreements", id="dis-title", markup=False)
        yield Static("Loading…", id="dis-where", markup=False)
        with VerticalScroll(id="dis-text-box"):
            yield Static("", id="dis-text", markup=False)
        with Horizontal(id="dis-sides"):
            yield Static("", id="dis-a", classes="dis-side", markup=False)
            yield Static("", id="dis-b", classes="dis-side", markup=False)
        yield Static("", id="dis-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="disagreements")
    def load(self) -> None:
        project = context(self).project
        try:
            items = disagreements(project, self.coder_a, self.coder_b, self.unit)
        except UserError as exc:
            self.post_message(DisagreementsLoaded([], str(exc)))
            return
        self.post_message(DisagreementsLoaded(items, None))

    def on_disagreements_loaded(self, event: DisagreementsLoaded) -> None:
        self.items, self.error = event.items, event.error
        self.index = 0
        self.show()

    # --- drawing ------------------------------------------------------------------------------

    @property
    def current(self) -> Disagreement | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def show(self) -> None:
        n = len(self.items)
        pos = f"{self.index + 1} of {n}" if n else "none"
        title = (
            f"Disagreements · A = {self.coder_a} · B = {self.coder_b} · into: {self.into} · {pos}"
        )
        self.query_one("#dis-title", Static).update(title)
        d = self.current
        if d is None:
            message = self.error or (
                f"{self.coder_a} and {self.coder_b} agree on every {self.unit}: nothing to review."
            )
            self.query_one("#dis-where", Static).update(message)
            for wid in ("#dis-text", "#dis-a", "#dis-b", "#dis-status"):
                self.query_one(wid, Static).update("")
            return
        where = f"{d.source} · {self.unit} at {d.start:,}–{d.end:,}"
        self.query_one("#dis-where", Static).update(where)
        text = Text()
        text.append(d.before, style="dim")
        text.append(d.text, style="bold underline")
        text.append(d.after, style="dim")
        self.query_one("#dis-text", Static).update(text)
        self.query_one("#dis-a", Static).update(side_text("A", self.coder_a, d.a))
        self.query_one("#dis-b", Static).update(side_text("B", self.coder_b, d.b))
        self._status()

    def _status(self) -> None:
        choice = self.decided.get(self.index)
        note = self.notes.get(self.index, "")
        left = sum(1 for i in range(len(self.items)) if i not in self.decided)
        line = Text()
        if choice:
            line.append(f"Decided: {CHOICE_WORDS[choice]}", style="bold")
        else:
            line.append("Undecided", style="bold")
        line.append(f" · {left} left")
        if note:
            line.append(f"\nNote: {note}", style="italic")
        self.query_one("#dis-status", Static).update(line)

    # --- moving -------------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        if self.items:
            self.index = max(0, min(len(self.items) - 1, self.index + step))
            self.show()

    def action_back(self) -> None:
        self.dismiss(None)

    # --- deciding -----------------------------------------------------------------------------

    def action_decide(self, choice: str) -> None:
        d = self.current
        if d is None:
            return
        project, index, into = context(self).project, self.index, self.into
        note = self.notes.get(index, "")
        picked: Choice = choice  # type: ignore[assignment]

        def made(decision: Decision) -> DecisionMade:
            return DecisionMade(index, choice, decision)

        context(self).writer.submit(
            self,
            CHOICE_WORDS[choice],
            lambda: decide(project, d, picked, into, note),
            made,
        )

    def on_decision_made(self, event: DecisionMade) -> None:
        self.decided[event.index] = event.choice
        self.done.append(event.index)
        self.undone.clear()
        context(self).changed_elsewhere = True
        if event.index == self.index:
            nxt = next(
                (i for i in range(self.index + 1, len(self.items)) if i not in self.decided),
                self.index,
            )
            self.index = nxt
        self.show()

    @work(group=DIALOG)
    async def action_note(self) -> None:
        if self.current is None:
            return
        index = self.index
        note = await self.app.push_screen_wait(
            PromptScreen("Note on this decision", self.notes.get(index, ""), "why the team chose")
        )
        if note is None:
            return
        self.notes[index] = note
        if index in self.decided:  # decided already: record it again, now with the note
            self.index = index
            self.action_decide(self.decided[index])
        self._status()

    @work(group=DIALOG)
    async def action_into(self) -> None:
        project = context(self).project
        worker = self.run_worker(lambda: coder_names(project), thread=True, group="dis-names")
        names = [CONSENSUS, *(n for n in (await worker.wait() or []) if n != CONSENSUS)]
        into = await self.app.push_screen_wait(
            PickScreen(
                "Write decisions as which coder?",
                [PickChoice(n, n, None, "") for n in names],
            )
        )
        if into is not None:
            self.into = str(into)
            self.show()

    # --- undo ---------------------------------------------------------------------------------

    def action_undo(self, redo: bool = False) -> None:
        project = context(self).project
        history = project.history
        fn = (lambda: history.redo(project)) if redo else (lambda: history.undo(project))
        context(self).writer.submit(
            self, "redo" if redo else "undo", fn, lambda r: ReviewUndone(r, redo)
        )

    def on_review_undone(self, event: ReviewUndone) -> None:
        result = event.result
        self.notify(result.message[:1].upper() + result.message[1:], timeout=2.5)
        if not result.done:
            return
        context(self).changed_elsewhere = True
        label = result.label
        if not event.redo and self.done and "review:" in label:
            index = self.done.pop()
            self.undone.append(index)
            self.decided.pop(index, None)
            self.index = index
        elif event.redo and self.undone and "review:" in label:
            index = self.undone.pop()
            self.done.append(index)
            for key, words in CHOICE_WORDS.items():
                if words in label:
                    self.decided[index] = key
        self.show()

    def on_write_failed(self, event: WriteFailed) -> None:
        self.notify(event.error, title=f"Could not {event.label}", severity="error")
        event.stop()
