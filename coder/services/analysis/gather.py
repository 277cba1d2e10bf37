"""Reads a project into the plain records coder.analysis computes on.

The one place analysis touches the database: a few column selects (no ORM objects leave the
session), the participant's and organisation's typed attribute values merged per source
(a participant's own value wins over their organisation's), and interviewer turns recognised
by the same rule suggestions use. Lemmas for word frequency come from the project's one
offline spaCy lookup table (coder.suggest.lemmas).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from coder.analysis.records import AttrValue, CodeRec, CodingRec, Corpus, SourceRec, TurnRec
from coder.analysis.words import Tokens
from coder.db.models import (
    Case,
    Code,
    Coder,
    Coding,
    Organisation,
    Source,
    Turn,
)
from coder.services.project.store import Project
from coder.services.project.whose import Coders, coded_by
from coder.services.sources.attribute_values import attribute_values
from coder.vocab.turns import is_interviewer


def _typed(
    type_: str, text: str | None, i: int | None, num: float | None, day: date | None
) -> AttrValue:
    if type_ == "integer" and i is not None:
        return i
    if type_ == "number" and num is not None:
        return num
    if type_ == "date" and day is not None:
        return day
    return text if text not in (None, "") else None


def _codes(s: Session) -> list[CodeRec]:
    return [
        CodeRec(cid, guid, name, parent)
        for cid, guid, name, parent in s.execute(
            select(Code.id, Code.guid, Code.name, Code.parent_id).order_by(Code.position, Code.id)
        )
    ]


def _sources(s: Session, with_text: bool = True) -> list[SourceRec]:
    """Sources by name with their participant, organisation and merged attributes (and their
    text, unless `with_text` is False)."""
    people = {
        cid: (name, org_id, org_name)
        for cid, name, org_id, org_name in s.execute(
            select(Case.id, Case.name, Case.organisation_id, Organisation.name).outerjoin(
                Organisation, Case.organisation_id == Organisation.id
            )
        )
    }
    case_attrs, org_attrs = attribute_values(s, _typed)
    sources = []
    text_col = Source.text if with_text else literal("")
    for sid, name, text, case_id in s.execute(
        select(Source.id, Source.name, text_col, Source.case_id).order_by(Source.name)
    ):
        who, org_id, org = people.get(case_id, (None, None, None)) if case_id else (None,) * 3
        attrs = dict(org_attrs.get(org_id, {})) if org_id is not None else {}
        attrs.update(case_attrs.get(case_id, {}) if case_id is not None else {})
        sources.append(SourceRec(sid, name, text, who, org, attrs))
    return sources


def _codings(
    s: Session, code_ids: Collection[int] | None = None, coders: Coders = None
) -> list[CodingRec]:
    """Codings (of `code_ids`, when given) by `coders` only, when given: the workspace in
    blind mode."""
    # Core rows (s.connection()) skip the ORM's per-row processing of 200,000 codings
    query = (
        select(Coding.source_id, Coding.start, Coding.end, Coding.code_id, Coder.name)
        .join(Coder, Coding.coder_id == Coder.id)
        .where(coded_by(coders))
    )
    if code_ids is not None:
        query = query.where(Coding.code_id.in_(sorted(code_ids)))
    return [CodingRec(*row) for row in s.connection().execute(query).all()]


def gather_outline(project: Project, code: str | None = None) -> tuple[Corpus, int | None]:
    """What word frequency reads besides the lemma cache: codes, and sources without their
    text; with `code` (a name or path), that code's id and the codings of it and the codes
    below it. No turns: the cache knows who said each word."""
    with project.reading() as s:
        codes = _codes(s)
        sources = _sources(s, with_text=False)
        if code is None:
            return Corpus(tuple(codes), tuple(sources), ()), None
        tree = Corpus(tuple(codes), (), ())
        code_id = tree.find_code(code)
        below = tree.descendants(code_id)
        return Corpus(tuple(codes), tuple(sources), tuple(_codings(s, below))), code_id


def gather(project: Project, coders: Coders = None) -> Corpus:
    """The whole project as a Corpus: codes, sources with participants, codings (by `coders`
    only, when given: the workspace in blind mode) and turns."""
    with project.reading() as s:
        codes = _codes(s)
        sources = _sources(s)
        codings = _codings(s, coders=coders)
        # Core rows for the turns too; each distinct speaker label is classified once.
        conn = s.connection()
        interviewer: dict[str | None, bool] = {}
        for (speaker,) in conn.execute(select(Turn.speaker).distinct()):
            interviewer[speaker] = is_interviewer(speaker)
        turns = [
            TurnRec(src, start, end, speaker, interviewer[speaker], position, stamp)
            for src, start, end, speaker, position, stamp in conn.execute(
                select(
                    Turn.source_id,
                    Turn.start,
                    Turn.end,
                    Turn.speaker,
                    Turn.position,
                    Turn.timestamp,
                ).order_by(Turn.source_id, Turn.position)
            ).all()
        ]
    return Corpus(tuple(codes), tuple(sources), tuple(codings), tuple(turns))


def tokens(corpus: Corpus) -> Tokens:
    """Every word of the corpus's sources with its lemma (spaCy's lookup table, offline)."""
    from coder.suggest.lemmas import lemmatize

    lem = lemmatize([s.text for s in corpus.sources])
    return Tokens(lem.vocab, lem.content, lem.text, lem.start, lem.end, lem.lemma)
