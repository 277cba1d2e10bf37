"""Applying and removing codes, coding memos and exemplars, and retrieving coded passages.

Every write is one transaction and one undoable action, committed before the call returns, so
a killed terminal loses nothing. The snippet stored with a coding is always the source text at
its offsets; the offsets are Unicode code points.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coder.db.models import Case, Code, Coder, Coding, Source, Turn, new_guid, utcnow
from coder.db.retry import WriteConflict, gone, retry_writes
from coder.db.upsert import insert_ignore
from coder.errors import UserError
from coder.services.project.history import Recorder
from coder.services.project.store import Project, own_transaction
from coder.services.project.tombstones import bury
from coder.services.project.whose import Coders, coded_by
from coder.vocab.dto import CodingInfo, Passage
from coder.vocab.turns import speaker_at


class CodingError(UserError):
    """A user-facing problem applying or changing a coding (one line)."""


def _coding_query() -> Any:
    return (
        select(Coding, Source.name, Code.name, Code.color, Coder.name, Case.name)
        .join(Source, Source.id == Coding.source_id)
        .join(Code, Code.id == Coding.code_id)
        .join(Coder, Coder.id == Coding.coder_id)
        .outerjoin(Case, Case.id == Source.case_id)
    )


def _to_info(row: Sequence[Any]) -> CodingInfo:
    c, source_name, code_name, color, coder, case = row
    return CodingInfo(
        id=c.id,
        guid=c.guid,
        source_id=c.source_id,
        source_name=source_name,
        code_id=c.code_id,
        code_name=code_name,
        code_color=color,
        start=c.start,
        end=c.end,
        snippet=c.snippet,
        coder=coder,
        created_at=c.created_at,
        memo=c.memo or "",
        exemplar=bool(c.exemplar),
        case_name=case,
    )


def _one(s: Session, coding_id: int) -> CodingInfo:
    row = s.execute(_coding_query().where(Coding.id == coding_id)).one_or_none()
    if row is None:
        raise gone(f"coding {coding_id}")
    return _to_info(tuple(row))


def apply_code_in(
    project: Project,
    s: Session,
    source_id: int,
    start: int,
    end: int,
    code_id: int,
    coder: str | None = None,
    memo: str = "",
) -> CodingInfo:
    """Code text[start:end] of a source as `coder` (default: this user). Each coder's codings
    are their own: another coder's coding of the same span stays theirs and this makes a second
    one; the same coder applying the same code to the same span again gets their existing
    coding back. This form runs inside a transaction the caller holds (so that writes which
    belong with the coding, such as an accepted suggestion's decision, commit together with
    it); `apply_code` is the same in a transaction of its own."""
    source = s.get(Source, source_id)
    if source is None:
        raise gone(f"source {source_id}")
    code = s.get(Code, code_id)
    if code is None:
        raise gone(f"code {code_id}")
    if not code.codable:
        raise CodingError(f"{code.name} only groups sub-codes and is not applied to text")
    text_len = len(source.text)
    if not (0 <= start < end <= text_len):
        raise CodingError(f"span {start}-{end} is outside {source.name} (0-{text_len}) or empty")
    coder_id = project.coder_id(s, coder)
    same = select(Coding.id).where(
        Coding.source_id == source_id,
        Coding.code_id == code_id,
        Coding.start == start,
        Coding.end == end,
        Coding.coder_id == coder_id,
    )
    twin = s.scalar(same)
    if twin is not None:
        return _one(s, twin)
    # The schema keeps one coding per span, code and coder; when another window of the same
    # coder stores it first, this insert does nothing and returns that window's coding.
    new_id = insert_ignore(
        s,
        Coding,
        {
            "guid": new_guid(),
            "source_id": source_id,
            "code_id": code_id,
            "start_pos": start,
            "end_pos": end,
            "snippet": source.text[start:end],
            "coder_id": coder_id,
            "created_at": utcnow(),
            "memo": memo,
            "exemplar": False,
        },
    )
    if new_id is None:
        twin = s.scalar(same)
        assert twin is not None
        return _one(s, twin)
    rec = Recorder(s)
    row = s.get(Coding, new_id)
    assert row is not None
    rec.created([row])
    rec.record(f"code {code.name}")
    return _one(s, new_id)


apply_code = own_transaction(apply_code_in)


def _expected(row: Coding, source_id: int | None, code_id: int | None) -> None:
    """Refuse to act on a coding that no longer is what the caller's window shows."""
    if (source_id is not None and row.source_id != source_id) or (
        code_id is not None and row.code_id != code_id
    ):
        raise WriteConflict(
            f"not saved: coding {row.id} changed since it was shown; refresh and try again"
        )


@retry_writes
def remove_coding(
    project: Project, coding_id: int, *, source_id: int | None = None, code_id: int | None = None
) -> CodingInfo:
    """Remove one coding (undoable). `source_id`/`code_id`, when given, are what the caller
    expects the coding to be; a coding that changed since is left alone."""
    with project.transaction() as s:
        info = _one(s, coding_id)
        row = s.get(Coding, coding_id)
        assert row is not None
        _expected(row, source_id, code_id)
        rec = Recorder(s)
        rec.touch([row])
        bury(s, [row])
        s.delete(row)
        rec.record(f"uncode {info.code_name}")
        return info


