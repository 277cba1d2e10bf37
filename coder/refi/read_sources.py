"""Reading the sources of a .qdpx: their text and the codings on it.

Text comes inline (PlainTextContent) or from a file in the archive (plainTextPath); CRLF line
endings are turned into LF and every offset is mapped onto the LF text coder stores. PDF
sources keep their text representation, media sources their transcripts; what coder cannot
hold (the media itself, PDF areas, transcript codings) is counted or listed in the warnings.
This runs once per selection on files with hundreds of thousands of them, so each element's
children are read in a single pass.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from lxml import etree

from coder.refi.model import RefiCoding, RefiSource
from coder.refi.read_parts import values
from coder.refi.read_state import MEDIA, ReadState
from coder.refi.xml import coin_guid, kid, kids, local, norm_guid, parse_dt, parts, ref_guid

SOURCE_TAGS = ("TextSource", "PDFSource", *MEDIA)


def lf_text(text: str) -> tuple[str, Callable[[int], int]]:
    """The text with CRLF/CR turned into LF, and the map from old offsets to new ones."""
    if "\r" not in text:
        return text, lambda p: p
    removed = [m.start() for m in re.finditer("\r\n", text)]
    new = text.replace("\r\n", "\n").replace("\r", "\n")
    return new, lambda p: p - bisect.bisect_left(removed, p)


def text_path(el: etree._Element) -> str:
    """A TextSource's plainTextPath as compared with a recording's Transcript ("" if none)."""
    return (el.get("plainTextPath") or "").strip().lower()


def read_source(
    st: ReadState, el: etree._Element, texts: frozenset[str] = frozenset()
) -> list[RefiSource]:
    """The text sources one element of <Sources> holds (none, one, or a media's transcripts).

    `texts` are the plainTextPaths of the project's TextSources: a recording's Transcript
    with one of them is the same text, read there with its codings, and is not read again."""
    kind = local(el)
    name = (el.get("name") or "").strip()
    out: list[RefiSource] = []
    if kind == "TextSource":
        src = text_source(st, el, el, name)
        if src is not None:
            out.append(src)
    elif kind == "PDFSource":
        rep = kid(el, "Representation")
        src = text_source(st, el, rep, name) if rep is not None else None
        if src is None:
            st.skip("PDF sources without a text representation")
        else:
            out.append(src)
        if any(True for _ in kids(el, "PDFSelection")):
            st.warnings.append(f"{name}: PDF area selections skipped")
    elif kind in MEDIA:
        if kind == "PictureSource":
            st.skip(kind)  # recordings are linked by coder.refi.media, or reported
        for t in kids(el, "Transcript"):
            if text_path(t) in texts:
                continue  # the same text as a TextSource, read there with its codings
            src = text_source(st, t, t, f"{name} (transcript)".strip())
            if src is not None:
                out.append(src)
                if any(True for _ in kids(t, "TranscriptSelection")):
                    st.warnings.append(f"{name}: transcript codings skipped")
    return out


def text_source(
    st: ReadState, el: etree._Element, body: etree._Element, name: str
) -> RefiSource | None:
    """One source's text and codings; `body` holds the text and selections, `el` the rest."""
    guid = st.guid(el, name)
    inside = parts(el)  # one pass over the source's children, which are mostly selections
    held = inside if body is el else parts(body)
    inline = held.get("PlainTextContent", [None])[0]
    raw = st.text_from(body, inline, f"source {name or guid}")
    if raw is None:
        if body.get("richTextPath") or el.get("path"):
            st.warnings.append(f"source {name or guid}: no plain text; skipped")
        return None
    text, pos = lf_text(raw)
    for nr in inside.get("NoteRef", ()):
        st.own(st.ref(nr), "source", guid)
    st.source_values[guid] = values(st, el, inside.get("VariableValue", []))
    codings: list[RefiCoding] = []
    length = len(text)
    for sel in held.get("PlainTextSelection", ()):
        selection(st, sel, guid, pos, length, codings)
    for c in held.get("Coding", ()):  # a code applied to the whole source
        coding = one_coding(st, c, body, 0, length, length, "")
        if coding is not None:
            codings.append(coding)
    desc = inside.get("Description")
    return RefiSource(
        guid,
        name or f"Source {guid[:8]}",
        text,
        (desc[0].text or "").strip() if desc else "",
        parse_dt(el.get("creationDateTime")),
        norm_guid(el.get("creatingUser")),
        tuple(codings),
    )


def selection(
    st: ReadState,
    sel: etree._Element,
    source: str,
    pos: Callable[[int], int],
    length: int,
    out: list[RefiCoding],
) -> None:
    """The codings of one PlainTextSelection, appended to `out`."""
    get = sel.get
    try:
        a, b = int(get("startPosition", "")), int(get("endPosition", ""))
    except ValueError:
        st.skip("selections with unreadable positions")
        return
    sel_guid = norm_guid(get("guid")) or coin_guid("PlainTextSelection", source, str(a), str(b))
    if a > b:
        st.fix("reversed selections (end before start) swapped")
        a, b = b, a
    memo: str | None = None
    notes: list[etree._Element] = []
    found: list[etree._Element] = []
    for child in sel:
        tag = local(child)
        if tag == "Coding":
            found.append(child)
        elif tag == "NoteRef":
            notes.append(child)
        elif tag == "Description" and memo is None:
            memo = (child.text or "").strip()
    for nr in notes:
        st.own(st.ref(nr), "selection", sel_guid)
    start, end = pos(a), pos(b)
    if found:
        for c in found:
            coding = one_coding(st, c, sel, start, end, length, memo or "")
            if coding is not None:
                out.append(coding)
                st.coded_selections.append((sel_guid, coding.guid))
    elif notes:  # a note on uncoded text (coder.refi.notes)
        st.span_notes.selection(sel_guid, source, start, min(end, length))


def one_coding(
    st: ReadState,
    c: etree._Element,
    sel: etree._Element,
    start: int,
    end: int,
    length: int,
    memo: str,
) -> RefiCoding | None:
    """A Coding inside a selection (or on a whole source) as a RefiCoding, or None."""
    code: str | None = None
    notes: list[etree._Element] | None = None
    for child in c:
        tag = local(child)
        if tag == "CodeRef":
            if code is None:
                code = ref_guid(child.get("targetGUID")) or ""
        elif tag == "NoteRef":
            if notes is None:
                notes = []
            notes.append(child)
    if not code:
        st.skip("codings without a code")
        return None
    if end > length:
        if start < length:
            st.fix("selections ending past their source's text cut at its end")
        end = length
    if not 0 <= start < end:
        st.skip("codings outside their source's text")
        return None
    get = c.get
    guid = norm_guid(get("guid")) or coin_guid("Coding", code, str(start), str(end))
    for nr in notes or ():
        st.own(st.ref(nr), "coding", guid)
    return RefiCoding(
        guid,
        code,
        start,
        end,
        ref_guid(get("creatingUser") or sel.get("creatingUser")),
        parse_dt(get("creationDateTime") or sel.get("creationDateTime")),
        memo,
    )
