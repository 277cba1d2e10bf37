"""Suggestions in the workspace: the codes that fit the passage under the cursor, accepting or
rejecting them, noting what was read, and retraining after new coding.

The suggester is quick once warm but its first call loads spaCy, and training takes longer on a
big study, so both run in thread workers and report by message; typing never waits for them.
A moving cursor only asks once it has rested for DEBOUNCE seconds (the wait happens inside the
worker, so the next keystroke cancels it, and tests can wait for workers instead of timers).
A passage the cursor rested on (its suggestions shown for READ_SECONDS) and then left is
recorded as read; if it stays uncoded, training takes it as a negative. A rejection is shown at
once (the code drops to the bottom, struck through) and counts for the model at the next
training, which runs after every write that changed the coding or the decisions (one at a
time; the panel asks again when it is done). Review mode lives in workspace_review.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, cast

from textual import work
from textual.binding import ActiveBinding
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import get_current_worker

from coder.errors import UserError
from coder.suggest.results import Quality, Suggestion
from coder.tui.screens.workspace_host import WorkspaceHost
from coder.tui.widgets.suggestions import (
    SuggestionHint,
    SuggestionItem,
    SuggestionsPanel,
    quality_line,
)

if TYPE_CHECKING:
    from coder.vocab.dto import CodingInfo

Target = tuple[int, int, int]  # source id, start, end
DEBOUNCE = 0.1  # seconds the cursor rests before suggestions are worked out
TOP = 5
# A passage counts as read when its suggestions were on screen this long before the cursor
# left it: stepping over sentences with j is skimming, not reading.
READ_SECONDS = 2.0
# A training that took SLOW_TRAINING seconds or more is followed by a rest of REST_FACTOR
# times as long before the next, so on a big project the CPU is mostly the researcher's.
SLOW_TRAINING = 1.0
REST_FACTOR = 2.0
FOOTER_KEYS = ("suggest_accept", "suggest_reject")


@dataclass
class SuggestionsReady(Message):
    """Suggestions for a passage, worked out in a worker (or why there are none)."""

    target: Target
    suggestions: list[Suggestion]
    error: str = ""


@dataclass
class SuggesterTrained(Message):
    """A background training finished (or was not needed): the measured quality."""

    quality: Quality | None
    error: str = ""
    seconds: float = 0.0  # how long the training took


@dataclass
class SuggestState:
    """What the panel shows, kept on the main thread."""

    target: Target | None = None
    found: list[Suggestion] | None = None  # for target; None while working it out
    rejected: set[tuple[int, int, int, int]] = field(default_factory=set)  # target + code
    error: str = ""
    asking: Target | None = None  # the passage a worker is working out
    ask_again: bool = False  # asked to refresh while that worker was busy
    warmed: bool = False  # the suggester answered once (spaCy loaded, a model in place)
    training: bool = False
    train_again: bool = False
    shown_at: float = 0.0  # time.monotonic() when suggestions for target were first shown
    resting_until: float = 0.0  # time.monotonic() before which no training starts
    resting: bool = False  # a timer will call train_soon when the rest is over


class SuggestActions(WorkspaceHost):
    """Mixed into WorkspaceScreen."""

    if TYPE_CHECKING:
        show_suggestions: bool | None

        @property
        def suggestions(self) -> SuggestionsPanel: ...
        def post_message(self, message: Any) -> bool: ...
        def refresh_bindings(self) -> None: ...
        def _apply_layout(self) -> None: ...
        def _coded(self, coding: CodingInfo) -> None: ...
        def jump_to(self, location: Target | None) -> None: ...
        def _write(self, label: str, fn: Any, apply: Any) -> None: ...

    @property
    def sg(self) -> SuggestState:
        found: SuggestState | None = self.__dict__.get("_sg_state")
        if found is None:
            found = self.__dict__["_sg_state"] = SuggestState()
        return found

    @property
    def hint(self) -> SuggestionHint:
        return cast("Screen[None]", self).query_one(SuggestionHint)

    @property
    def suggestions_pane(self) -> Widget:
        return cast("Screen[None]", self).query_one("#suggestions-pane")

    def _current_target(self) -> Target | None:
        doc = self.state.doc
        if doc is None:
            return None
        start, end = self.transcript.selection
        return (doc.source.info.id, start, end) if end > start else None

    # --- working suggestions out --------------------------------------------------------------

    def suggest_soon(self, force: bool = False) -> None:
        """The selection moved (or the model changed, with `force`): ask for suggestions
        once the cursor has rested; show "…" until they come."""
        target = self._current_target()
        sg = self.sg
        if target is None:
            sg.target, sg.found = None, None
            self.suggestions.clear_suggestions()
            self._draw_hint()
            return
        if target == sg.target:
            if sg.found is not None and not force:
                self._draw_suggestions()  # the same passage (a coding was added): redraw marks
                return
            if sg.asking == target:
                sg.ask_again = sg.ask_again or force  # once the answer being worked out is in
                return
        else:
            shown = time.monotonic() - sg.shown_at
            if sg.target is not None and sg.found is not None and shown >= READ_SECONDS:
                self._note_read(sg.target)
            sg.target, sg.found, sg.error = target, None, ""
            self.suggestions.busy()
            self._draw_hint()
            self.refresh_bindings()
        sg.asking, sg.ask_again = target, False
        self._compute_suggestions(target)

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def _compute_suggestions(self, target: Target) -> None:
        worker = get_current_worker()
        if worker.cancelled_event.wait(DEBOUNCE):
            return  # the cursor moved on
        from coder.services.suggestions.scoring import suggest_for_span

        try:
            found = suggest_for_span(self.coder_app.project, *target, top=TOP)
        except UserError as exc:
            self.post_message(SuggestionsReady(target, [], str(exc)))
            return
        except Exception as exc:  # a bug in the suggester must not take the workspace down
            self.coder_app.log.error("suggestions failed", exc)
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
            mark_seen(self.coder_app.project, *target)
        except Exception as exc:  # a lost "read" mark costs a little learning, never work
            self.coder_app.log.error("marking a passage read failed", exc)

    def on_suggestions_ready(self, event: SuggestionsReady) -> None:
        sg = self.sg
        if event.target == sg.asking:
            sg.asking = None
        if event.target != sg.target:
            return  # an answer for a passage the cursor has left
        if sg.found is None:
            sg.shown_at = time.monotonic()
        sg.found, sg.error = event.suggestions, event.error
        self._draw_suggestions()
        if sg.ask_again:
            self.suggest_soon(force=True)
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
        on_passage = {c.code_id for c in self.transcript.codings_here()}
        open_, done, rejected = [], [], []
        for s in sg.found:
            if (*sg.target, s.code_id) in sg.rejected:
                rejected.append((s, "✗"))
            elif s.code_id in on_passage:
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

    def _draw_suggestions(self) -> None:
        sg = self.sg
        panel = self.suggestions
        if sg.target is None:
            panel.clear_suggestions()
        elif sg.found is None:
            panel.busy()
        elif sg.error:
            panel.clear_suggestions(f"No suggestions: {sg.error}")
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
            panel.show_suggestions(items, none if not items else None)
        panel.show_keys(sg.found is None or self.top_suggestion() is not None)
        self._draw_hint()
        self.refresh_bindings()

    def _draw_hint(self) -> None:
        """The status-line form of the top suggestion, shown while the panel is hidden."""
        panel_shown = bool(self.suggestions_pane.display)
        hint = self.hint
        hint.display = not panel_shown and self.state.doc is not None
        if panel_shown:
            return
        if self.sg.target is not None and self.sg.found is None:
            hint.show_top(None, busy=True)
            return
        top = self.top_suggestion()
        hint.show_top(*((top.code_name, top.color, top.score) if top else (None,)))

    def suggestions_layout_changed(self) -> None:
        """The panel was shown or hidden: the status line takes over or hands back."""
        self._draw_hint()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in FOOTER_KEYS:
            return self.top_suggestion() is not None  # y and n work (and show) only then
        return super().check_action(action, parameters)  # type: ignore[misc, no-any-return]

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """As the screen's, but with the panel hidden the status line shows y and n instead
        of the footer (at 80 columns they would push Help off the footer)."""
        found: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        panes = cast("Screen[None]", self).query("#suggestions-pane")
        if panes and not panes.first().display:
            for key, active in list(found.items()):
                if active.binding.action in FOOTER_KEYS:
                    found[key] = active._replace(binding=replace(active.binding, show=False))
        return found

    # --- accepting and rejecting --------------------------------------------------------------

    def action_suggest_accept(self) -> None:
        if (top := self.top_suggestion()) and self.sg.target:
            self.accept_suggestion(self.sg.target, top)

    def action_suggest_reject(self) -> None:
        if (top := self.top_suggestion()) and self.sg.target:
            self.reject_suggestion(self.sg.target, top)

    def action_focus_suggestions(self) -> None:
        if not self.suggestions_pane.display:
            self.show_suggestions = True
            self._apply_layout()
        self.suggestions.focus_list()

    def on_suggestions_panel_chosen(self, event: SuggestionsPanel.Chosen) -> None:
        target, s = event.key
        self.sg.rejected.discard((*target, s.code_id))  # they may have changed their mind
        self.accept_suggestion(target, s)

    def on_suggestions_panel_rejected(self, event: SuggestionsPanel.Rejected) -> None:
        self.reject_suggestion(*event.key)

    def accept_suggestion(self, target: Target, s: Suggestion) -> None:
        """Apply a suggested code to its passage and record the acceptance (undoable)."""
        if target != self._current_target():
            return  # the selection moved since the panel was drawn
        if any(c.code_id == s.code_id for c in self.transcript.codings_here()):
            self.notify(f"{s.code_name} is already on this passage.", timeout=2)
            return
        from coder.services.suggestions.scoring import accept

        project = self.coder_app.project
        self._write(
            f"accept {s.code_name}",
            lambda: accept(project, *target, s.code_id, score=s.score),
            self._coded,
        )

    def reject_suggestion(self, target: Target, s: Suggestion) -> None:
        """Record that the code does not fit the passage; it drops to the bottom at once."""
        if (*target, s.code_id) in self.sg.rejected:
            return
        from coder.services.suggestions.scoring import reject

        self.sg.rejected.add((*target, s.code_id))
        self._draw_suggestions()
        project = self.coder_app.project
        self._write(
            f"reject {s.code_name}",
            lambda: reject(project, *target, s.code_id, score=s.score),
            lambda _none: self.notify(f"Not {s.code_name}: noted for the suggester.", timeout=2),
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
            cast("Screen[None]", self).set_timer(rest, self._rested)
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
        from coder.services.suggestions.process import train_apart
        from coder.services.suggestions.scoring import is_stale, quality

        project = self.coder_app.project
        seconds = 0.0  # the training's own time (not the training process's start-up)
        try:
            if is_stale(project):
                # in the training process: keys stay quick meanwhile
                seconds = train_apart(project).seconds
            measured = quality(project)
        except Exception as exc:  # training is a background nicety: say so, do not crash
            self.coder_app.log.error("training suggestions failed", exc)
            self.post_message(SuggesterTrained(None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(SuggesterTrained(measured, seconds=seconds))

    def on_suggester_trained(self, event: SuggesterTrained) -> None:
        sg = self.sg
        sg.training = False
        if event.seconds >= SLOW_TRAINING:  # a big project: leave the CPU to the researcher
            sg.resting_until = time.monotonic() + REST_FACTOR * event.seconds
        if sg.train_again:
            self.train_soon()
        if event.error:
            self.suggestions.show_quality(f"Suggestions could not be retrained: {event.error}")
            return
        if event.quality is not None:
            self.suggestions.show_quality(quality_line(event.quality))
        self.suggest_soon(force=True)  # a new model, or a codebook edit: ask again
