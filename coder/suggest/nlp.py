"""The one spaCy pipeline coder uses, built offline.

`spacy.blank("en")` plus the lookup lemmatizer (tables from spacy-lookups-data) and a
sentencizer: nothing is downloaded, ever. A researcher who has installed a trained English
pipeline can name it in the project setting `nlp.model` (for example `en_core_web_sm`); it is
loaded with `spacy.load` only if already installed. `lemma()` is also exposed as a cached
function so that hot paths (search over millions of words) can lemmatise without running spaCy.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from coder.errors import UserError

if TYPE_CHECKING:
    from spacy.language import Language

_LOCK = threading.Lock()
_TABLES: list[Any] = []
"""The lemma table of the first offline pipeline built in this process (the tables are
read-only and the same for every offline pipeline)."""
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def new_pipeline(model: str | None = None) -> Language:
    """A fresh, uncached pipeline (blank en + lookup lemmatizer + sentencizer, or the named
    installed pipeline) for callers that add stateful components of their own, such as the
    per-project code-phrase matcher of coder.suggest."""
    return _build.__wrapped__(model or None)


@lru_cache(maxsize=4)
def _build(model: str | None) -> Language:
    import spacy  # here, not at the top: `lemma` users such as the exports may never need it

    if model:
        try:
            return spacy.load(model)
        except OSError as exc:
            raise UserError(
                f"spaCy pipeline {model!r} is not installed; coder never downloads "
                "models (install it with pip, or clear the nlp.model setting)"
            ) from exc
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("sentencizer")
    nlp.initialize()
    if not _TABLES:  # `lemma` reads this table instead of building a pipeline of its own
        _TABLES.append(nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup"))  # type: ignore[attr-defined]
    return nlp


def get_nlp(model: str | None = None) -> Language:
    """The shared pipeline (built once per process; thread-safe)."""
    with _LOCK:
        return _build(model or None)


@lru_cache(maxsize=1)
def _lemma_lookup():  # type: ignore[no-untyped-def]
    """The lookup lemmatizer's table (keys are hashed strings; `.get(word)` works): the one
    the first offline pipeline loaded, so a process that built one does not build another."""
    if not _TABLES:
        get_nlp()
    return _TABLES[0]


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The lemma of one word, lower-cased (the word itself when the table has none)."""
    low = word.lower().replace("’", "'")
    return str(_lemma_lookup().get(low, low)).lower()


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) for each word of `text`, by a fast regex tokeniser."""
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
