"""Find the names to pseudonymise in free text with spaCy, offline.

An EntityRuler on `spacy.blank("en")` holds one phrase pattern per known name (participants,
speaker labels, organisations, the project's names list, and each part of a multi-word name),
tokenized as the text is, so "Helen's" and "(Helen)" are found but "Helena" is not.
Nothing is downloaded. When the researcher has installed a trained pipeline and named it in
`nlp.model`, its PERSON, ORG and GPE entities are added, each new name given a numbered
pseudonym ("Person 1", "Organisation 2", "Place 3") kept the same across the whole study.
Texts are read a line at a time, so a long transcript is never one huge Doc.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from coder.errors import UserError
from coder.ingest.pseudonym import non_overlapping
from coder.vocab.pseudonym import Hit, Term

__all__ = ["MODEL_LABELS", "NameFinder"]

MODEL_LABELS = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Place"}
_LINE = re.compile(r"[^\n]+")


class NameFinder:
    """Finds every known name (and, with a trained pipeline, new ones) in texts."""

    def __init__(self, terms: Sequence[Term], model: str = "", keep: Iterable[str] = ()) -> None:
        import spacy

        self._keep = {k.casefold() for k in keep}
        self._terms = [t for t in terms if t.name.strip() and t.name.casefold() not in self._keep]
        self.nlp = spacy.blank("en")
        self.nlp.max_length = 10**9  # only the tokenizer runs on it, a line at a time
        ruler: Any = self.nlp.add_pipe("entity_ruler")
        # Phrase patterns (the ruler tokenizes them with the same tokenizer and matches by
        # ORTH): the PhraseMatcher looks each token up once, where token patterns cost every
        # token a check against every pattern; with 1,000 names that was 50x slower.
        ruler.add_patterns(
            [
                {"label": t.label, "pattern": t.name.strip(), "id": str(i)}
                for i, t in enumerate(self._terms)
            ]
        )
        # Without a trained pipeline only lines holding a known name need spaCy at all.
        words = sorted({t.name.strip() for t in self._terms}, key=len, reverse=True)
        self._any = re.compile("|".join(map(re.escape, words))) if words else None
        self._model: Any = None
        self.model = model
        if model:
            try:
                self._model = spacy.load(model, exclude=["lemmatizer", "textcat"])
            except OSError as exc:
                raise UserError(
                    f"spaCy pipeline {model!r} is not installed; coder never downloads models "
                    "(install it with pip, or clear the nlp.model setting)"
                ) from exc
        self._invented: dict[tuple[str, str], str] = {}
        self._numbers: dict[str, int] = {}
        self._taken = {t.pseudonym for t in self._terms}
        self._known = {t.name.strip() for t in self._terms}

    def _lines(self, text: str, everything: bool) -> tuple[list[str], list[int]]:
        """The lines of `text` worth reading, with their offsets."""
        lines: list[str] = []
        offsets: list[int] = []
        for m in _LINE.finditer(text):
            line = m.group()
            if everything or (self._any is not None and self._any.search(line)):
                lines.append(line)
                offsets.append(m.start())
        return lines, offsets

    def find(self, text: str) -> list[Hit]:
        """The non-overlapping names in `text`, known names before the model's."""
        return next(self.find_many([text]))

    def find_many(self, texts: Iterable[str]) -> Iterator[list[Hit]]:
        """The hits of each text in turn (see `find`)."""
        for text in texts:
            lines, offsets = self._lines(text, self._model is not None)
            hits: list[Hit] = []
            for doc, base in zip(self.nlp.pipe(lines, batch_size=256), offsets, strict=True):
                for ent in doc.ents:
                    t = self._terms[int(ent.ent_id_)]
                    start = base + ent.start_char
                    hits.append(Hit(start, base + ent.end_char, ent.text, t.pseudonym, t.reason))
            if self._model is None:
                yield non_overlapping(hits)
                continue
            hits.extend(self._model_hits(lines, offsets))
            # A new name is numbered only once it is sure to be replaced (a known name that
            # overlaps it wins), so the numbers have no gaps.
            yield [
                replace(h, pseudonym=self._invent(h.pseudonym, h.original))
                if h.reason == "model"
                else h
                for h in non_overlapping(hits)
            ]

    def _model_hits(self, lines: list[str], offsets: list[int]) -> Iterator[Hit]:
        for doc, base in zip(self._model.pipe(lines, batch_size=64), offsets, strict=True):
            for ent in doc.ents:
                kind = MODEL_LABELS.get(ent.label_)
                name = ent.text.strip()
                if kind is None or not name or name.casefold() in self._keep:
                    continue
                if name in self._taken or name in self._known:  # a pseudonym, or a known name
                    continue
                lead = len(ent.text) - len(ent.text.lstrip())
                start = base + ent.start_char + lead
                yield Hit(start, start + len(name), name, kind, "model")  # numbered later

    def _invent(self, kind: str, name: str) -> str:
        found = self._invented.get((kind, name))
        if found is None:
            while True:
                n = self._numbers.get(kind, 0) + 1
                self._numbers[kind] = n
                found = f"{kind} {n}"
                if found not in self._taken:
                    break
            self._invented[(kind, name)] = found
            self._taken.add(found)
        return found
