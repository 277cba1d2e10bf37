"""Training, measuring and choosing the suggestion method for one project.

Split from coder.services.suggestions.scoring (which scores passages and records decisions) because
training and cross-validation are the slow, background half of the feature: the TUI calls
these from a worker thread, the CLI from `coder suggest train|evaluate`.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from coder.db.models import Coder, Coding, ModelBlob, Source, SuggestionDecision
from coder.services.project.settings import Key, get_setting, put_setting
from coder.services.project.store import Project, default_coder_name
from coder.services.suggestions.gate import pause_point
from coder.services.suggestions.warm import (
    AUTO_SELECT_MAX,
    CALIBRATION_PASSAGES,
    METHOD_KEY,
    MODEL_BLOB,
    NLP_KEY,
    QUALITY_KEY,
    SCORER_BLOB,
    CodeRow,
    SuggestError,
    analyze_spans,
    code_rows,
    runtime,
    setting,
    source_text,
)
from coder.suggest.components import TERMS_VERSION
from coder.suggest.evaluate import Evaluation, Prepared, select_method
from coder.suggest.incremental import Span, new_examples, updatable, update
from coder.suggest.model import DEFAULT, CodeText, Example, Method, SuggestModel
from coder.suggest.pipeline import Analyzed, passages_of
from coder.suggest.ready import ReadyScorer
from coder.suggest.results import (
    EvaluationReport,
    ModelInfo,
    Quality,
    TrainReport,
)
from coder.suggest.runtime import (
    Runtime,
    choice_json,
    examples_from,
    merge_spans,
    parse_choice,
    parse_quality,
    quality_json,
    report_of,
)
from coder.suggest.sampling import cap_spans


def decided(
    s: Session, *criteria: ColumnElement[bool]
) -> Sequence[tuple[int, int, int, int | None, str]]:
    """(source, start, end, code, decision) of each suggestion decision meeting `criteria`."""
    d = SuggestionDecision
    q = select(d.source_id, d.start, d.end, d.code_id, d.decision).where(*criteria)
    return s.execute(q).all()


def _blind_coder(project: Project) -> int | None:
    """In blind mode, the id of the coder at this keyboard (-1 before their first coding):
    the model then learns from their own codings and decisions only, so a colleague's
    choices never reach them as suggestions. None outside blind mode: everyone's work."""
    if get_setting(project, Key.BLIND_CODING) != "1":
        return None
    with project.reading() as s:
        found = s.scalar(select(Coder.id).where(Coder.name == default_coder_name()))
    return -1 if found is None else int(found)


def _fingerprint(project: Project, who: int | None = None) -> list[int]:
    """What the stored model was trained on: codings, decisions and the terms version (and,
    in blind mode, whose they were: see _trained_for)."""
    mine_c = Coding.coder_id == who if who is not None else true()
    mine_d = SuggestionDecision.coder_id == who if who is not None else true()
    with project.reading() as s:
        c = s.execute(select(func.count(Coding.id), func.max(Coding.id)).where(mine_c)).one()
        d = s.execute(
            select(func.count(SuggestionDecision.id), func.max(SuggestionDecision.id)).where(mine_d)
        ).one()
    out = [int(c[0] or 0), int(c[1] or 0), int(d[0] or 0), int(d[1] or 0), TERMS_VERSION]
    return out if who is None else [*out, who]


def _trained_for(fingerprint: object) -> int | None:
    """The coder a stored model learned from alone (blind mode), None for everyone's work."""
    if isinstance(fingerprint, list) and len(fingerprint) > 5:
        return int(fingerprint[5])
    return None


def is_stale(project: Project) -> bool:
    """True when codings or decisions changed since the stored model was trained (or, in
    blind mode, when it was trained on another coder's work)."""
    with project.reading() as s:
        blob = s.get(ModelBlob, MODEL_BLOB)
        meta = json.loads(blob.meta or "{}") if blob is not None else None
    return meta is None or meta.get("fingerprint") != _fingerprint(project, _blind_coder(project))


