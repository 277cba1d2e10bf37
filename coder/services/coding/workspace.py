"""What the coding workspace needs from the store, fetched in the shape each screen draws.

The general services answer general questions (a source with its coverage, the code tree with
every count). The workspace has tighter budgets: it must be interactive within a second on a
study of 200,000 codings, and redraw within a frame after each coding. So it asks for less at a
time: names first and counts later, counts for one code after it was used, one page of
retrieved passages with their context cut in SQL. It also owns the text units the researcher
moves by (words, sentences, paragraphs, turns), which are pure functions of the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import case, exists, func, select

from coder.db.models import Case, Code, Coder, Coding, Organisation, Source, Turn
from coder.services.codebook.notes import notes_in
from coder.services.codebook.questions import question_groups
from coder.services.codebook.reading import code_tree, count_codes
from coder.services.coding.codings import codings_for_source
from coder.services.project.settings import Key, get_setting, put_setting
from coder.services.project.store import Project
from coder.services.project.whose import Coders, coded_by
from coder.services.sources.media import media_of
from coder.services.sources.transcripts import covered_chars, get_source
from coder.vocab.dto import CodeCounts, CodeNode, CodingInfo, MemoInfo, Passage, SourceText

Span = tuple[int, int]

# The word pattern of coder.suggest.nlp.words (a test checks they agree), repeated here so
# that opening the workspace does not wait for spaCy to import.
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """A source as the sidebar lists it: no text, no counts (those come separately)."""

    id: int
    name: str
    case_id: int | None
    case_name: str | None
    organisation: str | None
    words: int


@dataclass(frozen=True, slots=True)
class TextUnits:
    """The spans a researcher moves and selects by, each sorted by start."""

    words: tuple[Span, ...]
    sentences: tuple[Span, ...]
    paragraphs: tuple[Span, ...]
    turns: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """Everything the transcript pane draws for one source."""

    source: SourceText
    codings: tuple[CodingInfo, ...]
    units: TextUnits
    recording: str | None = None  # the linked recording's file name, when there is one
    notes: tuple[MemoInfo, ...] = ()  # notes on uncoded text, in text order
    # A survey source: where each question's part of the text starts, and the id of that
    # question's group theme (None when it has none); see services/codebook/questions.
    questions: tuple[tuple[int, int | None], ...] = ()


# --- text units ---------------------------------------------------------------------------

_ABBREV = frozenset("mr mrs ms dr prof st vs etc e.g i.e cf approx no jr sr".split())
_SENT_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")
_PARA = re.compile(r"[^\n]+")


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentences_in(text: str, start: int, end: int, out: list[Span]) -> None:
    """Split text[start:end] (one paragraph) into sentences by end punctuation."""
    begin = start
    for m in _SENT_END.finditer(text, start, end):
        stop = m.end()
        if m.group()[0] == ".":
            prev = text[max(begin, m.start() - 5) : m.start()].split()
            if prev and prev[-1].lower().rstrip(".") in _ABBREV:
                continue
        s, e = _trim(text, begin, stop)
        if s < e:
            out.append((s, e))
        begin = stop
    s, e = _trim(text, begin, end)
    if s < e:
        out.append((s, e))


def text_units(text: str, turns: Sequence[Span] = ()) -> TextUnits:
    """Words, sentences, paragraphs and turns of a transcript.

    A paragraph is a line of text clipped to the turn it belongs to, so a speaker label
    before a turn is never part of a paragraph or sentence when turns are known.

    Args:
        text: the source text.
        turns: (start, end) of each speaker turn, in order.
    """
    turn_spans = tuple(sorted((int(s), int(e)) for s, e in turns if e > s))
    turn_starts = [s for s, _ in turn_spans]
    paragraphs: list[Span] = []
    for m in _PARA.finditer(text):
        s, e = m.start(), m.end()
        k = bisect.bisect_right(turn_starts, e - 1) - 1
        if k >= 0 and turn_spans[k][0] > s and turn_spans[k][0] < e:
            s = turn_spans[k][0]  # drop the "Speaker: " label before the turn
        s, e = _trim(text, s, e)
        if s < e:
            paragraphs.append((s, e))
    sentences: list[Span] = []
    for s, e in paragraphs:
        _sentences_in(text, s, e, sentences)
    # Words only inside paragraphs, so a selection never grows into a hidden speaker label.
    words: list[Span] = []
    for s, e in paragraphs:
        words.extend((m.start(), m.end()) for m in WORD.finditer(text, s, e))
    return TextUnits(tuple(words), tuple(sentences), tuple(paragraphs), turn_spans)


def unit_at(spans: Sequence[Span], offset: int) -> int:
    """Index of the span containing `offset`, else of the last span starting before it (or 0)."""
    if not spans:
        return -1
    k = bisect.bisect_right(spans, (offset, 1 << 62)) - 1
    return max(0, k)


# --- reading ------------------------------------------------------------------------------


def list_source_entries(project: Project) -> list[SourceEntry]:
    """Every source with its participant and organisation, without text or counts."""
    with project.reading() as s:
        rows = s.execute(
            select(
                Source.id, Source.name, Source.case_id, Case.name, Organisation.name, Source.words
            )
            .outerjoin(Case, Case.id == Source.case_id)
            .outerjoin(Organisation, Organisation.id == Case.organisation_id)
        ).all()
    entries = [SourceEntry(r[0], r[1], r[2], r[3], r[4], r[5] or 0) for r in rows]
    return sorted(entries, key=lambda e: (e.organisation or "~", e.case_name or "~", e.name))


def source_coverage(
    project: Project, source_ids: Sequence[int] | None = None, coders: Coders = None
) -> dict[int, float]:
    """Fraction of each source's characters covered by at least one coding (of `coders`)."""
    with project.reading() as s:
        q = select(Source.id, func.length(Source.text))
        if source_ids is not None:
            q = q.where(Source.id.in_(list(source_ids)))
        chars = {r[0]: r[1] or 0 for r in s.execute(q)}
        covered = covered_chars(s, source_ids, coders)
    return {sid: (covered.get(sid, 0) / n if n else 0.0) for sid, n in chars.items()}


