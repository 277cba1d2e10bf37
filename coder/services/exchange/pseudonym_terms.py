"""Who is to be pseudonymised, and as what: the key, gathered from the project.

Participants keep their id when their name already is one ("P01"), else they get the next free
"P01", "P02"...; text attributes called "Name", "Full name", "Surname"... hold participants'
names too. A transcript's main speaker (the one who says most, other than the interviewer)
becomes the id of the participant the transcript belongs to; other named speakers become
"Speaker 1", "Speaker 2"... Organisations keep a label-like name ("A", "B2") and otherwise get
"<heading> A", "<heading> B"... where the heading is the participants sheet's organisation
column ("Label"). Names the researcher lists in the project (the `pseudonymise.names`
setting) get the pseudonym they gave, else "Name 1", "Name 2"... Each part of a multi-word
name ("Helen" of "Helen Ward") is looked for too.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coder.db.models import Attribute, AttributeValue, Case, Organisation, Source, Turn
from coder.errors import UserError
from coder.services.project.settings import Key, read, write
from coder.services.project.store import Project
from coder.vocab.pseudonym import Term

__all__ = ["ROLE_LABELS", "add_names", "gather_terms", "list_names", "remove_names"]

ROLE_LABELS = frozenset(
    "interviewer interviewee i q a r p moderator facilitator researcher participant "
    "respondent speaker unknown narrator host guest note question answer".split()
)
"""Speaker labels that are roles, not names: kept as they are ("Question" is the turn of every
survey question, coder.ingest.survey.QUESTION_SPEAKER: it became "Speaker 1" 110 times in the
demo's pseudonymised copy)."""

NAME_ATTRIBUTES = frozenset(
    ("name", "full name", "first name", "given name", "surname", "last name", "family name",
     "real name", "participant name", "interviewee", "contact")
)  # fmt: skip
_ID = re.compile(r"^[A-Za-z]{0,4}[-_ ]?\d{1,5}[A-Za-z]?$")
_LABEL = re.compile(r"^[A-Z0-9]{1,3}$")
_ROLE_NUMBERED = re.compile(r"^(speaker|participant|respondent|person|name)\s*\d+$", re.I)


def _names(s: Session) -> dict[str, str]:
    raw = read(s, Key.PSEUDONYM_NAMES, "{}")
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        value = {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def list_names(project: Project) -> dict[str, str]:
    """The project's names list: name -> pseudonym ("" when coder numbers it)."""
    with project.reading() as s:
        return _names(s)


def add_names(project: Project, entries: list[str]) -> dict[str, str]:
    """Add NAME or NAME=PSEUDONYM entries to the names list, in one transaction."""
    with project.transaction() as s:
        names = _names(s)
        for entry in entries:
            name, _, pseudonym = entry.partition("=")
            name, pseudonym = name.strip(), pseudonym.strip()
            if not name:
                raise UserError(f"--add-name {entry!r}: the name is empty")
            names[name] = pseudonym
        write(s, Key.PSEUDONYM_NAMES, json.dumps(names, ensure_ascii=False, sort_keys=True))
        return names


def remove_names(project: Project, entries: list[str]) -> dict[str, str]:
    """Remove names from the list (refuses one that is not there), in one transaction."""
    with project.transaction() as s:
        names = _names(s)
        for name in entries:
            if names.pop(name.strip(), None) is None:
                raise UserError(f"{name!r} is not in the names list (see --list-names)")
        write(s, Key.PSEUDONYM_NAMES, json.dumps(names, ensure_ascii=False, sort_keys=True))
        return names


def is_role(label: str) -> bool:
    """True for a speaker label that names a role ("Interviewer", "Speaker 2"), not a person."""
    t = label.strip().rstrip(":").strip()
    return t.casefold() in ROLE_LABELS or bool(_ROLE_NUMBERED.match(t)) or not t


class _Key:
    """The growing key: one pseudonym per name, pseudonyms never reused for another name."""

    def __init__(self) -> None:
        self.terms: dict[str, Term] = {}
        self.taken: set[str] = set()
        self.counters: dict[str, int] = defaultdict(int)

    def add(self, name: str, pseudonym: str, reason: str, label: str = "PERSON") -> None:
        name = name.strip()
        if name and name not in self.terms and name != pseudonym:
            self.terms[name] = Term(name, pseudonym, reason, label)
        self.taken.add(pseudonym)

    def fresh(self, pattern: str, letters: bool = False) -> str:
        while True:
            self.counters[pattern] += 1
            n = self.counters[pattern]
            tag = _letters(n) if letters else (f"{n:02d}" if pattern == "P{}" else str(n))
            found = pattern.format(tag)
            if found not in self.taken:
                self.taken.add(found)
                return found


def _letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def gather_terms(s: Session) -> dict[str, Term]:
    """Every known name in the project with its pseudonym and why (name -> Term)."""
    key = _Key()
    cases = list(s.execute(select(Case.id, Case.name).order_by(Case.id)))
    for _cid, name in cases:  # ids already in use stay theirs
        if _ID.match(name.strip()):
            key.taken.add(name.strip())
    case_pseudonym: dict[int, str] = {}
    for cid, name in cases:
        pseudo = name.strip() if _ID.match(name.strip()) else key.fresh("P{}")
        case_pseudonym[cid] = pseudo
        key.add(name, pseudo, "participant")
    named = s.execute(
        select(AttributeValue.case_id, AttributeValue.value_text)
        .join(Attribute, Attribute.id == AttributeValue.attribute_id)
        .where(func.lower(Attribute.name).in_(NAME_ATTRIBUTES), AttributeValue.case_id.is_not(None))
    )
    for owner, value in named:
        if value and owner in case_pseudonym:
            key.add(value, case_pseudonym[owner], "participant")
    heading = read(s, Key.ORG_LABEL, "").strip() or "Organisation"
    for (name,) in s.execute(select(Organisation.name).order_by(Organisation.id)):
        if _LABEL.match(name.strip()):
            key.taken.add(name.strip())
        else:
            key.add(name, key.fresh(heading + " {}", letters=True), "organisation", "ORG")
    _speakers(s, key, case_pseudonym)
    for name, given in sorted(_names(s).items()):
        key.add(name, given or key.fresh("Name {}"), "list")
    for term in list(key.terms.values()):  # "Helen" and "Ward" of "Helen Ward"
        parts = term.name.split()
        if term.label == "PERSON" and len(parts) > 1:
            for part in parts:
                part = part.strip(".,")
                if len(part) > 2 and part[0].isupper() and not is_role(part):
                    key.add(part, term.pseudonym, "ruler")
    return key.terms


def _speakers(s: Session, key: _Key, case_pseudonym: dict[int, str]) -> None:
    """Each transcript's main speaker becomes its participant; other names become Speaker N."""
    said = s.execute(
        select(Source.case_id, Turn.source_id, Turn.speaker, func.sum(Turn.end - Turn.start))
        .join(Source, Source.id == Turn.source_id)
        .where(Turn.speaker.is_not(None))
        .group_by(Source.case_id, Turn.source_id, Turn.speaker)
        .order_by(Turn.source_id)
    )
    by_source: dict[int, list[tuple[int, str, int | None]]] = defaultdict(list)
    for case_id, source_id, speaker, amount in said:
        if speaker and not is_role(speaker):
            by_source[source_id].append((int(amount or 0), speaker.strip(), case_id))
    others: list[str] = []
    for rows in by_source.values():
        rows.sort(key=lambda r: -r[0])
        _amount, main, case_id = rows[0]
        if case_id in case_pseudonym:
            key.add(main, case_pseudonym[case_id], "speaker")
            others.extend(r[1] for r in rows[1:])
        else:
            others.extend(r[1] for r in rows)
    for name in others:
        if name not in key.terms and name not in key.taken:
            key.add(name, key.fresh("Speaker {}"), "speaker")
