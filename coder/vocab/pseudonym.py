"""What a pseudonymisation plans to change, as plain records every layer can hold.

A `Term` is a name to look for and what replaces it; a `Replacement` is one place where a
name was found, listed for the researcher's review before anything is written. They live in
the leaf vocabulary because the finder (coder.ingest), the service that plans and writes the
copy, and the command that prints the review all speak of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Why a name is replaced, as shown in the review and written into the key file.
REASONS = (
    "participant",  # a participant's name (the participants sheet)
    "speaker",  # a speaker label of a transcript
    "organisation",  # an organisation's name
    "list",  # the names list the researcher keeps in the project
    "ruler",  # found in the text by the EntityRuler built from the names above
    "model",  # a PERSON, ORG or GPE entity of the trained pipeline named in nlp.model
)


@dataclass(frozen=True, slots=True)
class Term:
    """A name to replace wherever it occurs, with its pseudonym and why."""

    name: str
    pseudonym: str
    reason: str
    label: str = "PERSON"  # PERSON, ORG or GPE


@dataclass(frozen=True, slots=True)
class Hit:
    """A name found at [start, end) of one text; pure, with no idea which text it was."""

    start: int
    end: int
    original: str
    pseudonym: str
    reason: str


@dataclass(frozen=True, slots=True)
class Replacement:
    """One replacement for review: the text it is in (a source's name, or "memo 3",
    "participant 2 name"...), the offset into that text in code points, what was there, what
    replaces it, and why."""

    source: str
    offset: int
    original: str
    pseudonym: str
    reason: str


@dataclass(frozen=True, slots=True)
class PseudonymPlan:
    """Every replacement a pseudonymisation would make, and the key it implies."""

    replacements: tuple[Replacement, ...]
    key: tuple[Term, ...]  # each original name once, with its pseudonym
    kept: tuple[str, ...] = field(default=())  # names the researcher chose to keep
    model: str = ""  # the trained pipeline used, if any
    # --keep-at places where no replacement was found (a typo keeps nothing, silently else)
    unmatched_keep_at: tuple[tuple[str, int], ...] = field(default=())
