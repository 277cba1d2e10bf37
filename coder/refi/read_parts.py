"""Reading the smaller parts of a .qdpx: users, the codebook, variables, cases, notes, sets.

Variables may sit on cases or, as MAXQDA writes them, on nameless cases or on the sources
themselves; notes may be linked by NoteRef or, as NVivo does, by Links. Notes on codings and
selections are folded into the codings' memos (`attach_notes`); the rest become memos.
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from coder.refi.model import (
    EXEMPLAR_NOTE,
    ORG_ATTR_MARK,
    ORG_MARK,
    TYPES_FROM_REFI,
    RefiCase,
    RefiNote,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiVariable,
)
from coder.refi.read_state import ReadState
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
)
from coder.vocab.dto import CodeSpec

VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue",
              "DateTimeValue")  # fmt: skip


def codebook(st: ReadState, book: etree._Element) -> tuple[CodeSpec, ...]:
    """The code tree of a <CodeBook>, claiming the notes its codes refer to."""
    holder = kid(book, "Codes")
    if holder is None:
        return ()
    try:
        codes = tuple(code_from_xml(c) for c in kids(holder, "Code"))
    except RefiError as exc:
        raise RefiError(f"{st.z.path}: {exc}") from exc
    for c in holder.iter():
        if local(c) == "Code":
            for nr in kids(c, "NoteRef"):
                st.own(st.ref(nr), "code", st.guid(c, c.get("name") or ""), claim="code")
    return codes


def links(st: ReadState, holder: etree._Element) -> None:
    """Notes linked to something (NVivo): each end of a Link may be the note."""
    for link in kids(holder, "Link"):
        a, b = norm_guid(link.get("originGUID")), norm_guid(link.get("targetGUID"))
        if a and b:
            st.own(a, "link", b, claim="link")
            st.own(b, "link", a, claim="link")


def user(st: ReadState, el: etree._Element) -> RefiUser:
    g = st.guid(el, el.get("name") or el.get("id") or "")
    return RefiUser(g, (el.get("name") or el.get("id") or f"user {g[:8]}").strip())


def variable(st: ReadState, el: etree._Element) -> RefiVariable:
    name = (el.get("name") or "").strip() or "(unnamed variable)"
    desc = kid_text(el, "Description").strip()
    kind = TYPES_FROM_REFI.get((el.get("typeOfVariable") or "Text").strip().lower(), "text")
    role = "organisation" if ORG_MARK in desc else ""
    scope = "organisation" if ORG_ATTR_MARK in desc else "case"
    clean = desc.replace(ORG_MARK, "").replace(ORG_ATTR_MARK, "").strip()
    return RefiVariable(st.guid(el, name), name, "text" if role else kind, scope, role, clean)


def values(
    st: ReadState, el: etree._Element, found: list[etree._Element] | None = None
) -> list[tuple[str, str]]:
    """The (variable GUID, value) pairs of a case or a source (`found`: its VariableValue
    elements, when the caller has them already)."""
    out = []
    for vv in kids(el, "VariableValue") if found is None else found:
        vr = kid(vv, "VariableRef")
        var = st.ref(vr) if vr is not None else None
        val = next((c for c in vv if local(c) in VALUE_TAGS), None)
        if var and val is not None and (val.text or "").strip():
            out.append((var, (val.text or "").strip()))
    return out


def a_set(st: ReadState, el: etree._Element) -> RefiSet:
    """A Set: its member sources and codes (member notes are not kept)."""
    name = (el.get("name") or "").strip() or "(unnamed set)"

    def members(tag: str) -> tuple[str, ...]:
        found = (st.ref(m) for m in kids(el, tag))
        return tuple(dict.fromkeys(g for g in found if g))

    return RefiSet(
        st.guid(el, name),
        name,
        kid_text(el, "Description").strip(),
        members("MemberSource"),
        members("MemberCode"),
    )


def notes(st: ReadState, holder: etree._Element) -> dict[str, RefiNote]:
    """The <Notes> by GUID, not yet told apart (see `attach_notes`)."""
    out = {}
    for n in kids(holder, "Note"):
        g = st.guid(n, n.get("name") or "")
        text = st.text_of(n, f"note {n.get('name') or g}", st.note_warnings)
        body = text if text is not None else kid_text(n, "Description")
        out[g] = RefiNote(
            g,
            (n.get("name") or "").strip(),
            (body or "").strip(),
            user_guid=norm_guid(n.get("creatingUser")),
            created=parse_dt(n.get("creationDateTime")),
            modified=parse_dt(n.get("modifiedDateTime")),
        )
    return out


def attach_notes(
    st: ReadState, sources: list[RefiSource], raw: dict[str, RefiNote]
) -> tuple[list[RefiSource], list[RefiNote]]:
    """Fold coding and selection notes into codings; the rest become memos."""
    owner = st.note_owner()
    by_coding: dict[str, list[RefiNote]] = {}
    found: list[RefiNote] = []
    all_codings: set[str] | None = None
    for g, note in raw.items():
        kind, target = owner.get(g, ("project", ""))
        if kind == "link":
            if all_codings is None:
                all_codings = {c for cs in st.selection_codings.values() for c in cs}
            kind = (
                "coding"
                if target in all_codings
                else ("selection" if target in st.selection_codings else "project")
            )
        span = st.span_notes.note(note, target) if kind == "selection" else None
        if span is not None:
            found.append(span)
        elif kind == "selection":
            for cg in st.selection_codings.get(target, []):
                by_coding.setdefault(cg, []).append(note)
        elif kind == "coding":
            by_coding.setdefault(target, []).append(note)
        elif kind in ("code", "source"):
            found.append(replace(note, kind=kind, target_guid=target))
        else:
            found.append(replace(note, kind="project", target_guid=None))
    if not by_coding:
        return sources, found
    out = []
    for src in sources:
        codings = []
        for c in src.codings:
            extra = by_coding.get(c.guid, [])
            if not extra:
                codings.append(c)
                continue
            exemplar = any(n.title == EXEMPLAR_NOTE for n in extra)
            memos = [c.memo] if c.memo else []
            memos += [
                n.text for n in extra if n.title != EXEMPLAR_NOTE and n.text and n.text != c.memo
            ]
            codings.append(replace(c, memo="\n\n".join(memos), exemplar=exemplar))
        out.append(replace(src, codings=tuple(codings)))
    return out, found


def cases(
    st: ReadState, holder: etree._Element | None, sources: list[RefiSource]
) -> tuple[RefiCase, ...]:
    """The cases, with the variables MAXQDA puts on nameless cases or on sources."""
    names = {s.guid: s.name for s in sources}
    out: list[RefiCase] = []
    claimed: set[str] = set()
    for i, el in enumerate(kids(holder, "Case") if holder is not None else [], 1):
        refs = tuple(r for r in (st.ref(x) for x in kids(el, "SourceRef")) if r)
        name = (el.get("name") or "").strip()
        if not name:  # MAXQDA, Quirkos: a nameless case carries one document's variables
            name = names.get(refs[0], "") if len(refs) == 1 else ""
            name = name or f"Case {i}"
        mine = tuple(r for r in refs if r in names and r not in claimed)
        claimed.update(mine)
        vals = values(st, el)
        have = {v for v, _ in vals}
        for r in mine:
            vals += [(v, t) for v, t in st.source_values.get(r, []) if v not in have]
        out.append(
            RefiCase(
                st.guid(el, name),
                name,
                kid_text(el, "Description").strip(),
                tuple(vals),
                mine,
            )
        )
    for src in sources:
        vals = st.source_values.get(src.guid, [])
        if vals and src.guid not in claimed:
            out.append(
                RefiCase(coin_guid("case", src.guid), src.name, "", tuple(vals), (src.guid,))
            )
    return tuple(out)
