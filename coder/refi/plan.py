"""Making an imported REFI-QDA project fit coder's rules before anything is stored.

Other programs allow what coder's database does not: two sources with the same name, two
codes with the same name under one parent, a GUID used twice, a coding of a code that is
marked not codable, the same span coded twice with one code, two sources with identical text,
variable values that do not fit their declared type. `normalise` resolves each of these the
same way every time (renaming with " (2)", coining a stable GUID, widening a type to text,
merging duplicate texts) and says what it did in `warnings`, so the import itself is a plain
series of inserts. A source's Description, which coder has no field for, becomes a source
memo titled "Description".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from coder.refi.model import (
    RefiCase,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSource,
    memos_text,
)
from coder.refi.xml import coin_guid
from coder.vocab.dto import CodeSpec
from coder.vocab.names import free_name
from coder.vocab.pieces import utf8_sha256
from coder.vocab.values import fits


class _Plan:
    def __init__(self, proj: RefiProject) -> None:
        self.proj = proj
        self.warnings = list(proj.warnings)
        self.guids: set[str] = set()
        self.coded = {c.code_guid for s in proj.sources for c in s.codings}
        self.code_map: dict[str, str] = {}

    def guid(self, guid: str, *context: str) -> str:
        out = guid if guid not in self.guids else coin_guid("again", guid, *context)
        self.guids.add(out)
        return out

    def code(self, spec: CodeSpec, siblings: set[str], path: str) -> CodeSpec:
        old = spec.guid or coin_guid("code", path, spec.name)
        guid = self.guid(old, path)
        self.code_map.setdefault(old, guid)
        codable = spec.codable
        if not codable and old in self.coded:
            self.warnings.append(
                f"code {spec.name!r} is marked not codable but has codings; made codable"
            )
            codable = True
        names: set[str] = set()
        kids = tuple(self.code(c, names, f"{path}/{spec.name}") for c in spec.children)
        return replace(
            spec, guid=guid, name=free_name(spec.name, siblings), codable=codable, children=kids
        )

    def sources(self) -> list[RefiSource]:
        names: set[str] = set()
        first: dict[str, int] = {}
        out: list[RefiSource] = []
        for src in self.proj.sources:
            digest = utf8_sha256(src.text, "replace")  # piece by piece: no second copy
            codings = self.codings(src)
            if digest in first:
                twin = out[first[digest]]
                self.warnings.append(
                    f"source {src.name!r} has the same text as {twin.name!r}; "
                    "its codings were merged into it"
                )
                merged = self.dedupe(twin, [*twin.codings, *codings])
                out[first[digest]] = replace(twin, codings=merged)
                self.code_map.setdefault("source:" + src.guid, twin.guid)
                continue
            first[digest] = len(out)
            guid = self.guid(src.guid, src.name)
            self.code_map["source:" + src.guid] = guid
            new = replace(src, guid=guid, name=free_name(src.name, names), sha256=digest)
            out.append(replace(new, codings=self.dedupe(new, codings)))
        return out

    def codings(self, src: RefiSource) -> list[RefiCoding]:
        out = []
        unknown = 0
        for c in src.codings:
            code = self.code_map.get(c.code_guid)
            if code is None:
                unknown += 1
                continue
            out.append(c if code == c.code_guid else replace(c, code_guid=code))
        if unknown:
            self.warnings.append(
                f"{unknown} coding(s) in {src.name!r} name an unknown code; skipped"
            )
        return out

    def dedupe(self, src: RefiSource, codings: list[RefiCoding]) -> tuple[RefiCoding, ...]:
        # Each coder's codings are their own: only the same coder's repeats are folded.
        seen: set[tuple[str, int, int, str | None]] = set()
        out = []
        for c in codings:
            key = (c.code_guid, c.start, c.end, c.user_guid)
            if key in seen:
                continue
            seen.add(key)
            guid = self.guid(c.guid, src.guid, str(c.start))
            out.append(c if guid == c.guid else replace(c, guid=guid))
        return tuple(out)

    def cases(self) -> list[RefiCase]:
        names: set[str] = set()
        claimed: set[str] = set()
        out = []
        for case in self.proj.cases:
            refs = []
            for sg in case.source_guids:
                g = self.code_map.get("source:" + sg)
                if g and g not in claimed:
                    claimed.add(g)
                    refs.append(g)
            out.append(
                replace(
                    case,
                    guid=self.guid(case.guid, case.name),
                    name=free_name(case.name, names),
                    source_guids=tuple(refs),
                )
            )
        return out

    def variables(self, cases: list[RefiCase]) -> list:  # type: ignore[type-arg]
        values: dict[str, list[str]] = defaultdict(list)
        for case in cases:
            for vg, text in case.values:
                values[vg].append(text)
        taken: dict[str, set[str]] = defaultdict(set)
        out = []
        for v in self.proj.variables:
            type_ = v.type if all(fits(t, v.type) for t in values[v.guid]) else "text"
            if type_ != v.type:
                self.warnings.append(
                    f"variable {v.name!r}: some values are not {v.type}; kept as text"
                )
            out.append(replace(v, type=type_, name=free_name(v.name, taken[v.role or v.scope])))
        return out

    def notes(self) -> list[RefiNote]:
        out = []
        for n in self.proj.notes:
            target = n.target_guid
            if n.kind == "code":
                target = self.code_map.get(target or "")
            elif n.kind in ("source", "span"):
                target = self.code_map.get("source:" + (target or ""))
            kind = n.kind if target else "project"
            out.append(replace(n, guid=self.guid(n.guid, n.title), kind=kind, target_guid=target))
        return out


unique = free_name
"""The renaming rule under the name the team merge imports it by."""


def normalise(proj: RefiProject) -> RefiProject:
    """`proj` with names, GUIDs, types and codings made to fit coder (see module docstring)."""
    plan = _Plan(proj)
    siblings: set[str] = set()
    codes = tuple(plan.code(c, siblings, "") for c in proj.codes)
    sources = plan.sources()
    cases = plan.cases()
    variables = plan.variables(cases)
    notes = plan.notes()
    # coder's sources have no description of their own: keep one as the source's memo, unless
    # it only repeats the source's memos (as coder writes it for QualCoder)
    by_source: dict[str, list[RefiNote]] = {}
    for n in notes:
        if n.kind == "source" and n.target_guid:
            by_source.setdefault(n.target_guid, []).append(n)
    memo_text = {g: memos_text(ns) for g, ns in by_source.items()}
    notes += [
        RefiNote(
            coin_guid("description", s.guid),
            "Description",
            s.description,
            "source",
            s.guid,
            s.user_guid,
            s.created,
        )
        for s in sources
        if s.description and s.description != memo_text.get(s.guid)
    ]
    return replace(
        proj,
        codes=codes,
        sources=tuple(sources),
        cases=tuple(cases),
        variables=tuple(variables),
        notes=tuple(notes),
        warnings=tuple(plan.warnings),
    )
