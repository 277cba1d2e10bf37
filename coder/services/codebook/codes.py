"""The codebook's edits: new, change, move, merge and delete codes.

Each edit is one transaction and one undoable action. Reading the tree and finding a code live
in coder.services.codebook.reading; they are named here too, so callers that edit and read
import one module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, func, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from coder.db.locks import lock_codes
from coder.db.models import Code, Coding, FrameworkCell, Memo
from coder.db.retry import gone, retry_writes
from coder.services.codebook.reading import (
    CodebookError,
    code_info,
    code_tree,
    count_codes,
    find_code,
    flat_codes,
    tree_in,
)
from coder.services.project.history import Recorder
from coder.services.project.store import Project
from coder.services.project.tombstones import bury
from coder.vocab.codebook_limits import MAX_NAME_CHARS, too_long_name
from coder.vocab.dto import CodeInfo
from coder.vocab.names import free_name

# Reading the tree is named here too, so that callers which edit and read import one module.
__all__ = ["CodebookError", "code_info", "code_tree", "count_codes", "find_code", "flat_codes"]
__all__ += ["tree_in", "PALETTE", "CodeFields", "create_code", "update_code", "move_code"]
__all__ += ["merge_codes", "delete_impact", "delete_code"]

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)


@dataclass(frozen=True)
class CodeFields:
    """Editable fields of a code; None means 'leave as it is'."""

    name: str | None = None
    description: str | None = None
    inclusion: str | None = None
    exclusion: str | None = None
    keywords: tuple[str, ...] | None = None
    examples: tuple[str, ...] | None = None
    color: str | None = None
    codable: bool | None = None


def _check_name(session: Session, name: str, parent_id: int | None, exclude: int | None) -> str:
    name = " ".join(name.split())
    if not name:
        raise CodebookError("a code needs a name")
    if len(name) > MAX_NAME_CHARS:
        raise CodebookError(too_long_name(len(name)))
    q = select(Code.id).where(
        Code.parent_id.is_(None) if parent_id is None else Code.parent_id == parent_id
    )
    q = q.where(func.lower(Code.name) == name.lower())
    if exclude is not None:
        q = q.where(Code.id != exclude)
    if session.scalar(q) is not None:
        raise CodebookError(f"there is already a code {name!r} here")
    return name


def _check_color(color: str) -> str:
    if not _HEX.match(color):
        raise CodebookError(f"colour {color!r} is not of the form #rrggbb")
    return color.lower()


@retry_writes
def create_code(
    project: Project, name: str, parent_id: int | None = None, fields: CodeFields | None = None
) -> CodeInfo:
    """Add a code under `parent_id` (None for a theme) at the end of its siblings."""
    fields = fields or CodeFields()
    with project.transaction() as s:
        rec = Recorder(s)
        if parent_id is not None and s.get(Code, parent_id) is None:
            raise gone(f"parent code {parent_id}")
        clean = _check_name(s, name, parent_id, None)
        siblings = (
            s.scalar(
                select(func.count())
                .select_from(Code)
                .where(
                    Code.parent_id.is_(None) if parent_id is None else Code.parent_id == parent_id
                )
            )
            or 0
        )
        total = s.scalar(select(func.count()).select_from(Code)) or 0
        code = Code(
            name=clean,
            parent_id=parent_id,
            position=siblings,
            color=PALETTE[total % len(PALETTE)],
            keywords=[],
            examples=[],
        )
        _apply_fields(code, fields)
        s.add(code)
        rec.created([code])
        rec.record(f"create code {clean}")
        return code_info(code)


def _apply_fields(code: Code, f: CodeFields) -> None:
    if f.description is not None:
        code.description = f.description.strip()
    if f.inclusion is not None:
        code.inclusion = f.inclusion.strip()
    if f.exclusion is not None:
        code.exclusion = f.exclusion.strip()
    if f.keywords is not None:
        code.keywords = [k.strip() for k in f.keywords if k.strip()]
    if f.examples is not None:
        code.examples = [e.strip() for e in f.examples if e.strip()]
    if f.color is not None:
        code.color = _check_color(f.color)
    if f.codable is not None:
        code.codable = f.codable


@retry_writes
def update_code(project: Project, code_id: int, fields: CodeFields) -> CodeInfo:
    """Rename a code or edit its definition, criteria, keywords, examples or colour."""
    with project.transaction() as s:
        code = _get(s, code_id)
        rec = Recorder(s)
        rec.touch([code])
        if fields.name is not None:
            code.name = _check_name(s, fields.name, code.parent_id, code.id)
        _apply_fields(code, fields)
        rec.record(f"edit code {code.name}")
        return code_info(code)


@retry_writes
def move_code(
    project: Project, code_id: int, new_parent_id: int | None, position: int | None = None
) -> CodeInfo:
    """Move a code under another parent (None makes it a theme), optionally to a position."""
    with project.transaction() as s:
        code = _get(s, code_id)
        if new_parent_id is not None:
            ancestor: Code | None = _get(s, new_parent_id)
            while ancestor is not None:
                if ancestor.id == code.id:
                    raise CodebookError("a code cannot move under itself")
                ancestor = s.get(Code, ancestor.parent_id) if ancestor.parent_id else None
        _check_name(s, code.name, new_parent_id, code.id)
        siblings = list(
            s.scalars(
                select(Code)
                .where(
                    Code.parent_id.is_(None)
                    if new_parent_id is None
                    else Code.parent_id == new_parent_id,
                    Code.id != code.id,
                )
                .order_by(Code.position, Code.name)
            )
        )
        rec = Recorder(s)
        rec.touch([code, *siblings])
        pos = len(siblings) if position is None else max(0, min(position, len(siblings)))
        siblings.insert(pos, code)
        code.parent_id = new_parent_id
        for i, c in enumerate(siblings):
            c.position = i
        rec.record(f"move code {code.name}")
        return code_info(code)


@retry_writes
def merge_codes(project: Project, source_id: int, target_id: int) -> int:
    """Fold code `source_id` into `target_id`: codings move, duplicates fold, sub-codes move.

    Returns the number of codings moved (not counting folded duplicates).
    """
    if source_id == target_id:
        raise CodebookError("cannot merge a code into itself")
    with project.transaction() as s:
        # Nobody can code either code until this commits (see coder.db.locks), so the codings
        # read here are all there are, and none committed meanwhile can be cascaded away.
        lock_codes(s, (source_id, target_id))
        src, dst = _get(s, source_id), _get(s, target_id)
        anc: Code | None = dst
        while anc is not None:
            if anc.id == src.id:
                raise CodebookError("cannot merge a code into one of its own sub-codes")
            anc = s.get(Code, anc.parent_id) if anc.parent_id else None
        rec = Recorder(s)
        existing = {  # keys only: the target may hold many codings, few of them twins
            (sid, start, end, coder): cid
            for sid, start, end, coder, cid in s.execute(
                select(
                    Coding.source_id, Coding.start, Coding.end, Coding.coder_id, Coding.id
                ).where(Coding.code_id == dst.id)
            )
        }
        moving = list(s.scalars(select(Coding).where(Coding.code_id == src.id)))
        children = list(s.scalars(select(Code).where(Code.parent_id == src.id)))
        memos = list(s.scalars(select(Memo).where(Memo.code_id == src.id)))
        rec.touch([src, *moving, *children, *memos])
        folded: list[Coding] = []
        for c in moving:  # the same coder's coding of the same span under both: fold into one
            twin_id = existing.get((c.source_id, c.start, c.end, c.coder_id))
            twin = s.get(Coding, twin_id) if twin_id is not None else None
            if twin is not None:
                rec.touch([twin])
                twin.exemplar = twin.exemplar or c.exemplar
                if c.memo and c.memo not in twin.memo:
                    twin.memo = f"{twin.memo}\n{c.memo}".strip()
                folded.append(c)
        # Folded twins are deleted (a merge must not bring them back); moved codings keep
        # their GUIDs, by which a merge finds them here.
        bury(s, folded)
        for c in folded:
            s.delete(c)
        s.flush()
        result = s.execute(
            update(Coding).where(Coding.code_id == src.id).values(code_id=dst.id),
            execution_options={"synchronize_session": False},
        )
        moved = cast(CursorResult[Any], result).rowcount
        for c in moving:  # the loaded rows now say what the UPDATE wrote (for the undo images)
            if c in s and not inspect(c).deleted:
                set_committed_value(c, "code_id", dst.id)
        taken = {c.name.lower() for c in s.scalars(select(Code).where(Code.parent_id == dst.id))}
        for child in children:
            child.name = free_name(child.name, taken)
            child.parent_id = dst.id
        for memo in memos:
            memo.code_id = dst.id
        s.flush()
        left = s.scalar(select(func.count()).select_from(Coding).where(Coding.code_id == src.id))
        if not left:  # always so under the lock; never delete a code that still has codings
            cells = list(s.scalars(select(FrameworkCell).where(FrameworkCell.code_id == src.id)))
            rec.touch(cells)  # a merged theme's summaries: deleted with it, back on undo
            for cell in cells:
                s.delete(cell)
            s.flush()
            s.delete(src)
        rec.record(f"merge {src.name} into {dst.name}")
        return int(moved or 0)


def delete_impact(project: Project, code_id: int) -> tuple[int, int]:
    """How many codings and sub-codes go if this code is deleted."""
    with project.reading() as s:
        ids = _subtree_ids(s, code_id)
        n = s.scalar(select(func.count()).select_from(Coding).where(Coding.code_id.in_(ids)))
        return int(n or 0), len(ids) - 1


@retry_writes
def delete_code(project: Project, code_id: int) -> int:
    """Delete a code, its sub-codes and their codings (undoable). Returns codings removed."""
    with project.transaction() as s:
        code = _get(s, code_id)
        ids = _subtree_ids(s, code_id)
        lock_codes(s, ids)  # codings committed meanwhile are seen, and recorded for undo
        codes = list(s.scalars(select(Code).where(Code.id.in_(ids))))
        codings = list(s.scalars(select(Coding).where(Coding.code_id.in_(ids))))
        memos = list(s.scalars(select(Memo).where(Memo.code_id.in_(ids))))
        # the framework summaries written on a deleted theme go with it, recorded (not left
        # to the database's cascade) so that undo brings them back with the code
        cells = list(s.scalars(select(FrameworkCell).where(FrameworkCell.code_id.in_(ids))))
        rec = Recorder(s)
        rec.touch([*codes, *codings, *memos, *cells])
        bury(s, codings)
        for row in [*codings, *memos, *cells]:
            s.delete(row)
        s.flush()
        for c in sorted(codes, key=lambda c: ids.index(c.id), reverse=True):
            s.delete(c)
            s.flush()
        rec.record(f"delete code {code.name}")
        return len(codings)


def _subtree_ids(s: Session, code_id: int) -> list[int]:
    ids = [code_id]
    frontier = [code_id]
    while frontier:
        frontier = list(s.scalars(select(Code.id).where(Code.parent_id.in_(frontier))))
        ids.extend(frontier)
    return ids


def _get(s: Session, code_id: int) -> Code:
    code = s.get(Code, code_id)
    if code is None:
        raise gone(f"code {code_id}")
    return code
