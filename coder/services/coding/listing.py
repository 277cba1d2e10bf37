"""Every coding of a project as flat rows, filtered by coder, code and source.

`coder codings` prints these for scripts (and acceptance checks): one row per coding with the
names a reader needs (source, code, coder), the code's GUID for joins with other tools, and the
coded text. One read, ordered by source name and position, so two listings of the same
project compare line by line.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coder.db.models import Code, Coder, Coding, Source
from coder.errors import UserError
from coder.services.project.store import Project


@dataclass(frozen=True, slots=True)
class CodingRow:
    """One coding as `coder codings` lists it (offsets in code points, end exclusive)."""

    guid: str
    source: str
    start: int
    end: int
    code: str
    code_guid: str
    coder: str
    text: str


def list_codings(
    project: Project,
    *,
    coders: tuple[str, ...] = (),
    code_ids: tuple[int, ...] = (),
    source_ids: tuple[int, ...] = (),
) -> list[CodingRow]:
    """The project's codings, optionally only those by `coders` (names, case-insensitive), of
    `code_ids` or in `source_ids`.

    Raises:
        UserError: a coder name that nobody in this project uses (the known names are listed).
    """
    with project.reading() as s:
        q = (
            select(
                Coding.guid,
                Source.name,
                Coding.start,
                Coding.end,
                Code.name,
                Code.guid,
                Coder.name,
                Coding.snippet,
            )
            .join(Source, Source.id == Coding.source_id)
            .join(Code, Code.id == Coding.code_id)
            .join(Coder, Coder.id == Coding.coder_id)
            .order_by(Source.name, Coding.start, Coding.end, Code.name, Coder.name, Coding.id)
        )
        if coders:
            known = {name.lower(): cid for cid, name in s.execute(select(Coder.id, Coder.name))}
            missing = [c for c in coders if c.strip().lower() not in known]
            if missing:
                names = ", ".join(sorted(n for _i, n in s.execute(select(Coder.id, Coder.name))))
                raise UserError(
                    f"no coder named {missing[0]!r} in {project.target} "
                    f"(coders: {names or 'none yet'})"
                )
            q = q.where(Coding.coder_id.in_([known[c.strip().lower()] for c in coders]))
        if code_ids:
            q = q.where(Coding.code_id.in_(code_ids))
        if source_ids:
            q = q.where(Coding.source_id.in_(source_ids))
        return [CodingRow(*row) for row in s.execute(q)]
