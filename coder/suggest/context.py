"""The context prior: which codes go with which question.

Codes often belong to a question rather than to words: in a survey each question has codes of
its own, and in an interview the interviewer's question says what the answer is about. The
passage's context (the turn before it by another speaker: the interviewer's question, or the
question a survey answer answers) is therefore matched, on its own, against

- the contexts of the code's coded passages (their unit centroid, learned in
  coder.suggest.learn), and
- the question of the code's group in the codebook (coder.suggest.prior.group_question), which
  is all there is at cold start.

The match is a prior that fades as evidence grows: a code with n coded passages gets weight
`context_fade / (context_fade + n)` times `context_prior` (learned contexts) and
`question_prior` (its group's question), so the researcher's own coding of the
passage text takes over. Like the rest of the scorer this is linear: one (terms x codes)
matrix applied to the context rows and added to the text scores.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coder.suggest.features import F32, Vocabulary
from coder.suggest.learn import Learned
from coder.suggest.methods import Method
from coder.suggest.prior import CodeTerms


def context_matrix(
    vocab: Vocabulary,
    codes: Sequence[CodeTerms],
    learned: Learned,
    method: Method,
    question: F32,
) -> F32 | None:
    """The (terms x codes) context weights, or None when the method has no context prior
    (or nothing to match: no question in the codebook and no learned contexts).

    `question`: (codes, terms) unit tf-idf rows of each code's group question."""
    v = len(vocab)
    out = np.zeros((len(codes), v), np.float32)
    if method.question_prior > 0:
        out += method.question_prior * question[:, :v]
    counts = np.zeros(len(codes), np.float32)
    column = {c.key: j for j, c in enumerate(codes)}
    for i, k in enumerate(learned.keys):
        j = column.get(k)
        if j is not None and learned.counts[i] > 0:
            counts[j] = learned.counts[i]
            if method.context_prior > 0 and learned.ctx is not None:
                out[j] += method.context_prior * learned.ctx[i, :v]
    if not out.any():
        return None
    out *= (method.context_fade / (method.context_fade + counts))[:, None]
    return np.ascontiguousarray(out.T, dtype=np.float32)