def _training_data(
    project: Project, rt: Runtime, who: int | None = None
) -> tuple[list[tuple[Span, Example]], str]:
    """Examples from codings and decisions (only coder `who`'s, when given), each with its
    span (in span order), and what they are grouped by for evaluation."""
    with project.reading() as s:
        q = select(Coding.source_id, Coding.start, Coding.end, Coding.code_id)
        codings = s.execute(q.where(Coding.coder_id == who) if who is not None else q).all()
        kinds = SuggestionDecision.decision.in_(("reject", "seen"))
        if who is not None:
            decisions = decided(s, kinds, SuggestionDecision.coder_id == who)
        else:
            decisions = decided(s, kinds)
        case_of = dict(s.execute(select(Source.id, Source.case_id)).all())
    spans = cap_spans(merge_spans(codings, decisions))
    todo = [k for k in spans if k not in rt.analyzed]
    by_source: dict[int, list[tuple[int, int]]] = {}
    for sid, a, b in todo:
        by_source.setdefault(sid, []).append((a, b))
    for sid, pairs in by_source.items():
        pause_point()  # between sources: keys first (see gate.py)
        pairs = [(a, b) for a, b in pairs if b > a]
        try:
            for (a, b), done in zip(pairs, analyze_spans(project, rt, sid, pairs), strict=True):
                rt.analyzed[(sid, a, b)] = done
        except SuggestError:
            continue  # a span outside its source (check_project reports those)
    examples, split = examples_from(spans, rt.analyzed, case_of)
    keys = [k for k in sorted(spans) if k in rt.analyzed]  # examples_from's order
    return list(zip(keys, examples, strict=True)), split


def _calibration(project: Project, rt: Runtime) -> list[Analyzed]:
    """A fixed-seed sample of the project's own passages, to calibrate decisions on (read
    once per process while the set of sources stays the same)."""
    with project.reading() as s:
        ids = list(s.scalars(select(Source.id).order_by(Source.id)))
    key = (len(ids), ids[-1] if ids else 0)
    if rt.calibration is not None and rt.calibration[0] == key:
        return rt.calibration[1]
    rng = random.Random(0)
    out: list[Analyzed] = []
    for sid in rng.sample(ids, len(ids)):
        pause_point()
        _name, text, turns = source_text(project, sid)
        out.extend(a for _s, _e, a in passages_of(rt.pipeline, text, turns))
        if len(out) >= 2 * CALIBRATION_PASSAGES:
            break
    if len(out) > CALIBRATION_PASSAGES:
        out = rng.sample(out, CALIBRATION_PASSAGES)
    rt.calibration = (key, out)
    return out


def _fit_or_update(
    rt: Runtime,
    keyed: list[tuple[Span, Example]],
    calibration: list[Analyzed],
    method: Method,
    select: bool,
) -> tuple[SuggestModel, Evaluation | None]:
    """The model for these examples: the last one updated with the new passages where that
    is the same as fitting it again (coder.suggest.incremental), else a full fit (which
    re-chooses the method when `select`)."""
    tag = (method, id(calibration), tuple(rt.code_terms()))
    up = rt.updatable
    if not select and up is not None and up.tag == tag and rt.model is up.model:
        new = new_examples(up, keyed)
        if new is not None:
            up = update(up, new)
            rt.updatable = up
            rt.install(up.model)
            return up.model, None
    model, chosen, _seconds = rt.train([e for _s, e in keyed], calibration, method, select=select)
    rt.updatable = updatable(model, keyed, (model.method, id(calibration), tag[2]))
    return model, chosen


def _store_choice(project: Project, ev: Evaluation, coded: int) -> None:
    put_setting(project, METHOD_KEY, choice_json(ev, coded))
    names = {k: c.text.name for k, c in code_rows(project).items()}
    put_setting(project, QUALITY_KEY, quality_json(ev, names))


