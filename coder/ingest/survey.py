"""Turn the rows of a survey export into respondents and coded-ready sources (pure).

Survey tools (and NVivo/MAXQDA exports) give one row per respondent: an id column, closed
columns (age, role, country) and open columns holding free-text answers. Reading the file
(CSV encodings, XLSX cells) is the participant-sheet reader's job; this module only takes its
headers and rows, checks them, and builds:

- one respondent per row, with the closed columns as raw attribute strings (typed later by the
  same rules as a participant sheet);
- one source per respondent (or one per answer with ``per_answer=True``) whose text has each
  question before its answer, as two turns:

      Question: How do fans first find your releases?

      R07: Mostly through the band's own posts ...

  The question turn's speaker is ``"Question"``; the answer turn's speaker is the respondent
  id, so every answer is traceable to its respondent in extracts and quote tables, and two
  respondents giving the same short answer still make different texts.

Empty answers are skipped and counted. A missing or repeated column, an empty or duplicate id
is an :class:`IngestError` naming the column or row; nothing is built.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from coder.ingest.render import clean_inline, finalise
from coder.vocab.transcript import IngestError, ParsedSource, Turn

QUESTION_SPEAKER = "Question"
_BLANKS = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")
_TRAILING = re.compile(r"[^\S\n]+\n")


@dataclass(frozen=True, slots=True)
class Respondent:
    """One row: the respondent id, its closed-column values and the row number in the file."""

    id: str
    row: int
    attributes: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class SurveySource:
    """A source to store: its name, the respondent it belongs to, and the parsed text."""

    name: str
    respondent: str
    questions: tuple[str, ...]
    parsed: ParsedSource


@dataclass(frozen=True, slots=True)
class Survey:
    """Everything found in a survey sheet.

    Attributes:
        respondents: One per row, in file order.
        sources: The sources to store, in file order.
        questions: The open columns (as headed in the file).
        attributes: The closed columns that become attributes.
        answers: Non-empty answers kept.
        empty_answers: Empty answer cells skipped.
    """

    respondents: tuple[Respondent, ...]
    sources: tuple[SurveySource, ...]
    questions: tuple[str, ...]
    attributes: tuple[str, ...]
    answers: int
    empty_answers: int


def _column(headers: Sequence[str], wanted: str, role: str) -> str:
    lower = {h.strip().casefold(): h for h in headers if h.strip()}
    found = lower.get(wanted.strip().casefold())
    if found is None:
        shown = ", ".join(h for h in headers if h.strip())
        raise IngestError(f"no column named {wanted!r} for {role} (columns: {shown})")
    return found


def _answer(raw: str) -> str:
    """An answer cell as clean text: newlines kept, runs of blank lines reduced to one."""
    text = clean_inline(raw).strip()
    if "\n" in text:
        text = _BLANKS.sub("\n\n", _TRAILING.sub("\n", text))
    return text


def render_answers(respondent: str, pairs: Sequence[tuple[str, str]]) -> ParsedSource:
    """The text and turns of one source: each question, then the respondent's answer."""
    parts: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for question, answer in pairs:
        for speaker, body in ((QUESTION_SPEAKER, " ".join(question.split())), (respondent, answer)):
            if parts:
                pos += 2
            head = f"{speaker}: "
            parts.append(head + body)
            turns.append(Turn(speaker, pos + len(head), pos + len(head) + len(body), None))
            pos += len(head) + len(body)
    return finalise("\n\n".join(parts), tuple(turns), "survey", None)


def parse_survey(
    headers: Sequence[str],
    rows: Sequence[Mapping[str, str]],
    *,
    id_column: str,
    open_columns: Sequence[str],
    attribute_columns: Sequence[str] | None = None,
    per_answer: bool = False,
    name_prefix: str = "",
    first_row: int = 2,
) -> Survey:
    """Check a survey sheet and build its respondents and sources.

    Args:
        headers: Column names as in the file.
        rows: One mapping (header -> cell text) per data row.
        id_column: The column holding each respondent's id (matched ignoring case).
        open_columns: The free-text question columns, in the order they are asked.
        attribute_columns: The closed columns to keep as attributes; None keeps every column
            that is neither the id nor an open column.
        per_answer: One source per answer instead of one per respondent.
        name_prefix: Put before each source name (e.g. the file stem and a space).
        first_row: File row number of ``rows[0]`` (2 under a header row), for messages.

    Returns:
        The survey.

    Raises:
        IngestError: Unknown or repeated column, no open column, empty or duplicate id.
    """
    if not open_columns:
        raise IngestError("name at least one open (free-text) column")
    id_col = _column(headers, id_column, "the respondent id")
    questions = [_column(headers, c, "an open question") for c in open_columns]
    if attribute_columns is None:
        used = {id_col, *questions}
        attrs = [h for h in headers if h.strip() and h not in used]
    else:
        attrs = [_column(headers, c, "an attribute") for c in attribute_columns]
    roles = [id_col, *questions, *attrs]
    for index, column in enumerate(roles):
        if column in roles[:index]:
            raise IngestError(f"column {column!r} is named twice (as id, open or attribute)")
    seen: dict[str, int] = {}
    respondents: list[Respondent] = []
    sources: list[SurveySource] = []
    kept = empty = 0
    for number, row in enumerate(rows, first_row):
        rid = " ".join(row.get(id_col, "").split())
        if not rid:
            raise IngestError(f"row {number}: the {id_col!r} cell is empty")
        if rid.casefold() in seen:
            raise IngestError(
                f"row {number}: respondent id {rid!r} already used on row {seen[rid.casefold()]}"
            )
        seen[rid.casefold()] = number
        respondents.append(
            Respondent(rid, number, tuple((a, row.get(a, "").strip()) for a in attrs))
        )
        pairs: list[tuple[str, str]] = []
        for question in questions:
            answer = _answer(row.get(question, ""))
            if answer:
                pairs.append((question, answer))
            else:
                empty += 1
        kept += len(pairs)
        if per_answer:
            for question, answer in pairs:
                n = questions.index(question) + 1
                parsed = render_answers(rid, [(question, answer)])
                sources.append(SurveySource(f"{name_prefix}{rid} Q{n}", rid, (question,), parsed))
        elif pairs:
            parsed = render_answers(rid, pairs)
            asked = tuple(q for q, _ in pairs)
            sources.append(SurveySource(f"{name_prefix}{rid}", rid, asked, parsed))
    if not respondents:
        raise IngestError("the sheet has no respondent rows")
    return Survey(tuple(respondents), tuple(sources), tuple(questions), tuple(attrs), kept, empty)


def question_starts(
    turns: Iterable[tuple[str | None, int, int]], text: str
) -> tuple[tuple[int, str], ...]:
    """Where each question of a survey source begins, with the question as asked.

    Everything from one question turn to the next (the question and its answer) belongs to
    that question. `turns` are (speaker, start, end) in text order.
    """
    return tuple(
        (start, " ".join(text[start:end].split()))
        for speaker, start, end in turns
        if speaker == QUESTION_SPEAKER
    )


def question_at(starts: Sequence[tuple[int, str]], offset: int) -> str | None:
    """The question whose part of the text holds `offset` (None before the first one)."""
    index = bisect_right([s for s, _ in starts], offset) - 1
    return starts[index][1] if index >= 0 else None
