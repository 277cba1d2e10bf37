"""Source sets and code sets (MAXQDA document sets, ATLAS.ti code groups) kept in a project.

No table fits a named group of sources or codes yet, so the sets live as JSON in the settings
registry (`Key.SETS`), keyed by the members' GUIDs, which survive renames and round trips.
A .qdpx import stores them, an export writes them back as `<Sets>`, and `list_sets` gives them
to anything that filters by set.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from coder.db.models import Code, Source
from coder.refi.model import RefiSet
from coder.services.project.settings import Key, get_setting, read, write
from coder.services.project.store import Project


def _decode(raw: str) -> tuple[RefiSet, ...]:
    try:
        rows = json.loads(raw) if raw else []
    except ValueError:
        return ()
    out = []
    for r in rows if isinstance(rows, list) else []:
        if isinstance(r, dict) and r.get("guid") and r.get("name"):
            out.append(
                RefiSet(
                    str(r["guid"]),
                    str(r["name"]),
                    str(r.get("description", "")),
                    tuple(str(g) for g in r.get("sources", [])),
                    tuple(str(g) for g in r.get("codes", [])),
                )
            )
    return tuple(out)


def list_sets(project: Project) -> tuple[RefiSet, ...]:
    """The project's source and code sets, in the order they were stored."""
    return _decode(get_setting(project, Key.SETS))


def read_sets(s: Session) -> tuple[RefiSet, ...]:
    """The sets inside an open session, members limited to sources and codes that exist."""
    sets = _decode(read(s, Key.SETS))
    if not sets:
        return ()
    sources = set(s.scalars(select(Source.guid)))
    codes = set(s.scalars(select(Code.guid)))
    return tuple(
        RefiSet(
            st.guid,
            st.name,
            st.description,
            tuple(g for g in st.source_guids if g in sources),
            tuple(g for g in st.code_guids if g in codes),
        )
        for st in sets
    )


def store_sets(s: Session, sets: tuple[RefiSet, ...]) -> int:
    """Store `sets` (members that are not in the project are dropped); how many were kept."""
    if not sets:
        return 0
    sources = set(s.scalars(select(Source.guid)))
    codes = set(s.scalars(select(Code.guid)))
    rows = []
    for st in sets:
        members = [g for g in st.source_guids if g in sources]
        code_members = [g for g in st.code_guids if g in codes]
        if members or code_members:
            rows.append(
                {
                    "guid": st.guid,
                    "name": st.name,
                    "description": st.description,
                    "sources": members,
                    "codes": code_members,
                }
            )
    if rows:
        write(s, Key.SETS, json.dumps(rows, ensure_ascii=False))
    return len(rows)