def train(project: Project, select_method: bool | None = None) -> TrainReport:
    """Retrain on the project's codings and decisions, store the model, and use it.

    Safe to call from a worker thread. The method is re-chosen by cross-validation when
    `select_method` is True, or (None) when no choice was stored yet or the coding has doubled
    since the last choice, with 40 to AUTO_SELECT_MAX coded passages (a choice costs one
    cross-validation per candidate; past that size `evaluate` makes it on request)."""
    t0 = time.perf_counter()
    rt = runtime(project)
    codes = code_rows(project)
    rt.set_codes([c.text for c in codes.values()])
    who = _blind_coder(project)
    fingerprint = _fingerprint(project, who)
    keyed, _split = _training_data(project, rt, who)
    examples = [e for _s, e in keyed]
    coded = sum(1 for e in examples if e.codes)
    method, chosen_at = parse_choice(setting(project, METHOD_KEY))
    select = (
        select_method
        if select_method is not None
        else (40 <= coded <= AUTO_SELECT_MAX and (chosen_at == 0 or coded >= 2 * chosen_at))
    )
    calibration = _calibration(project, rt)
    pause_point()
    model, chosen = _fit_or_update(rt, keyed, calibration, method, select)
    pause_point()  # before the write transaction, never inside it
    if chosen is not None:
        _store_choice(project, chosen, coded)
    model.meta.update({"fingerprint": fingerprint})
    ready_data = rt.ready_scorer(fingerprint).to_bytes()
    with project.transaction() as s:
        _put_blob(s, SCORER_BLOB, ready_data, json.dumps({"fingerprint": fingerprint}))
        blob = s.get(ModelBlob, MODEL_BLOB)
        meta = json.dumps(
            {
                "fingerprint": fingerprint,
                "method": model.method.name,
                "coded": coded,
                "examples": len(examples),
            }
        )
        if blob is None:
            s.add(ModelBlob(name=MODEL_BLOB, data=model.to_bytes(), meta=meta))
        else:
            blob.data, blob.meta = model.to_bytes(), meta
            blob.updated_at = func.now()
    return TrainReport(
        model.method.name,
        len(examples),
        coded,
        sum(1 for n in model.learned.counts if n),
        sum(1 for e in examples if e.rejected),
        sum(1 for e in examples if e.seen and not e.codes),
        round(time.perf_counter() - t0, 3),
        chosen is not None,
    )


def _put_blob(s: Session, name: str, data: bytes, meta: str) -> None:
    blob = s.get(ModelBlob, name)
    if blob is None:
        s.add(ModelBlob(name=name, data=data, meta=meta))
    else:
        blob.data, blob.meta = data, meta
        blob.updated_at = func.now()


def model_info(project: Project) -> ModelInfo:
    """What model is stored with the project, and whether the coding moved on since."""
    with project.reading() as s:
        blob = s.get(ModelBlob, MODEL_BLOB)
        if blob is None:
            return ModelInfo(False, DEFAULT.name, 0, 0, None, True)
        meta = json.loads(blob.meta or "{}")
        updated = blob.updated_at
    return ModelInfo(
        True,
        str(meta.get("method", "")),
        int(meta.get("coded", 0)),
        int(meta.get("examples", 0)),
        updated,
        meta.get("fingerprint") != _fingerprint(project, _blind_coder(project)),
    )


def has_usable_model(project: Project) -> bool:
    """Whether the project stores a model that `ready` would use (in blind mode: one trained
    on this coder's own work), however old."""
    with project.reading() as s:
        blob = s.get(ModelBlob, MODEL_BLOB)
        meta = json.loads(blob.meta or "{}") if blob is not None else None
    if meta is None:
        return False
    who = _blind_coder(project)
    return who is None or _trained_for(meta.get("fingerprint")) == who


