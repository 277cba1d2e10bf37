"""One project's spaCy pipeline for suggestions, and what it makes of passages.

Each project gets its own pipeline instance (`new_pipeline` + coder_terms + coder_phrases),
because the phrase matcher holds that project's code names and keywords. Passages are
processed in batches with `nlp.pipe(..., as_tuples=True)`, the tuple carrying each passage's
index (and whether it is the passage or its context) through the pipeline.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from coder.suggest.components import Terms, add_components, phrase_component
from coder.suggest.headings import Contexts, TurnSpan
from coder.suggest.headings import context_span as context_span  # re-exported
from coder.suggest.model import CodeText
from coder.suggest.nlp import new_pipeline
from coder.vocab.turns import is_interviewer


@dataclass(frozen=True, slots=True)
class Analyzed:
    """A passage after the pipeline: its terms, its context's terms (the last heading and the
    turn before: coder.suggest.headings), and the code phrases found in it (code key, start,
    end) with offsets into `text`."""

    text: str
    terms: Terms
    context: Terms | None
    phrases: tuple[tuple[int, int, int], ...]
    headed: bool = False  # a heading is over the passage (its context holds one)


class Pipeline:
    """The per-project pipeline (thread-safe: one batch at a time)."""

    def __init__(self, model: str | None = None) -> None:
        base = new_pipeline(model)
        trained = (
            model is not None
            and "lemmatizer" in base.pipe_names
            and getattr(base.get_pipe("lemmatizer"), "mode", "lookup") != "lookup"
        )
        self.nlp: Language = add_components(base, lemmas="pipeline" if trained else "lookup")
        if not trained and "lemmatizer" in self.nlp.pipe_names:
            # coder_terms applies the same lookup table itself (case-insensitively, cached),
            # and sets the lemma as NORM; running the component too would only double the work.
            self.nlp.disable_pipe("lemmatizer")
        self.model = model
        self._lock = threading.Lock()
        self._phrases: tuple[tuple[int, tuple[str, ...]], ...] = ()

    def set_codes(self, codes: Sequence[CodeText]) -> None:
        """Use these codes' names and keywords as match phrases (no-op if unchanged)."""
        wanted = tuple((c.key, tuple(c.phrases())) for c in codes)
        if wanted == self._phrases:
            return
        with self._lock:
            phrase_component(self.nlp).set_phrases({str(k): list(p) for k, p in wanted})
            self._phrases = wanted

    def terms(self, texts: Sequence[str]) -> list[Terms]:
        """Terms of each text (phrase matching skipped)."""
        with self._lock, self.nlp.select_pipes(disable=["coder_phrases"]):
            return [d._.coder_terms for d in self.nlp.pipe(texts, batch_size=256)]

    def analyze(
        self,
        items: Sequence[tuple[str, str | None]],
        batch_size: int = 256,
        headed: Sequence[bool] = (),
    ) -> list[Analyzed]:
        """(text, context or None) -> Analyzed, in order (`headed[i]`: a heading is over
        passage i)."""
        out = []
        for i, ((text, _c), (doc, context)) in enumerate(
            zip(items, self.analyze_docs(items, batch_size), strict=True)
        ):
            hits = tuple((int(k), s, e) for k, s, e in doc._.coder_phrases)
            h = bool(headed[i]) if i < len(headed) else False
            out.append(Analyzed(text, doc._.coder_terms, context, hits, h))
        return out

    def analyze_docs(
        self, items: Sequence[tuple[str, str | None]], batch_size: int = 256
    ) -> list[tuple[Doc, Terms | None]]:
        """(text, context or None) -> (Doc, context terms), in order."""

        def stream() -> Iterable[tuple[str, tuple[int, bool]]]:
            for i, (text, context) in enumerate(items):
                yield text, (i, False)
                if context:
                    yield context, (i, True)

        docs: list[Doc | None] = [None] * len(items)
        contexts: list[Terms | None] = [None] * len(items)
        with self._lock:
            for doc, (i, is_context) in self.nlp.pipe(
                stream(), as_tuples=True, batch_size=batch_size
            ):
                if is_context:
                    contexts[i] = doc._.coder_terms
                else:
                    docs[i] = doc
        return [(d, contexts[i]) for i, d in enumerate(docs) if d is not None]


def first_spans(terms: Terms) -> dict[str, tuple[int, int]]:
    """Where each term first occurs in its passage."""
    first: dict[str, tuple[int, int]] = {}
    for k, s, e in zip(terms.keys, terms.starts, terms.ends, strict=True):
        if k not in first:
            first[k] = (s, e)
    return first


