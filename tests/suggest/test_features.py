"""The numpy side: sparse rows against dense arithmetic, metrics against hand counts."""

from __future__ import annotations

import numpy as np

from coder.suggest.evaluate import group_folds, kappa, metrics
from coder.suggest.features import Rows, Vocabulary, label_sums, vectorize


def _dense(rows: Rows, width: int) -> np.ndarray:
    out = np.zeros((rows.n, width), np.float32)
    for i in range(rows.n):
        idx, dat = rows.row(i)
        out[i, idx] = dat
    return out


def test_rows_products_match_dense_arithmetic() -> None:
    docs = [["a", "b", "b"], [], ["c", "a"], ["d", "zzz"]]
    vocab = Vocabulary.build(docs[:3])
    rows = vectorize(docs, vocab)
    dense = _dense(rows, len(vocab))
    assert np.allclose(np.linalg.norm(dense[0]), 1.0)
    assert np.linalg.norm(dense[3]) == 0.0  # only unknown words: counted in the norm only
    w = np.arange(len(vocab) * 2, dtype=np.float32).reshape(len(vocab), 2)
    assert np.allclose(rows.dot(w), dense @ w)
    sums = label_sums(rows, [[0], [], [0, 1], []], 2)
    assert np.allclose(sums[0][: len(vocab)], dense[0] + dense[2])
    mixed = _dense(rows.mix(vectorize([["c"], [], [], []], vocab), 0.5), len(vocab))
    expect = dense[0] + 0.5 * _dense(vectorize([["c"]], vocab), len(vocab))[0]
    assert np.allclose(mixed[0], expect / np.linalg.norm(expect))
    both = rows.concat(rows)
    assert both.n == 8 and np.allclose(_dense(both, len(vocab))[4:], dense)


def test_kappa_and_ranking_metrics() -> None:
    assert kappa(np.array([1, 0, 1, 0]), np.array([1, 0, 1, 0])) == 1.0
    assert abs(kappa(np.array([1, 1, 0, 0]), np.array([1, 0, 1, 0]))) < 1e-9
    scores = np.array([[0.9, 0.1, 0.0], [0.2, 0.8, 0.1], [0.5, 0.4, 0.3]], np.float32)
    gold = [frozenset({1}), frozenset({3}), frozenset({1, 2})]  # keys of columns 0, 1, 2
    m = metrics(scores, scores >= 0.5, gold, [1, 2, 3], min_support=1)
    assert abs(m.precision_at_1 - 2 / 3) < 1e-9
    assert abs(m.recall_at_1 - (1 + 0 + 0.5) / 3) < 1e-9
    assert m.recall_at_3 == 1.0
    assert m.coded == 3 and {c.key for c in m.per_code} == {1, 2, 3}


def test_group_folds_never_split_a_group() -> None:
    groups = [f"p{i % 7}" for i in range(50)]
    folds = group_folds(groups, 5, seed=1)
    assert sorted(i for f in folds for i in f) == list(range(50))
    for f in folds:
        inside = {groups[i] for i in f}
        assert all(groups[i] not in inside for g in folds if g is not f for i in g)


def test_expansion_adds_the_words_that_keep_company_with_a_codes_words() -> None:
    from coder.suggest.expand import expansion

    docs = [["budget", "invoice"], ["budget", "royalties"], ["van", "gig"], ["invoice", "fee"]]
    docs += [["weather", "rain"]] * 20
    vocab = Vocabulary.build(docs)
    rows = vectorize(docs, vocab)
    wt = np.zeros((len(vocab), 2), np.float32)
    wt[vocab.index["budget"], 0] = 1.0  # code 0 knows only "budget"; code 1 knows nothing
    out = expansion(wt, rows, share=0.05)  # 5% of 24 rows, but at least EXPAND_MIN = 5
    assert out.shape == (2, len(vocab))
    grown = {t for t, i in vocab.index.items() if out[0, i] > 0}
    assert grown == {"budget", "invoice", "royalties"}  # only passages it scores above 0
    assert not out[1].any()
    assert np.isclose(np.linalg.norm(out[0]), 1.0)
