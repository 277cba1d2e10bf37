"""A REFI-QDA project as plain data, between the database and the .qdpx file.

`coder.services.exchange.refi_project` fills a `RefiProject` from a project (export) and
stores one in a project (import); `qdpx_write` and `qdpx_read` turn it into a .qdpx and back.
Only what coder keeps is modelled: text sources, codes, codings, cases with typed variables,
notes and users.
Organisations travel as a text variable marked in its description, so another program shows
them as an ordinary participant attribute and coder can rebuild them on the way back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coder.vocab.dto import CodeSpec

ORG_MARK = "[coder:organisation]"
ORG_ATTR_MARK = "[coder:shared-by-organisation]"
EXEMPLAR_NOTE = "Exemplar"
EXEMPLAR_TEXT = "Marked as an exemplar quote in coder."
TYPES_TO_REFI = {"text": "Text", "integer": "Integer", "number": "Float", "date": "Date"}
TYPES_FROM_REFI = {"text": "text", "integer": "integer", "float": "number", "date": "date",
                   "boolean": "text", "datetime": "text"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class RefiNamed:
    """What every named REFI-QDA element has first: its GUID and its name."""

    guid: str
    name: str


@dataclass(frozen=True, slots=True)
class RefiUser(RefiNamed):
    """A user (coder) who made codings and notes."""


@dataclass(frozen=True, slots=True)
class RefiVariable(RefiNamed):
    """A participant attribute.

    Attributes:
        type: coder's type: text, integer, number or date.
        scope: "case", or "organisation" for values shared by an organisation.
        role: "organisation" for the variable that names the participant's organisation.
    """

    type: str = "text"
    scope: str = "case"
    role: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class RefiCase(RefiNamed):
    """A participant: variable values (as typed) and the sources that are theirs."""

    description: str = ""
    values: tuple[tuple[str, str], ...] = ()
    source_guids: tuple[str, ...] = ()


@dataclass(slots=True)
class RefiCoding:
    """A code applied to text[start:end] (code points, end exclusive).

    Read-only by convention (change one with dataclasses.replace), but not frozen: a .qdpx
    may hold hundreds of thousands, and a frozen dataclass's __init__ (object.__setattr__ per
    field) cost five times a plain one's, a third of the time spent reading each selection."""

    guid: str
    code_guid: str
    start: int
    end: int
    user_guid: str | None = None
    created: datetime | None = None
    memo: str = ""
    exemplar: bool = False


@dataclass(frozen=True, slots=True)
class RefiSource(RefiNamed):
    """A text source with its codings."""

    text: str
    description: str = ""
    created: datetime | None = None
    user_guid: str | None = None
    codings: tuple[RefiCoding, ...] = ()
    sha256: str = ""
    """The SHA-256 of the text's UTF-8 once coder.refi.plan.normalise has hashed it to find
    duplicate texts ("" before): the import stores it rather than hashing the text again."""


@dataclass(frozen=True, slots=True)
class RefiNote:
    """A memo: on the project, a code (target_guid) or a source (target_guid), or a note on
    uncoded text (kind "span": on the source target_guid, text[start:end])."""

    guid: str
    title: str
    text: str
    kind: str = "project"
    target_guid: str | None = None
    user_guid: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class RefiSet(RefiNamed):
    """A named group of sources and/or codes (MAXQDA document sets, ATLAS.ti code groups)."""

    description: str = ""
    source_guids: tuple[str, ...] = ()
    code_guids: tuple[str, ...] = ()


def memos_text(notes: list[RefiNote]) -> str:
    """Memos as one text, for a Description (QualCoder reads source and project memos there)."""
    return "\n\n".join(n.text.strip() for n in notes if n.text.strip())


@dataclass(frozen=True, slots=True)
class RefiProject:
    name: str
    codes: tuple[CodeSpec, ...] = ()
    sources: tuple[RefiSource, ...] = ()
    cases: tuple[RefiCase, ...] = ()
    variables: tuple[RefiVariable, ...] = ()
    users: tuple[RefiUser, ...] = ()
    notes: tuple[RefiNote, ...] = ()
    description: str = ""
    origin: str = ""
    warnings: tuple[str, ...] = ()
    sets: tuple[RefiSet, ...] = ()


@dataclass(frozen=True, slots=True)
class RefiImportSummary:
    """What an import stored, and what it could not keep."""

    sources: int
    codes: int
    codings: int
    cases: int
    memos: int
    warnings: tuple[str, ...] = ()
    sets: int = 0
