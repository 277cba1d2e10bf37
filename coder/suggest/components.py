"""spaCy components that turn a passage into the terms code suggestions are scored on.

Two factories, both registered with `@Language.factory` so their settings are validated from
the type hints and they can be named in a spaCy config:

- `coder_terms` reduces a Doc to content lemmas (lower-cased, stop words and one-letter tokens
  dropped) plus bigrams of neighbouring content lemmas within a sentence, each with the token
  span it came from, so that evidence can always be shown as words of the passage itself.
  Negation and degree words (QUALIFIERS: "no", "fewer", "better"...) are stop words that
  still start a bigram ("fewer bugs" -> "less bug"), since code names often hinge on them.
  It also writes the lemma into `Token.norm`, which lets the phrase matcher match on lemmas
  whatever the capitalisation (the lookup table itself is case-sensitive).
- `coder_phrases` is a PhraseMatcher over each code's name and keywords (matched on NORM, i.e.
  the lemma). Its patterns are built with `nlp.tokenizer.pipe` and the `coder_terms` component
  only, never with `nlp()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.attrs import IDX, IS_PUNCT, LENGTH, LOWER, NORM, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from coder.suggest.nlp import lemma

if not Doc.has_extension("coder_terms"):
    Doc.set_extension("coder_terms", default=None)
if not Doc.has_extension("coder_phrases"):
    Doc.set_extension("coder_phrases", default=())

# spaCy's English stop words, plus contraction pieces the tokenizer splits off.
_EXTRA_STOPS = {
    "'s",
    "n't",
    "'m",
    "'re",
    "'ve",
    "'ll",
    "'d",
    "yeah",
    "um",
    "uh",
    "er",
    "erm",
    "mm",
    "hmm",
    "okay",
    "ok",
    "oh",
    "like",
    "just",
    "really",
    "actually",
    "lot",
    "thing",
    "kind",
    "sort",
    "bit",
    "get",
    "go",
    "know",
    "think",
    "say",
    "mean",
}

# Words that carry a code's meaning although spaCy lists them as stop words: negation and
# degree ("no defects", "fewer bugs", "more transparency", "better quality"). Each class is
# folded onto one term, so "fewer", "less" and "least" all match a code named "fewer bugs".
# They only ever appear in a bigram with the next content word, never alone: alone they match
# everything. Measured on the Scrum study (benchmarks/suggest_scrum.py, 20 seeds, codebook
# quotes hidden): first-cycle kappa +0.02 at every fraction coded, recall@3 +0.01 at 0 to 10%
# and +0.005 at 25 to 80%; pattern codes unchanged (kappa within +-0.02).
# Bumped whenever the terms a passage yields change: a model stored with an older version is
# stale (coder.services.suggestions.training retrains it). 3: a passage's context holds the
# last heading above it (coder.suggest.headings).
TERMS_VERSION = 3

QUALIFIERS = {
    "no": "not",
    "not": "not",
    "n't": "not",
    "never": "not",
    "without": "not",
    "few": "less",
    "fewer": "less",
    "less": "less",
    "least": "less",
    "more": "more",
    "most": "more",
    "better": "good",
    "best": "good",
}

_JOINERS = {"-", "–", "/", "'", "’"}
_CONTENT, _SKIP, _BREAK, _JOIN, _QUALIFY = 0, 1, 2, 3, 4


@dataclass(frozen=True, slots=True)
class Terms:
    """The terms of one passage: strings, and for each the character span it covers."""

    keys: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset({w.lower() for w in STOP_WORDS} | _EXTRA_STOPS)


class TermExtractor:
    """Sets `doc._.coder_terms` (a Terms) and the lemma as each token's NORM."""

    def __init__(
        self, nlp: Language, name: str, bigrams: bool, min_length: int, lemmas: str
    ) -> None:
        if lemmas not in ("lookup", "pipeline"):
            raise ValueError("coder_terms: lemmas must be 'lookup' or 'pipeline'")
        self.name = name
        self.bigrams = bigrams
        self.min_length = min_length
        self.lemmas = lemmas
        self.strings = nlp.vocab.strings
        self.stops = _stop_words()
        # lower-case form (hash) -> (lemma hash, content lemma or None, kind)
        self._cache: dict[int, tuple[int, str | None, int]] = {}

    def _entry(self, lower: str, lem: str, is_punct: bool) -> tuple[int, str | None, int]:
        folded = QUALIFIERS.get(lower.replace("’", "'"))
        if folded is not None:
            return self.strings.add(folded), folded, _QUALIFY
        content = (
            len(lem) >= self.min_length
            and lem not in self.stops
            and lower not in self.stops
            and any(c.isalpha() for c in lem)
        )
        kind = (
            _CONTENT
            if content
            else ((_JOIN if lower in _JOINERS else _BREAK) if is_punct else _SKIP)
        )
        return self.strings.add(lem), (lem if content else None), kind

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            doc._.coder_terms = Terms((), (), ())
            return doc
        arr = doc.to_array([LOWER, IS_PUNCT, SENT_START, IDX, LENGTH])
        lowers, puncts, sents, idxs, lens = (arr[:, k].tolist() for k in range(5))
        pipeline_lemmas = [t.lemma_ for t in doc] if self.lemmas == "pipeline" else None
        cache, strings = self._cache, self.strings
        norms: list[int] = []
        keys: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        prev: tuple[str, int] | None = None  # previous content lemma in this sentence
        for i, h in enumerate(lowers):
            if sents[i] == 1:
                prev = None
            if pipeline_lemmas is not None:
                lower = strings[h]
                entry = self._entry(lower, pipeline_lemmas[i].lower() or lower, bool(puncts[i]))
            else:
                entry = cache.get(h)  # type: ignore[assignment]
                if entry is None:
                    lower = strings[h]
                    entry = self._entry(lower, lemma(lower), bool(puncts[i]))
                    if len(cache) < 500_000:
                        cache[h] = entry
            norms.append(entry[0])
            key = entry[1]
            if key is None:
                if entry[2] == _BREAK:
                    prev = None
                continue
            start = idxs[i]
            end = start + lens[i]
            if entry[2] == _QUALIFY:
                prev = (key, start)  # only in a bigram with the next content word
                continue
            keys.append(key)
            starts.append(start)
            ends.append(end)
            if self.bigrams and prev is not None:
                keys.append(prev[0] + " " + key)
                starts.append(prev[1])
                ends.append(end)
            prev = (key, start)
        doc.from_array([NORM], np.array(norms, dtype=np.uint64).reshape(-1, 1))  # type: ignore[arg-type]
        doc._.coder_terms = Terms(tuple(keys), tuple(starts), tuple(ends))
        return doc


