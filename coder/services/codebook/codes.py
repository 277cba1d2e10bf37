"""The codebook: the tree of themes and sub-themes, with counts, and every edit to it.

Each edit is one transaction and one undoable action. Counts (codings, participants, sources)
come from one grouped query, so the tree can be redrawn cheaply after every coding.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, func, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from coder.db.locks import lock_codes
from coder.db.models import Code, Coding, Memo, Source
from coder.db.retry import gone, retry_writes
from coder.errors import UserError
from coder.services.project.history import Recorder
from coder.services.project.store import Project
from coder.services.project.tombstones import bury
from coder.vocab.codebook_limits import MAX_NAME_CHARS, too_long_name
from coder.vocab.dto import CodeCounts, CodeInfo, CodeNode
from coder.vocab.tree import build_tree

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


class CodebookError(UserError):
    """A user-facing problem with a codebook edit (one line)."""


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


def code_info(code: Code, depth: int = 0, counts: CodeCounts | None = None) -> CodeInfo:
    """A code row as a CodeInfo (with its usage counts when given)."""
    counts = counts or CodeCounts()
    return CodeInfo(
        id=code.id,
        guid=code.guid,
        parent_id=code.parent_id,
        name=code.name,
        description=code.description or "",
        inclusion=code.inclusion or "",
        exclusion=code.exclusion or "",
        keywords=tuple(code.keywords or ()),
        examples=tuple(code.examples or ()),
        color=code.color,
        position=code.position,
        codable=code.codable,
        depth=depth,
        codings=counts.codings,
        participants=counts.participants,
        sources=counts.sources,
    )


def count_codes(
    session: Session,
    code_ids: Sequence[int] | None = None,
    coder_ids: Sequence[int] | None = None,
) -> dict[int, CodeCounts]:
    """Codings, participants and sources per code (every used code, or only `code_ids`, each
    of which gets an entry), by every coder or only by `coder_ids`.

    One GROUP BY over (code, source) walks the code index; participants are folded in Python
    from the small source->participant map read once. This is an order of magnitude faster than
    COUNT(DISTINCT ...) over a join on large projects, and the tree is redrawn often.
    """
    case_of = {sid: cid for sid, cid in session.execute(select(Source.id, Source.case_id))}
    q = select(Coding.code_id, Coding.source_id, func.count(Coding.id)).group_by(
        Coding.code_id, Coding.source_id
    )
    if code_ids is not None:
        q = q.where(Coding.code_id.in_(list(code_ids)))
    if coder_ids is not None:
        q = q.where(Coding.coder_id.in_(list(coder_ids)))
    codings: dict[int, int] = {}
    sources: dict[int, int] = {}
    cases: dict[int, set[int]] = {}
    for code_id, source_id, n in session.execute(q):
        codings[code_id] = codings.get(code_id, 0) + n
        sources[code_id] = sources.get(code_id, 0) + 1
        case = case_of.get(source_id)
        if case is not None:
            cases.setdefault(code_id, set()).add(case)
    out = {cid: CodeCounts(n, len(cases.get(cid, ())), sources[cid]) for cid, n in codings.items()}
    for cid in code_ids or ():
        out.setdefault(cid, CodeCounts())
    return out


def code_tree(project: Project, *, counts: bool = True) -> tuple[CodeNode, ...]:
    """The whole codebook as a tree, ordered by position then name, with usage counts (or
    without them, which is cheap enough to draw before anything else)."""
    with project.reading() as s:
        return tree_in(s, counts=counts)


def tree_in(s: Session, *, counts: bool = True) -> tuple[CodeNode, ...]:
    """`code_tree` inside a session the caller holds."""
    used = count_codes(s) if counts else {}
    return build_tree([code_info(c, 0, used.get(c.id)) for c in s.scalars(select(Code))])


def flat_codes(project: Project) -> list[CodeInfo]:
    """Every code in tree order (depth-first), with counts."""
    out: list[CodeInfo] = []
    for node in code_tree(project):
        out.extend(node.walk())
    return out


def find_code(project: Project, ref: str) -> CodeInfo:
    """A code by GUID, exact name, or 'Parent/Child' path (case-insensitive)."""
    codes = flat_codes(project)
    by_id = {c.id: c for c in codes}
    wanted = ref.strip().lower()
    for c in codes:
        if c.guid == wanted:
            return c
    named = [c for c in codes if c.name.lower() == wanted]
    if len(named) == 1:
        return named[0]

    def path(c: CodeInfo) -> str:
        parts = [c.name]
        while c.parent_id is not None:
            c = by_id[c.parent_id]
            parts.append(c.name)
        return "/".join(reversed(parts)).lower()

    pathed = [c for c in codes if path(c) == wanted]
    if len(pathed) == 1:
        return pathed[0]
    if len(named) > 1:
        raise CodebookError(f"code name {ref!r} is ambiguous; use Parent/Child or the GUID")
    raise CodebookError(f"no code named {ref!r}")


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
            child.name = _free_name(child.name, taken)
            child.parent_id = dst.id
        for memo in memos:
            memo.code_id = dst.id
        s.flush()
        left = s.scalar(select(func.count()).select_from(Coding).where(Coding.code_id == src.id))
        if not left:  # always so under the lock; never delete a code that still has codings
            s.delete(src)
        rec.record(f"merge {src.name} into {dst.name}")
        return int(moved or 0)


def _free_name(name: str, taken: set[str]) -> str:
    """`name`, or "name (2)", "name (3)"... whichever is free among `taken` (lower-cased)."""
    out, n = name, 2
    while out.lower() in taken:
        out = f"{name} ({n})"
        n += 1
    taken.add(out.lower())
    return out


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
        rec = Recorder(s)
        rec.touch([*codes, *codings, *memos])
        bury(s, codings)
        for row in [*codings, *memos]:
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
