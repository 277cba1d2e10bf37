"""Code suggestions: what the workspace's suggestions panel, review mode and the CLI call.

The suggester itself lives in coder.suggest (spaCy pipeline + numpy model); this module reads
what it needs from the project (codes, codings, suggestion decisions, source text), keeps one
warm Runtime per open Project (so a call for the passage under the cursor costs a few
milliseconds), and stores the trained model in the ModelBlob table so it survives a restart.
Every function may be called from a worker thread; only frozen dataclasses come back.

Decisions: `accept` applies the code (coder.services.coding.apply_code, undoable) and records
"accept"; `reject` and `mark_seen` record "reject" / "seen" in SuggestionDecision. Training
uses codings as positives, rejections as negatives for that code, and passages read and left
uncoded as negatives for every code; the codebook text always stays in as a prior.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coder.db.models import Code, Coding, ModelBlob, Source, SuggestionDecision, Turn
from coder.db.retry import retry_writes
from coder.errors import UserError
from coder.services.dto import CodingInfo
from coder.services.project import Project
from coder.suggest.model import CodeText, SuggestModel
from coder.suggest.pipeline import Analyzed, TurnSpan, context_span, passages_of
from coder.suggest.results import (
    CodeEvaluation,
    EvaluationReport,
    ModelInfo,
    Quality,
    ReviewCandidate,
    Scores,
    Suggestion,
    TrainReport,
)
from coder.suggest.runtime import (
    Runtime,
    Scored,
)

__all__ = [
    "CodeEvaluation",
    "EvaluationReport",
    "ModelInfo",
    "Quality",
    "ReviewCandidate",
    "Scores",
    "SuggestError",
    "Suggestion",
    "TrainReport",
    "accept",
    "ensure_trained",
    "evaluate",
    "evaluation_data",
    "forget",
    "is_stale",
    "mark_seen",
    "model_info",
    "quality",
    "reject",
    "review_candidates",
    "suggest_for_source",
    "suggest_for_span",
    "suggest_for_text",
    "train",
]

MODEL_BLOB = "suggest.model"
METHOD_KEY = "suggest.method"
QUALITY_KEY = "suggest.quality"
NLP_KEY = "nlp.model"
CALIBRATION_PASSAGES = 1500
AUTO_SELECT_MAX = 5000  # beyond this, re-choosing the method is left to `coder suggest evaluate`


class SuggestError(UserError):
    """A user-facing problem with suggestions (one line)."""


# -- the warm cache ---------------------------------------------------------------------------
_RUNTIMES: weakref.WeakKeyDictionary[Project, Runtime] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


@dataclass(frozen=True, slots=True)
class _CodeRow:
    text: CodeText
    guid: str
    color: str


def _setting(project: Project, key: str) -> str:
    from coder.services.codebooks import get_setting

    return get_setting(project, key)


def _runtime(project: Project) -> Runtime:
    with _GUARD:
        rt = _RUNTIMES.get(project)
        if rt is None:
            rt = Runtime(_setting(project, NLP_KEY).strip() or None)
            _RUNTIMES[project] = rt
        return rt


def forget(project: Project) -> None:
    """Drop the warm state of a project (the stored model stays)."""
    with _GUARD:
        _RUNTIMES.pop(project, None)


def _codes(project: Project) -> dict[int, _CodeRow]:
    """The codes to suggest (read on every call, so edits show at once; plain columns, no ORM
    objects, because this is on the per-keystroke path)."""
    with project.reading() as s:
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
            )
            .where(Code.codable.is_(True))
            .order_by(Code.id)
        )
        return {
            r[0]: _CodeRow(
                CodeText(
                    r[0],
                    r[1],
                    r[2] or "",
                    r[3] or "",
                    r[4] or "",
                    tuple(r[5] or ()),
                    tuple(r[6] or ()),
                ),
                r[7],
                r[8],
            )
            for r in rows
        }


def _ready(project: Project) -> tuple[Runtime, dict[int, _CodeRow]]:
    """The runtime with the current codes and a model (stored, or trained now)."""
    rt = _runtime(project)
    codes = _codes(project)
    rt.set_codes([c.text for c in codes.values()])
    if rt.model is None:
        with rt.lock:
            if rt.model is None:
                with project.reading() as s:
                    blob = s.get(ModelBlob, MODEL_BLOB)
                    data = bytes(blob.data) if blob is not None else None
                if data is not None:
                    try:
                        rt.install(SuggestModel.from_bytes(data))
                    except (ValueError, KeyError, OSError):
                        data = None  # unreadable (older format): train afresh
                if data is None:
                    train(project)
    return rt, codes


def _source(project: Project, source_id: int) -> tuple[str, str, list[TurnSpan]]:
    with project.reading() as s:
        row = s.execute(select(Source.name, Source.text).where(Source.id == source_id)).first()
        if row is None:
            raise SuggestError(f"source {source_id} does not exist")
        turns = [
            TurnSpan(t.start, t.end, t.speaker)
            for t in s.scalars(select(Turn).where(Turn.source_id == source_id).order_by(Turn.start))
        ]
    return row[0], row[1], turns


def _suggestion(codes: dict[int, _CodeRow], sc: Scored) -> Suggestion:
    c = codes[sc.key]
    return Suggestion(
        sc.key, c.guid, c.text.name, c.color, round(sc.score, 4), sc.evidence, sc.applies
    )


# -- suggesting -------------------------------------------------------------------------------
def suggest_for_text(project: Project, text: str, top: int = 5) -> list[Suggestion]:
    """Ranked suggestions for a piece of text that is not (or not yet) in a source."""
    rt, codes = _ready(project)
    passage = rt.pipeline.analyze([(text, None)])
    return [_suggestion(codes, sc) for sc in rt.suggest(passage, top)[0]]


def suggest_for_span(
    project: Project, source_id: int, start: int, end: int, top: int = 5
) -> list[Suggestion]:
    """Ranked suggestions for text[start:end] of a source, read with its question."""
    rt, codes = _ready(project)
    passage = _analyze_spans(project, rt, source_id, [(start, end)])
    return [_suggestion(codes, sc) for sc in rt.suggest(passage, top)[0]]


def _analyze_spans(
    project: Project, rt: Runtime, source_id: int, spans: list[tuple[int, int]]
) -> list[Analyzed]:
    _name, text, turns = _source(project, source_id)
    for start, end in spans:
        if not (0 <= start < end <= len(text)):
            raise SuggestError(
                f"span {start}-{end} is outside source {source_id} (0-{len(text)}) or empty"
            )
    items = []
    for start, end in spans:
        ctx = context_span(turns, start)
        items.append((text[start:end], text[ctx[0] : ctx[1]][-600:] if ctx else None))
    return rt.pipeline.analyze(items)


def suggest_for_source(
    project: Project,
    source_id: int,
    top: int = 3,
) -> list[tuple[int, int, list[Suggestion]]]:
    """Each passage of a source (turns; long turns cut into runs of sentences) with the codes
    the suggester would apply to it, best first (an empty list where none applies)."""
    rt, codes = _ready(project)
    _name, text, turns = _source(project, source_id)
    parts = passages_of(rt.pipeline, text, turns)
    ranked = rt.suggest([a for _s, _e, a in parts], top, only_applying=True)
    return [
        (s, e, [_suggestion(codes, sc) for sc in row])
        for (s, e, _a), row in zip(parts, ranked, strict=True)
    ]


def review_candidates(
    project: Project,
    code_id: int | None = None,
    source_id: int | None = None,
    limit: int = 50,
    progress: Callable[[int, int], None] | None = None,
) -> list[ReviewCandidate]:
    """Passages the suggester would code (with `code_id`, or with any code) in one source or
    across the project, strongest first; spans already coded with that code, and suggestions
    the researcher rejected there, are left out. Nothing is applied."""
    if code_id is None and source_id is None:
        raise SuggestError("review needs a code or a source")
    rt, codes = _ready(project)
    if code_id is not None and code_id not in codes:
        raise SuggestError(f"code {code_id} does not exist or is not applied to text")
    with project.reading() as s:
        q = select(Source.id).order_by(Source.name)
        sources = [source_id] if source_id is not None else list(s.scalars(q))
    out: list[ReviewCandidate] = []
    for n, sid in enumerate(sources, 1):
        name, text, turns = _source(project, sid)
        parts = passages_of(rt.pipeline, text, turns)
        for start, end, sc in rt.candidates(parts, code_id, _done_spans(project, sid)):
            out.append(
                ReviewCandidate(
                    sid, name, start, end, text[start:end], _suggestion(codes, sc), round(sc.z, 3)
                )
            )
        if progress is not None:
            progress(n, len(sources))
    out.sort(key=lambda c: (-c.z, c.source_name, c.start))
    return out[:limit]


def _done_spans(project: Project, source_id: int) -> list[tuple[int, int, int]]:
    with project.reading() as s:
        coded = s.execute(
            select(Coding.code_id, Coding.start, Coding.end).where(Coding.source_id == source_id)
        ).all()
        rejected = s.execute(
            select(
                SuggestionDecision.code_id, SuggestionDecision.start, SuggestionDecision.end
            ).where(
                SuggestionDecision.source_id == source_id, SuggestionDecision.decision == "reject"
            )
        ).all()
    return [(int(k), a, b) for k, a, b in [*coded, *rejected] if k is not None]


# -- decisions --------------------------------------------------------------------------------
@retry_writes
def _record(
    project: Project,
    source_id: int,
    start: int,
    end: int,
    code_id: int | None,
    decision: str,
    score: float | None = None,
    coder: str | None = None,
) -> None:
    with project.transaction() as s:
        _record_in(project, s, source_id, start, end, code_id, decision, score, coder)


def _record_in(
    project: Project,
    s: Session,
    source_id: int,
    start: int,
    end: int,
    code_id: int | None,
    decision: str,
    score: float | None = None,
    coder: str | None = None,
) -> None:
    if s.get(Source, source_id) is None:
        raise SuggestError(f"source {source_id} does not exist")
    if code_id is not None and s.get(Code, code_id) is None:
        raise SuggestError(f"code {code_id} does not exist")
    s.add(
        SuggestionDecision(
            source_id=source_id,
            code_id=code_id,
            start=start,
            end=end,
            decision=decision,
            score=score,
            coder_id=project.coder_id(s, coder),
        )
    )


@retry_writes
def accept(
    project: Project,
    source_id: int,
    start: int,
    end: int,
    code_id: int,
    score: float | None = None,
    coder: str | None = None,
) -> CodingInfo:
    """Apply a suggested code (undoable, like any coding) and remember it was accepted, in
    one transaction."""
    from coder.services.coding import apply_code_in

    with project.transaction() as s:
        info = apply_code_in(project, s, source_id, start, end, code_id, coder=coder)
        _record_in(project, s, source_id, start, end, code_id, "accept", score, coder)
    return info


def reject(
    project: Project,
    source_id: int,
    start: int,
    end: int,
    code_id: int,
    score: float | None = None,
    coder: str | None = None,
) -> None:
    """Remember that this code does not fit this passage (it counts against the code for
    similar passages once the model is retrained)."""
    _record(project, source_id, start, end, code_id, "reject", score, coder)


def mark_seen(
    project: Project, source_id: int, start: int, end: int, coder: str | None = None
) -> None:
    """Remember that the researcher read this passage (if it stays uncoded, it teaches the
    suggester what is not worth coding)."""
    with project.reading() as s:
        twin = s.scalar(
            select(SuggestionDecision.id).where(
                SuggestionDecision.source_id == source_id,
                SuggestionDecision.start == start,
                SuggestionDecision.end == end,
                SuggestionDecision.decision == "seen",
            )
        )
    if twin is None:
        _record(project, source_id, start, end, None, "seen", None, coder)


# -- training ---------------------------------------------------------------------------------


# The training half lives in its own module; re-exported so callers keep one import path.
from coder.services.suggestion_training import (  # noqa: E402
    ensure_trained,
    evaluate,
    evaluation_data,
    is_stale,
    model_info,
    quality,
    train,
)
