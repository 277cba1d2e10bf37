"""Memos on codes, sources and the project (memos on one coding live on the coding).

A code can carry several memos, told apart by title: Table 2 uses a code's "Summary" or
"Implication" memo as a column, as the published study's table does.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import select

from coder.db.models import Coder, Memo
from coder.db.retry import retry_writes
from coder.errors import UserError
from coder.services.project.history import Recorder
from coder.services.project.store import Project
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


def list_memos(
    project: Project,
    *,
    code_id: int | None = None,
    source_id: int | None = None,
    kind: str | None = None,
) -> list[MemoInfo]:
    """Memos, optionally only those of one code, one source or one kind."""
    with project.reading() as s:
        q = select(Memo, Coder.name).outerjoin(Coder, Coder.id == Memo.coder_id)
        if code_id is not None:
            q = q.where(Memo.code_id == code_id)
        if source_id is not None:
            q = q.where(Memo.source_id == source_id)
        if kind is not None:
            q = q.where(Memo.kind == kind)
        return [memo_info(m, a) for m, a in s.execute(q.order_by(Memo.created_at, Memo.id))]


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
    without an id create or replace the memo with this title on a code, a source or the
    project. (Notes on a span of text: coder.services.codebook.notes.)"""
    if memo_id is None and kind not in ("code", "source", "project"):
        raise MemoError(f"memo kind {kind!r} must be code, source or project")
    if kind == "code" and code_id is None or kind == "source" and source_id is None:
        raise MemoError(f"a {kind} memo needs its {kind}")
    from coder.db.models import utcnow

    with project.transaction() as s:
        rec = Recorder(s)
        if memo_id is not None:
            memo = s.get(Memo, memo_id)
            if memo is None:
                raise MemoError(f"memo {memo_id} does not exist (deleted meanwhile?)")
            rec.touch([memo])
            memo.title = title.strip()
            memo.text = text.strip()
            memo.updated_at = utcnow()
            rec.record(f"{memo.kind} memo")
            author = s.scalar(select(Coder.name).where(Coder.id == memo.coder_id))
            return memo_info(memo, author)
        q = select(Memo).where(Memo.kind == kind, Memo.title == title.strip())
        q = q.where(Memo.code_id == code_id if code_id is not None else Memo.code_id.is_(None))
        q = q.where(
            Memo.source_id == source_id if source_id is not None else Memo.source_id.is_(None)
        )
        memo = s.scalar(q)
        if memo is None:
            memo = Memo(
                kind=kind,
                title=title.strip(),
                text=text.strip(),
                code_id=code_id,
                source_id=source_id,
                coder_id=project.coder_id(s, coder),
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
def delete_memo(project: Project, memo_id: int) -> None:
    """Delete a memo (undoable)."""
    with project.transaction() as s:
        memo = s.get(Memo, memo_id)
        if memo is None:
            raise MemoError(f"memo {memo_id} does not exist")
        rec = Recorder(s)
        rec.touch([memo])
        s.delete(memo)
        rec.record("delete memo")
