"""Messages that carry results from worker threads (and between widgets) to the screens.

Workers never touch widgets: they post one of these, and a handler on the main thread
updates what is drawn. Each carries frozen dataclasses from the services only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.message import Message

from coder.services.coding.workspace import CodeCounts, SourceDoc, SourceEntry
from coder.vocab.dto import CodeNode, Passage, SearchHit


@dataclass
class TreeLoaded(Message):
    nodes: tuple[CodeNode, ...]


@dataclass
class PrefsLoaded(Message):
    slots: list[int]


@dataclass
class CountsLoaded(Message):
    counts: dict[int, CodeCounts]
    complete: bool  # True when every code was counted (absent codes have none)


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
    """A write committed; `apply` updates the screen with its result on the main thread."""

    label: str
    result: Any
    apply: Callable[[Any], None] | None = None


@dataclass
class Fetched(Message):
    """A read finished in a worker; `apply` shows its result on the main thread."""

    label: str
    result: Any
    apply: Callable[[Any], None]


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


@dataclass
class ApplyTreeCode(Message):
    code_id: int


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