def ensure_trained(project: Project) -> TrainReport | None:
    """Retrain if the coding changed since the stored model (for the CLI)."""
    if is_stale(project):
        return train(project)
    ready(project)
    return None


def quality(project: Project) -> Quality:
    """How right the suggestions were on this project's own coding (last evaluation), and
    whether the pipeline's word vectors are used."""
    measured = parse_quality(setting(project, QUALITY_KEY))
    model = setting(project, NLP_KEY).strip()
    if model and runtime(project).vectors is not None:
        return replace(measured, vectors=model)
    return measured


def evaluation_data(project: Project) -> tuple[Prepared, dict[int, CodeText], str]:
    """Everything an evaluation needs, read once: the project's examples vectorised with its
    codebook and calibration passages, the codes, and what the split is by."""
    rt = runtime(project)
    codes = code_rows(project)
    rt.set_codes([c.text for c in codes.values()])
    keyed, split = _training_data(project, rt)
    examples = [e for _s, e in keyed]
    calibration = _calibration(project, rt)
    cal = [(a.terms, a.context) for a in calibration]
    prep = Prepared.build(examples, rt.code_terms(), cal, rt.vectors)
    return prep, {k: c.text for k, c in codes.items()}, split


def evaluate(
    project: Project, folds: int = 5, min_support: int = 3, *, apply: bool = False
) -> EvaluationReport:
    """Cross-validate the candidate methods on the project's own coding (split by participant,
    or by source without participants) and report the best next to a most-frequent-code
    baseline. Only with `apply` does the best become the project's method: measuring never
    changes how suggestions are made behind the researcher's back."""
    prep, texts, split = evaluation_data(project)
    examples = prep.examples
    coded = [e for e in examples if e.codes]
    if len({e.group for e in coded}) < 2:
        raise SuggestError(
            f"evaluation needs coded passages in at least 2 {split}s; "
            f"this project has {len({e.group for e in coded})}"
        )
    ev = select_method(prep, folds=folds, min_support=min_support)
    if apply:
        _store_choice(project, ev, len(coded))
    return report_of(ev, split, {k: t.name for k, t in texts.items()})


def ready(project: Project) -> tuple[Runtime, dict[int, CodeRow]]:
    """The runtime with the current codes and a model (stored, or trained now)."""
    rt = runtime(project)
    codes = code_rows(project)
    if rt.model is None:
        with rt.lock:
            if rt.model is None:
                data, meta, scorer = stored_model(project)
                who = _blind_coder(project)
                if who is not None and _trained_for(meta.get("fingerprint")) != who:
                    data = None  # blind: a model of another coder's work is never used
                if data is not None:
                    try:
                        rt.install(SuggestModel.from_bytes(data), stored_scorer(scorer, meta))
                    except (ValueError, KeyError, OSError):
                        data = None  # unreadable (older format): train afresh
                if data is None:
                    train(project)
    rt.set_codes([c.text for c in codes.values()])
    return rt, codes


def stored_model(project: Project) -> tuple[bytes | None, dict[str, object], bytes | None]:
    """What the project stores of its suggestion model: the model's bytes, their meta (the
    fingerprint of the coding it learnt from) and the scorer's bytes; None where missing."""
    with project.reading() as s:
        blob = s.get(ModelBlob, MODEL_BLOB)
        data = bytes(blob.data) if blob is not None else None
        meta = json.loads(blob.meta or "{}") if blob is not None else {}
        scorer = s.get(ModelBlob, SCORER_BLOB)
        ready = bytes(scorer.data) if scorer is not None else None
    return data, meta, ready


def stored_scorer(data: bytes | None, meta: dict[str, object]) -> ReadyScorer | None:
    """The stored scorer, when it belongs to the stored model (else None: rebuilt)."""
    if data is None:
        return None
    try:
        r = ReadyScorer.from_bytes(data)
    except (ValueError, KeyError, OSError, TypeError):
        return None
    return r if r.fingerprint == meta.get("fingerprint") else None
