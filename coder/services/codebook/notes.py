"""Notes on uncoded text: a memo anchored to a span of a source that carries no code.

NVivo calls them annotations; REFI-QDA writes them as a Note referenced from a
PlainTextSelection with no Coding. They are memos of kind "span" (the memos table, with the
span's start and end), so the memo list, the project's memo manager, undo and every export see
them like any other memo; renaming, editing and deleting go through
coder.services.codebook.memos.
"""

from __future__ import annotations

from sqlalchemy import func, select

from coder.db.models import Coder, Memo, Source
from coder.db.retry import retry_writes
from coder.services.codebook.memos import MemoError, memo_info, written_by
from coder.services.project.history import Recorder
from coder.services.project.store import Project
from coder.services.project.whose import Coders
from coder.vocab.dto import MemoInfo


@retry_writes
def add_note(
    project: Project,
    source_id: int,
    start: int,
    end: int,
    text: str,
    *,
    title: str = "",
    coder: str | None = None,
) -> MemoInfo:
    """Anchor a new note to text[start:end] of a source (undoable).

    Raises:
        MemoError: for an empty note, a span outside the text, or a source that is gone.
    """
    if not text.strip():
        raise MemoError("a note needs some text")
    with project.transaction() as s:
        length = s.scalar(select(func.length(Source.text)).where(Source.id == source_id))
        if length is None:
            raise MemoError(f"source {source_id} does not exist (deleted meanwhile?)")
        if not 0 <= start < end <= length:
            raise MemoError(f"a note's span {start}-{end} is outside the text (0-{length})")
        memo = Memo(
            kind="span",
            title=title.strip(),
            text=text.strip(),
            source_id=source_id,
            start=start,
            end=end,
            coder_id=project.coder_id(s, coder),
        )
        s.add(memo)
        rec = Recorder(s)
        rec.created([memo])
        rec.record("note")
        author = s.scalar(select(Coder.name).where(Coder.id == memo.coder_id))
        return memo_info(memo, author)


def notes_in(project: Project, source_id: int, coders: Coders = None) -> list[MemoInfo]:
    """A source's notes on uncoded text, in text order (with `coders`, only theirs)."""
    with project.reading() as s:
        q = (
            select(Memo, Coder.name)
            .outerjoin(Coder, Coder.id == Memo.coder_id)
            .where(Memo.kind == "span", Memo.source_id == source_id, written_by(coders))
            .order_by(Memo.start, Memo.end, Memo.id)
        )
        return [memo_info(m, a) for m, a in s.execute(q)]


def note_label(note: MemoInfo, text: str, width: int = 40) -> str:
    """How a note names its place: the title, else the start of the text it is on."""
    if note.title:
        return note.title
    if note.start is None or note.end is None:
        return "Note"
    quoted = " ".join(text[note.start : note.end].split())
    return quoted if len(quoted) <= width else quoted[: width - 1] + "\u2026"
