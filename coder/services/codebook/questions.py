"""Survey questions as groups in the codebook: a theme per open question, its codes under it.

In a survey project most codes belong to one question ("reasons to buy vinyl" codes answers to
Q3). Each question can have a *question group*: a top-level theme that only groups (it is not
codable), named after the question and linked to it by the ``survey.question_groups`` setting
(JSON {question: code GUID}), so the researcher may rename or recolour the theme and it stays
that question's group. Groups are made on demand:

- ``coder import-survey ... --group-codes`` makes one for each question of the sheet;
- ``coder codes by-question PROJECT`` makes one for each question in the project's survey
  sources, and files under its question every code whose codings all lie in answers to that
  one question (a code used for several questions stays where it is, and is listed);
- in the workspace, a new theme made while the selection is in an answer goes under that
  answer's question group (:attr:`coder.services.coding.workspace.SourceDoc.questions`).

A group is an ordinary theme, so the codebook pane, ``coder codes``, Table 2 and REFI-QDA
export all show the grouping with no special case. A top-level theme that already bears the
question's name becomes its group rather than a second theme of the same name.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coder.db.models import Code, Coding, Source, Turn
from coder.db.retry import retry_writes
from coder.services.codebook.codes import PALETTE, CodebookError, code_info
from coder.services.project.history import Recorder
from coder.services.project.settings import Key, read, write
from coder.services.project.store import Project
from coder.vocab.codebook_limits import MAX_NAME_CHARS
from coder.vocab.dto import CodeInfo

__all__ = [
    "Grouping",
    "QuestionGroup",
    "ensure_groups",
    "group_by_question",
    "group_name",
    "question_groups",
]


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    """A question and the theme that groups its codes (`created` in this unit of work)."""

    question: str
    code: CodeInfo
    created: bool


@dataclass(frozen=True, slots=True)
class Grouping:
    """What `coder codes by-question` did.

    Attributes:
        groups: Every question's group, in the order the questions are asked.
        moved: (code name, question) for each code filed under its question.
        left: (code name, why) for each code used in answers but left where it is.
    """

    groups: tuple[QuestionGroup, ...]
    moved: tuple[tuple[str, str], ...]
    left: tuple[tuple[str, str], ...]


def group_name(question: str) -> str:
    """The theme name for a question: the question itself, shortened to fit a code name."""
    name = " ".join(question.split())
    return name if len(name) <= MAX_NAME_CHARS else name[: MAX_NAME_CHARS - 1] + "…"


def _links(s: Session) -> dict[str, str]:
    try:
        data = json.loads(read(s, Key.QUESTION_GROUPS, "") or "{}")
    except ValueError:
        return {}
    return {str(q): str(g) for q, g in data.items()} if isinstance(data, dict) else {}


def question_groups(s: Session) -> dict[str, Code]:
    """Each linked question's group theme (a link whose theme was deleted is ignored)."""
    links = _links(s)
    if not links:
        return {}
    found = {c.guid: c for c in s.scalars(select(Code).where(Code.guid.in_(set(links.values()))))}
    return {q: found[g] for q, g in links.items() if g in found}


def ensure_groups(
    s: Session, questions: Sequence[str], rec: Recorder | None = None
) -> list[QuestionGroup]:
    """The group of every question, made (or a same-named theme linked) when it has none;
    inside the caller's transaction."""
    groups = question_groups(s)
    out: list[QuestionGroup] = []
    for asked in dict.fromkeys(" ".join(q.split()) for q in questions):
        code, created = groups.get(asked), False
        if code is None:
            name = group_name(asked)
            tops = select(Code).where(Code.parent_id.is_(None))
            code = s.scalar(tops.where(func.lower(Code.name) == name.lower()))
        if code is None:
            top_level = s.scalar(select(func.count()).where(Code.parent_id.is_(None))) or 0
            total = s.scalar(select(func.count()).select_from(Code)) or 0
            code = Code(name=name, parent_id=None, position=top_level, codable=False,
                        color=PALETTE[total % len(PALETTE)], keywords=[], examples=[])  # fmt: skip
            s.add(code)
            s.flush()
            if rec is not None:
                rec.created([code])
            created = True
        groups[asked] = code
        out.append(QuestionGroup(asked, code_info(code), created))
    links = {q: c.guid for q, c in groups.items()}
    write(s, Key.QUESTION_GROUPS, json.dumps(links, ensure_ascii=False, sort_keys=True))
    return out


def _question_starts(s: Session) -> dict[int, list[tuple[int, str]]]:
    """Survey source id -> (where each question starts, the question), in text order."""
    from coder.ingest.survey import QUESTION_SPEAKER  # survey parsing: only when asked

    asked = func.substr(Source.text, Turn.start + 1, Turn.end - Turn.start)
    q = (
        select(Turn.source_id, Turn.start, asked)
        .join(Source, Source.id == Turn.source_id)
        .where(Source.format == "survey", Turn.speaker == QUESTION_SPEAKER)
        .order_by(Turn.source_id, Turn.position)
    )
    starts: dict[int, list[tuple[int, str]]] = {}
    for sid, start, question in s.execute(q):
        starts.setdefault(sid, []).append((start, " ".join(str(question).split())))
    return starts


@retry_writes
def group_by_question(project: Project) -> Grouping:
    """Make every survey question's group and file each code used for one question under it.

    A code is filed when it has no sub-codes, sits at the top level or in another question's
    group, and all its codings in survey sources lie in answers to one question.

    Raises:
        CodebookError: The project has no survey answers.
    """
    from coder.ingest.survey import question_at

    with project.transaction() as s:
        starts = _question_starts(s)
        if not starts:
            raise CodebookError(
                "no survey answers in this project (coder import-survey brings them in)"
            )
        rec = Recorder(s)
        asked = [q for sid in sorted(starts) for _, q in starts[sid]]
        groups = ensure_groups(s, asked, rec)
        target = {g.question: g.code.id for g in groups}
        group_ids = {c.id for c in question_groups(s).values()}
        used: dict[int, set[str]] = {}
        codings = select(Coding.code_id, Coding.source_id, Coding.start)
        for code_id, sid, start in s.execute(codings.where(Coding.source_id.in_(list(starts)))):
            question = question_at(starts[sid], start)
            if question is not None:
                used.setdefault(code_id, set()).add(question)
        parents = set(s.scalars(select(Code.parent_id).where(Code.parent_id.is_not(None))))
        moved: list[tuple[str, str]] = []
        left: list[tuple[str, str]] = []
        candidates = select(Code).where(Code.id.in_(list(used)))
        for code in s.scalars(candidates.order_by(Code.position, Code.name)):
            filed = code.parent_id is None or code.parent_id in group_ids
            if code.id in group_ids or code.id in parents or not filed:
                continue
            if len(used[code.id]) > 1:
                left.append((code.name, f"used for {len(used[code.id])} questions"))
                continue
            question = next(iter(used[code.id]))
            parent = target[question]
            if code.parent_id == parent:
                continue
            siblings = list(s.scalars(select(Code).where(Code.parent_id == parent)))
            if any(c.name.lower() == code.name.lower() for c in siblings):
                left.append((code.name, "its question's group has a code of that name"))
                continue
            rec.touch([code])
            code.parent_id, code.position = parent, len(siblings)
            s.flush()
            moved.append((code.name, question))
        rec.record("group codes by question")
        return Grouping(tuple(groups), tuple(moved), tuple(left))
