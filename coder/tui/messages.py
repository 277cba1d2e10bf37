"""Messages that carry results from worker threads (and between widgets) to the screens.

Workers never touch widgets: they post one of these, and a handler on the main thread
updates what is drawn. Each carries frozen dataclasses from the services only.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from coder.services.coding.workspace import SourceDoc, SourceEntry
from coder.services.sources.case_attributes import CaseCard
from coder.services.sources.player import PlayResult
from coder.vocab.dto import (
    CodeCounts,
    CodeNode,
    CodingInfo,
    MemoInfo,
    Passage,
    SearchHit,
    UndoResult,
)


@dataclass
class TreeLoaded(Message):
    nodes: tuple[CodeNode, ...]


@dataclass
class PrefsLoaded(Message):
    slots: list[int | None]


@dataclass
class CountsLoaded(Message):
    counts: dict[int, CodeCounts]
    complete: bool  # True when every code was counted (absent codes have none)
    rollup: dict[int, CodeCounts] | None = None  # themes: their whole subtree


@dataclass
class SourcesLoaded(Message):
    entries: list[SourceEntry]


@dataclass
class CoverageLoaded(Message):
    coverage: dict[int, float]


@dataclass
class DocLoaded(Message):
    doc: SourceDoc
    select: tuple[int, int] | None
    keep_view: bool = False


@dataclass
class WriteDone(Message):
    """A write committed (after the message that says what it did, if it has one)."""

    label: str


@dataclass
class WriteFailed(Message):
    label: str
    error: str


@dataclass
class SelectionChanged(Message):
    start: int
    end: int


@dataclass
class OpenSource(Message):
    source_id: int


@dataclass
class CodeHighlighted(Message):
    code_id: int | None


# --- what a write did (posted by the Writer to the widget that asked) ---------------------------


@dataclass
class Coded(Message):
    """A code was applied to a passage (or was already there: the same coding comes back)."""

    coding: CodingInfo


@dataclass
class Uncoded(Message):
    """A code was taken off a passage: `removed` codings of `code_id` overlapping it went."""

    code_id: int
    start: int
    end: int
    removed: int


@dataclass
class CodingUpdated(Message):
    """A coding's memo or exemplar mark changed; `note` is said to the researcher if set."""

    coding: CodingInfo
    note: str = ""


@dataclass
class Undone(Message):
    """Undo or redo ran (or had nothing to do)."""

    result: UndoResult


@dataclass
class Noted(Message):
    """A write that only needs saying (a memo saved, a rejection recorded)."""

    text: str
    timeout: float = 2.0


# --- what changed, between panes and the screen ---------------------------------------------


@dataclass
class CodingsChanged(Message):
    """The open transcript's codings changed: which appeared, which went, and which changed
    (a memo or the exemplar mark)."""

    source_id: int
    added: tuple[CodingInfo, ...]
    removed: tuple[CodingInfo, ...]
    changed: tuple[CodingInfo, ...] = ()


@dataclass
class NotesChanged(Message):
    """A note on uncoded text was added, edited or deleted: the source's notes now."""

    source_id: int
    notes: tuple[MemoInfo, ...]
    said: str = ""


@dataclass
class CodebookChanged(Message):
    """Codes were created, renamed, edited, moved, merged or deleted. `focus` is the code to
    highlight afterwards; `codings` is True when codings moved or their code's name or colour
    changed, so counts and the transcript need fetching again; `note` is said if set."""

    focus: int | None
    codings: bool = False
    note: str = ""


@dataclass
class ApplyCode(Message):
    """Apply this code to the transcript selection (Enter in the codebook)."""

    code_id: int


@dataclass
class SlotsChanged(Message):
    """The quick-code numbers changed (a pin, or a code taking a slot)."""


@dataclass
class ShowPassages(Message):
    """Open the passages of this code."""

    code_id: int


@dataclass
class ReviewCode(Message):
    """Open review mode for this code."""

    code_id: int | None


@dataclass
class SearchStep(Message):
    done: int
    total: int
    hits: tuple[SearchHit, ...]

    def can_replace(self, message: Message) -> bool:
        return False


@dataclass
class PassagesLoaded(Message):
    """A page of a code's passages (with the total, for the first page)."""

    page: int
    passages: list[Passage]
    total: int | None = None
    team: bool = False  # codings by more than one coder are shown: say whose each is


@dataclass
class CaseCardLoaded(Message):
    """The participant of a transcript with their attributes (None: no participant)."""

    card: CaseCard | None
    source_name: str


@dataclass
class AttributesSaved(Message):
    """A participant's attributes after an edit was committed."""

    card: CaseCard


@dataclass
class PlayStarted(Message):
    """The passage's recording was handed to an external player, or could not be (why)."""

    result: PlayResult
