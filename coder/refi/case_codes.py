"""Participants as codes: the second way a .qdpx can say which texts belong to which case.

The standard links a case to its sources with `<SourceRef>` inside the `<Case>`, and coder
always writes that. QualCoder (4.0) ignores it: it links a case to text only through a Code
whose GUID is the case's GUID, whose codings become the case's text (ATLAS.ti writes cases
that way too). `with_case_codes` adds such a code per participant, coding each of their
transcripts whole, for `coder export qdpx --case-codes`; it is not the default because the
other tools would show those codes as codes. `fold_case_codes` reads either form back into
case links, so a file written either way (or by ATLAS.ti) imports with no stray codes.
"""

from __future__ import annotations

from dataclasses import replace

from coder.refi.model import RefiCoding, RefiProject
from coder.refi.xml import coin_guid
from coder.vocab.dto import CodeSpec


def with_case_codes(proj: RefiProject) -> RefiProject:
    """`proj` with a code per participant (the case's GUID and name) coding their sources."""
    cases = [c for c in proj.cases if c.source_guids]
    if not cases:
        return proj
    user = proj.users[0].guid if proj.users else None
    owners: dict[str, list[str]] = {}
    for case in cases:
        for g in case.source_guids:
            owners.setdefault(g, []).append(case.guid)
    sources = []
    for src in proj.sources:
        extra = tuple(
            RefiCoding(coin_guid("case-coding", c, src.guid), c, 0, len(src.text), user)
            for c in owners.get(src.guid, [])
            if src.text
        )
        sources.append(replace(src, codings=src.codings + extra) if extra else src)
    codes = tuple(
        CodeSpec(
            name=case.name,
            guid=case.guid,
            description=f"Participant {case.name}: their transcripts (a case link for QualCoder)",
        )
        for case in cases
    )
    return replace(proj, codes=proj.codes + codes, sources=tuple(sources))


def fold_case_codes(proj: RefiProject) -> RefiProject:
    """`proj` with codes that carry a case's GUID taken out, their codings made case links."""
    case_guids = {c.guid for c in proj.cases}
    if not case_guids or not any(c.guid in case_guids for top in proj.codes for c in top.walk()):
        return proj
    linked: dict[str, list[str]] = {}
    sources = []
    for src in proj.sources:
        keep = []
        for coding in src.codings:
            if coding.code_guid in case_guids:
                linked.setdefault(coding.code_guid, []).append(src.guid)
            else:
                keep.append(coding)
        sources.append(replace(src, codings=tuple(keep)) if len(keep) < len(src.codings) else src)
    cases = tuple(
        replace(c, source_guids=tuple(dict.fromkeys((*c.source_guids, *linked.get(c.guid, [])))))
        for c in proj.cases
    )
    return replace(
        proj, codes=_without(proj.codes, case_guids), sources=tuple(sources), cases=cases
    )


def _without(codes: tuple[CodeSpec, ...], guids: set[str]) -> tuple[CodeSpec, ...]:
    return tuple(
        replace(c, children=_without(c.children, guids)) for c in codes if c.guid not in guids
    )
