"""Bringing transcripts into a project, and reading them back.

Each file is parsed first (outside any transaction) and then stored in one transaction: the
source row and all its speaker turns land together or not at all. A file whose normalised text
is already in the project (same sha256) is reported as a duplicate and not stored twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from coder.db.bulk import insert_rows, large_text
from coder.db.models import Case, Coding, Organisation, Source, Turn
from coder.db.retry import retry_writes
from coder.errors import UserError
from coder.ingest import IngestError, Limits, ParsedSource
from coder.ingest import Turn as IngestTurn
from coder.ingest.charset import encoding_label
from coder.ingest.media import MediaError, MediaFacts, overrun, read_media, sibling_media
from coder.services.project.store import Project
from coder.services.project.whose import Coders, coded_by
from coder.services.sources.media_store import put_media, stored_path
from coder.vocab.dto import ImportOutcome, SourceInfo, SourceText
from coder.vocab.media import media_kind
from coder.vocab.pieces import count_words as count_words  # the import paths' one word count
from coder.vocab.pieces import utf8_sha256
from coder.vocab.turns import clock, coverage_chars, is_interviewer

ProgressFn = Callable[[int, int, ImportOutcome], None]


class SourceError(UserError):
    """A user-facing problem finding a source (one line)."""


TURNS = cast(Table, Turn.__table__)
TURN_COLUMNS = ("source_id", "position", "speaker", "start_pos", "end_pos", "timestamp")
"""A turn row as insert_turns stores it: the source, the turn's place in it, then the turn."""


def text_sha256(text: str) -> str:
    """The SHA-256 of the text's UTF-8, the key that finds a source's duplicates."""
    return utf8_sha256(text)


_PLAIN = (None, "", "utf-8", "utf-8-sig", "ascii")


def _unique_name(s: Session, stem: str) -> str:
    name, n = stem, 2
    while s.scalar(select(Source.id).where(Source.name == name)) is not None:
        name = f"{stem} ({n})"
        n += 1
    return name


@retry_writes
def store_parsed(
    project: Project,
    parsed: ParsedSource,
    *,
    name: str,
    filename: str,
    case_id: int | None = None,
    media: tuple[str, MediaFacts] | None = None,
) -> ImportOutcome:
    """Store one parsed transcript in one transaction (or report it as a duplicate), with
    its recording (`media`: stored path and facts) when one was found beside it."""
    with project.transaction() as s:
        outcome = add_parsed(s, parsed, name=name, filename=filename, case_id=case_id)
        if media is not None and outcome.source_id is not None:
            put_media(s, outcome.source_id, media[0], media[1])
        return outcome


def add_parsed(
    s: Session, parsed: ParsedSource, *, name: str, filename: str, case_id: int | None = None
) -> ImportOutcome:
    """Add one parsed transcript and its turns inside the caller's transaction (or report it
    as a duplicate of a source already there)."""
    digest = text_sha256(parsed.text)
    dup = s.scalar(select(Source.name).where(Source.sha256 == digest))
    if dup is not None:
        return ImportOutcome(filename, "duplicate", f"same text as source {dup!r}")
    words = count_words(parsed.text)
    src = add_source(
        s,
        parsed.text,
        parsed.turns,
        name=_unique_name(s, name),
        filename=filename,
        format=parsed.format,
        encoding=parsed.encoding,
        sha256=digest,
        words=words,
        case_id=case_id,
    )
    note = "" if parsed.encoding in _PLAIN else f"read as {encoding_label(parsed.encoding)}"
    return ImportOutcome(filename, "imported", note, src.id, words, len(parsed.turns))


def add_source(s: Session, text: str, turns: Sequence[IngestTurn], **columns: Any) -> Source:
    """Store a new source's row (`text` and the other `columns`), then its turns and lemma
    cache (`insert_turns`), inside the caller's transaction; returns the row. A large text
    reaches SQLite without a copy of it left behind there (coder.db.bulk.large_text)."""
    with large_text(s, text) as value:
        src = Source(text=value, **columns)
        s.add(src)
        s.flush()
    set_committed_value(src, "text", text)  # the flush expired it: no need to read it back
    insert_turns(s, src.id, turns)
    return src


