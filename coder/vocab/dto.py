"""Frozen dataclasses that cross from the service layer to the CLI, TUI and exporters.

Nothing here is an ORM object: these are safe to hand to another thread, to keep after the
session closed, and to compare in tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol, Self, TypeVar

from coder.vocab.kinds import AttributeScope, AttributeType, ImportStatus, MemoKind
from coder.vocab.transcript import Turn

AttrValue = str | int | float | date | None


class _Tree(Protocol):
    @property
    def children(self) -> Sequence[Self]: ...


T = TypeVar("T", bound=_Tree)


def preorder(roots: Iterable[T]) -> list[T]:
    """The roots and everything below them (`children`), each before its children."""
    out: list[T] = []
    for node in roots:
        out.append(node)
        out.extend(preorder(node.children))
    return out


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A source without its text: cheap to list."""

    id: int
    guid: str
    name: str
    filename: str
    format: str
    words: int
    chars: int
    case_id: int | None
    case_name: str | None
    organisation: str | None
    imported_at: datetime
    coded_chars: int = 0

    @property
    def coded_fraction(self) -> float:
        return self.coded_chars / self.chars if self.chars else 0.0


@dataclass(frozen=True, slots=True)
class SourceText:
    """A source with its text and speaker turns, for reading and coding."""

    info: SourceInfo
    text: str
    turns: tuple[Turn, ...]


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What happened to one file of an import batch."""

    path: str
    status: ImportStatus
    message: str = ""
    source_id: int | None = None
    words: int = 0
    turns: int = 0


@dataclass(frozen=True, slots=True)
class AttributeInfo:
    id: int
    guid: str
    name: str
    type: AttributeType
    scope: AttributeScope
    position: int


@dataclass(frozen=True, slots=True)
class CaseInfo:
    """A participant with its own and its organisation's attribute values."""

    id: int
    guid: str
    name: str
    description: str
    organisation_id: int | None
    organisation: str | None
    values: dict[str, AttrValue] = field(default_factory=dict)
    organisation_values: dict[str, AttrValue] = field(default_factory=dict)
    source_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CasesImportResult:
    cases_created: int
    cases_updated: int
    organisations: int
    sources_linked: int
    attributes: tuple[AttributeInfo, ...]
    unmatched_sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CodeCounts:
    """How much one code is used: codings, distinct participants, distinct sources."""

    codings: int = 0
    participants: int = 0
    sources: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeInfo(CodeCounts):
    """A code (theme or sub-theme) with its definition and usage counts (its CodeCounts)."""

    id: int
    guid: str
    parent_id: int | None
    name: str
    description: str
    inclusion: str
    exclusion: str
    keywords: tuple[str, ...]
    examples: tuple[str, ...]
    color: str
    position: int
    codable: bool
    depth: int = 0


@dataclass(frozen=True, slots=True)
class CodeNode:
    """A code and its sub-codes, for tree displays and exports."""

    code: CodeInfo
    children: tuple[CodeNode, ...] = ()

    def walk(self) -> list[CodeInfo]:
        """This code and every code below it, depth-first in tree order."""
        return [node.code for node in preorder([self])]


@dataclass(frozen=True, slots=True)
class CodingInfo:
    id: int
    guid: str
    source_id: int
    source_name: str
    code_id: int
    code_name: str
    code_color: str
    start: int
    end: int
    snippet: str
    coder: str
    created_at: datetime
    memo: str
    exemplar: bool
    case_name: str | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """A coded passage with surrounding context, for retrieval views and reports."""

    coding: CodingInfo
    before: str
    after: str
    speaker: str | None


@dataclass(frozen=True, slots=True)
class MemoInfo:
    id: int
    guid: str
    kind: MemoKind
    title: str
    text: str
    code_id: int | None
    source_id: int | None
    author: str | None
    created_at: datetime
    updated_at: datetime
    start: int | None = None  # a note on uncoded text (kind "span"): text[start:end]
    end: int | None = None


@dataclass(frozen=True, slots=True)
class CodebookSummary:
    codes_created: int
    codes_updated: int
    codes_unchanged: int


@dataclass(frozen=True, slots=True)
class CheckProblem:
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class CheckReport:
    problems: tuple[CheckProblem, ...]
    sources: int
    codings: int
    codes: int

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class SearchHit:
    source_id: int
    source_name: str
    case_name: str | None
    start: int
    end: int
    before: str
    match: str
    after: str
    codes: tuple[str, ...] = ()  # names of the codes already on the hit (issue 13.19)


@dataclass(frozen=True, slots=True)
class PassageText:
    """Where a passage is and what it says: the source's name, [start, end) in that source and
    the passage's text."""

    source: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class CodedPassage(PassageText):
    """A passage as the analysis lists show it, with the codes (paths) on it."""

    codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UndoResult:
    """What undo or redo did, for the status line."""

    label: str
    done: bool
    message: str = ""


@dataclass(frozen=True, slots=True)
class CodeSpec:
    """A code as it travels in a codebook file (YAML, REFI-QDA .qdc), without counts or ids."""

    name: str
    guid: str | None = None
    color: str | None = None
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    codable: bool = True
    children: tuple[CodeSpec, ...] = ()

    def walk(self) -> list[CodeSpec]:
        """This code and every code below it, depth-first in tree order."""
        return preorder([self])


@dataclass(frozen=True, slots=True)
class Codebook:
    """A whole codebook: title, description and the tree of codes."""

    title: str
    codes: tuple[CodeSpec, ...]
    description: str = ""
    reference: str = ""

    def walk(self) -> list[CodeSpec]:
        """Every code, depth-first in tree order."""
        return preorder(self.codes)
