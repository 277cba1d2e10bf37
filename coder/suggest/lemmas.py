"""Every word of a set of texts with its lemma, for word frequency and keyword-in-context.

This reuses the one offline pipeline of coder.suggest.nlp (its regex word splitter and its
lookup lemmatizer table) and coder_terms' stop words, so word counts and suggestions agree on
what a word and a stop word are. It returns flat arrays so coder.analysis.words counts them
without spaCy; callers cache the result (lemmas change only when the texts do).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from coder.suggest.components import _stop_words
from coder.suggest.nlp import WORD, lemma


@dataclass(frozen=True)
class Lemmatized:
    """Flat token arrays (text index, start, end, lemma id), the lemma vocabulary, and for
    each lemma whether it is a content word (not a stop word, two letters or more)."""

    vocab: tuple[str, ...]
    content: npt.NDArray[np.bool_]
    text: npt.NDArray[np.int64]
    start: npt.NDArray[np.int64]
    end: npt.NDArray[np.int64]
    lemma: npt.NDArray[np.int64]


_NEGATED = {"ca": "can", "wo": "will", "sha": "shall", "ai": "be"}


def _base(word: str) -> str:
    """The word without a clitic: the regex word splitter keeps "it's", "don't" and "label's"
    whole, where spaCy's tokenizer would split off "'s" and "n't"; counting "it" (a stop
    word) and "label" is what a researcher expects."""
    low = word.lower().replace("’", "'")
    if "'" not in low:
        return word
    if low.endswith("n't") and len(low) > 3:
        stem = low[:-3]  # don't -> do, can't -> can, won't -> will
        return _NEGATED.get(stem, stem)
    return low.split("'", 1)[0] or low


def content_words(
    vocab: Sequence[str], stops: frozenset[str] | None = None
) -> npt.NDArray[np.bool_]:
    """For each lemma, whether it counts as a content word: not a stop word, two letters or
    more, at least one of them a letter."""
    stops = _stop_words() if stops is None else stops
    return np.array(
        [len(v) >= 2 and v not in stops and any(c.isalpha() for c in v) for v in vocab],
        dtype=bool,
    )


class Lemmatizer:
    """Words to lemma ids, numbered in the order the lemmas are first met, kept across calls
    so that a text lemmatised piece by piece (coder.vocab.pieces) gets the same ids as when
    lemmatised whole."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._forms: dict[str, int] = {}

    def scan(
        self, text: str, starts: array[int], ends: array[int], lemmas: array[int], pos: int = 0,
        endpos: int | None = None,
    ) -> int:  # fmt: skip
        """Append the start, end and lemma id of every word of `text[pos:endpos]` to the three
        arrays (offsets into the whole text); returns how many words there were."""
        ids, forms = self.ids, self._forms
        add_start, add_end, add_lemma = starts.append, ends.append, lemmas.append
        before = len(starts)
        for m in WORD.finditer(text, pos, len(text) if endpos is None else endpos):
            w = m.group()
            v = forms.get(w)
            if v is None:
                lem = lemma(_base(w))
                v = ids.setdefault(lem, len(ids))
                forms[w] = v
            a, b = m.span()
            add_start(a)
            add_end(b)
            add_lemma(v)
        return len(starts) - before


def lemmatize(texts: Sequence[str]) -> Lemmatized:
    """The words of `texts` (in order) with their lemmas."""
    stops = _stop_words()
    lz = Lemmatizer()
    # machine integers, not lists of int objects: a 20 MB transcript has millions of words,
    # and lists would hold about 36 bytes per number where these hold 8
    starts, ends, lemmas = (array("q") for _ in range(3))
    counts = [lz.scan(text, starts, ends, lemmas) for text in texts]
    vocab = tuple(lz.ids)
    return Lemmatized(
        vocab,
        content_words(vocab, stops),
        np.repeat(np.arange(len(counts), dtype=np.int64), counts),
        np.frombuffer(starts, dtype=np.int64),
        np.frombuffer(ends, dtype=np.int64),
        np.frombuffer(lemmas, dtype=np.int64),
    )
