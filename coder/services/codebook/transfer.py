"""Loading a codebook into a project and taking it out again, whatever the file format.

Import merges by GUID: a code whose GUID is already in the project is updated in place (and
moved under the parent the file gives it); a code without a known GUID is matched by name
under the same parent; anything else is created. Importing the same file twice therefore
changes nothing the second time and never creates duplicates. The whole import is one
transaction and one undoable action.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coder.db.models import Code, new_guid
from coder.db.retry import retry_writes
from coder.export.assemble import spec_tree
from coder.services.codebook.codes import PALETTE, CodebookError, code_tree
from coder.services.project.history import Recorder, row_image
from coder.services.project.settings import Key, get_setting, write
from coder.services.project.store import Project
from coder.vocab.dto import Codebook, CodebookSummary, CodeSpec


@retry_writes
def import_codebook(project: Project, book: Codebook) -> CodebookSummary:
    """Merge a codebook into the project by GUID (idempotent)."""
    created = updated = unchanged = 0
    with project.transaction() as s:
        rec = Recorder(s)
        by_guid = {c.guid: c for c in s.scalars(select(Code))}
        total = len(by_guid)
        merged: dict[int, str] = {}  # code id -> the name the file first gave it

        def merge(spec: CodeSpec, parent: Code | None, position: int) -> None:
            nonlocal created, updated, unchanged, total
            code = by_guid.get(spec.guid) if spec.guid else None
            if code is None:
                code = s.scalar(
                    select(Code).where(
                        Code.parent_id.is_(None) if parent is None else Code.parent_id == parent.id,
                        func.lower(Code.name) == spec.name.lower(),
                    )
                )
            if code is not None and code.id in merged:
                # One project code reached twice (by name, then by GUID): merging it again would
                # move it under itself or under its own descendant, and its codings would vanish.
                raise CodebookError(
                    f"code {spec.name!r} carries the GUID of {merged[code.id]!r}, which would make "
                    "a code its own parent; nothing imported"
                )
            parent_id = parent.id if parent is not None else None
            if code is None:
                code = code_row(spec, spec.guid or new_guid(), parent_id, position, total)
                total += 1
                s.add(code)
                rec.created([code])
                created += 1
            else:
                rec.touch([code])
                before = row_image(code)
                _fill(code, spec, parent_id, position)
                s.flush()
                if row_image(code) == before:
                    unchanged += 1
                else:
                    updated += 1
            s.flush()
            merged[code.id] = spec.name
            for i, child in enumerate(spec.children):
                merge(child, code, i)

        offset = s.scalar(select(func.count()).select_from(Code).where(Code.parent_id.is_(None)))
        roots = {c.guid for c in by_guid.values() if c.parent_id is None}
        for i, spec in enumerate(book.codes):
            # Known themes keep their place; new ones go after the existing ones.
            merge(spec, None, i if spec.guid in roots or not offset else int(offset or 0) + i)
        _refuse_cycles(s)
        for key, value in (
            (Key.CODEBOOK_TITLE, book.title),
            (Key.CODEBOOK_DESCRIPTION, book.description),
            (Key.CODEBOOK_REFERENCE, book.reference),
        ):
            if value:
                write(s, key, value)
        rec.record(f"import codebook {book.title}".strip())
    return CodebookSummary(created, updated, unchanged)


def _refuse_cycles(s: Session) -> None:
    """Raise if any code is its own ancestor (the transaction then stores nothing)."""
    parents: dict[int, int | None] = {i: p for i, p in s.execute(select(Code.id, Code.parent_id))}
    for start in parents:
        seen = {start}
        node = parents[start]
        while node is not None:
            if node in seen:
                row = s.get(Code, node)
                name = row.name if row is not None else str(node)
                raise CodebookError(f"code {name!r} would be its own parent; nothing imported")
            seen.add(node)
            node = parents.get(node)


def code_row(
    spec: CodeSpec, guid: str | None, parent_id: int | None, position: int, n: int
) -> Code:
    """A new Code row from a code `spec` (the `n`th code: its colour when it has none)."""
    row = Code(guid=guid, color=spec.color or PALETTE[n % len(PALETTE)])
    _fill(row, spec, parent_id, position)
    return row


def _fill(code: Code, spec: CodeSpec, parent_id: int | None, position: int) -> None:
    """Give `code` what `spec` says (a colour only when it has one)."""
    code.name = spec.name[:400]  # the column's width (the file readers allow 200)
    code.parent_id = parent_id
    code.position = position
    code.description = spec.description
    code.inclusion = spec.inclusion
    code.exclusion = spec.exclusion
    code.keywords = list(spec.keywords)
    code.examples = list(spec.examples)
    if spec.color:
        code.color = spec.color
    code.codable = spec.codable


def export_codebook(project: Project) -> Codebook:
    """The project's codebook as a file-ready Codebook."""
    return Codebook(
        title=get_setting(project, Key.CODEBOOK_TITLE, "Codebook"),
        description=get_setting(project, Key.CODEBOOK_DESCRIPTION),
        reference=get_setting(project, Key.CODEBOOK_REFERENCE),
        codes=spec_tree(code_tree(project)),
    )