def codebook(project: Project) -> tuple[CodeNode, ...]:
    """The code tree without counts: cheap enough to draw before anything else."""
    return code_tree(project, counts=False)


def code_counts(project: Project, code_ids: Sequence[int] | None = None) -> dict[int, CodeCounts]:
    """Codings, participants and sources per code (all codes, or only `code_ids`)."""
    with project.reading() as s:
        return count_codes(s, code_ids)


def rollup_counts(project: Project, coders: Sequence[str] | None = None) -> dict[int, CodeCounts]:
    """For every code with sub-codes: codings, distinct participants and distinct sources of
    the code and all codes under it (a theme's tree row shows these, not its own zero), by the
    named coders only (None: everyone)."""
    from sqlalchemy import func, select

    from coder.db.models import Code, Coder, Coding, Source

    with project.reading() as s:
        parent: dict[int, int | None] = {
            i: p for i, p in s.execute(select(Code.id, Code.parent_id))
        }
        case_of: dict[int, int | None] = {
            i: c for i, c in s.execute(select(Source.id, Source.case_id))
        }
        query = select(Coding.code_id, Coding.source_id, func.count(Coding.id)).group_by(
            Coding.code_id, Coding.source_id
        )
        if coders is not None:
            query = query.join(Coder, Coder.id == Coding.coder_id).where(
                Coder.name.in_(list(coders))
            )
        own_codings: dict[int, int] = {}
        own_sources: dict[int, set[int]] = {}
        for code_id, source_id, n in s.execute(query):
            own_codings[code_id] = own_codings.get(code_id, 0) + n
            own_sources.setdefault(code_id, set()).add(source_id)
    # Each used code's totals go to it and to every ancestor: a walk per code, not per row.
    codings: dict[int, int] = {}
    sources: dict[int, set[int]] = {}
    for code_id, n in own_codings.items():
        seen: set[int] = set()
        up: int | None = code_id
        while up is not None and up not in seen:
            seen.add(up)
            codings[up] = codings.get(up, 0) + n
            sources.setdefault(up, set()).update(own_sources[code_id])
            up = parent.get(up)
    themes = {p for p in parent.values() if p is not None}
    out: dict[int, CodeCounts] = {}
    for cid, n in codings.items():
        if cid in themes:
            cases = {case_of.get(sid) for sid in sources[cid]} - {None}
            out[cid] = CodeCounts(n, len(cases), len(sources[cid]))
    return out


def load_source(project: Project, source_id: int, coders: Coders = None) -> SourceDoc:
    """A source's text, turns, codings and text units, for the transcript pane (its notes on
    uncoded text: only those of `coders`, when given, as blind mode asks)."""
    src = get_source(project, source_id)
    codings = tuple(codings_for_source(project, source_id))
    units = text_units(src.text, [(t.start, t.end) for t in src.turns])
    media = media_of(project, source_id)
    questions: tuple[tuple[int, int | None], ...] = ()
    if src.info.format == "survey":
        from coder.ingest.survey import question_starts  # survey sources only

        starts = question_starts(((t.speaker, t.start, t.end) for t in src.turns), src.text)
        with project.reading() as s:
            groups = {q: c.id for q, c in question_groups(s).items()}
        questions = tuple((start, groups.get(q)) for start, q in starts)
    return SourceDoc(
        src,
        codings,
        units,
        Path(media.path).name if media else None,
        tuple(notes_in(project, source_id, coders)),
        questions,
    )


