"""Memos on codes, sources and the project (memos on one coding live on the coding).

A code can carry several memos, told apart by title: Table 2 uses a code's "Summary" or
"Implication" memo as a column, as the published study's table does. A memo belongs to the
coder who wrote it: saving by title finds only the writer's own memo of that title, so two
coders can each keep a "Summary" on the same code, and one coder cannot edit or delete
another's memo (memos of no known coder, from older projects, stay open to everyone).
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from coder.db.models import Code, Coder, Memo, Source
from coder.db.retry import gone, retry_writes
from coder.errors import UserError
from coder.services.project.history import Recorder
from coder.services.project.store import Project
from coder.services.project.whose import Coders, coded_by
from coder.vocab.dto import MemoInfo
from coder.vocab.kinds import MemoKind


class MemoError(UserError):
    """A user-facing problem with a memo (one line)."""


def memo_info(m: Memo, author: str | None) -> MemoInfo:
    """A memo row as the frozen MemoInfo the TUI and the CLI see."""
    return MemoInfo(
        m.id,
        m.guid,
        cast(MemoKind, m.kind),
        m.title or "",
        m.text or "",
        m.code_id,
        m.source_id,
        author,
        m.created_at,
        m.updated_at,
        m.start,
        m.end,
    )


def written_by(coders: Coders) -> ColumnElement[bool]:
    """Memos by `coders` (None: everyone's), and always those no known coder wrote."""
    return or_(Memo.coder_id.is_(None), coded_by(coders, Memo.coder_id))


def list_memos(
    project: Project,
    *,
    code_id: int | None = None,
    source_id: int | None = None,
    kind: str | None = None,
    coders: Coders = None,
) -> list[MemoInfo]:
    """Memos, optionally only those of one code, one source or one kind; with `coders`, only
    theirs and those of no known coder (blind mode shows a coder only their own memos)."""
    with project.reading() as s:
        q = select(Memo, Coder.name).outerjoin(Coder, Coder.id == Memo.coder_id)
        q = q.where(written_by(coders))
        if code_id is not None:
            q = q.where(Memo.code_id == code_id)
        if source_id is not None:
            q = q.where(Memo.source_id == source_id)
        if kind is not None:
            q = q.where(Memo.kind == kind)
        return [memo_info(m, a) for m, a in s.execute(q.order_by(Memo.created_at, Memo.id))]


def _own(s: Session, memo: Memo, me: int, doing: str) -> None:
    """Refuse to change another coder's memo."""
    if memo.coder_id is not None and memo.coder_id != me:
        author = s.scalar(select(Coder.name).where(Coder.id == memo.coder_id))
        title = f" {memo.title!r}" if memo.title else ""
        raise MemoError(f"memo{title} is {author}'s: only they can {doing} it; write your own")


@retry_writes
def save_memo(
    project: Project,
    *,
    kind: str,
    text: str,
    title: str = "",
    code_id: int | None = None,
    source_id: int | None = None,
    coder: str | None = None,
    memo_id: int | None = None,
) -> MemoInfo:
    """Save memo `memo_id` (its new title and text: changing the title renames it), or
    without an id create or replace this coder's memo with this title on a code, a source or
    the project. (Notes on a span of text: coder.services.codebook.notes.) A memo, code or
    source deleted meanwhile is a WriteConflict."""
    if memo_id is None and kind not in ("code", "source", "project"):
        raise MemoError(f"memo kind {kind!r} must be code, source or project")
    if kind == "code" and code_id is None or kind == "source" and source_id is None:
        raise MemoError(f"a {kind} memo needs its {kind}")
    from coder.db.models import utcnow

    with project.transaction() as s:
        rec = Recorder(s)
        me = project.coder_id(s, coder)
        if memo_id is not None:
            memo = s.get(Memo, memo_id)
            if memo is None:
                raise gone(f"memo {memo_id}")
            _own(s, memo, me, "edit")
            rec.touch([memo])
            memo.title = title.strip()
            memo.text = text.strip()
            memo.updated_at = utcnow()
            rec.record(f"{memo.kind} memo")
            author = s.scalar(select(Coder.name).where(Coder.id == memo.coder_id))
            return memo_info(memo, author)
        if code_id is not None and s.get(Code, code_id) is None:
            raise gone(f"code {code_id}")
        if source_id is not None and s.get(Source, source_id) is None:
            raise gone(f"source {source_id}")
        # This coder's memo of that title, else one of no known coder (older projects).
        q = select(Memo).where(
            Memo.kind == kind,
            Memo.title == title.strip(),
            or_(Memo.coder_id == me, Memo.coder_id.is_(None)),
        )
        q = q.where(Memo.code_id == code_id if code_id is not None else Memo.code_id.is_(None))
        q = q.where(
            Memo.source_id == source_id if source_id is not None else Memo.source_id.is_(None)
        )
        memo = s.scalar(q.order_by(Memo.coder_id.is_(None), Memo.id).limit(1))
        if memo is None:
            memo = Memo(
                kind=kind,
                title=title.strip(),
                text=text.strip(),
                code_id=code_id,
                source_id=source_id,
                coder_id=me,
            )
            s.add(memo)
            rec.created([memo])
        else:
            rec.touch([memo])
            memo.text = text.strip()
            memo.updated_at = utcnow()
        rec.record(f"{kind} memo")
        author = s.scalar(select(Coder.name).where(Coder.id == memo.coder_id))
        return memo_info(memo, author)


@retry_writes
def delete_memo(project: Project, memo_id: int, coder: str | None = None) -> None:
    """Delete one of this coder's memos (undoable)."""
    with project.transaction() as s:
        memo = s.get(Memo, memo_id)
        if memo is None:
            raise gone(f"memo {memo_id}")
        _own(s, memo, project.coder_id(s, coder), "delete")
        rec = Recorder(s)
        rec.touch([memo])
        s.delete(memo)
        rec.record("delete memo")
