"""Updating a model with a new coding gives what a full fit on the same examples gives, with
the vocabulary held as it was (coder.suggest.incremental; issue 16)."""

from __future__ import annotations

import numpy as np
import pytest

from coder.suggest.components import Terms
from coder.suggest.features import vectorize
from coder.suggest.incremental import FULL_EVERY, Updatable, new_examples, updatable, update
from coder.suggest.model import CodeTerms, Example, Method, SuggestModel, fit

CODES = [
    CodeTerms(1, ("alpha",), (), ("why",)),
    CodeTerms(2, ("beta",), ()),
    CodeTerms(3, ("gamma",), ()),
]
METHODS = {
    "default": Method(),
    "neighbours, context prior, few terms": Method(
        knn_weight=0.5, knn_k=3, knn_min=2, context_prior=0.3, keep_terms=4
    ),
}
Span = tuple[int, int, int]


def _terms(*words: str) -> Terms:
    return Terms(tuple(words), tuple(range(len(words))), tuple(range(1, len(words) + 1)))


def _ex(
    span: Span,
    words: tuple[str, ...],
    ctx: Terms | None = None,
    codes: tuple[int, ...] = (),
    rejected: tuple[int, ...] = (),
    seen: bool = False,
    group: str = "",
) -> tuple[Span, Example]:
    return span, Example(_terms(*words), ctx, frozenset(codes), frozenset(rejected), seen, group)


def _keyed() -> list[tuple[Span, Example]]:
    """Coded passages (with a question before some), a rejection and a passage read and left."""
    out: list[tuple[Span, Example]] = []
    for i in range(6):
        ctx = _terms("why", "pear", f"q{i}") if i % 2 else None
        out.append(
            (
                (1, 100 * i, 100 * i + 50),
                Example(_terms("pear", "quince", f"w{i}", "alpha"), ctx, frozenset({1}), group="a"),
            )
        )
        out.append(
            (
                (2, 100 * i, 100 * i + 50),
                Example(_terms("rye", "spelt", f"v{i}"), None, frozenset({2}), group="b"),
            )
        )
    out.append(
        ((3, 0, 40), Example(_terms("pear", "rye", "beta"), None, frozenset({3}), group="c"))
    )
    out.append(
        ((3, 50, 90), Example(_terms("pear", "plum"), None, rejected=frozenset({2}), group="c"))
    )
    out.append(((3, 100, 140), Example(_terms("plum", "fig"), None, seen=True, group="c")))
    return sorted(out)


def _calibration() -> list[tuple[Terms, Terms | None]]:
    return [(_terms("pear", "fig", f"c{i}"), _terms("why", "quince")) for i in range(8)]


# Spans that fall between the old ones, so the update must put them in place (not append):
# a coding with two codes (one of them on a question), a rejection, a passage read and left.
NEW: list[tuple[Span, Example]] = [
    (
        (1, 120, 160),
        Example(
            _terms("quince", "spelt", "fig", "new"),
            _terms("why", "rye"),
            frozenset({1, 2}),
            group="a",
        ),
    ),
    ((2, 10, 30), Example(_terms("pear", "spelt"), None, rejected=frozenset({2}), group="b")),
    ((3, 95, 99), Example(_terms("fig", "rye", "plum"), None, seen=True, group="c")),
]


def _scores(model: SuggestModel) -> np.ndarray:
    scorer = model.scorer(CODES)
    queries = [("pear", "quince", "fig"), ("rye", "spelt", "new"), ("plum",), ("alpha", "beta")]
    text = vectorize(queries, model.vocab)
    context = vectorize([("why", "pear"), (), (), ("quince",)], model.vocab)
    return scorer.score(text, context)


@pytest.mark.parametrize("name", list(METHODS))
def test_an_update_scores_as_a_full_fit_on_the_same_data(name: str) -> None:
    method, cal = METHODS[name], _calibration()
    old = _keyed()
    model = fit([e for _s, e in old], cal, CODES, method)
    state = updatable(model, old)
    everything = sorted([*old, *NEW])
    new = new_examples(state, everything)
    assert new is not None and [s for s, _e in new] == sorted(s for s, _e in NEW)
    updated = update(state, new).model
    # A full fit on all the examples, with the vocabulary the first fit had.
    full = fit([e for _s, e in everything], cal, CODES, method, vocab=model.vocab)
    a, b = updated.learned, full.learned
    assert a.keys == b.keys and a.counts == b.counts and a.rej_counts == b.rej_counts
    assert a.n_seen == b.n_seen == 2
    assert np.allclose(a.pos, b.pos, atol=1e-6) and np.allclose(a.rej, b.rej, atol=1e-6)
    assert np.allclose(a.seen, b.seen, atol=1e-6)
    assert a.ctx is not None and b.ctx is not None and np.allclose(a.ctx, b.ctx, atol=1e-6)
    assert a.nn_codes == b.nn_codes and a.nn is not None and b.nn is not None
    assert np.array_equal(a.nn.indptr, b.nn.indptr) and np.allclose(a.nn.data, b.nn.data)
    assert np.array_equal(updated.calibration[0].indices, full.calibration[0].indices)
    assert updated.meta == full.meta == {"examples": len(everything), "coded": 14}
    # ... and so the suggestions: the same scores for every code.
    assert np.allclose(_scores(updated), _scores(full), atol=1e-5)
    # The update did change them (it is not comparing two copies of the old model).
    assert not np.allclose(_scores(updated), _scores(model), atol=1e-3)
    # It survives storing, as a full fit does.
    assert np.allclose(
        _scores(SuggestModel.from_bytes(updated.to_bytes())), _scores(full), atol=1e-5
    )


