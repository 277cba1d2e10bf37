"""The context prior: which codes go with which question (issue 14, item 3).

Crafted so that the words of the answer cannot tell two codes apart and only the question
before it can: these tests fail when the context is ignored."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np

from coder.services.codebook.codes import CodeFields, create_code
from coder.services.project.store import Project
from coder.services.sources.transcripts import get_source, import_files, list_sources
from coder.services.suggestions import scoring as sg
from coder.suggest.components import Terms
from coder.suggest.evaluate import Prepared
from coder.suggest.model import CodeTerms, Example, Method, SuggestModel, fit
from coder.suggest.prior import CodeText, code_terms, group_question
from coder.suggest.ready import ReadyScorer

ANNOY = "What annoyed you about the song?"
ENJOY = "What did you enjoy about the song?"


def _terms(*words: str) -> Terms:
    return Terms(tuple(words), tuple(range(len(words))), tuple(range(1, len(words) + 1)))


def test_group_question_is_a_description_or_name_ending_in_a_question_mark() -> None:
    assert group_question(ANNOY, "Dislikes") == ANNOY
    assert group_question("Things people disliked", ENJOY) == ENJOY
    assert group_question("Things people disliked", "Dislikes") == ""


def _survey(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    target = tmp_path / "survey.coder"
    doc = tmp_path / "R01.txt"
    doc.write_text(
        f"Interviewer: {ANNOY}\n\nR01: The drums were loud all the way through.\n\n"
        f"Interviewer: {ENJOY}\n\nR01: The drums were loud all the way through!\n",
        "utf-8",
    )
    with Project.create(target) as project:
        dislikes = create_code(project, "Dislikes", None, CodeFields(description=ANNOY))
        likes = create_code(project, "Likes", None, CodeFields(description=ENJOY))
        # The same code name under both questions: only the question tells them apart.
        ids = {
            "annoyed": create_code(project, "Drums", dislikes.id).id,
            "enjoyed": create_code(project, "Drums", likes.id).id,
        }
        import_files(project, [doc])
    return target, ids


def test_cold_start_follows_the_codebook_group_question(tmp_path: Path) -> None:
    target, ids = _survey(tmp_path)
    with Project.open(target) as project:
        sid = list_sources(project)[0].id
        text = get_source(project, sid).text
        first = text.index("The drums")
        second = text.index("The drums", first + 1)
        top = [
            sg.suggest_for_span(project, sid, a, text.index("through", a) + 7, 2)[0].code_id
            for a in (first, second)
        ]
    assert top == [ids["annoyed"], ids["enjoyed"]]


def _examples() -> list[Example]:
    """Twelve answers with the same words: under the "annoy" question code 1, under the
    "enjoy" question code 2."""
    out = []
    for i in range(12):
        annoy = i % 2 == 0
        ctx = _terms("annoy", "song") if annoy else _terms("enjoy", "song")
        out.append(
            Example(_terms("drum", "loud"), ctx, frozenset({1 if annoy else 2}), group=f"p{i}")
        )
    return out


CODES = [CodeTerms(1, ("drum",), ()), CodeTerms(2, ("drum",), ())]


def test_learned_context_decides_where_the_words_cannot() -> None:
    examples = _examples()
    prep = Prepared.build(examples, CODES, [(e.terms, e.context) for e in examples])
    test = [0, 1]  # an "annoy" answer, then an "enjoy" answer
    train = list(range(2, 12))
    off = Method(context_weight=0.0, question_prior=0.0)
    _sc, s, _d = prep.run(train, test, off)
    assert np.allclose(s[:, 0], s[:, 1])  # the words alone tie
    on = Method(context_weight=0.0, question_prior=0.0, context_prior=0.5)
    _sc, s, _d = prep.run(train, test, on)
    assert s[0, 0] > s[0, 1] and s[1, 1] > s[1, 0]


def test_the_context_prior_fades_as_examples_grow() -> None:
    examples = _examples()
    prep = Prepared.build(examples, CODES, [(e.terms, e.context) for e in examples])
    test, train = [0], list(range(2, 12))
    gaps = []
    for fade in (1.0, 1e6):
        method = Method(context_weight=0.0, question_prior=0.0, context_prior=0.5)
        _sc, s, _d = prep.run(train, test, Method(**{**_fields(method), "context_fade": fade}))
        gaps.append(float(s[0, 0] - s[0, 1]))
    assert 0 < gaps[0] < gaps[1]


def _fields(m: Method) -> dict[str, object]:
    return {k: getattr(m, k) for k in Method.__dataclass_fields__}


def test_stored_models_keep_the_contexts_and_old_ones_still_load() -> None:
    examples = _examples()
    cal = [(e.terms, e.context) for e in examples]
    method = Method(context_prior=0.5)
    model = fit(examples, cal, CODES, method)
    assert model.learned.ctx is not None
    back = SuggestModel.from_bytes(model.to_bytes())
    assert back.learned.ctx is not None and np.allclose(back.learned.ctx, model.learned.ctx)
    assert back.method == method
    # A model stored before the context prior (version 1: no "ctx", no new method fields).
    with np.load(io.BytesIO(model.to_bytes())) as z:
        arrays = {k: z[k] for k in z.files if k != "ctx"}
    header = json.loads(bytes(arrays["header"]).decode())
    header["version"] = 1
    for k in ("context_prior", "question_prior", "context_fade"):
        header["method"].pop(k)
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), np.uint8)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    old = SuggestModel.from_bytes(buf.getvalue())
    assert old.learned.ctx is None and old.method.context_prior == 0.0
    scorer = old.scorer(CODES)
    assert scorer.ct is None  # nothing learned about contexts, no group questions


def test_ready_scorer_keeps_the_context_matrix_and_reads_old_ones() -> None:
    examples = _examples()
    model = fit(
        examples, [(e.terms, e.context) for e in examples], CODES, Method(context_prior=0.5)
    )
    sc = model.scorer(CODES)
    assert sc.ct is not None
    terms = [CodeTerms(1, ("drum",), (), ("annoy",)), CodeTerms(2, ("drum",), ())]
    ready = ReadyScorer("k", [1], sc.keys, sc.wt, sc.mu, sc.sd, sorted(sc.trained), terms, sc.ct)
    back = ReadyScorer.from_bytes(ready.to_bytes())
    assert back.terms == terms and back.ct is not None and np.allclose(back.ct, sc.ct)
    # Stored before: no "ct" array, three-element terms.
    buf = io.BytesIO()
    header = {"key": "k", "fingerprint": [1], "keys": [1, 2], "trained": [1, 2],
              "terms": [[1, ["drum"], []], [2, ["drum"], []]]}  # fmt: skip
    np.savez(buf, header=np.frombuffer(json.dumps(header).encode(), np.uint8),
             wt=sc.wt, mu=sc.mu, sd=sc.sd)  # fmt: skip
    old = ReadyScorer.from_bytes(buf.getvalue())
    assert old.ct is None and old.terms == CODES


def test_code_terms_carry_the_group_question() -> None:
    def featurize(texts: list[str]) -> list[Terms]:
        return [_terms(*t.lower().strip("?").split()) for t in texts]

    t = code_terms(CodeText(1, "Drums", question=ANNOY), featurize)  # type: ignore[arg-type]
    assert "annoyed" in t.question and "annoyed" not in t.include
