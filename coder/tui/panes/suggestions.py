"""The suggestions pane: the codes that fit the passage under the cursor, accepting or
rejecting them, noting what was read, and retraining after new coding.

The pane owns all of it: what it shows (`SuggestState`), the workers that work suggestions out
and train, and what accept, reject and "seen" write. The screen tells it where the cursor is
(`follow`) and that something was written (`train_soon`); the pane posts `Changed` when what
y and n act on changed, and a coding it applied comes back to the screen as `Coded`.

The suggester is quick once warm but its first call loads spaCy, and training takes longer on a
big study, so both run in thread workers and report by message; typing never waits for them.
A moving cursor only asks once it has rested for DEBOUNCE seconds: each move restarts a Textual
timer and cancels the worker of the passage it left (whose answer is then never posted), so
stepping over passages costs no suggestion work at all. While keys arrive, background training
is held back (gate.hold; it goes on once the keys have stopped for QUIET seconds), so the
training process and the loading of its model never compete with a key press.
A passage the cursor rested on (its suggestions shown for READ_SECONDS) and then left is
recorded as read; if it stays uncoded, training takes it as a negative. A rejection is shown at
once (the code drops to the bottom, struck through) and counts for the model at the next
training, which runs after every write that changed the coding or the decisions (one at a
time; the pane asks again when it is done).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.timer import Timer
from textual.worker import get_current_worker

from coder.errors import UserError
from coder.services.suggestions.gate import hold, release
from coder.suggest.results import Suggestion
from coder.tui.context import context
from coder.tui.messages import Coded, Noted
from coder.tui.panes.suggest_state import (
    SuggesterTrained,
    SuggestionsReady,
    SuggestState,
    Target,
)
from coder.tui.state import WorkspaceState
from coder.tui.widgets.suggestions import SuggestionItem, SuggestionsPanel, quality_line

__all__ = ["SuggesterTrained", "SuggestionsPane", "SuggestionsReady"]

DEBOUNCE = 0.1  # seconds the cursor rests before suggestions are worked out
FIRST_WAIT = 5.0  # at most this long does the first ask wait for the panes to be filled
QUIET = 0.6  # seconds without keys before held-back training goes on
# Suggestions are worked out in threads of this process, in Python that holds the interpreter
# lock; a key waiting for the lock gets it after at most this long (Python's default is 5 ms,
# paid at every hand-over while a key is handled).
SWITCH_INTERVAL = 0.001
TOP = 5
# A passage counts as read when its suggestions were on screen this long before the cursor
# left it: stepping over sentences with j is skimming, not reading.
READ_SECONDS = 2.0
# A training that took SLOW_TRAINING seconds or more is followed by a rest of REST_FACTOR
# times as long before the next, so on a big project the CPU is mostly the researcher's.
SLOW_TRAINING = 1.0
REST_FACTOR = 2.0


class SuggestionsPane(SuggestionsPanel):
    """The suggestions panel with its behaviour (see the module docstring)."""

    @dataclass
    class Changed(Message):
        """What y and n act on changed (or is being worked out)."""

    def __init__(self, state: WorkspaceState, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.state = state
        self.sg = SuggestState()
        self._debounce: Timer | None = None
        self._quiet: Timer | None = None
        self._switch_interval = sys.getswitchinterval()

    def on_mount(self) -> None:
        sys.setswitchinterval(min(SWITCH_INTERVAL, self._switch_interval))

    def on_unmount(self) -> None:
        release()  # never leave training held back behind a closed workspace
        sys.setswitchinterval(self._switch_interval)

    def keys_arrived(self) -> None:
        """A key was handled: hold background training back until keys stop for QUIET s."""
        hold()
        if self._quiet is None:
            self._quiet = self.set_timer(QUIET, self._keys_stopped)
        else:
            self._quiet.reset()

    def _keys_stopped(self) -> None:
        self._quiet = None
        release()

    @property
    def busy_now(self) -> bool:
        """Suggestions for the selection are being worked out."""
        return self.sg.target is not None and self.sg.found is None

    # --- working suggestions out --------------------------------------------------------------

    def follow(
        self, target: Target | None, on_passage: frozenset[int], force: bool = False
    ) -> None:
        """The selection moved or its codings changed (or the model changed, with `force`):
        ask for suggestions once the cursor has rested; show "…" until they come."""
        self.keys_arrived()
        sg = self.sg
        sg.on_passage = on_passage
        if target is None:
            sg.target, sg.found = None, None
            self.clear_suggestions()
            self.post_message(self.Changed())
            return
        if target == sg.target:
            if sg.found is not None and not force:
                self._draw()  # the same passage (a coding was added): redraw marks
                return
            if sg.asking == target:
                sg.ask_again = sg.ask_again or force  # once the answer being worked out is in
                return
        else:
            shown = time.monotonic() - sg.shown_at
            if sg.target is not None and sg.found is not None and shown >= READ_SECONDS:
                self._note_read(sg.target)
            sg.target, sg.found, sg.error = target, None, ""
            self.busy()
            self.post_message(self.Changed())
        sg.asking, sg.ask_again = target, False
        self._ask_when_rested(target)

    def _ask_when_rested(self, target: Target) -> None:
        """(Re)start the debounce timer for `target`; the passage left behind gets nothing."""
        if self._debounce is not None:
            self._debounce.stop()
        self.workers.cancel_group(self, "suggest")
        self.sg.debouncing = target
        self._debounce = self.set_timer(DEBOUNCE, lambda: self._rested_on(target))

    def _rested_on(self, target: Target, waited: float = 0.0) -> None:
        self._debounce = None
        self.sg.debouncing = None
        if target != self.sg.target or self.sg.asking != target:
            return
        if not self.sg.warmed and not self.state.counts_ready and waited < FIRST_WAIT:
            # The first answer loads spaCy, which holds the interpreter for a second or so:
            # let the workspace fill its panes first.
            self.sg.debouncing = target
            self._debounce = self.set_timer(
                DEBOUNCE, lambda: self._rested_on(target, waited + DEBOUNCE)
            )
            return
        self._compute(target)

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def _compute(self, target: Target) -> None:
        worker = get_current_worker()
        if worker.is_cancelled:
            return  # the cursor moved on before the thread started
        from coder.services.suggestions.process import warm_up
        from coder.services.suggestions.scoring import suggest_for_span

        try:
            warm_up(context(self).project)  # a first model is trained apart, never here
            found = suggest_for_span(context(self).project, *target, top=TOP)
        except UserError as exc:
            self.post_message(SuggestionsReady(target, [], str(exc)))
            return
        except Exception as exc:  # a bug in the suggester must not take the workspace down
            self.log.error("suggestions failed", exc)
            self.post_message(SuggestionsReady(target, [], f"{type(exc).__name__}: {exc}"))
            return
        if not worker.is_cancelled:
            self.post_message(SuggestionsReady(target, found))

    @work(thread=True, group="read", exit_on_error=False)
    def _note_read(self, target: Target) -> None:
        """The cursor rested on this passage long enough for its suggestions to show, then
        moved on: the researcher read it. Training counts it against every code if it is
        still uncoded then (a passage coded later is simply a positive)."""
        from coder.services.suggestions.scoring import mark_seen

        try:
            mark_seen(context(self).project, *target)
        except Exception as exc:  # a lost "read" mark costs a little learning, never work
            self.log.error("marking a passage read failed", exc)

    def on_suggestions_ready(self, event: SuggestionsReady) -> None:
        event.stop()
        sg = self.sg
        if event.target == sg.asking:
            sg.asking = None
        if event.target != sg.target:
            return  # an answer for a passage the cursor has left
        if sg.found is None:
            sg.shown_at = time.monotonic()
        sg.found, sg.error = event.suggestions, event.error
        self._draw()
        if sg.ask_again:
            self.follow(sg.target, sg.on_passage, force=True)
        if not sg.warmed:
            sg.warmed = True
            self.train_soon()  # the model stored with the project may be older than its coding

    def ranked(self) -> list[tuple[Suggestion, str]]:
        """The shown suggestions with their mark, in the order drawn: open ones by score
        (the first is what y takes, if words of the passage speak for it: a code with no
        evidence is only the codebook's prior, listed but never one keypress away), then
        codes already on the passage (✓), then the ones rejected here (✗)."""
        sg = self.sg
        if sg.target is None or not sg.found:
            return []
        open_, done, rejected = [], [], []
        for s in sg.found:
            if (*sg.target, s.code_id) in sg.rejected:
                rejected.append((s, "✗"))
            elif s.code_id in sg.on_passage:
                done.append((s, "✓"))
            else:
                open_.append((s, ""))
        # y/n only for a suggestion strong enough to apply here (as review mode would): a
        # faint match on a passage about something else is listed, not offered.
        if open_ and open_[0][0].evidence and open_[0][0].applies:
            open_[0] = (open_[0][0], "y")
        return [*open_, *done, *rejected]

    def top_suggestion(self) -> Suggestion | None:
        """What y accepts and n rejects: the best open suggestion for the selection."""
        ranked = self.ranked()
        return ranked[0][0] if ranked and ranked[0][1] == "y" else None

    def _draw(self) -> None:
        sg = self.sg
        if sg.target is None:
            self.clear_suggestions()
        elif sg.found is None:
            self.busy()
        elif sg.error:
            self.clear_suggestions(f"No suggestions: {sg.error}")
        else:
            items = [
                SuggestionItem(
                    s.code_name,
                    " · ".join(s.evidence),
                    s.color,
                    (sg.target, s),
                    s.score,
                    mark,
                    dim=mark in ("✓", "✗") or not s.evidence,
                )
                for s, mark in self.ranked()
            ]
            none = (
                "No code fits this passage."
                if self.state.codes
                else "No codes yet: add some in the codebook (F3, then a)."
            )
            self.show_suggestions(items, none if not items else None)
        self.show_keys(sg.found is None or self.top_suggestion() is not None)
        self.post_message(self.Changed())

    # --- accepting and rejecting --------------------------------------------------------------

    def accept_top(self) -> None:
        if (top := self.top_suggestion()) and self.sg.target:
            self.accept(self.sg.target, top)

    def reject_top(self) -> None:
        if (top := self.top_suggestion()) and self.sg.target:
            self.reject(self.sg.target, top)

    def on_suggestions_panel_chosen(self, event: SuggestionsPanel.Chosen) -> None:
        event.stop()
        target, s = event.key
        self.sg.rejected.discard((*target, s.code_id))  # they may have changed their mind
        self.accept(target, s)

    def on_suggestions_panel_rejected(self, event: SuggestionsPanel.Rejected) -> None:
        event.stop()
        self.reject(*event.key)

    def accept(self, target: Target, s: Suggestion) -> None:
        """Apply a suggested code to its passage and record the acceptance (undoable)."""
        if target != self.sg.target:
            return  # the selection moved since the pane was drawn
        if s.code_id in self.sg.on_passage:
            self.notify(f"{s.code_name} is already on this passage.", timeout=2)
            return
        from coder.services.suggestions.scoring import accept

        project = context(self).project
        context(self).writer.submit(
            self,
            f"accept {s.code_name}",
            lambda: accept(project, *target, s.code_id, score=s.score),
            Coded,
        )

    def reject(self, target: Target, s: Suggestion) -> None:
        """Record that the code does not fit the passage; it drops to the bottom at once."""
        if (*target, s.code_id) in self.sg.rejected:
            return
        from coder.services.suggestions.scoring import reject

        self.sg.rejected.add((*target, s.code_id))
        self._draw()
        project = context(self).project
        context(self).writer.submit(
            self,
            f"reject {s.code_name}",
            lambda: reject(project, *target, s.code_id, score=s.score),
            lambda _none: Noted(f"Not {s.code_name}: noted for the suggester."),
        )

    # --- training -----------------------------------------------------------------------------

    def train_soon(self) -> None:
        """Retrain in the background if the coding changed since the model was trained.

        One training at a time, and none before the suggester first answered (that answer
        may itself train a project that has no model yet). Writes that come while it runs
        ask for one more, so a burst of codings trains at most twice; nothing is cancelled
        half-way, because a training cut short would only be thrown away. After a slow
        training the next one waits (see REST_FACTOR)."""
        sg = self.sg
        if sg.training or not sg.warmed or sg.resting:
            sg.train_again = True
            return
        rest = sg.resting_until - time.monotonic()
        if rest > 0:
            sg.resting, sg.train_again = True, True
            self.set_timer(rest, self._rested)
            return
        sg.training, sg.train_again = True, False
        self._train()

    def _rested(self) -> None:
        self.sg.resting = False
        if self.sg.train_again:
            self.train_soon()

    # Not exclusive: train_soon lets one run at a time, and an exclusive group would cancel a
    # worker whose thread goes on training regardless (and trips anyone awaiting it).
    @work(thread=True, group="train", exit_on_error=False)
    def _train(self) -> None:
        """Posts SuggesterTrained, which bubbles to the screen: a new model is news for the
        whole workspace, and the screen hands it back with `trained`."""
        from coder.services.suggestions.process import train_apart
        from coder.services.suggestions.scoring import is_stale, quality

        project = context(self).project
        seconds = 0.0  # the training's own time (not the training process's start-up)
        try:
            if is_stale(project):
                # in the training process: keys stay quick meanwhile
                seconds = train_apart(project).seconds
            measured = quality(project)
        except Exception as exc:  # training is a background nicety: say so, do not crash
            self.log.error("training suggestions failed", exc)
            self.post_message(SuggesterTrained(None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(SuggesterTrained(measured, seconds=seconds))

    def trained(self, event: SuggesterTrained) -> None:
        """A training finished: show its quality, and ask again with the new model."""
        sg = self.sg
        sg.training = False
        if event.seconds >= SLOW_TRAINING:  # a big project: leave the CPU to the researcher
            sg.resting_until = time.monotonic() + REST_FACTOR * event.seconds
        if sg.train_again:
            self.train_soon()
        if event.error:
            self.show_quality(f"Suggestions could not be retrained: {event.error}")
            return
        if event.quality is not None:
            self.show_quality(quality_line(event.quality))
        self.follow(sg.target, sg.on_passage, force=True)  # a new model, or a codebook edit
