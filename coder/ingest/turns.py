"""Find speaker turns in plain text.

Transcripts written by people and by transcription services label speakers
in a handful of shapes (``Name: text``, ``Q:``/``A:``, ``[00:01:02] Name:``,
Rev's ``Name (00:01:02):`` line, Otter's ``Name  0:03`` line). This module
recognises them in one linear regex scan of the text, with a frequency guard so
that header lines such as ``Date: 14 March 2013`` or a lone ``Note:`` do not
become speakers. The same engine is reused for .docx/.odt/.rtf paragraphs,
where structural labels (bold runs, table cells) can be supplied up front.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coder.vocab.transcript import Turn

MAX_NAME_CHARS = 40

# h:mm:ss, mm:ss or m:ss, optionally with a fraction of a second.
TIMESTAMP = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?"
# 1-4 words; the first starts with a letter (so "10:30" is never a name).
NAME = r"[^\W\d_][\w'’.\-]*(?:[ \t][\w'’.\-]+){0,3}"

_INLINE_BODY = rf"""
    [ \t]*
    (?:
        [\[(](?P<ts1>{TIMESTAMP})[\])][ \t]*   # [00:01:02] Name:  (00:01:02) Name:
      | (?P<ts2>{TIMESTAMP})[ \t]+             # 00:01:02 Name:
    )?
    (?:\*\*|__)?                               # markdown bold around the name
    (?P<name>{NAME})
    (?:[ \t]*[\[(](?P<ts3>{TIMESTAMP})[\])])?  # Rev: Name (00:01:02):
    [ \t]*(?:\*\*|__)?[ \t]*[:：](?:\*\*|__)?
    (?=\s|$)                                   # not "http://", not "10:30"
    [ \t]*
