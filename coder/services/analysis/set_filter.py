"""Sets as filters (issue 13.15): `--set NAME` keeps an analysis or a listing to the sources
of a source set and the codes of a code set, as MAXQDA's document sets and ATLAS.ti's code
groups are used. Sets are looked up by name (case-insensitively) or GUID; several `--set`
options narrow together (a source must be in every source set given)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from coder.analysis.records import Corpus
from coder.analysis.subset import restrict
from coder.db.models import Code, Source
from coder.errors import UserError
from coder.services.coding.listing import CodingRow
from coder.services.exchange.sets import list_sets
from coder.services.project.store import Project


@dataclass(frozen=True, slots=True)
class SetFilter:
    """The sources and codes the sets given allow (None: that kind is not narrowed)."""

    source_ids: frozenset[int] | None = None
    code_ids: frozenset[int] | None = None


def set_filter(project: Project, names: Sequence[str]) -> SetFilter:
    """The members of the named sets as ids; one line naming the set if one is unknown."""
    if not names:
        return SetFilter()
    sets = list_sets(project)
    with project.reading() as s:
        source_ids = {g: i for g, i in s.execute(select(Source.guid, Source.id))}
        code_ids = {g: i for g, i in s.execute(select(Code.guid, Code.id))}
    sources: frozenset[int] | None = None
    codes: frozenset[int] | None = None
    for name in names:
        wanted = name.strip().casefold()
        found = next((st for st in sets if st.name.casefold() == wanted or st.guid == name), None)
        if found is None:
            known = ", ".join(st.name for st in sets) or "none; a .qdpx import brings them"
            raise UserError(f"no set named {name!r} (sets: {known})")
        if found.source_guids:
            members = frozenset(source_ids[g] for g in found.source_guids if g in source_ids)
            sources = members if sources is None else sources & members
        if found.code_guids:
            members = frozenset(code_ids[g] for g in found.code_guids if g in code_ids)
            codes = members if codes is None else codes & members
    return SetFilter(sources, codes)


def in_sets(project: Project, corpus: Corpus, names: Sequence[str]) -> Corpus:
    """The corpus narrowed to the named sets (unchanged when none are given)."""
    if not names:
        return corpus
    f = set_filter(project, names)
    return restrict(corpus, f.source_ids, f.code_ids)


def rows_in_sets(
    project: Project, rows: Sequence[CodingRow], names: Sequence[str]
) -> list[CodingRow]:
    """Codings listed by `coder codings`, kept to the named sets (by GUIDs of code and source)."""
    if not names:
        return list(rows)
    f = set_filter(project, names)
    with project.reading() as s:
        source_names = (
            set(s.scalars(select(Source.name).where(Source.id.in_(f.source_ids))))
            if f.source_ids is not None
            else None
        )
        code_guids = (
            set(s.scalars(select(Code.guid).where(Code.id.in_(f.code_ids))))
            if f.code_ids is not None
            else None
        )
    return [
        r
        for r in rows
        if (source_names is None or r.source in source_names)
        and (code_guids is None or r.code_guid in code_guids)
    ]