def subtree_ids(nodes: Iterable[CodeNode], code_id: int) -> list[int]:
    """`code_id` and the ids of all its sub-codes, from an already loaded tree."""
    for node in nodes:
        if node.code.id == code_id:
            return [c.id for c in node.walk()]
        found = subtree_ids(node.children, code_id)
        if found:
            return found
    return []


def passage_count(project: Project, code_ids: Sequence[int], coders: Coders = None) -> int:
    """How many codings (by `coders`) the codes have (the length of their retrieval list)."""
    q = select(func.count()).select_from(Coding).where(Coding.code_id.in_(list(code_ids)))
    with project.reading() as s:
        return int(s.scalar(q.where(coded_by(coders))) or 0)


def passage_page(
    project: Project,
    code_ids: Sequence[int],
    *,
    offset: int,
    limit: int,
    context: int = 160,
    coders: Coders = None,
) -> list[Passage]:
    """One page of coded passages (by `coders`), in the same order as
    `coding.passages_for_code`.

    The page's codings are chosen first from narrow columns only; then just those are read
    with their context, which the database cuts (substr), so a page costs the same whatever
    the size of the code or of the transcripts it comes from.
    """
    ids_q = (
        select(Coding.id)
        .join(Source, Source.id == Coding.source_id)
        .where(Coding.code_id.in_(list(code_ids)), coded_by(coders))
        .order_by(Source.name, Coding.start, Coding.id)
        .offset(offset)
        .limit(limit)
    )
    left = case((Coding.start > context, Coding.start - context), else_=0)
    # The speaker of the turn holding the passage's start; a passage starting in a speaker
    # label or a gap belongs to the next turn (as in `coding.passages_for_code`).
    inside = (
        (Turn.source_id == Coding.source_id)
        & (Turn.start <= Coding.start)
        & (Turn.end > Coding.start)
    )
    speaker = case(
        (
            exists().where(inside),
            select(Turn.speaker)
            .where(inside)
            .order_by(Turn.start.desc())
            .limit(1)
            .scalar_subquery(),
        ),
        else_=select(Turn.speaker)
        .where(Turn.source_id == Coding.source_id, Turn.start > Coding.start)
        .order_by(Turn.start)
        .limit(1)
        .scalar_subquery(),
    )
    with project.reading() as s:
        ids = list(s.scalars(ids_q))
        if not ids:
            return []
        q = (
            select(
                Coding,
                Source.name,
                Code.name,
                Code.color,
                Coder.name,
                Case.name,
                func.substr(Source.text, left + 1, Coding.start - left),
                func.substr(Source.text, Coding.end + 1, context),
                speaker,
            )
            .join(Source, Source.id == Coding.source_id)
            .join(Code, Code.id == Coding.code_id)
            .join(Coder, Coder.id == Coding.coder_id)
            .outerjoin(Case, Case.id == Source.case_id)
            .where(Coding.id.in_(ids))
        )
        by_id = {row[0].id: _passage(row) for row in s.execute(q)}
    return [by_id[i] for i in ids if i in by_id]


def _passage(row: Sequence[object]) -> Passage:
    c, source_name, code_name, color, coder, case_name, before, after, speaker = row
    assert isinstance(c, Coding)
    info = CodingInfo(
        id=c.id,
        guid=c.guid,
        source_id=c.source_id,
        source_name=str(source_name),
        code_id=c.code_id,
        code_name=str(code_name),
        code_color=str(color),
        start=c.start,
        end=c.end,
        snippet=c.snippet,
        coder=str(coder),
        created_at=c.created_at,
        memo=c.memo or "",
        exemplar=bool(c.exemplar),
        case_name=None if case_name is None else str(case_name),
    )
    return Passage(
        info, str(before or ""), str(after or ""), None if speaker is None else str(speaker)
    )


# --- small per-project preferences ----------------------------------------------------------


def load_preferences(project: Project) -> tuple[list[int | None], int | None]:
    """The quick-code slots (the code id on each of keys 1–9, None for a free key; an empty
    list when the project never saved any) and the source last open."""
    raw = get_setting(project, Key.QUICK_CODES)
    slots = [int(x) if x.isdigit() else None for x in raw.split(",")] if raw else []
    last = get_setting(project, Key.LAST_SOURCE)
    return slots[:9], int(last) if last.isdigit() else None


def save_quick_codes(project: Project, slots: Sequence[int | None]) -> None:
    """Save the code on each key by position (a free key stays empty, so none shifts)."""
    cells = [str(i) if i is not None else "" for i in slots[:9]]
    put_setting(project, Key.QUICK_CODES, ",".join(cells) or ",")


def save_last_source(project: Project, source_id: int) -> None:
    put_setting(project, Key.LAST_SOURCE, str(source_id))
