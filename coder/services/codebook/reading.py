"""Reading the codebook: the tree of themes and sub-themes with their usage counts, and
finding a code by GUID, name or path.

Split from coder.services.codebook.codes (the edits) because every screen and command reads
the tree and most never edit it. Counts (codings, participants, sources) come from one grouped
query, so the tree can be redrawn cheaply after every coding.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coder.db.models import Code, Coding, Source
from coder.errors import UserError
from coder.services.project.store import Project
from coder.vocab.dto import CodeCounts, CodeInfo, CodeNode
from coder.vocab.tree import build_tree


class CodebookError(UserError):
    """A user-facing problem with a codebook edit (one line)."""


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
