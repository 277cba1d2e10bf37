"""Disagreement review: the units where two coders' code sets differ, and the decisions on them.

The agreement figures say how often two coders differ; the review walks through each place
they do, side by side, and records what the team decided. A unit (sentence, paragraph, speaker
turn or whole source, cut as the agreement engine cuts them) is a disagreement when the set of
codes coder A applied to text in it differs from coder B's. A decision (accept A, accept B,
both, neither) writes the chosen codes into a target coder ("consensus" by default, or one of
the two) through the coding service, in one transaction that is one undo step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coder.analysis.segments import paragraphs, sentences
from coder.db.models import Code, Coder, Coding, Memo, Source, Turn, utcnow
from coder.db.retry import gone
from coder.errors import UserError
from coder.services.coding.codings import apply_code_in
from coder.services.project.history import PENDING, Action, Recorder
from coder.services.project.store import Project
from coder.services.project.tombstones import bury
from coder.vocab.dto import PassageText

Choice = Literal["a", "b", "both", "neither"]
CHOICE_WORDS: dict[str, str] = {
    "a": "accept A",
    "b": "accept B",
    "both": "accept both",
    "neither": "accept neither",
}
"""Each choice in words: the undo step's label, and what the review screen shows."""
ReviewUnit = Literal["sentence", "paragraph", "turn", "source"]
CONSENSUS = "consensus"
REVIEW_UNITS: tuple[str, ...] = ("sentence", "paragraph", "turn", "source")
CONTEXT = 300


@dataclass(frozen=True, slots=True)
class ReviewCoding:
    """One coder's coding that touches a disagreement's unit."""

    id: int
    code_id: int
    code: str
    color: str
    start: int
    end: int
    memo: str


@dataclass(frozen=True, slots=True)
class Disagreement(PassageText):
    """A unit (its source, span and text) where the two coders' code sets differ, with what
    each applied there."""

    source_id: int
    a: tuple[ReviewCoding, ...]
    b: tuple[ReviewCoding, ...]
    before: str = ""  # up to CONTEXT characters of the text before the unit
    after: str = ""  # and after it

    def codes(self, side: Literal["a", "b"]) -> tuple[str, ...]:
        """The names of the codes one side applied here, without repeats, in name order."""
        return tuple(sorted({c.code for c in (self.a if side == "a" else self.b)}))


@dataclass(frozen=True, slots=True)
class Decision:
    """What a decision wrote: the target coder, the codings added and removed."""

    coder: str
    added: int
    removed: int
    label: str


def _coder_ids(s: Session, names: Sequence[str]) -> dict[str, int]:
    known = {name: cid for name, cid in s.execute(select(Coder.name, Coder.id))}
    for name in names:
        if name not in known:
            listed = ", ".join(sorted(known)) or "none yet"
            raise UserError(f"no coder named {name!r} in this project (coders: {listed})")
    return {n: known[n] for n in names}


