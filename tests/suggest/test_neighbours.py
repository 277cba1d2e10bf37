"""The neighbours' vote over coded passages (issue 14, item 4)."""

from __future__ import annotations

import numpy as np
import pytest

from coder.suggest.components import Terms
from coder.suggest.evaluate import Prepared
from coder.suggest.features import vectorize
from coder.suggest.model import CodeTerms, Example, Method, Scorer, SuggestModel, fit

CODES = [CodeTerms(1, ("alpha",), ()), CodeTerms(2, ("beta",), ()), CodeTerms(3, ("gamma",), ())]


def _terms(*words: str) -> Terms:
    return Terms(tuple(words), tuple(range(len(words))), tuple(range(1, len(words) + 1)))


def _examples() -> list[Example]:
    """Code 1 on two kinds of passage, code 2 on a third kind, code 3 on only three."""
    out = []
    for i in range(8):
        out.append(Example(_terms("pear", "quince", f"w{i}"), codes=frozenset({1}), group=f"a{i}"))
        out.append(Example(_terms("rye", "spelt", f"v{i}"), codes=frozenset({1}), group=f"b{i}"))
        out.append(Example(_terms("pear", "rye", f"u{i}"), codes=frozenset({2}), group=f"c{i}"))
    for i in range(3):
        out.append(Example(_terms("pear", "quince", f"t{i}"), codes=frozenset({3}), group=f"d{i}"))
    return out


KNN = Method(knn_weight=0.5, knn_k=5, knn_min=8)


def test_neighbours_vote_for_codes_with_enough_examples() -> None:
    examples = _examples()
    query = Example(_terms("pear", "quince", "new"), codes=frozenset({1}), group="q")
    prep = Prepared.build([*examples, query], CODES, [(e.terms, None) for e in examples])
    train, test = list(range(len(examples))), [len(examples)]
    _sc, off, _d = prep.run(train, test, Method())
    _sc, on, _d = prep.run(train, test, KNN)
    gain = on[0] - off[0]
    # The five nearest are "pear quince" passages: code 1 (eight of them) votes, code 3 (three
    # examples, under knn_min) does not, code 2 is not among them.
    assert gain[0] > 0.3 and abs(gain[1]) < 1e-6 and abs(gain[2]) < 1e-6


def test_the_vote_survives_storing_and_the_ready_scorer() -> None:
    examples = _examples()
    cal = [(e.terms, None) for e in examples]
    model = fit(examples, cal, CODES, KNN)
    built = model.scorer(CODES)
    assert built.knn is not None
    back = SuggestModel.from_bytes(model.to_bytes())
    assert back.learned.nn_codes == model.learned.nn_codes
    rebuilt = back.scorer(CODES)
    restored = Scorer.restore(
        back.vocab, back.method, built.keys, built.wt, built.mu, built.sd, sorted(built.trained),
        built.ct, back.learned,
    )  # fmt: skip
    rows = vectorize([("pear", "quince", "x"), ("rye", "spelt")], back.vocab)
    first = built.score(rows)
    assert np.allclose(rebuilt.score(rows), first) and np.allclose(restored.score(rows), first)
    off = SuggestModel.from_bytes(model.to_bytes()).with_method(Method()).scorer(CODES)
    assert off.knn is None and not np.allclose(off.score(rows), first)


def test_at_most_max_neighbours_vote(monkeypatch: pytest.MonkeyPatch) -> None:
    from coder.suggest import neighbours

    monkeypatch.setattr(neighbours, "MAX_NEIGHBOURS", 10)
    examples = _examples()
    model = fit(examples, [(e.terms, None) for e in examples], CODES, KNN)
    scorer = model.scorer(CODES)
    assert scorer.knn is not None and scorer.knn.rows.n == 10


def test_candidates_are_offered_only_where_they_can_help() -> None:
    from coder.suggest.evaluate import eligible
    from coder.suggest.methods import CANDIDATES

    one = _examples()  # one code per passage, no question groups, no vectors
    prep = Prepared.build(one, CODES, [(e.terms, None) for e in one])
    names = {m.name for m in eligible(prep, CANDIDATES)}
    assert "fused" in names and "coding-led" in names
    assert not names & {"neighbours", "context-prior", "context-led", "no-vectors"}
    many = [Example(e.terms, None, e.codes | {9}, group=e.group) for e in one]
    grouped = [CodeTerms(c.key, c.include, c.exclude, ("annoy",)) for c in CODES]
    prep = Prepared.build(many, grouped, [(e.terms, None) for e in many])
    names = {m.name for m in eligible(prep, CANDIDATES)}
    assert {"neighbours", "context-prior", "context-led"} <= names and "no-vectors" not in names
