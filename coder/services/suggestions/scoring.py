"""Code suggestions: what the workspace's suggestions panel, review mode and the CLI call.

The suggester itself lives in coder.suggest (spaCy pipeline + numpy model); this module reads
what it needs from the project (codes, codings, suggestion decisions, source text), keeps one
warm Runtime per open Project (so a call for the passage under the cursor costs a few
milliseconds), and stores the trained model in the ModelBlob table so it survives a restart.
Every function may be called from a worker thread; only frozen dataclasses come back.

Decisions: `accept` applies the code (coder.services.coding.codings.apply_code, undoable) and
records "accept"; `reject` and `mark_seen` record "reject" / "seen" in SuggestionDecision. Training
uses codings as positives, rejections as negatives for that code, and passages read and left
uncoded as negatives for every code; the codebook text always stays in as a prior.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from coder.db.models import Code, Coding, Source, SuggestionDecision
from coder.db.retry import gone, retry_writes
from coder.services.coding.codings import apply_code_in
from coder.services.project.history import PENDING, Action, Recorder
from coder.services.project.store import Project
from coder.services.project.whose import Coders, coded_by
from coder.services.suggestions.training import (
    decided,
    ensure_trained,
    evaluate,
    evaluation_data,
    is_stale,
    model_info,
    quality,
    ready,
    train,
)
from coder.services.suggestions.warm import MODEL_BLOB as MODEL_BLOB
from coder.services.suggestions.warm import NLP_KEY as NLP_KEY
from coder.services.suggestions.warm import (
    CodeRow,
    SuggestError,
    analyze_spans,
    source_text,
)
from coder.services.suggestions.warm import forget as forget
from coder.suggest.pipeline import passages_of
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
    Scored,
)
from coder.vocab.dto import CodingInfo
from coder.vocab.kinds import Decision

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
    "suggest_for_texts",
    "train",
]


def _suggestion(codes: dict[int, CodeRow], sc: Scored) -> Suggestion:
    c = codes[sc.key]
    return Suggestion(
        sc.key, c.guid, c.text.name, c.color, round(sc.score, 4), sc.evidence, sc.applies
    )


# -- suggesting -------------------------------------------------------------------------------
def suggest_for_text(project: Project, text: str, top: int = 5) -> list[Suggestion]:
    """Ranked suggestions for a piece of text that is not (or not yet) in a source."""
    rt, codes = ready(project)
    passage = rt.pipeline.analyze([(text, None)])
    return [_suggestion(codes, sc) for sc in rt.suggest(passage, top)[0]]


def suggest_for_texts(project: Project, texts: list[str], top: int = 5) -> list[list[Suggestion]]:
    """`suggest_for_text` for many texts at once (one model, one batch: what scripts use)."""
    rt, codes = ready(project)
    passages = rt.pipeline.analyze([(t, None) for t in texts])
    return [[_suggestion(codes, sc) for sc in row] for row in rt.suggest(passages, top)]


def suggest_for_span(
    project: Project, source_id: int, start: int, end: int, top: int = 5
) -> list[Suggestion]:
    """Ranked suggestions for text[start:end] of a source, read with its question."""
    rt, codes = ready(project)
    passage = analyze_spans(project, rt, source_id, [(start, end)])
    return [_suggestion(codes, sc) for sc in rt.suggest(passage, top)[0]]


def suggest_for_source(
    project: Project,
    source_id: int,
    top: int = 3,
) -> list[tuple[int, int, list[Suggestion]]]:
    """Each passage of a source (turns; long turns cut into runs of sentences) with the codes
    the suggester would apply to it, best first (an empty list where none applies)."""
    rt, codes = ready(project)
    _name, text, turns = source_text(project, source_id)
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
    coders: Coders = None,
) -> list[ReviewCandidate]:
    """Passages the suggester would code (with `code_id`, or with any code) in one source or
    across the project, strongest first; spans already coded with that code, and suggestions
    rejected there, are left out (by `coders` only, when given: in blind mode another coder's
    codings must not shape the list). Nothing is applied."""
    if code_id is None and source_id is None:
        raise SuggestError("review needs a code or a source")
    rt, codes = ready(project)
    if code_id is not None and code_id not in codes:
        raise SuggestError(f"code {code_id} does not exist or is not applied to text")
    with project.reading() as s:
        q = select(Source.id).order_by(Source.name)
        sources = [source_id] if source_id is not None else list(s.scalars(q))
    out: list[ReviewCandidate] = []
    for n, sid in enumerate(sources, 1):
        name, text, turns = source_text(project, sid)
        parts = passages_of(rt.pipeline, text, turns)
        for start, end, sc in rt.candidates(parts, code_id, _done_spans(project, sid, coders)):
            out.append(
                ReviewCandidate(
                    sid, name, start, end, text[start:end], _suggestion(codes, sc), round(sc.z, 3)
                )
            )
        if progress is not None:
            progress(n, len(sources))
    out.sort(key=lambda c: (-c.z, c.source_name, c.start))
    return out[:limit]


def _done_spans(project: Project, source_id: int, coders: Coders) -> list[tuple[int, int, int]]:
    with project.reading() as s:
        coded = s.execute(
            select(Coding.code_id, Coding.start, Coding.end).where(
                Coding.source_id == source_id, coded_by(coders)
            )
        ).all()
        rejected = s.execute(
            select(
                SuggestionDecision.code_id, SuggestionDecision.start, SuggestionDecision.end
            ).where(
                SuggestionDecision.source_id == source_id,
                SuggestionDecision.decision == "reject",
                coded_by(coders, SuggestionDecision.coder_id),
            )
        ).all()
    return [(int(k), a, b) for k, a, b in [*coded, *rejected] if k is not None]


# -- decisions --------------------------------------------------------------------------------
def _record_in(
    project: Project,
    s: Session,
    source_id: int,
    start: int,
    end: int,
    code_id: int | None,
    decision: Decision,
    score: float | None = None,
    coder: str | None = None,
) -> SuggestionDecision:
    if s.get(Source, source_id) is None:
        raise gone(f"source {source_id}")
    if code_id is not None and s.get(Code, code_id) is None:
        raise gone(f"code {code_id}")
    row = SuggestionDecision(
        source_id=source_id,
        code_id=code_id,
        start=start,
        end=end,
        decision=decision,
        score=score,
        coder_id=project.coder_id(s, coder),
    )
    s.add(row)
    return row


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
    """Apply a suggested code and remember it was accepted, in one transaction and one undo
    step: undoing it takes the coding and the accept out of the training data together. An
    earlier rejection of the same code on the same passage (the researcher changed their mind)
    is withdrawn in the same step."""
    with project.transaction() as s:
        info = apply_code_in(project, s, source_id, start, end, code_id, coder=coder)
        pending: list[Action] = s.info.setdefault(PENDING, [])
        coding = pending.pop() if pending else None
        rec = Recorder(s)
        earlier = s.scalars(
            select(SuggestionDecision).where(
                SuggestionDecision.source_id == source_id,
                SuggestionDecision.start == start,
                SuggestionDecision.end == end,
                SuggestionDecision.code_id == code_id,
                SuggestionDecision.decision == "reject",
            )
        ).all()
        rec.touch(earlier)
        for row in earlier:
            s.delete(row)
        rec.created(
            [_record_in(project, s, source_id, start, end, code_id, "accept", score, coder)]
        )
        step = rec.action(f"accept {info.code_name}")
        pending.append(Action(step.label, (coding.changes if coding else ()) + step.changes))
    return info


def decisions_on(
    project: Project, spans: Sequence[tuple[int, int, int, int]], coders: Coders = None
) -> dict[tuple[int, int, int, int], str]:
    """The accept or reject now recorded (by `coders`) on each (source, start, end, code),
    where there is one: review mode asks after an undo, which may have taken an accept back."""
    wanted = set(spans)
    if not wanted:
        return {}
    sources = {w[0] for w in wanted}
    with project.reading() as s:
        rows = decided(
            s,
            SuggestionDecision.source_id.in_(sources),
            SuggestionDecision.decision.in_(("accept", "reject")),
            coded_by(coders, SuggestionDecision.coder_id),
        )
    out: dict[tuple[int, int, int, int], str] = {}
    for src, start, end, code, decision in rows:
        key = (src, start, end, code or 0)
        if key in wanted:
            out[key] = decision
    return out


@retry_writes
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
    with project.transaction() as s:
        _record_in(project, s, source_id, start, end, code_id, "reject", score, coder)


@retry_writes
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
        with project.transaction() as s:
            _record_in(project, s, source_id, start, end, None, "seen", None, coder)
