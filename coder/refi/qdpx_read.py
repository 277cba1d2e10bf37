"""Reading a REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA, QualCoder or coder.

The programs agree on the schema but differ in the details, and the reader takes each in
its stride: `sources/` or `Sources/` and `project.qde` in any case; GUIDs in braces or upper
case; text inline (PlainTextContent) or in a file (plainTextPath); CRLF line endings (offsets
are mapped onto the LF text coder stores); codes without colours; non-codable folders; notes
linked by NoteRef or, as NVivo does, by Links; variables on cases or, as MAXQDA does, on
nameless cases or on the sources themselves; PDF text representations and media transcripts
(their text is kept; what coder cannot hold is listed in `warnings`, as the standard asks).
Hostile archives are refused by coder.refi.qdpx_zip before any XML is parsed.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from lxml import etree

from coder.refi.model import (
    EXEMPLAR_NOTE,
    ORG_ATTR_MARK,
    ORG_MARK,
    TYPES_FROM_REFI,
    RefiCase,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiVariable,
)
from coder.refi.qdpx_zip import QdpxLimits, SafeZip
from coder.refi.xml import (
    RefiError,
    code_from_xml,
    coin_guid,
    kid,
    kid_text,
    kids,
    local,
    norm_guid,
    parse_dt,
    parse_xml,
    parts,
)
from coder.vocab.dto import CodeSpec

VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue",
              "DateTimeValue")  # fmt: skip
MEDIA = ("PictureSource", "AudioSource", "VideoSource")


def decode(data: bytes) -> tuple[str, bool]:
    """Text of a source file and whether it had to be read as something other than UTF-8."""
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        pass
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace").lstrip("\ufeff"), True
    return data.decode("cp1252", "replace"), True


def lf_text(text: str) -> tuple[str, Callable[[int], int]]:
    """The text with CRLF/CR turned into LF, and the map from old offsets to new ones."""
    if "\r" not in text:
        return text, lambda p: p
    removed = [m.start() for m in re.finditer("\r\n", text)]
    new = text.replace("\r\n", "\n").replace("\r", "\n")
    return new, lambda p: p - bisect.bisect_left(removed, p)


def grandkids(root: etree._Element, holder: str, name: str) -> list[etree._Element]:
    """The `name` elements inside the first `holder` element under root (none if absent)."""
    h = kid(root, holder)
    return list(kids(h, name)) if h is not None else []


class _Reader:
    def __init__(self, z: SafeZip) -> None:
        self.z = z
        self.warnings: list[str] = []
        self.skipped: dict[str, int] = {}
        self.fixed: dict[str, int] = {}
        self.note_owner: dict[str, tuple[str, str]] = {}
        self.source_values: dict[str, list[tuple[str, str]]] = {}
        self.selection_codings: dict[str, list[str]] = {}

    def fix(self, what: str) -> None:
        """Count a selection that was kept only after mending it (reported, never silent)."""
        self.fixed[what] = self.fixed.get(what, 0) + 1

    def skip(self, what: str, n: int = 1) -> None:
        self.skipped[what] = self.skipped.get(what, 0) + n

    def guid(self, el: etree._Element, *context: str, attr: str = "guid") -> str:
        return norm_guid(el.get(attr)) or coin_guid(local(el), *context)

    def ref(self, el: etree._Element) -> str | None:
        return norm_guid(el.get("targetGUID"))

    def text_of(self, el: etree._Element, what: str) -> str | None:
        """PlainTextContent, else the file plainTextPath points to (internal only)."""
        inline = kid(el, "PlainTextContent")
        if inline is not None:
            return inline.text or ""
        path = el.get("plainTextPath")
        if not path:
            return None
        scheme = path.split("://", 1)[0].lower() if "://" in path else "internal"
        if scheme != "internal":
            self.warnings.append(f"{what}: text is outside the .qdpx ({path}); skipped")
            return None
        member = self.z.find_source(path)
        if member is None:
            self.warnings.append(f"{what}: {path} is missing from the .qdpx; skipped")
            return None
        text, odd = decode(self.z.read(member))
        if odd:
            self.warnings.append(f"{what}: text is not UTF-8; read as Windows-1252/UTF-16")
        return text

    def project(self, root: etree._Element) -> RefiProject:
        users = tuple(self.user(u) for u in grandkids(root, "Users", "User"))
        codes: tuple[CodeSpec, ...] = ()
        book = kid(root, "CodeBook")
        holder = kid(book, "Codes") if book is not None else None
        if holder is not None:
            try:
                codes = tuple(code_from_xml(c) for c in kids(holder, "Code"))
            except RefiError as exc:
                raise RefiError(f"{self.z.path}: {exc}") from exc
            for c in holder.iter():
                if local(c) == "Code":
                    for nr in kids(c, "NoteRef"):
                        self.own(self.ref(nr), "code", self.guid(c, c.get("name") or ""))
        variables = tuple(self.variable(v) for v in grandkids(root, "Variables", "Variable"))
        for link in grandkids(root, "Links", "Link"):
            a, b = norm_guid(link.get("originGUID")), norm_guid(link.get("targetGUID"))
            if a and b:
                self.note_owner.setdefault(a, ("link", b))
                self.note_owner.setdefault(b, ("link", a))
        for nr in kids(root, "NoteRef"):
            self.own(self.ref(nr), "project", "")
        sources = self.sources(kid(root, "Sources"))
        raw_notes = {}
        for n in grandkids(root, "Notes", "Note"):
            g = self.guid(n, n.get("name") or "")
            text = self.text_of(n, f"note {n.get('name') or g}")
            body = text if text is not None else kid_text(n, "Description")
            raw_notes[g] = RefiNote(
                g,
                (n.get("name") or "").strip(),
                (body or "").strip(),
                user_guid=norm_guid(n.get("creatingUser")),
                created=parse_dt(n.get("creationDateTime")),
                modified=parse_dt(n.get("modifiedDateTime")),
            )
        sources, notes = self.attach_notes(sources, raw_notes)
        cases = self.cases(kid(root, "Cases"), sources)
        for what, count in sorted(self.fixed.items()):
            self.warnings.append(f"{count:,} {what}")
        for what, count in sorted(self.skipped.items()):
            self.warnings.append(
                f"{count} {what} skipped (coder keeps text sources only)"
                if what in MEDIA
                else f"{count} {what} skipped"
            )
        return RefiProject(
            name=(root.get("name") or "").strip(),
            codes=codes,
            sources=tuple(sources),
            cases=cases,
            variables=variables,
            users=users,
            notes=tuple(notes),
            description=kid_text(root, "Description").strip(),
            origin=root.get("origin") or "",
            warnings=tuple(self.warnings),
            sets=tuple(self.a_set(el) for el in grandkids(root, "Sets", "Set")),
        )

    def a_set(self, el: etree._Element) -> RefiSet:
        """A Set: its member sources and codes (member notes are not kept)."""
        name = (el.get("name") or "").strip() or "(unnamed set)"

        def members(tag: str) -> tuple[str, ...]:
            found = (self.ref(m) for m in kids(el, tag))
            return tuple(dict.fromkeys(g for g in found if g))

        return RefiSet(
            self.guid(el, name),
            name,
            kid_text(el, "Description").strip(),
            members("MemberSource"),
            members("MemberCode"),
        )

    def own(self, note: str | None, kind: str, target: str) -> None:
        if note:
            self.note_owner.setdefault(note, (kind, target))

    def user(self, el: etree._Element) -> RefiUser:
        g = self.guid(el, el.get("name") or el.get("id") or "")
        return RefiUser(g, (el.get("name") or el.get("id") or f"user {g[:8]}").strip())

    def variable(self, el: etree._Element) -> RefiVariable:
        name = (el.get("name") or "").strip() or "(unnamed variable)"
        desc = kid_text(el, "Description").strip()
        kind = TYPES_FROM_REFI.get((el.get("typeOfVariable") or "Text").strip().lower(), "text")
        role = "organisation" if ORG_MARK in desc else ""
        scope = "organisation" if ORG_ATTR_MARK in desc else "case"
        clean = desc.replace(ORG_MARK, "").replace(ORG_ATTR_MARK, "").strip()
        return RefiVariable(self.guid(el, name), name, "text" if role else kind, scope, role, clean)

    def values(self, el: etree._Element) -> list[tuple[str, str]]:
        out = []
        for vv in kids(el, "VariableValue"):
            vr = kid(vv, "VariableRef")
            var = self.ref(vr) if vr is not None else None
            val = next((c for c in vv if local(c) in VALUE_TAGS), None)
            if var and val is not None and (val.text or "").strip():
                out.append((var, (val.text or "").strip()))
        return out

    def sources(self, holder: etree._Element | None) -> list[RefiSource]:
        out: list[RefiSource] = []
        texts = {
            (el.get("plainTextPath") or "").strip().lower()
            for el in (holder if holder is not None else ())
            if local(el) == "TextSource" and el.get("plainTextPath")
        }
        for el in holder if holder is not None else ():
            kind = local(el)
            name = (el.get("name") or "").strip()
            if kind == "TextSource":
                src = self.text_source(el, el, name)
                if src is not None:
                    out.append(src)
            elif kind == "PDFSource":
                rep = kid(el, "Representation")
                src = self.text_source(el, rep, name) if rep is not None else None
                if src is None:
                    self.skip("PDF sources without a text representation")
                else:
                    out.append(src)
                if any(True for _ in kids(el, "PDFSelection")):
                    self.warnings.append(f"{name}: PDF area selections skipped")
            elif kind in MEDIA:
                if kind == "PictureSource":
                    self.skip(kind)  # recordings are linked by coder.refi.media, or reported
                for t in kids(el, "Transcript"):
                    if (t.get("plainTextPath") or "").strip().lower() in texts:
                        continue  # the same text as a TextSource, read there with its codings
                    src = self.text_source(t, t, f"{name} (transcript)".strip())
                    if src is not None:
                        out.append(src)
                        if any(True for _ in kids(t, "TranscriptSelection")):
                            self.warnings.append(f"{name}: transcript codings skipped")
        return out

    def text_source(self, el: etree._Element, body: etree._Element, name: str) -> RefiSource | None:
        guid = self.guid(el, name)
        raw = self.text_of(body, f"source {name or guid}")
        if raw is None:
            if body.get("richTextPath") or el.get("path"):
                self.warnings.append(f"source {name or guid}: no plain text; skipped")
            return None
        text, pos = lf_text(raw)
        for nr in kids(el, "NoteRef"):
            self.own(self.ref(nr), "source", guid)
        self.source_values[guid] = self.values(el)
        codings: list[RefiCoding] = []
        for sel in kids(body, "PlainTextSelection"):
            try:
                a, b = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            except ValueError:
                self.skip("selections with unreadable positions")
                continue
            sel_guid = self.guid(sel, guid, str(a), str(b))
            if a > b:
                self.fix("reversed selections (end before start) swapped")
            inside = parts(sel)
            desc = inside.get("Description")
            memo = (desc[0].text or "").strip() if desc else ""
            for nr in inside.get("NoteRef", ()):
                self.own(self.ref(nr), "selection", sel_guid)
            for c in inside.get("Coding", ()):
                coding = self.coding(c, sel, pos(min(a, b)), pos(max(a, b)), len(text), memo)
                if coding is not None:
                    codings.append(coding)
                    self.selection_codings.setdefault(sel_guid, []).append(coding.guid)
        for c in kids(body, "Coding"):  # a code applied to the whole source
            coding = self.coding(c, body, 0, len(text), len(text), "")
            if coding is not None:
                codings.append(coding)
        return RefiSource(
            guid,
            name or f"Source {guid[:8]}",
            text,
            kid_text(el, "Description").strip(),
            parse_dt(el.get("creationDateTime")),
            norm_guid(el.get("creatingUser")),
            tuple(codings),
        )

    def coding(
        self, c: etree._Element, sel: etree._Element, start: int, end: int, length: int, memo: str
    ) -> RefiCoding | None:
        inside = parts(c)
        refs = inside.get("CodeRef")
        code = self.ref(refs[0]) if refs else None
        if code is None:
            self.skip("codings without a code")
            return None
        if end > length and start < length:
            self.fix("selections ending past their source's text cut at its end")
        end = min(end, length)
        if not 0 <= start < end:
            self.skip("codings outside their source's text")
            return None
        guid = self.guid(c, code, str(start), str(end))
        for nr in inside.get("NoteRef", ()):
            self.own(self.ref(nr), "coding", guid)
        return RefiCoding(
            guid,
            code,
            start,
            end,
            norm_guid(c.get("creatingUser") or sel.get("creatingUser")),
            parse_dt(c.get("creationDateTime") or sel.get("creationDateTime")),
            memo,
        )

    def attach_notes(
        self, sources: list[RefiSource], raw: dict[str, RefiNote]
    ) -> tuple[list[RefiSource], list[RefiNote]]:
        """Fold coding and selection notes into codings; the rest become memos."""
        by_coding: dict[str, list[RefiNote]] = {}
        notes: list[RefiNote] = []
        for g, note in raw.items():
            kind, target = self.note_owner.get(g, ("project", ""))
            if kind == "link":
                kind = (
                    "coding"
                    if target in self.all_codings
                    else ("selection" if target in self.selection_codings else "project")
                )
            if kind == "selection":
                for cg in self.selection_codings.get(target, []):
                    by_coding.setdefault(cg, []).append(note)
            elif kind == "coding":
                by_coding.setdefault(target, []).append(note)
            elif kind in ("code", "source"):
                notes.append(replace(note, kind=kind, target_guid=target))
            else:
                notes.append(replace(note, kind="project", target_guid=None))
        if not by_coding:
            return sources, notes
        out = []
        for src in sources:
            codings = []
            for c in src.codings:
                extra = by_coding.get(c.guid, [])
                exemplar = any(n.title == EXEMPLAR_NOTE for n in extra)
                memos = [c.memo] if c.memo else []
                memos += [
                    n.text
                    for n in extra
                    if n.title != EXEMPLAR_NOTE and n.text and n.text != c.memo
                ]
                codings.append(replace(c, memo="\n\n".join(memos), exemplar=exemplar))
            out.append(replace(src, codings=tuple(codings)))
        return out, notes

    @property
    def all_codings(self) -> set[str]:
        return {g for gs in self.selection_codings.values() for g in gs}

    def cases(
        self, holder: etree._Element | None, sources: list[RefiSource]
    ) -> tuple[RefiCase, ...]:
        names = {s.guid: s.name for s in sources}
        out: list[RefiCase] = []
        claimed: set[str] = set()
        for i, el in enumerate(kids(holder, "Case") if holder is not None else [], 1):
            refs = tuple(r for r in (self.ref(x) for x in kids(el, "SourceRef")) if r)
            name = (el.get("name") or "").strip()
            if not name:  # MAXQDA, Quirkos: a nameless case carries one document's variables
                name = names.get(refs[0], "") if len(refs) == 1 else ""
                name = name or f"Case {i}"
            mine = tuple(r for r in refs if r in names and r not in claimed)
            claimed.update(mine)
            values = self.values(el)
            have = {v for v, _ in values}
            for r in mine:
                values += [(v, t) for v, t in self.source_values.get(r, []) if v not in have]
            out.append(
                RefiCase(
                    self.guid(el, name),
                    name,
                    kid_text(el, "Description").strip(),
                    tuple(values),
                    mine,
                )
            )
        for src in sources:
            vals = self.source_values.get(src.guid, [])
            if vals and src.guid not in claimed:
                out.append(
                    RefiCase(coin_guid("case", src.guid), src.name, "", tuple(vals), (src.guid,))
                )
        return tuple(out)


def read_qdpx(path: str | Path, limits: QdpxLimits | None = None) -> RefiProject:
    """A .qdpx as a RefiProject; one-line RefiError for anything hostile or unreadable."""
    with SafeZip(path, limits) as z:
        qde = z.qde_name()
        root = parse_xml(z.read(qde), f"{path}: {qde}")
        if local(root) != "Project":
            raise RefiError(f"{path}: {qde} is not a REFI-QDA project (root <{local(root)}>)")
        return _Reader(z).project(root)
