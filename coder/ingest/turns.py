"""Find speaker turns in plain text.

Transcripts written by people and by transcription services label speakers
in a handful of shapes (``Name: text``, ``Q:``/``A:``, ``[00:01:02] Name:``,
Rev's ``Name (00:01:02):`` line, Otter's ``Name  0:03`` line). This module
recognises them in one linear pass over the lines, with a frequency guard so
that header lines such as ``Date: 14 March 2013`` or a lone ``Note:`` do not
become speakers. The same engine is reused for .docx/.odt/.rtf paragraphs,
where structural labels (bold runs, table cells) can be supplied up front.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coder.ingest.records import Turn

MAX_NAME_CHARS = 40

# h:mm:ss, mm:ss or m:ss, optionally with a fraction of a second.
TIMESTAMP = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?"
# 1-4 words; the first starts with a letter (so "10:30" is never a name).
NAME = r"[^\W\d_][\w'’.\-]*(?:[ \t][\w'’.\-]+){0,3}"

_INLINE_LABEL = re.compile(
    rf"""
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
    """,
    re.VERBOSE,
)
_OTTER_LABEL = re.compile(rf"[ \t]*(?P<name>{NAME})[ \t]{{2,}}(?P<ts>{TIMESTAMP})[ \t]*$")

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


def match_label(line: str, offset: int = 0) -> LabelHit | None:
    """Recognise a speaker label at the start of one line.

    Args:
        line: One line of text (no ``"\\n"``).
        offset: Absolute offset of ``line`` in the document, added to
            ``content_start``.

    Returns:
        The label, or None when the line does not start with one.
    """
    if ":" not in line and "：" not in line:
        return None
    m = _INLINE_LABEL.match(line)
    if m is not None:
        name = m.group("name")
        if len(name) > MAX_NAME_CHARS:
            return None
        if m.group("ts3"):
            return LabelHit(name, offset + m.end(), parse_timestamp(m.group("ts3")), shape="rev")
        ts = m.group("ts1") or m.group("ts2")
        if ts:
            return LabelHit(name, offset + m.end(), parse_timestamp(ts), shape="stamped")
        return LabelHit(name, offset + m.end(), None)
    m = _OTTER_LABEL.match(line)
    if m is not None:
        name = m.group("name")
        if len(name) > MAX_NAME_CHARS:
            return None
        return LabelHit(name, offset + len(line), parse_timestamp(m.group("ts")), shape="otter")
    return None


def accept_labels(hits: Sequence[LabelHit]) -> list[bool]:
    """Apply the false-positive guard to label candidates, in document order.

    A label is accepted when it is forced, or when the same name (case
    folded) labels at least two lines. When the document has at least two
    such repeated names it is clearly a dialogue, and a name used only once
    is accepted too, provided it comes after the dialogue has started (so a
    ``Date:`` header stays a header), has the same shape as the repeated
    labels (so ``Welcome: ...`` inside an Otter transcript stays text), has
    no word starting with a lower-case letter, and is not a header word.
    """
    counts: dict[str, int] = {}
    keys = [hit.name.casefold() for hit in hits]
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    dialogue = sum(1 for count in counts.values() if count >= 2) >= 2
    shapes = {hit.shape for hit, key in zip(hits, keys, strict=True) if counts[key] >= 2}
    started = False
    result: list[bool] = []
    for hit, key in zip(hits, keys, strict=True):
        if hit.forced or counts[key] >= 2:
            started = True
            result.append(True)
        else:
            result.append(
                dialogue
                and started
                and hit.shape in shapes
                and key not in HEADER_WORDS
                and not any(word[0].islower() for word in hit.name.split())
            )
    return result


def find_turns(text: str, structural: Mapping[int, LabelHit] | None = None) -> tuple[Turn, ...]:
    """Split text into speaker turns.

    The text is scanned once, line by line. A line starting with an accepted
    label opens a turn whose utterance begins after the label; following
    lines without a label (including later paragraphs) continue it, and the
    turn ends at the last non-blank line before the next label. Lines before
    the first label belong to no turn. If no label is accepted at all, each
    blank-line separated paragraph becomes a turn with speaker None.

    Args:
        text: Normalised text (``"\\n"`` line endings).
        structural: Labels already known from document structure, keyed by
            the absolute offset of the line they start; these lines are not
            matched against the text patterns.

    Returns:
        The turns, sorted and non-overlapping.
    """
    starts: list[int] = []  # first non-blank char of each non-blank line
    ends: list[int] = []  # end of each non-blank line, trailing spaces excluded
    gap_before: list[bool] = []  # a blank line precedes this line
    hit_lines: list[int] = []
    hits: list[LabelHit] = []
    pos = 0
    size = len(text)
    blank_seen = False
    while pos <= size:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = size
        line = text[pos:nl]
        stripped = line.rstrip()
        if stripped:
            hit = structural.get(pos) if structural else None
            if hit is None:
                hit = match_label(stripped, pos)
            if hit is not None:
                hit_lines.append(len(starts))
                hits.append(hit)
            starts.append(pos + len(stripped) - len(stripped.lstrip()))
            ends.append(pos + len(stripped))
            gap_before.append(blank_seen)
            blank_seen = False
        else:
            blank_seen = True
        pos = nl + 1

    labels: dict[int, LabelHit] = {}
    for index, hit, ok in zip(hit_lines, hits, accept_labels(hits), strict=True):
        if ok:
            labels[index] = hit
    if not labels:
        return _paragraph_turns(starts, ends, gap_before)
    return _labelled_turns(text, starts, ends, labels)


def _paragraph_turns(
    starts: list[int], ends: list[int], gap_before: list[bool]
) -> tuple[Turn, ...]:
    """One speaker-less turn per blank-line separated paragraph."""
    turns: list[Turn] = []
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if i == 0 or gap_before[i]:
            turns.append(Turn(None, start, end, None))
        else:
            last = turns[-1]
            turns[-1] = Turn(None, last.start, end, None)
    return tuple(turns)


def _labelled_turns(
    text: str, starts: list[int], ends: list[int], labels: dict[int, LabelHit]
) -> tuple[Turn, ...]:
    """Build turns from accepted labels; unlabelled lines continue a turn."""
    turns: list[Turn] = []
    speaker: str | None = None
    stamp: float | None = None
    start = -1  # -1: current turn has no utterance yet
    end = -1
    open_turn = False
    for i, (line_start, line_end) in enumerate(zip(starts, ends, strict=True)):
        hit = labels.get(i)
        if hit is not None:
            if open_turn and start >= 0:
                turns.append(Turn(speaker, start, end, stamp))
            open_turn = True
            speaker = hit.name.strip()
            stamp = hit.timestamp
            start = end = -1
            content = hit.content_start
            while content < line_end and text[content].isspace():
                content += 1
            if content < line_end:
                start, end = content, line_end
        elif open_turn:
            if start < 0:
                start = line_start
            end = line_end
    if open_turn and start >= 0:
        turns.append(Turn(speaker, start, end, stamp))
    return tuple(turns)