"""
# Otter: "Name  0:03" alone on its line (two or more spaces before the time).
_OTTER_BODY = rf"[ \t]*(?P<oname>{NAME})[ \t]{{2,}}(?P<ots>{TIMESTAMP})[ \t]*$"
# One line on its own (used for docx bold labels and tests).
_LINE_LABEL = re.compile(rf"(?:{_INLINE_BODY})|(?:{_OTTER_BODY})", re.VERBOSE)
# Every label line of a whole document, found by one C-level scan.
_SCAN = re.compile(rf"^(?:(?:{_INLINE_BODY})|(?:{_OTTER_BODY}))", re.VERBOSE | re.MULTILINE)
# Separators between paragraphs: a newline then one or more blank lines.
_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")

# Labels that are almost always document metadata, never speakers. They are
# still accepted when repeated (the guard's first rule), but a single use is
# never promoted to a speaker.
HEADER_WORDS = frozenset(
    {
        "date", "time", "location", "place", "venue", "duration", "length",
        "subject", "title", "topic", "project", "file", "filename", "re",
        "note", "notes", "nb", "source", "url", "email", "e-mail", "tel",
        "phone", "page", "participants", "attendees", "present", "recorded",
        "audio", "transcribed by", "transcript", "keywords", "tags", "ps",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class LabelHit:
    """A candidate speaker label found at the start of one line.

    Attributes:
        name: The speaker name as written.
        content_start: Absolute offset where the utterance would begin (after
            the label and following spaces); may equal the line end when the
            utterance is on the following lines.
        timestamp: Seconds, when the label carries a time.
        forced: True for labels known from document structure (e.g. a
            transcript table with a header row); they skip the guard.
        shape: Which label shape matched ("inline", "stamped", "rev",
            "otter", "bold", "table", "caption"); a name used once is only
            accepted in the shape the document's repeated labels use.
    """

    name: str
    content_start: int
    timestamp: float | None
    forced: bool = False
    shape: str = "inline"


def parse_timestamp(value: str) -> float:
    """Convert ``h:mm:ss``, ``mm:ss`` (optional ``.fff``/``,fff``) to seconds.

    Args:
        value: A string matching :data:`TIMESTAMP`.

    Returns:
        The time in seconds.
    """
    seconds = 0.0
    for part in value.replace(",", ".").split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def _hit(m: re.Match[str], offset: int) -> LabelHit | None:
    """Turn a match of the label patterns into a LabelHit (None if too long). Names are
    interned: a long transcript repeats a few names tens of thousands of times."""
    name = m.group("name")
    if name is None:
        name = sys.intern(m.group("oname"))
        if len(name) > MAX_NAME_CHARS:
            return None
        return LabelHit(name, offset + m.end(), parse_timestamp(m.group("ots")), shape="otter")
    if len(name) > MAX_NAME_CHARS:
        return None
    name = sys.intern(name)
    if m.group("ts3"):
        return LabelHit(name, offset + m.end(), parse_timestamp(m.group("ts3")), shape="rev")
    ts = m.group("ts1") or m.group("ts2")
    if ts:
        return LabelHit(name, offset + m.end(), parse_timestamp(ts), shape="stamped")
    return LabelHit(name, offset + m.end(), None)


def match_label(line: str, offset: int = 0) -> LabelHit | None:
    """Recognise a speaker label at the start of one line.

    Args:
        line: One line of text (no ``"\\n"``).
        offset: Absolute offset of ``line`` in the document, added to
            ``content_start``.

    Returns:
        The label, or None when the line does not start with one.
    """
    m = _LINE_LABEL.match(line)
    return _hit(m, offset) if m is not None else None


def accept_labels(hits: Sequence[LabelHit], leading: bool = False) -> list[bool]:
    """Apply the false-positive guard to label candidates, in document order.

    A label is accepted when it is forced, or when the same name (case
    folded) labels at least two lines. When the document has at least two
    such repeated names it is clearly a dialogue, and a name used only once
    is accepted too, provided it comes after the dialogue has started (so a
    ``Date:`` header stays a header), has the same shape as the repeated
    labels (so ``Welcome: ...`` inside an Otter transcript stays text), has
    no word starting with a lower-case letter, and is not a header word.

    A short exchange where no name repeats (``Interviewer:`` then ``Anna:``) is accepted
    whole when `leading` (the text starts with a label) and every candidate passes those
    same tests with one shared shape.
    """
    counts: dict[str, int] = {}
    keys = [hit.name.casefold() for hit in hits]
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    if leading and len(counts) >= 2 and len({hit.shape for hit in hits}) == 1:
        if all(_speakerlike(hit, key) for hit, key in zip(hits, keys, strict=True)):
            return [True] * len(hits)
    dialogue = sum(1 for count in counts.values() if count >= 2) >= 2
    shapes = {hit.shape for hit, key in zip(hits, keys, strict=True) if counts[key] >= 2}
    started = False
    result: list[bool] = []
    for hit, key in zip(hits, keys, strict=True):
        if hit.forced or counts[key] >= 2:
            started = True
            result.append(True)
        else:
            result.append(dialogue and started and hit.shape in shapes and _speakerlike(hit, key))
    return result


def _speakerlike(hit: LabelHit, key: str) -> bool:
    """A name that may be a speaker: not a header word, no word starting in lower case."""
    return key not in HEADER_WORDS and not any(word[0].islower() for word in hit.name.split())


def find_turns(text: str, structural: Mapping[int, LabelHit] | None = None) -> tuple[Turn, ...]:
    """Split text into speaker turns.

    Label lines are found by a single regular-expression scan (linear, in
    C). A line starting with an accepted label opens a turn whose utterance
    begins after the label; following lines without a label (including
    later paragraphs) continue it, and the turn ends at the last non-blank
    line before the next label. Text before the first label belongs to no
    turn. If no label is accepted at all, each blank-line separated
    paragraph becomes a turn with speaker None.

    Args:
        text: Normalised text (``"\\n"`` line endings).
        structural: Labels already known from document structure, keyed by
            the absolute offset of the line they start; these lines are not
            matched against the text patterns.

    Returns:
        The turns, sorted and non-overlapping.
    """
    found: list[tuple[int, LabelHit]] = []
    for m in _SCAN.finditer(text):
        if structural and m.start() in structural:
            continue
        hit = _hit(m, 0)
        if hit is not None:
            found.append((m.start(), hit))
    if structural:
        found.extend(structural.items())
        found.sort(key=lambda item: item[0])
    leading = bool(found) and not text[: found[0][0]].strip()
    flags = accept_labels([hit for _, hit in found], leading)
    accepted = [item for item, ok in zip(found, flags, strict=True) if ok]
    if not accepted:
        return _paragraph_turns(text)
    return _labelled_turns(text, accepted)


def _span(text: str, start: int, stop: int) -> tuple[int, int] | None:
    """Stripped bounds of ``text[start:stop]``, or None if it is blank."""
    segment = text[start:stop]
    body = segment.lstrip()
    if not body:
        return None
    first = start + len(segment) - len(body)
    return first, first + len(body.rstrip())


def _paragraph_turns(text: str) -> tuple[Turn, ...]:
    """One speaker-less turn per blank-line separated paragraph."""
    turns: list[Turn] = []
    pos = 0
    for m in _BLANK_LINES.finditer(text):
        span = _span(text, pos, m.start())
        if span is not None:
            turns.append(Turn(None, span[0], span[1], None))
        pos = m.end()
    span = _span(text, pos, len(text))
    if span is not None:
        turns.append(Turn(None, span[0], span[1], None))
    return tuple(turns)


def _labelled_turns(text: str, labels: list[tuple[int, LabelHit]]) -> tuple[Turn, ...]:
    """Each accepted label owns the text up to the next label's line."""
    turns: list[Turn] = []
    for index, (_, hit) in enumerate(labels):
        stop = labels[index + 1][0] if index + 1 < len(labels) else len(text)
        span = _span(text, hit.content_start, stop)
        if span is not None:
            turns.append(Turn(hit.name.strip(), span[0], span[1], hit.timestamp))
    return tuple(turns)
