"""Choosing Table 2's exemplar quotes when the researcher has not marked any.

The rule, in full (it is printed in the table note, so a reader can judge it):

1. Passages the researcher marked as exemplars win; they are shown in source order.
2. Otherwise every passage gets a typicality score: the mean share of its content lemmas
   (spaCy lookup lemmas of words of three or more letters, stop words left out) that each of
   the code's other passages also uses, plus half the share it has in common with the
   code's definition, inclusion criteria and keywords. Overlap is counted on lemma *sets*,
   so a passage that repeats one word is not rewarded.
3. Short and long passages are discounted: the score is multiplied by words/15 under 15
   words and by 60/words over 60, so quotes that fit a table cell rise; passages under six
   words are only used when nothing else is left.
4. The highest scores are taken, at most one per participant, ties broken by coding order.

For codes with more than `SAMPLE` passages, the scores are computed on an evenly spaced
sample of that many, which keeps Table 2 of a 200,000-coding project within seconds; the
sample is deterministic, so the same project always gives the same quotes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from coder.suggest.nlp import WORD, lemma
from coder.vocab.notes import NONVERBAL

SAMPLE = 120
SHORT, IDEAL_MIN, IDEAL_MAX = 6, 15, 60
MAX_CHARS = 320
_LABEL = re.compile(r"^\s*(?:\[[\d:.,]+\]\s*)?[^\W\d_][\w'’.\-]*(?: [\w'’.\-]+){0,3}\s*:\s+")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A coded passage that could become a quote."""

    key: int
    participant: str
    text: str
    marked: bool = False
    speaker: str | None = None


@lru_cache(maxsize=100_000)
def _content(word: str) -> str:
    """The word's lemma if it is a content word, else ""."""
    if len(word) < 3 or word.isdigit():
        return ""
    lem = lemma(word)
    return lem if lem not in _stop_words() and len(lem) >= 3 else ""


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """spaCy's English stop words, imported on first use: importing spaCy costs half a
    second that the .qdpx and table exports, which import this module, need not pay."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def content_lemmas(text: str) -> set[str]:
    """The set of content lemmas of `text` (lower-case, three letters or more, no stop words)."""
    out = {_content(w) for w in set(WORD.findall(text.lower()))}
    out.discard("")
    return out


def sample(items: Sequence[Candidate], n: int = SAMPLE) -> list[Candidate]:
    """An evenly spaced, deterministic sample of at most `n` items, in their order."""
    if len(items) <= n:
        return list(items)
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def _length_factor(words: int) -> float:
    if words < IDEAL_MIN:
        return max(words, 1) / IDEAL_MIN
    if words > IDEAL_MAX:
        return IDEAL_MAX / words
    return 1.0


def typicality(cands: Sequence[Candidate], definition: str) -> list[tuple[float, Candidate]]:
    """(score, candidate) for each candidate, by rules 2 and 3 above."""
    sets = [content_lemmas(c.text) for c in cands]
    df: Counter[str] = Counter()
    for s in sets:
        df.update(s)
    ref = content_lemmas(definition)
    n = len(cands)
    out = []
    for c, s in zip(cands, sets, strict=True):
        if not s:
            out.append((0.0, c))
            continue
        shared = sum(df[x] - 1 for x in s) / ((n - 1) * len(s)) if n > 1 else 0.0
        defined = len(s & ref) / len(s) if ref else 0.0
        words = len(c.text.split())
        out.append(((shared + 0.5 * defined) * _length_factor(words), c))
    return out


def choose(
    cands: Sequence[Candidate],
    definition: str,
    limit: int | None = 2,
    marked_limit: int | None = None,
) -> list[Candidate]:
    """The quotes for one row of Table 2 (see the module docstring for the rule)."""
    marked = [c for c in cands if c.marked]
    if marked:
        return marked[:marked_limit] if marked_limit is not None else marked
    if not cands or limit == 0:
        return []
    scored = typicality(sample(cands), definition)
    order = {c.key: i for i, c in enumerate(cands)}
    scored.sort(key=lambda sc: (len(sc[1].text.split()) < SHORT, -sc[0], order[sc[1].key]))
    picked: list[Candidate] = []
    seen: set[str] = set()
    for _score, c in scored:
        if c.participant in seen:
            continue
        picked.append(c)
        seen.add(c.participant)
        if limit is not None and len(picked) >= limit:
            break
    return picked


_FILLER = re.compile(
    rf"\s*[(\[]{NONVERBAL}[)\]]"  # "(laughs)", "[inaudible]": the transcriber's, not said
    r"|,?\s*\b(?:um+|uh+|erm+|er|hmm+|mm+)\b,?",
    re.IGNORECASE,
)
_SENTENCE_START = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
CUT = "[…]"


def trim_quote(text: str, words: int) -> str:
    """A quote as journals print one: fillers ("um", "uh", "(laughs)") taken out, starting at
    a sentence (what comes before is replaced by [...]), and at most `words` words, cut at a
    sentence end when one falls in the second half of the limit, else at a word, with [...]
    for what is left out."""
    flat = " ".join(text.split())
    lead = ""
    if flat[:1].islower():  # begins mid-sentence: start at the next sentence if there is one
        m = _SENTENCE_START.search(flat)
        if m is not None and m.end() < len(flat):
            flat, lead = flat[m.end() :], CUT + " "
    flat = " ".join(_FILLER.sub("", flat).split())
    flat = re.sub(r"\s+([,.;:!?])", r"\1", flat).lstrip(",;: ")
    flat = flat[:1].upper() + flat[1:]
    tokens = flat.split()
    if len(tokens) <= words:
        return lead + flat
    kept = tokens[:words]
    ends = [i for i, t in enumerate(kept) if t.rstrip("\"'”’)").endswith((".", "!", "?"))]
    if ends and ends[-1] + 1 >= words // 2:
        kept = kept[: ends[-1] + 1]
    else:
        kept[-1] = kept[-1].rstrip(",;:")
    return lead + " ".join(kept) + " " + CUT


def quote_text(
    text: str,
    speakers: Collection[str] = (),
    max_chars: int = MAX_CHARS,
    words: int | None = None,
) -> str:
    """A passage as a table quote: one line, shortened with '…' (or, with `words`, trimmed
    as journals print quotes: see `trim_quote`).

    A leading "Name:" label is dropped when Name is one of the source's `speakers`, so a
    passage coded from the start of a turn does not quote the transcript's label.
    """
    flat = " ".join(text.split())
    m = _LABEL.match(flat) if speakers else None
    if m and _label_name(flat[: m.end()]) in speakers:
        flat = flat[m.end() :]
    if words is not None:
        return trim_quote(flat, words)
    if len(flat) <= max_chars:
        return flat
    cut = flat[:max_chars]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if end >= max_chars // 2:
        return cut[: end + 1] + " …"
    return cut[: cut.rfind(" ")].rstrip(",;:") + " …"


def _label_name(label: str) -> str:
    return label.strip().rstrip(":").strip().rsplit("]", 1)[-1].strip()
