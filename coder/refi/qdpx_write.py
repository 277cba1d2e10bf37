"""Writing a REFI-QDA project (.qdpx): project.qde plus the source texts, zipped.

The result validates against the standard's Project.xsd. Each source is a UTF-8 text file
`sources/<GUID>.txt`, referred to as `internal://<GUID>.txt`; each coding is a
PlainTextSelection (code-point offsets, end exclusive) holding one Coding, whose GUID is the
coding's own, so a round trip keeps every identifier. Coding memos and the exemplar mark become
Notes referenced from the Coding, the only place the standard leaves for them; the memo is
also the selection's Description and the coder is written on the selection too, because
QualCoder's importer reads both from the PlainTextSelection, not the Coding.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import IO
from xml.sax.saxutils import escape

from lxml import etree

from coder import __version__
from coder.refi.model import (
    EXEMPLAR_NOTE,
    EXEMPLAR_TEXT,
    TYPES_TO_REFI,
    RefiCase,
    RefiNote,
    RefiProject,
    RefiSource,
    RefiVariable,
    memos_text,
)
from coder.refi.notes import selections_xml
from coder.refi.xml import NS_PROJECT, clean, code_to_xml, coin_guid, iso, xml_bytes
from coder.vocab.values import is_date, is_decimal, is_integer

P = f"{{{NS_PROJECT}}}"
NAME_CHARS = 40
PLACEHOLDER = b"<Sources/>"
ZIP64_FROM = 1 << 30
_ATTR = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def _sub(parent: etree._Element, tag: str, **attrs: str | None) -> etree._Element:
    return etree.SubElement(parent, P + tag, {k: v for k, v in attrs.items() if v is not None})


def _value(parent: etree._Element, var: RefiVariable, text: str) -> None:
    vv = _sub(parent, "VariableValue")
    _sub(vv, "VariableRef", targetGUID=var.guid)
    t = text.strip()
    if var.type == "integer" and is_integer(t):
        _sub(vv, "IntegerValue").text = str(int(t))
    elif var.type == "number" and is_decimal(t):
        _sub(vv, "FloatValue").text = t
    elif var.type == "date" and is_date(t):
        _sub(vv, "DateValue").text = t
    else:
        _sub(vv, "TextValue").text = clean(text)


def _case(parent: etree._Element, case: RefiCase, variables: dict[str, RefiVariable]) -> None:
    el = _sub(parent, "Case", guid=case.guid, name=clean(case.name))
    if case.description:
        _sub(el, "Description").text = clean(case.description)
    for var_guid, text in case.values:
        if text.strip() and var_guid in variables:
            _value(el, variables[var_guid], text)
    for sg in case.source_guids:
        _sub(el, "SourceRef", targetGUID=sg)


def _attrs(**attrs: str | None) -> str:
    """XML attributes, escaped (tabs and line breaks kept as character references)."""
    return "".join(f' {k}="{escape(clean(v), _ATTR)}"' for k, v in attrs.items() if v is not None)


def _source(
    src: RefiSource,
    notes_for: dict[str, list[str]],
    coding_notes: list[RefiNote],
    memos_for: dict[str, list[RefiNote]],
) -> str:
    """One TextSource as XML text (the bulk of a project, so written as strings, not nodes)."""
    out = [
        "<TextSource"
        + _attrs(
            guid=src.guid,
            name=src.name,
            plainTextPath=f"internal://{src.guid}.txt",
            creatingUser=src.user_guid,
            creationDateTime=iso(src.created),
        )
        + ">"
    ]
    # QualCoder reads a source's memo only from its Description, so the memos go there too
    # (coder's reader recognises them and keeps only the Notes).
    desc = src.description or memos_text(memos_for.get(src.guid, []))
    if desc:
        out.append(f"<Description>{escape(clean(desc))}</Description>")
    for c in src.codings:
        name = " ".join(src.text[c.start : min(c.end, c.start + 4 * NAME_CHARS)].split())
        if len(name) > NAME_CHARS or c.end - c.start > 4 * NAME_CHARS:
            name = name[: NAME_CHARS - 1] + "\u2026"
        stamp = iso(c.created)
        out.append(
            "<PlainTextSelection"
            + _attrs(
                guid=coin_guid("selection", c.guid),
                name=name,
                startPosition=str(c.start),
                endPosition=str(c.end),
                creatingUser=c.user_guid,
                creationDateTime=stamp,
            )
            + ">"
        )
        if c.memo:  # QualCoder reads a coding's memo from the selection's Description
            out.append(f"<Description>{escape(clean(c.memo))}</Description>")
        out.append(
            "<Coding" + _attrs(guid=c.guid, creatingUser=c.user_guid, creationDateTime=stamp) + ">"
        )
        out.append(f'<CodeRef targetGUID="{c.code_guid}"/>')
        # A coding's memo and its exemplar mark travel as notes on the coding.
        for wanted, seed, title, text in (
            (bool(c.memo), "coding-memo", "Coding memo", c.memo),
            (c.exemplar, "exemplar", EXEMPLAR_NOTE, EXEMPLAR_TEXT),
        ):
            if wanted:
                guid = coin_guid(seed, c.guid)
                coding_notes.append(
                    RefiNote(guid, title, text, "coding", c.guid, c.user_guid, c.created)
                )
                out.append(f'<NoteRef targetGUID="{guid}"/>')
        out.append("</Coding></PlainTextSelection>")
    out.append(selections_xml(src.text, memos_for.get("span:" + src.guid, [])))
    out += [f'<NoteRef targetGUID="{g}"/>' for g in notes_for.get(src.guid, [])]
    out.append("</TextSource>")
    return "".join(out)


def journal_path(note: RefiNote) -> str | None:
    """A project memo's text file in the archive (`sources/<GUID>.txt`), else None.

    A project memo is also written as a file its Note points to: QualCoder turns only such
    Notes into journals, its place for project memos. The text stays in PlainTextContent too,
    which coder and the other readers take first."""
    return f"{note.guid}.txt" if note.kind == "project" and note.text else None


def _note(parent: etree._Element, note: RefiNote) -> None:
    path = journal_path(note)
    el = _sub(
        parent,
        "Note",
        guid=note.guid,
        name=clean(note.title or "Memo"),
        plainTextPath=f"internal://{path}" if path else None,
        creatingUser=note.user_guid,
        creationDateTime=iso(note.created),
        modifiedDateTime=iso(note.modified),
    )
    _sub(el, "PlainTextContent").text = clean(note.text)


def project_xml(proj: RefiProject) -> bytes:
    """project.qde for `proj`: users, codebook, variables, cases, sources, notes."""
    return b"".join(project_xml_parts(proj))


def project_xml_parts(proj: RefiProject) -> Iterator[bytes]:
    """project.qde for `proj` in pieces, one per source between the head and the tail, so
    that the XML of a large project never has to exist in memory at once."""
    root = etree.Element(P + "Project", nsmap={None: NS_PROJECT})  # type: ignore[dict-item]
    root.set("name", clean(proj.name or "coder project"))
    root.set("origin", proj.origin or f"coder {__version__}")
    if proj.users:
        users = _sub(root, "Users")
        for u in proj.users:
            _sub(users, "User", guid=u.guid, name=clean(u.name))
    notes_for: dict[str, list[str]] = {}
    for n in proj.notes:
        if n.target_guid and n.kind in ("code", "source"):
            notes_for.setdefault(n.target_guid, []).append(n.guid)
    code_memos: dict[str, tuple[str, ...]] = {}
    for n in proj.notes:
        if n.kind == "code" and n.target_guid and n.text.strip():
            code_memos[n.target_guid] = (*code_memos.get(n.target_guid, ()), n.text)
    if proj.codes:
        codes = _sub(_sub(root, "CodeBook"), "Codes")
        for spec in proj.codes:
            code_to_xml(codes, spec, NS_PROJECT, notes_for, code_memos)
    variables = {v.guid: v for v in proj.variables}
    if proj.variables:
        vars_el = _sub(root, "Variables")
        for v in proj.variables:
            el = _sub(
                vars_el,
                "Variable",
                guid=v.guid,
                name=clean(v.name),
                typeOfVariable=TYPES_TO_REFI.get(v.type, "Text"),
            )
            if v.description:
                _sub(el, "Description").text = clean(v.description)
    if proj.cases:
        cases = _sub(root, "Cases")
        for case in proj.cases:
            _case(cases, case, variables)
    coding_notes: list[RefiNote] = []
    memos_for: dict[str, list[RefiNote]] = {}
    for n in proj.notes:
        if n.kind == "source" and n.target_guid:
            memos_for.setdefault(n.target_guid, []).append(n)
        elif n.kind == "span" and n.target_guid:  # notes on uncoded text: see coder.refi.notes
            memos_for.setdefault("span:" + n.target_guid, []).append(n)
    if proj.sources:
        _sub(root, "Sources")  # a placeholder: the sources are written as text in its place
        head, _, _ = xml_bytes(root, pretty=False).partition(PLACEHOLDER)
        yield head + b"<Sources>"
        for src in proj.sources:
            yield _source(src, notes_for, coding_notes, memos_for).encode("utf-8")
    _tail(root, proj, coding_notes)
    data = xml_bytes(root, pretty=False)
    if not proj.sources:
        yield data
        return
    _, sep, tail = data.partition(PLACEHOLDER)
    assert sep, "the Sources placeholder is missing"
    yield b"</Sources>" + tail


def _tail(root: etree._Element, proj: RefiProject, coding_notes: list[RefiNote]) -> None:
    """What follows the sources: notes (with the coding notes), sets, the description."""
    all_notes = [*proj.notes, *coding_notes]
    if all_notes:
        notes_el = _sub(root, "Notes")
        for n in all_notes:
            _note(notes_el, n)
    sets = [st for st in proj.sets if st.source_guids or st.code_guids]
    if sets:
        sets_el = _sub(root, "Sets")
        for st in sets:
            el = _sub(sets_el, "Set", guid=st.guid, name=clean(st.name))
            if st.description:
                _sub(el, "Description").text = clean(st.description)
            for g in st.code_guids:
                _sub(el, "MemberCode", targetGUID=g)
            for g in st.source_guids:
                _sub(el, "MemberSource", targetGUID=g)
    # QualCoder's project memo is the project's Description: without a codebook description
    # the project memos go there too (coder's importer recognises them and keeps the Notes).
    desc = proj.description or memos_text([n for n in proj.notes if n.kind == "project"])
    if desc:
        _sub(root, "Description").text = clean(desc)
    for n in proj.notes:
        if n.kind == "project":
            _sub(root, "NoteRef", targetGUID=n.guid)


def write_qdpx(proj: RefiProject) -> bytes:
    """The whole .qdpx as bytes: project.qde and sources/<GUID>.txt for every source."""
    buf = io.BytesIO()
    write_qdpx_to(proj, buf)
    return buf.getvalue()


def write_qdpx_to(proj: RefiProject, out: IO[bytes]) -> None:
    """Write the .qdpx into `out`, project.qde streamed piece by piece into the zip."""
    # Level 1: a third of the time of the default for a file about 15% larger.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        # The XML is about three times the text plus a few hundred bytes a coding; past 2 GB
        # the zip entry needs the zip64 form, which has to be chosen before writing.
        size = sum(3 * len(s.text) + 600 * len(s.codings) for s in proj.sources)
        with z.open("project.qde", "w", force_zip64=size > ZIP64_FROM) as qde:
            for piece in project_xml_parts(proj):
                qde.write(piece)
        for src in proj.sources:
            z.writestr(f"sources/{src.guid}.txt", src.text.encode("utf-8", "replace"))
        for note in proj.notes:
            path = journal_path(note)
            if path:
                z.writestr(f"sources/{path}", clean(note.text).encode("utf-8", "replace"))
