"""Headings in a transcript's text: the section a passage is in, as context for suggestions.

Transcripts keep no headings as such: .txt and .md files are stored verbatim, and Word,
OpenDocument and RTF files are rendered to plain paragraphs (their heading styles are not
kept). So headings are found in the text, by shapes a heading has and a passage rarely has:

- a Markdown heading line (`## Team roles`), anywhere;
- a short line standing alone between blank lines (or at the start or end of the text), up
  to MAX_CHARS characters, not ending like a sentence (`.`, `,`, `;`), that is numbered
  (`2.`, `2.1`, `3)`, `IV.`, `B)`), or opens with a numbered section word (`Section 2`,
  `Part II`, `Topic 3`, `Question 4`, `Q4`), or is written in capitals with at least
  MIN_CAPITALS letters (`TEAM ROLES`).

A line that holds a speaker label (a turn by a named speaker starts inside it or right after
it) is never a heading. Short lines in sentence or title case are left alone: in a transcript
without speaker labels they are as often a short answer or a speaker's name as a heading.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_CHARS = 80
MIN_CAPITALS = 4

_MARKDOWN = r"[ \t]{0,3}\#{1,6}[ \t]+(?P<md>[^\n]*?\S)(?:[ \t]+\#+)?"
_NUMBERED = (
    r"(?:\d{1,2}(?:\.\d{1,2})*[.)]|\d{1,2}(?:\.\d{1,2})+|[IVX]{1,5}[.)]|[A-Z][.)])[ \t]+\S"
    r"|(?i:section|part|chapter|topic|theme|question|module|block|q)[ \t]*(?:\d{1,3}|[IVX]{1,5})\b"
)
_CAPITALS = r"[^a-z\n]*[A-Z][^a-z\n]*"
# A line: the newline before it, so that the search skips to newlines (a leading "^" would
# be tried at every character: 10 times slower).
_LINE = re.compile(
    rf"\n(?:{_MARKDOWN}|[ \t]*(?P<plain>(?:{_NUMBERED})[^\n]*|{_CAPITALS}))[ \t]*$",
    re.MULTILINE,
)
_SENTENCE_END = (".", ",", ";")
_SPACES = re.compile(r"\s*")
_NUMBERED_RE = re.compile(_NUMBERED)


def headings(text: str, turns: Sequence[tuple[int, str | None]] = ()) -> list[tuple[int, int]]:
    """(start, end) of each heading's own words in `text`, in order. `turns`: (start,
    speaker) of the text's turns, in order, to keep speaker label lines out."""
    labelled = [s for s, who in turns if who is not None]
    out: list[tuple[int, int]] = []
    for m in _LINE.finditer("\n" + text):  # offsets in text: one less
        start, end = m.start(), m.end() - 1
        if m.group("md") is not None:
            a, b = m.start("md") - 1, m.end("md") - 1
        else:
            a, b = m.start("plain") - 1, m.end("plain") - 1
            b = a + len(text[a:b].rstrip())
            if not _plain_heading(text[a:b]) or not _alone(text, start, end):
                continue
        if _label_line(text, labelled, start, end):
            continue
        out.append((a, b))
    return out


def _plain_heading(line: str) -> bool:
    """A numbered line, or one in capitals, short and not ending like a sentence."""
    if len(line) > MAX_CHARS or line.endswith(_SENTENCE_END):
        return False
    if _NUMBERED_RE.match(line):
        return True
    return line.isupper() and sum(1 for ch in line if ch.isalpha()) >= MIN_CAPITALS


def _alone(text: str, start: int, end: int) -> bool:
    """Whether the line [start, end) has a blank line (or the text's edge) on both sides."""
    if start > 0:
        above = text[text.rfind("\n", 0, start - 1) + 1 : start - 1]
        if above.strip():
            return False
    if end < len(text):
        stop = text.find("\n", end + 1)
        below = text[end + 1 : len(text) if stop < 0 else stop]
        if below.strip():
            return False
    return True


