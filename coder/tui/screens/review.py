"""Review mode: the passages the suggester would code, one by one, before anything is coded.

This is what auto-coding looks like in coder: a preview. For one code (across the study) or one
transcript (any code) it lists the candidate passages strongest first, each with its score and
the words that made it score, and the researcher applies (y) or rejects (n) each one, or opens
it in its transcript (Enter) to read around it. Nothing is applied that was not on screen and
chosen. Accepting goes through the same service as the workspace (undoable, recorded as an
accepted suggestion); rejecting is recorded so the next training learns from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from coder.errors import UserError
from coder.suggest.results import ReviewCandidate
from coder.tui import keymap
from coder.tui.child import Child
from coder.tui.context import CoderContext, context
from coder.tui.messages import Undone, WriteFailed
from coder.vocab.dto import CodeInfo

Location = tuple[int, int, int]  # source id, start, end
LIMIT = 50
TEXT_CHARS = 420  # of a passage's text shown in the list (the rest: Enter opens it)


@dataclass
class CandidatesLoaded(Message):
    candidates: list[ReviewCandidate]
    error: str = ""


@dataclass
class ReviewProgress(Message):
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ReviewProgress)


@dataclass
class Decided(Message):
    """A decision on candidate `index` was recorded: it is now `state`."""

    index: int
    state: str


@dataclass
class Rechecked(Message):
    """The decisions recorded now on the candidates (by source, start, end, code)."""

    keys: list[tuple[int, int, int, int]]
    found: dict[tuple[int, int, int, int], str]


class _Stopped(Exception):
    """The screen closed while candidates were being found."""


def candidate_prompt(c: ReviewCandidate, index: int, state: str, by_code: bool) -> Table:
    """A candidate as a header (number, transcript, score, code, decision), its text with the
    evidence words underlined, and the evidence itself, indented under the number."""
    s = c.suggestion
    head = Text()
    head.append(c.source_name, style="bold")
    head.append(f"  {s.score:.2f}", style="dim")
    if not by_code:
        head.append("  ■ ", style=s.color)
        head.append(s.code_name, style="bold")
    if state == "accepted":
        head.append(f"  ✓ coded {s.code_name}", style="bold green")
    elif state == "rejected":
        head.append("  ✗ rejected", style="bold red")
    elif state == "saving":
        head.append("  …", style="dim")
    body = " ".join(c.text.split())
    if len(body) > TEXT_CHARS:
        body = body[:TEXT_CHARS].rsplit(" ", 1)[0] + " …"
    passage = Text(body, style="dim" if state in ("accepted", "rejected") else "")
    words = [w for w in s.evidence if w.strip()]
    if words:
        passage.highlight_words(words, style="bold underline", case_sensitive=False)
    grid = Table.grid(expand=True)
    grid.add_column(width=5, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(f"{index + 1:>3}", style="dim"), head)
    grid.add_row("", passage)
    if words:
        grid.add_row("", Text("because: " + " · ".join(words), style="dim italic"))
    return grid


class ReviewScreen(Screen[Location | None]):
    """Candidate passages for one code or one source; returns the location to open, if any."""

    BINDINGS = keymap.keys(keymap.REVIEW)

    def __init__(self, code: CodeInfo | None = None, source: tuple[int, str] | None = None) -> None:
        super().__init__()
        if code is None and source is None:
            raise ValueError("review needs a code or a source")
        self.code = code
        self.source = source
        self.candidates: list[ReviewCandidate] = []
        self.states: list[str] = []  # "" | saving | accepted | rejected
        self.decided = 0
        self.loaded = False

    @property
    def coder_app(self) -> CoderContext:
        return context(self)

    choices: Child[OptionList] = Child(OptionList, "#review-list")

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="review-title", markup=False)
        yield Static("Finding candidate passages…", id="review-status", markup=False)
        yield OptionList(id="review-list")
        yield Footer()

    def _title(self) -> Text:
        text = Text("Review: ", style="bold")
        if self.code is not None:
            text.append("■ ", style=self.code.color)
            text.append(self.code.name, style="bold")
            text.append(" in every transcript")
        elif self.source is not None:
            text.append(f"{self.source[1]}, any code")
        text.append("  ·  nothing is coded until you press y", style="dim")
        return text

    def on_mount(self) -> None:
        self.coders = self.coder_app.shown_coders()  # in blind mode: only my codings count
        self.choices.focus()
        self.load()

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def load(self) -> None:
        from coder.services.suggestions.scoring import review_candidates

        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                raise _Stopped
            self.post_message(ReviewProgress(done, total))

        try:
            found = review_candidates(
                self.coder_app.project,
                code_id=self.code.id if self.code else None,
                source_id=self.source[0] if self.code is None and self.source else None,
                limit=LIMIT,
                progress=progress,
                coders=self.coders,
            )
        except _Stopped:
            return
        except UserError as exc:
            self.post_message(CandidatesLoaded([], str(exc)))
            return
        except Exception as exc:  # a suggester bug: say so on the screen
            self.log.error("review failed", exc)
            self.post_message(CandidatesLoaded([], f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(CandidatesLoaded(found))

    def on_review_progress(self, event: ReviewProgress) -> None:
        if not self.loaded:
            self.query_one("#review-status", Static).update(
                f"Finding candidate passages… {event.done}/{event.total} transcripts read"
            )

    def on_candidates_loaded(self, event: CandidatesLoaded) -> None:
        self.loaded = True
        self.candidates = event.candidates
        self.states = [""] * len(self.candidates)
        options = self.choices
        options.clear_options()
        for i in range(len(self.candidates)):
            if i:
                options.add_option(None)
            options.add_option(Option(self._prompt(i), id=str(i)))
        if self.candidates:
            options.highlighted = 0
        self._status(event.error)

    def _prompt(self, index: int) -> Table:
        return candidate_prompt(
            self.candidates[index], index, self.states[index], by_code=self.code is not None
        )

    def _status(self, error: str = "") -> None:
        status = self.query_one("#review-status", Static)
        if error:
            status.update(Text(f"Could not review: {error}", style="bold red"))
            return
        n = len(self.candidates)
        if not n:
            status.update(
                "No passage left that the suggester would code here: every likely "
                "one is coded or was rejected."
            )
            return
        done = sum(1 for s in self.states if s in ("accepted", "rejected"))
        accepted = sum(1 for s in self.states if s == "accepted")
        more = " (the strongest)" if n >= LIMIT else ""
        status.update(
            f"{n} candidate{'s' if n != 1 else ''}{more} · {accepted} accepted · "
            f"{done - accepted} rejected · {n - done} to decide · Enter opens one in "
            "its transcript"
        )

    # --- actions ------------------------------------------------------------------------------

    def current(self) -> int | None:
        option = self.choices.highlighted_option
        return int(option.id) if option is not None and option.id is not None else None

    def _option_index(self, index: int) -> int:
        return self.choices.get_option_index(str(index))

    def _set_state(self, index: int, state: str) -> None:
        self.states[index] = state
        self.choices.replace_option_prompt_at_index(self._option_index(index), self._prompt(index))
        self._status()

    def _next_open(self, index: int) -> None:
        """Move to the next candidate not yet decided (after `index`), if there is one."""
        for i in range(index + 1, len(self.candidates)):
            if not self.states[i]:
                self.choices.highlighted = self._option_index(i)
                return

    def action_accept(self) -> None:
        self._decide(accepting=True)

    def action_reject(self) -> None:
        self._decide(accepting=False)

    def _decide(self, accepting: bool) -> None:
        """Record the decision on the highlighted candidate and move to the next open one;
        accepting applies the code, so the workspace reloads when the review closes."""
        index = self.current()
        if index is None or self.states[index] == "saving":
            return
        state = self.states[index]
        if state == "accepted":
            self.notify("Already accepted (Ctrl+Z takes the last action back).", timeout=3)
            return
        if state == "rejected" and not accepting:
            self.notify("Already rejected (y applies it after all).", timeout=3)
            return
        from coder.services.suggestions.scoring import accept, reject

        c, project = self.candidates[index], self.coder_app.project
        verb, record = ("accept", accept) if accepting else ("reject", reject)
        self._set_state(index, "saving")
        self._next_open(index)
        if accepting:
            self.coder_app.changed_elsewhere = True
        self.coder_app.writer.submit(
            self,
            f"{verb} {c.suggestion.code_name}",
            lambda: record(
                project, c.source_id, c.start, c.end, c.suggestion.code_id, score=c.suggestion.score
            ),
            lambda _result: Decided(index, f"{verb}ed"),
        )

    def on_undone(self, event: Undone) -> None:
        """An undo or redo ran while reviewing: ask which decisions still stand."""
        if event.result.done:
            self.recheck()

    @work(thread=True, exclusive=True, group="review-recheck")
    def recheck(self) -> None:
        from coder.services.suggestions.scoring import decisions_on

        keys = [(c.source_id, c.start, c.end, c.suggestion.code_id) for c in self.candidates]
        found = decisions_on(self.coder_app.project, keys, self.coders)
        self.post_message(Rechecked(keys, found))

    def on_rechecked(self, event: Rechecked) -> None:
        for i, key in enumerate(event.keys):
            if i >= len(self.states) or self.states[i] == "saving":
                continue
            now = {"accept": "accepted", "reject": "rejected"}.get(event.found.get(key, ""), "")
            if now != self.states[i]:
                self._set_state(i, now)

    def on_decided(self, event: Decided) -> None:
        self.decided += 1
        self._set_state(event.index, event.state)

    def action_jump(self) -> None:
        index = self.current()
        if index is not None:
            c = self.candidates[index]
            self.dismiss((c.source_id, c.start, c.end))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_jump()

    def action_move(self, step: int) -> None:
        if step > 0:
            self.choices.action_cursor_down()
        else:
            self.choices.action_cursor_up()

    def action_back(self) -> None:
        self.dismiss(None)

    def on_write_failed(self, event: WriteFailed) -> None:
        self.notify(event.error, title=f"Could not {event.label}", severity="error")
        for i, state in enumerate(self.states):
            if state == "saving":
                self.states[i] = ""
                self.choices.replace_option_prompt_at_index(self._option_index(i), self._prompt(i))
        self._status()