def _state() -> tuple[Updatable, list[tuple[Span, Example]]]:
    old = _keyed()
    return updatable(fit([e for _s, e in old], _calibration(), CODES, Method()), old), old


def test_what_an_update_cannot_do_calls_for_a_full_fit() -> None:
    state, old = _state()
    assert new_examples(state, old) is None  # nothing new
    # A code never applied before (its centroid would be a new row).
    new_code = ((4, 0, 10), Example(_terms("gamma"), None, frozenset({9}), group="d"))
    assert new_examples(state, sorted([*old, new_code])) is None
    # A code rejected for the first time.
    first_reject = ((4, 0, 10), Example(_terms("gamma"), None, rejected=frozenset({1})))
    assert new_examples(state, sorted([*old, first_reject])) is None
    # An example that changed (a code added to a passage coded before) or went away.
    (span, e), rest = old[0], old[1:]
    changed = (span, Example(e.terms, e.context, e.codes | {2}, group=e.group))
    assert new_examples(state, sorted([changed, *rest, NEW[0]])) is None
    assert new_examples(state, sorted([*rest, *NEW])) is None
    # More than MAX_NEW new passages at once.
    many = [((9, i, i + 5), Example(_terms("pear"), None, frozenset({1}))) for i in range(21)]
    assert new_examples(state, sorted([*old, *many])) is None


def test_a_full_fit_comes_every_full_every_updates() -> None:
    state, old = _state()
    keyed = list(old)
    for i in range(FULL_EVERY):
        keyed = sorted(
            [
                *keyed,
                ((5, 10 * i, 10 * i + 5), Example(_terms("pear", f"n{i}"), None, frozenset({1}))),
            ]
        )
        new = new_examples(state, keyed)
        assert new is not None and len(new) == 1
        state = update(state, new)
    more = sorted([*keyed, ((6, 0, 5), Example(_terms("pear"), None, frozenset({1})))])
    assert state.updates == FULL_EVERY and new_examples(state, more) is None


def test_training_after_one_more_coding_updates_the_model(
    sample_project: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service: a retrain after one new coding is an update (no full fit), and what it
    stores scores as a full fit on the same examples with the same vocabulary."""
    from coder.services.codebook.codes import flat_codes
    from coder.services.coding.codings import apply_code
    from coder.services.project.store import Project
    from coder.services.sources.transcripts import get_source, list_sources
    from coder.services.suggestions.training import train
    from coder.services.suggestions.warm import runtime
    from coder.suggest.runtime import Runtime

    p = sample_project
    assert isinstance(p, Project)
    reacting = next(c for c in flat_codes(p) if c.name == "Reacting")
    sources = list_sources(p)
    for src in sources[:4]:
        apply_code(p, src.id, 0, 60, reacting.id)
    train(p, select_method=False)
    rt = runtime(p)
    assert rt.updatable is not None and rt.updatable.updates == 0
    full_fits: list[int] = []
    real = Runtime.train

    def counted(self: Runtime, *a: object, **k: object) -> object:
        full_fits.append(1)
        return real(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Runtime, "train", counted)
    text = get_source(p, sources[5].id).text
    apply_code(p, sources[5].id, 100, 100 + min(200, len(text) - 100), reacting.id)
    report = train(p, select_method=False)
    assert full_fits == [] and rt.updatable.updates == 1
    assert report.coded == 5
    model = rt.model
    assert model is not None and model is rt.updatable.model
    keyed = list(zip(rt.updatable.spans, rt.updatable.examples, strict=True))
    cal = [(a.terms, a.context) for a in rt.calibration[1]]  # type: ignore[index]
    codes = rt.code_terms()
    full = fit([e for _s, e in keyed], cal, codes, model.method, vocab=model.vocab)
    rows = model.calibration[0]
    assert np.allclose(model.scorer(codes).score(rows), full.scorer(codes).score(rows), atol=1e-5)
    # An undo (a coding gone) is no update: a full fit.
    from coder.services.suggestions.training import is_stale

    p.history.undo(p)
    assert is_stale(p)
    train(p, select_method=False)
    assert full_fits == [1] and rt.updatable.updates == 0