def _label_line(text: str, labelled: list[int], start: int, end: int) -> bool:
    """Whether a turn by a named speaker starts inside the line or right after it (the
    line is then a speaker's label, such as `INTERVIEWER:` with the words below it)."""
    k = bisect.bisect_right(labelled, start)
    if k >= len(labelled):
        return False
    return labelled[k] <= _SPACES.match(text, end).end()  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class TurnSpan:
    start: int
    end: int
    speaker: str | None = None


def context_span(turns: Sequence[TurnSpan], start: int) -> tuple[int, int] | None:
    """The turn before the one holding `start`, by another speaker (usually the question)."""
    if not turns:
        return None
    starts = [t.start for t in turns]
    k = bisect.bisect_right(starts, start) - 1
    if k < 0:
        return None
    own = turns[k].speaker
    for j in range(k - 1, -1, -1):
        if turns[j].speaker != own:
            return turns[j].start, turns[j].end
    return None


QUESTION_CHARS = 600  # the end of a long turn before is what leads into the passage
HEADING_CHARS = 200


class Contexts:
    """The contexts of one source's passages: the last heading before a passage and the turn
    before it by another speaker, as one text (the heading first)."""

    def __init__(self, text: str, turns: Sequence[TurnSpan]) -> None:
        self.text = text
        self.turns = turns
        self.heads = headings(text, [(t.start, t.speaker) for t in turns])
        self._ends = [b for _a, b in self.heads]
        self._starts = [t.start for t in turns]
        # For each turn, the last turn before it by another speaker (-1: none), in one pass:
        # a long run of one speaker's turns is not walked back on every passage.
        self._before: list[int] = []
        for k, t in enumerate(turns):
            if k == 0:
                self._before.append(-1)
            elif turns[k - 1].speaker != t.speaker:
                self._before.append(k - 1)
            else:
                self._before.append(self._before[k - 1])

    def at(self, start: int) -> tuple[str | None, bool]:
        """(context text or None, whether a heading is over the passage at `start`)."""
        k = bisect.bisect_right(self._starts, start) - 1
        j = self._before[k] if k >= 0 else -1
        ctx = (self.turns[j].start, self.turns[j].end) if j >= 0 else None
        question = self.text[ctx[0] : ctx[1]][-QUESTION_CHARS:] if ctx else ""
        k = bisect.bisect_right(self._ends, start) - 1
        heading = ""
        if k >= 0:
            a, b = self.heads[k]
            # Not twice when the heading is inside the turn before (a heading line goes
            # with the turn above it when the speakers are labelled).
            if ctx is None or not (ctx[1] - len(question) <= a and b <= ctx[1]):
                heading = self.text[a:b][:HEADING_CHARS]
        return "\n\n".join(x for x in (heading, question) if x) or None, k >= 0

    def without_headings(self, spans: Sequence[TurnSpan]) -> list[TurnSpan]:
        """The spans with heading lines cut out (a heading is no passage to code; in a
        labelled transcript it sits at the end of the turn above it)."""
        if not self.heads:
            return list(spans)
        out: list[TurnSpan] = []
        for t in spans:
            pos = t.start
            k = bisect.bisect_right(self._ends, t.start)
            while k < len(self.heads) and self.heads[k][0] < t.end:
                a, b = self.heads[k]
                out.extend(_stripped(self.text, pos, _line_start(self.text, a), t.speaker))
                stop = self.text.find("\n", b)
                pos = max(pos, b if stop < 0 else stop)
                k += 1
            out.extend(_stripped(self.text, pos, t.end, t.speaker))
        return out


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _stripped(text: str, start: int, end: int, speaker: str | None) -> list[TurnSpan]:
    piece = text[start:end]
    body = piece.strip()
    if not body:
        return []
    a = start + len(piece) - len(piece.lstrip())
    return [TurnSpan(a, a + len(body), speaker)]