@Language.factory(
    "coder_terms",
    default_config={"bigrams": True, "min_length": 2, "lemmas": "lookup"},
)
def make_term_extractor(
    nlp: Language, name: str, bigrams: bool, min_length: int, lemmas: str
) -> TermExtractor:
    """The `coder_terms` component (see the module docstring)."""
    return TermExtractor(nlp, name, bigrams, min_length, lemmas)


class CodePhrases:
    """Finds code names and keywords in a Doc: sets `doc._.coder_phrases` to
    ((code key, start char, end char), ...)."""

    def __init__(self, nlp: Language, name: str, attr: str) -> None:
        self.name = name
        self.nlp = nlp
        self.matcher = PhraseMatcher(nlp.vocab, attr=attr)
        self.keys: set[str] = set()

    def set_phrases(self, phrases: dict[str, Sequence[str]]) -> None:
        """Replace the patterns: `phrases` maps a code key to its name and keywords."""
        for key in list(self.keys):
            self.matcher.remove(key)
        self.keys = set()
        terms = self.nlp.get_pipe("coder_terms") if "coder_terms" in self.nlp.pipe_names else None
        for key, texts in phrases.items():
            clean = [t for t in dict.fromkeys(x.strip() for x in texts) if t]
            if not clean:
                continue
            docs = list(self.nlp.tokenizer.pipe(clean))  # type: ignore[union-attr]
            if terms is not None:
                docs = [terms(d) for d in docs]
            docs = [d for d in docs if len(d)]
            if docs:
                self.matcher.add(key, docs)
                self.keys.add(key)

    def __call__(self, doc: Doc) -> Doc:
        if not self.keys:
            doc._.coder_phrases = ()
            return doc
        matches = self.matcher(doc)
        if not matches:
            doc._.coder_phrases = ()
            return doc
        strings = self.nlp.vocab.strings
        arr = doc.to_array([IDX, LENGTH]).tolist()
        doc._.coder_phrases = tuple(
            (strings[m], arr[a][0], arr[b - 1][0] + arr[b - 1][1]) for m, a, b in matches
        )
        return doc


@Language.factory("coder_phrases", default_config={"attr": "NORM"})
def make_code_phrases(nlp: Language, name: str, attr: str) -> CodePhrases:
    """The `coder_phrases` component (see the module docstring)."""
    return CodePhrases(nlp, name, attr)


def add_components(nlp: Language, *, lemmas: str = "lookup") -> Language:
    """Add `coder_terms` and `coder_phrases` to a pipeline (idempotent)."""
    if "coder_terms" not in nlp.pipe_names:
        nlp.add_pipe("coder_terms", config={"lemmas": lemmas})
    if "coder_phrases" not in nlp.pipe_names:
        nlp.add_pipe("coder_phrases")
    return nlp


def phrase_component(nlp: Language) -> CodePhrases:
    pipe = nlp.get_pipe("coder_phrases")
    assert isinstance(pipe, CodePhrases)
    return pipe


def terms_of(docs: Iterable[Doc]) -> list[Terms]:
    return [d._.coder_terms for d in docs]