@retry_writes
def uncode_span(
    project: Project, source_id: int, start: int, end: int, code_id: int, coders: Coders = None
) -> int:
    """Remove `code_id` from every coding of it that overlaps text[start:end], by `coders`
    only when given (what the window shows: in blind mode a coder never removes codings they
    cannot see). Returns count."""
    with project.transaction() as s:
        if s.get(Source, source_id) is None:
            raise gone(f"source {source_id}")
        if s.get(Code, code_id) is None:
            raise gone(f"code {code_id}")
        rows = list(
            s.scalars(
                select(Coding).where(
                    Coding.source_id == source_id,
                    Coding.code_id == code_id,
                    Coding.start < end,
                    Coding.end > start,
                    coded_by(coders),
                )
            )
        )
        if not rows:
            return 0
        rec = Recorder(s)
        rec.touch(rows)
        bury(s, rows)
        for r in rows:
            s.delete(r)
        name = s.scalar(select(Code.name).where(Code.id == code_id))
        rec.record(f"uncode {name}")
        return len(rows)


@retry_writes
def _edit(
    project: Project,
    coding_id: int,
    label: str,
    expect: tuple[int | None, int | None] = (None, None),
    **values: object,
) -> CodingInfo:
    with project.transaction() as s:
        row = s.get(Coding, coding_id)
        if row is None:
            raise gone(f"coding {coding_id}")
        _expected(row, *expect)
        rec = Recorder(s)
        rec.touch([row])
        for k, v in values.items():
            setattr(row, k, v)
        rec.record(label)
        return _one(s, coding_id)


def set_exemplar(
    project: Project,
    coding_id: int,
    exemplar: bool = True,
    *,
    source_id: int | None = None,
    code_id: int | None = None,
) -> CodingInfo:
    """Mark (or unmark) a coding as an exemplar quote for its code; Table 2 uses these."""
    label = "mark exemplar" if exemplar else "unmark exemplar"
    return _edit(project, coding_id, label, (source_id, code_id), exemplar=exemplar)


def set_coding_memo(
    project: Project,
    coding_id: int,
    memo: str,
    *,
    source_id: int | None = None,
    code_id: int | None = None,
) -> CodingInfo:
    """Replace the memo on one coding (`source_id`/`code_id` as in `remove_coding`)."""
    return _edit(project, coding_id, "coding memo", (source_id, code_id), memo=memo.strip())


def codings_for_source(project: Project, source_id: int) -> list[CodingInfo]:
    """All codings of one source, ordered by position."""
    with project.reading() as s:
        rows = s.execute(
            _coding_query()
            .where(Coding.source_id == source_id)
            .order_by(Coding.start, Coding.end, Coding.id)
        )
        return [_to_info(tuple(r)) for r in rows]


def codings_at(
    project: Project, source_id: int, start: int, end: int | None = None
) -> list[CodingInfo]:
    """Codings that cover offset `start` (or overlap start..end)."""
    stop = start + 1 if end is None or end <= start else end
    with project.reading() as s:
        rows = s.execute(
            _coding_query()
            .where(Coding.source_id == source_id, Coding.start < stop, Coding.end > start)
            .order_by(Coding.start, Coding.id)
        )
        return [_to_info(tuple(r)) for r in rows]


def get_coding(project: Project, coding_id: int) -> CodingInfo:
    with project.reading() as s:
        return _one(s, coding_id)


def count_for_code(project: Project, code_id: int) -> int:
    with project.reading() as s:
        return int(
            s.scalar(select(func.count()).select_from(Coding).where(Coding.code_id == code_id)) or 0
        )


def passages_for_code(
    project: Project,
    code_ids: Sequence[int],
    *,
    context: int = 120,
    offset: int = 0,
    limit: int | None = None,
) -> list[Passage]:
    """Coded passages for codes (in source order), with context and the speaker.

    `offset`/`limit` page through large codes so a retrieval view can show its first screen
    without loading 10,000 passages.
    """
    with project.reading() as s:
        q = (
            _coding_query()
            .where(Coding.code_id.in_(list(code_ids)))
            .order_by(Source.name, Coding.start, Coding.id)
            .offset(offset)
        )
        if limit is not None:
            q = q.limit(limit)
        infos = [_to_info(tuple(r)) for r in s.execute(q)]
        if not infos:
            return []
        source_ids = sorted({i.source_id for i in infos})
        windows: dict[int, list[tuple[int, int]]] = {}
        for i in infos:
            windows.setdefault(i.source_id, []).append((i.start, i.end))
        out: list[Passage] = []
        texts: dict[int, str] = {}
        for sid in source_ids:
            texts[sid] = _context_text(s, sid)
        speakers = _speakers(s, windows)
        for i in infos:
            text = texts[i.source_id]
            out.append(
                Passage(
                    coding=i,
                    before=text[max(0, i.start - context) : i.start],
                    after=text[i.end : i.end + context],
                    speaker=speakers.get((i.source_id, i.start)),
                )
            )
        return out


def _context_text(s: Session, source_id: int) -> str:
    return s.scalar(select(Source.text).where(Source.id == source_id)) or ""


def _speakers(
    s: Session, windows: dict[int, list[tuple[int, int]]]
) -> dict[tuple[int, int], str | None]:
    """Speaker of the turn containing each passage start."""
    out: dict[tuple[int, int], str | None] = {}
    for sid, spans in windows.items():
        turns = list(
            s.execute(
                select(Turn.start, Turn.end, Turn.speaker)
                .where(Turn.source_id == sid)
                .order_by(Turn.start)
            )
        )
        if not turns:
            continue
        starts = [t[0] for t in turns]
        rows = [(a, b, speaker) for a, b, speaker in turns]
        for start, _end in spans:
            out[(sid, start)] = speaker_at(starts, rows, start)
    return out