def _units(unit: str, text: str, turns: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    if unit == "sentence":
        return [(int(a), int(b)) for a, b in sentences(text)]
    if unit == "paragraph":
        return [(int(a), int(b)) for a, b in paragraphs(text)]
    if unit == "turn":
        return list(turns) or [(0, len(text))]
    if unit == "source":
        return [(0, len(text))] if text else []
    raise UserError(f"unknown review unit {unit!r} (use {', '.join(REVIEW_UNITS)})")


def disagreements(
    project: Project, coder_a: str, coder_b: str, unit: str = "sentence"
) -> list[Disagreement]:
    """Every unit, source by source in name order, where `coder_a` and `coder_b` applied
    different sets of codes (a coding counts in each unit it overlaps).

    Raises:
        UserError: an unknown coder or unit, or the same coder twice.
    """
    if coder_a == coder_b:
        raise UserError("the review needs two different coders")
    with project.reading() as s:
        ids = _coder_ids(s, [coder_a, coder_b])
        side = {ids[coder_a]: "a", ids[coder_b]: "b"}
        rows = s.execute(
            select(
                Coding.id, Coding.source_id, Coding.coder_id, Coding.code_id, Code.name,
                Code.color, Coding.start, Coding.end, Coding.memo,
            )
            .join(Code, Code.id == Coding.code_id)
            .where(Coding.coder_id.in_(list(ids.values())))
            .order_by(Coding.source_id, Coding.start, Coding.id)
        ).all()  # fmt: skip
        by_source: dict[int, list[tuple[str, ReviewCoding]]] = {}
        for cid, sid, coder_id, code_id, name, color, start, end, memo in rows:
            coding = ReviewCoding(cid, code_id, name, color or "", start, end, memo or "")
            by_source.setdefault(sid, []).append((side[coder_id], coding))
        if not by_source:
            return []
        sources = s.execute(
            select(Source.id, Source.name, Source.text)
            .where(Source.id.in_(list(by_source)))
            .order_by(Source.name)
        ).all()
        turns: dict[int, list[tuple[int, int]]] = {}
        if unit == "turn":
            for sid, start, end in s.execute(
                select(Turn.source_id, Turn.start, Turn.end).order_by(Turn.source_id, Turn.start)
            ):
                turns.setdefault(sid, []).append((start, end))
    out: list[Disagreement] = []
    for sid, name, text in sources:
        codings = by_source[sid]
        for start, end in _units(unit, text, turns.get(sid, [])):
            here = [(w, c) for w, c in codings if c.start < end and c.end > start]
            a = tuple(c for w, c in here if w == "a")
            b = tuple(c for w, c in here if w == "b")
            if {c.code_id for c in a} != {c.code_id for c in b}:
                before, after = text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
                out.append(
                    Disagreement(name, start, end, text[start:end], sid, a, b, before, after)
                )
    return out


def _chosen(d: Disagreement, choice: Choice) -> list[ReviewCoding]:
    if choice == "a":
        return list(d.a)
    if choice == "b":
        return list(d.b)
    if choice == "both":
        seen = {c.code_id for c in d.a}
        return [*d.a, *(c for c in d.b if c.code_id not in seen)]
    if choice == "neither":
        return []
    raise UserError(f"unknown review choice {choice!r} (use a, b, both or neither)")


def decide(
    project: Project, d: Disagreement, choice: Choice, into: str = CONSENSUS, note: str = ""
) -> Decision:
    """Record the team's decision on one disagreement as `into`'s codings (one undo step).

    The chosen side's codings are copied to `into` (same code, same span; `note` becomes their
    memo); `into`'s own codings in the unit whose code was not chosen are removed. With
    "neither" and a note, the note is kept as a memo on the source.
    """
    picked = _chosen(d, choice)
    wanted = {c.code_id for c in picked}
    label = f"review: {CHOICE_WORDS[choice]} in {d.source}"
    with project.transaction() as s:
        if s.get(Source, d.source_id) is None:
            raise gone(f"source {d.source_id}")
        target = project.coder_id(s, into)
        stale = list(
            s.scalars(
                select(Coding).where(
                    Coding.source_id == d.source_id,
                    Coding.coder_id == target,
                    Coding.start < d.end,
                    Coding.end > d.start,
                )
            )
        )
        drop = [c for c in stale if c.code_id not in wanted]
        rec = Recorder(s)
        rec.touch(drop)
        bury(s, drop)
        for row in drop:
            s.delete(row)
        if choice == "neither" and note.strip():
            memo = Memo(
                kind="source", source_id=d.source_id, coder_id=target, text=note,
                title=f"Review {d.start}-{d.end}", created_at=utcnow(), updated_at=utcnow(),
            )  # fmt: skip
            s.add(memo)
            rec.created([memo])
        before = len(s.info.get(PENDING, ()))
        added = 0
        for c in picked:
            kept = any(
                x.code_id == c.code_id and (x.start, x.end) == (c.start, c.end) for x in stale
            )
            if not kept:
                apply_code_in(project, s, d.source_id, c.start, c.end, c.code_id, into, note)
                added += 1
        # One decision is one undo step: fold the codings' own actions into this one.
        pending: list[Action] = s.info.setdefault(PENDING, [])
        inner = pending[before:]
        del pending[before:]
        own = rec.action(label)
        pending.append(Action(label, own.changes + tuple(ch for a in inner for ch in a.changes)))
    return Decision(into, added, len(drop), label)