def insert_turns(
    s: Session, source_id: int, turns: Sequence[IngestTurn], *, lemmas: bool = True
) -> None:
    """Store a source's speaker turns in one batch, and its words' lemmas for word frequency
    (the lemma cache), inside the caller's transaction. Every import path (files, surveys,
    REFI-QDA, team merges) stores a new source's turns here, right after its row.

    With `lemmas=False` the cache row is left for the first word count to make
    (coder.services.analysis.lemma_cache.fresh_blobs): a whole-project import, where
    lemmatising ten million words would be most of the wait, uses it."""
    # coder.db.bulk.insert_rows: the ORM's bulk path would ask for every new id back, and
    # Core's executemany costs more per row than the rows themselves on a big import.
    insert_rows(
        s.connection(),
        TURNS,
        TURN_COLUMNS,
        [(source_id, i, t.speaker, t.start, t.end, t.timestamp) for i, t in enumerate(turns)],
    )
    if not lemmas:
        return
    from coder.services.analysis.lemma_cache import store_lemmas

    src = s.get_one(Source, source_id)  # just added: from the session, not the database
    spans = [(t.start, t.end, is_interviewer(t.speaker)) for t in turns]
    store_lemmas(s, source_id, src.text, src.sha256, spans)


def shown_name(name: str) -> str:
    """A file name as text that can be stored and printed: bytes that are not UTF-8 (kept by
    Python as lone surrogates) become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _beside(
    project: Project, path: Path, parsed: ParsedSource
) -> tuple[tuple[str, MediaFacts] | None, str]:
    """The recording with the transcript's stem beside it, if any, and what to say about it."""
    found = sibling_media(path)
    if found is None:
        return None, ""
    try:
        facts = read_media(found)
    except MediaError as exc:
        return None, f"recording {found.name} not attached: {str(exc).removeprefix(f'{found}: ')}"
    stamps = [t.timestamp for t in parsed.turns if t.timestamp is not None]
    said = f"recording {found.name} attached"
    if facts.duration is not None:
        said += f" ({clock(facts.duration)})"
    late = overrun(facts.duration, max(stamps) if stamps else None)
    extra = "; ".join(x for x in (facts.note, late and f"warning: {late}") if x)
    return (stored_path(project, found), facts), f"{said}; {extra}" if extra else said


def import_files(
    project: Project,
    paths: Iterable[Path],
    *,
    limits: Limits | None = None,
    progress: ProgressFn | None = None,
) -> list[ImportOutcome]:
    """Import transcripts one transaction per file; failures are reported, not raised.

    A recording given beside its transcript (`coder import p.coder P03.*`) is not a file to
    import: it is left out here and linked when its transcript is stored."""
    from coder.ingest.reader import read_source  # the readers, only when files are read

    given = list(paths)
    stems = {p.with_suffix("") for p in given if media_kind(p) is None}
    paths = [p for p in given if media_kind(p) is None or p.with_suffix("") not in stems]
    outcomes: list[ImportOutcome] = []
    for i, path in enumerate(paths, 1):
        try:
            if media_kind(path) is not None:
                raise IngestError(
                    "a recording, not a transcript: link it to its transcript with "
                    "coder media attach PROJECT SOURCE FILE"
                )
            parsed = read_source(path, limits or Limits())
            stem, name = shown_name(path.stem), shown_name(path.name)
            media, note = _beside(project, path, parsed)
            outcome = store_parsed(
                project, parsed, name=stem[:400], filename=name[:400], media=media
            )
            if note and outcome.status == "imported":
                joined = "; ".join(x for x in (outcome.message, note) if x)
                outcome = dataclasses.replace(outcome, message=joined)
        except IngestError as exc:
            outcome = ImportOutcome(shown_name(str(path)), "failed", str(exc))
        outcomes.append(outcome)
        if progress is not None:
            progress(i, len(paths), outcome)
    return outcomes


def covered_chars(
    s: Session, source_ids: Sequence[int] | None = None, coders: Coders = None
) -> dict[int, int]:
    """Characters covered by at least one coding (by `coders` only, when given), per coded
    source (union of intervals, vocab.turns.coverage_chars's rule).

    For a few sources the spans are fetched and merged here. For every source of the study
    (the sources list's %, on opening) the union is worked out in SQL and one row per source
    comes back: taken in order of start, a coding adds the characters it covers beyond the
    furthest end of the codings before it (a window function). On a study of 200,000 codings
    fetching every span cost 0.27 s of CPU, most of it turning rows into Python objects under
    the interpreter's lock while the workspace was drawing; in SQL it is 0.2 s, and SQLite's
    share leaves the lock free. (For one source the plain query is quicker: 0.6 ms, not 1.3.)
    """
    if source_ids is None:
        return _covered_in_sql(s, coders)
    q = select(Coding.source_id, Coding.start, Coding.end).where(coded_by(coders))
    q = q.where(Coding.source_id.in_(list(source_ids)))
    spans: dict[int, list[tuple[int, int]]] = {}
    for sid, start, end in s.execute(q):
        spans.setdefault(sid, []).append((start, end))
    return {sid: coverage_chars(found) for sid, found in spans.items()}


