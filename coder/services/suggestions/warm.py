"""The warm state of code suggestions: one Runtime per open project, and what it reads.

Shared by scoring (coder.services.suggestions.scoring) and training
(coder.services.suggestions.training), which both import it, so neither imports the other's
private helpers. Reads plain columns, never ORM objects, because this is on the per-keystroke path.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

from sqlalchemy import select

from coder.db.models import Code, Source, Turn
from coder.errors import UserError
from coder.services.project.settings import Key, get_setting
from coder.services.project.store import Project
from coder.suggest.headings import Contexts, TurnSpan
from coder.suggest.model import CodeText
from coder.suggest.pipeline import Analyzed
from coder.suggest.prior import group_question
from coder.suggest.runtime import Runtime

MODEL_BLOB = "suggest.model"
SCORER_BLOB = "suggest.scorer"  # the model's scorer, ready to load (coder.suggest.ready)
METHOD_KEY = Key.SUGGEST_METHOD
QUALITY_KEY = Key.SUGGEST_QUALITY
NLP_KEY = Key.NLP_MODEL
CALIBRATION_PASSAGES = 1500
AUTO_SELECT_MAX = 5000  # beyond this, re-choosing the method is left to `coder suggest evaluate`


class SuggestError(UserError):
    """A user-facing problem with suggestions (one line)."""


# -- the warm cache ---------------------------------------------------------------------------
_RUNTIMES: weakref.WeakKeyDictionary[Project, Runtime] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


@dataclass(frozen=True, slots=True)
class CodeRow:
    text: CodeText
    guid: str
    color: str


def setting(project: Project, key: str) -> str:
    return get_setting(project, key)


def runtime(project: Project) -> Runtime:
    with _GUARD:
        rt = _RUNTIMES.get(project)
        if rt is None:
            rt = Runtime(setting(project, NLP_KEY).strip() or None)
            _RUNTIMES[project] = rt
        return rt


def forget(project: Project) -> None:
    """Drop the warm state of a project (the stored model stays)."""
    with _GUARD:
        _RUNTIMES.pop(project, None)


def code_rows(project: Project) -> dict[int, CodeRow]:
    """The codes to suggest (read on every call, so edits show at once; plain columns, no ORM
    objects, because this is on the per-keystroke path)."""
    with project.reading() as s:
        groups = {
            i: group_question(d or "", n)
            for i, n, d in s.execute(select(Code.id, Code.name, Code.description))
        }
        rows = s.execute(
            select(
                Code.id,
                Code.name,
                Code.description,
                Code.inclusion,
                Code.exclusion,
                Code.keywords,
                Code.examples,
                Code.guid,
                Code.color,
                Code.parent_id,
            )
            .where(Code.codable.is_(True))
            .order_by(Code.id)
        )
        return {
            r[0]: CodeRow(
                CodeText(
                    r[0],
                    r[1],
                    r[2] or "",
                    r[3] or "",
                    r[4] or "",
                    tuple(r[5] or ()),
                    tuple(r[6] or ()),
                    groups.get(r[9], "") if r[9] is not None else "",
                ),
                r[7],
                r[8],
            )
            for r in rows
        }


def source_text(project: Project, source_id: int) -> tuple[str, str, list[TurnSpan]]:
    with project.reading() as s:
        row = s.execute(select(Source.name, Source.text).where(Source.id == source_id)).first()
        if row is None:
            raise SuggestError(f"source {source_id} does not exist")
        turns = [
            TurnSpan(t.start, t.end, t.speaker)
            for t in s.scalars(select(Turn).where(Turn.source_id == source_id).order_by(Turn.start))
        ]
    return row[0], row[1], turns


def analyze_spans(
    project: Project, rt: Runtime, source_id: int, spans: list[tuple[int, int]]
) -> list[Analyzed]:
    _name, text, turns = source_text(project, source_id)
    for start, end in spans:
        if not (0 <= start < end <= len(text)):
            raise SuggestError(
                f"span {start}-{end} is outside source {source_id} (0-{len(text)}) or empty"
            )
    contexts = Contexts(text, turns)
    items, headed = [], []
    for start, end in spans:
        context, h = contexts.at(start)
        items.append((text[start:end], context))
        headed.append(h)
    return rt.pipeline.analyze(items, headed=headed)