def evidence(
    text: str,
    terms: Terms | dict[str, tuple[int, int]],
    term_ids: Sequence[int],
    vocab_terms: Sequence[str],
    phrases: Sequence[tuple[int, int]],
    limit: int = 4,
) -> tuple[str, ...]:
    """The words of `text` that made a code score: matched phrases first, then the terms with
    the largest contributions. Every item is a piece of `text` itself. `terms` may be given
    as `first_spans(terms)` when several codes of one passage need evidence."""
    first = first_spans(terms) if isinstance(terms, Terms) else terms
    spans: list[tuple[int, int]] = list(phrases)
    for tid in term_ids:
        span = first.get(vocab_terms[tid])
        if span is not None:
            spans.append(span)
    picked: list[tuple[int, int]] = []
    seen: set[str] = set()
    for s, e in spans:
        key = " ".join(text[s:e].lower().split())
        if key and key not in seen:
            seen.add(key)
            picked.append((s, e))
            if len(picked) >= 2 * limit:
                break
    # A word inside a phrase that is also shown adds nothing.
    wide = [(a, b) for a, b in picked if any(c.isspace() for c in text[a:b])]
    kept = [
        (s, e)
        for s, e in picked
        if not any(a <= s and e <= b and (a, b) != (s, e) for a, b in wide)
    ]
    return tuple(text[s:e] for s, e in kept[:limit])


def units(text: str, turns: Sequence[TurnSpan]) -> list[TurnSpan]:
    """The turns to suggest on (interviewer turns left out), or paragraphs without turns."""
    if turns:
        return [t for t in turns if not is_interviewer(t.speaker) and t.end > t.start]
    out = []
    for m in re.finditer(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)", text, re.DOTALL):
        out.append(TurnSpan(m.start(), m.end()))
    return out


def _split_terms(terms: Terms, group_starts: list[int]) -> list[Terms]:
    """A turn's terms shared out among its sentence groups (no term spans two groups: bigrams
    stop at sentence ends)."""
    if len(group_starts) == 1:
        return [terms]
    parts: list[tuple[list[str], list[int], list[int]]] = [([], [], []) for _ in group_starts]
    for k, s, e in zip(terms.keys, terms.starts, terms.ends, strict=True):
        g = bisect.bisect_right(group_starts, s) - 1
        parts[g][0].append(k)
        parts[g][1].append(s)
        parts[g][2].append(e)
    return [Terms(tuple(k), tuple(s), tuple(e)) for k, s, e in parts]


def _groups(doc: Doc, n_chars: int, max_words: int) -> list[tuple[int, int]]:
    """Character spans of runs of whole sentences of about `max_words` words (the whole doc
    when it is short)."""
    if not len(doc):
        return []
    arr = doc.to_array([IS_PUNCT, IS_SPACE, SENT_START, IDX, LENGTH])
    words = (arr[:, 0] == 0) & (arr[:, 1] == 0)
    if int(words.sum()) <= max_words * 1.5:
        return [(0, n_chars)]
    firsts = [0] + [int(i) for i in np.flatnonzero(arr[1:, 2] == 1) + 1]
    bounds = firsts + [len(doc)]
    counts = np.add.reduceat(words.astype(np.int64), firsts).tolist()
    ends = (arr[:, 3] + arr[:, 4]).tolist()
    starts = arr[:, 3].tolist()
    groups: list[tuple[int, int]] = []
    cur: list[int] | None = None  # [first token, last token, words]
    for k, n in enumerate(counts):
        a, b = bounds[k], bounds[k + 1] - 1
        if cur is not None and cur[2] + n > max_words:
            groups.append((starts[cur[0]], ends[cur[1]]))
            cur = None
        cur = [a, b, n] if cur is None else [cur[0], b, cur[2] + n]
    if cur is not None:
        groups.append((starts[cur[0]], ends[cur[1]]))
    return groups


def passages_of(
    pipeline: Pipeline, text: str, turns: Sequence[TurnSpan], max_words: int = 60
) -> list[tuple[int, int, Analyzed]]:
    """Split a source into passages (a short turn is one passage; a long one is cut into runs
    of sentences of about `max_words`), each analysed with its turn's context (heading lines
    are no passages: coder.suggest.headings)."""
    contexts = Contexts(text, turns)
    spans = contexts.without_headings(units(text, turns))
    items: list[tuple[str, str | None]] = []
    headed: list[bool] = []
    for t in spans:
        around, h = contexts.at(t.start)
        items.append((text[t.start : t.end], around))
        headed.append(h)
    out: list[tuple[int, int, Analyzed]] = []
    for t, h, (item, _c), (doc, context) in zip(
        spans, headed, items, pipeline.analyze_docs(items), strict=True
    ):
        body = item  # == doc.text, which spaCy would rebuild from the tokens on every access
        groups = _groups(doc, len(body), max_words)
        group_starts = [g[0] for g in groups]
        by_group = _split_terms(doc._.coder_terms, group_starts)
        phrases_by_group: list[list[tuple[int, int, int]]] = [[] for _ in groups]
        for k, s, e in doc._.coder_phrases:
            phrases_by_group[max(0, bisect.bisect_right(group_starts, s) - 1)].append(
                (int(k), s, e)
            )
        for (gs, ge), terms, phrases in zip(groups, by_group, phrases_by_group, strict=True):
            piece = body[gs:ge]
            gs, ge = gs + len(piece) - len(piece.lstrip()), ge - len(piece) + len(piece.rstrip())
            if ge <= gs:
                continue
            hits = tuple((k, s - gs, e - gs) for k, s, e in phrases if s >= gs and e <= ge)
            shifted = Terms(
                terms.keys, tuple(x - gs for x in terms.starts), tuple(x - gs for x in terms.ends)
            )
            passage = Analyzed(body[gs:ge], shifted, context, hits, h)
            out.append((t.start + gs, t.start + ge, passage))
    return out
