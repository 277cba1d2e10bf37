"""What the suggestions pane keeps and the messages its workers post.

Split from coder.tui.panes.suggestions (the pane's behaviour): the state is plain data kept on
the main thread, and the messages are what the suggesting and training workers report with.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from coder.suggest.results import Quality, Suggestion

Target = tuple[int, int, int]  # source id, start, end


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
    """What the pane shows, kept on the main thread."""

    target: Target | None = None
    on_passage: frozenset[int] = frozenset()  # codes already on the target
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
    debouncing: Target | None = None  # a timer will ask for this passage's suggestions