def _covered_in_sql(s: Session, coders: Coders) -> dict[int, int]:
    reach = (
        func.max(Coding.end)
        .over(
            partition_by=Coding.source_id,
            order_by=Coding.start,  # ties in any order: the union is the same
            rows=(None, -1),
        )
        .label("reach")
    )
    sub = select(Coding.source_id, Coding.start, Coding.end, reach).where(coded_by(coders))
    spans = sub.subquery()
    begin = case((spans.c.reach > spans.c.start, spans.c.reach), else_=spans.c.start)
    added = case((spans.c.end > begin, spans.c.end - begin), else_=0)
    q = select(spans.c.source_id, func.sum(added)).group_by(spans.c.source_id)
    return {sid: int(n or 0) for sid, n in s.execute(q)}


def _info_query() -> Any:
    return (
        select(
            Source.id,
            Source.guid,
            Source.name,
            Source.filename,
            Source.format,
            Source.words,
            func.length(Source.text),
            Source.case_id,
            Case.name,
            Organisation.name,
            Source.imported_at,
        )
        .outerjoin(Case, Case.id == Source.case_id)
        .outerjoin(Organisation, Organisation.id == Case.organisation_id)
    )


def _row_info(r: Sequence[Any], coverage: dict[int, int]) -> SourceInfo:
    return SourceInfo(
        id=r[0],
        guid=r[1],
        name=r[2],
        filename=r[3],
        format=r[4],
        words=r[5],
        chars=r[6] or 0,
        case_id=r[7],
        case_name=r[8],
        organisation=r[9],
        imported_at=r[10],
        coded_chars=coverage.get(r[0], 0),
    )


def list_sources(project: Project) -> list[SourceInfo]:
    """Every source without its text, ordered by organisation, participant and name."""
    with project.reading() as s:
        coverage = covered_chars(s)
        rows = s.execute(_info_query().order_by(Source.name))
        infos = [_row_info(tuple(r), coverage) for r in rows]
    return sorted(infos, key=lambda i: (i.organisation or "~", i.case_name or "~", i.name))


def turn_counts(project: Project) -> dict[int, int]:
    """How many speaker turns each source has, by source id (a source without turns is left
    out)."""
    with project.reading() as s:
        rows = s.execute(select(Turn.source_id, func.count()).group_by(Turn.source_id))
        return {sid: int(n) for sid, n in rows}


def find_source(project: Project, ref: str | int) -> SourceInfo:
    """A source by id, GUID, name or original file name, or by its participant's name when
    that participant has exactly one source."""
    with project.reading() as s:
        q = _info_query()
        text = str(ref)
        if text.isdigit():
            row = s.execute(q.where(Source.id == int(text))).first()
        else:
            row = None
        for col in (Source.name, Source.guid, Source.filename):
            if row is None:
                row = s.execute(q.where(col == text)).first()
        if row is None:
            rows = s.execute(q.where(Case.name == text).limit(2)).all()
            if len(rows) > 1:
                raise SourceError(
                    f"participant {text!r} has several sources; name one of them "
                    "(coder sources lists them)"
                )
            row = rows[0] if rows else None
        if row is None:
            raise SourceError(f"no source named {text!r}")
        return _row_info(tuple(row), covered_chars(s, [row[0]]))


def get_source(project: Project, source_id: int) -> SourceText:
    """A source with its full text and turns."""
    with project.reading() as s:
        row = s.execute(_info_query().where(Source.id == source_id)).first()
        if row is None:
            raise SourceError(f"source {source_id} does not exist")
        info = _row_info(tuple(row), covered_chars(s, [source_id]))
        text = s.scalar(select(Source.text).where(Source.id == source_id)) or ""
        turns = tuple(
            IngestTurn(t.speaker, t.start, t.end, t.timestamp)
            for t in s.scalars(
                select(Turn).where(Turn.source_id == source_id).order_by(Turn.position)
            )
        )
        return SourceText(info, text, turns)


@retry_writes
def rename_source(project: Project, source_id: int, name: str) -> SourceInfo:
    with project.transaction() as s:
        src = s.get(Source, source_id)
        if src is None:
            raise SourceError(f"source {source_id} does not exist")
        clean = " ".join(name.split())
        if not clean:
            raise SourceError("a source needs a name")
        if s.scalar(select(Source.id).where(Source.name == clean, Source.id != source_id)):
            raise SourceError(f"there is already a source named {clean!r}")
        src.name = clean
    return find_source(project, source_id)
