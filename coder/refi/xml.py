"""Shared REFI-QDA XML rules: hardened parsing, GUIDs, colours, and the code tree.

Files come from other programs and from strangers, so parsing refuses any DOCTYPE (no entity
expansion, no external DTDs) before lxml sees the document, and never touches the network.
Reading is lenient where the standard is: elements are matched by local name, so Transana's
`urn:QDA-XML:project:0:10` namespace or a missing namespace still read; GUIDs may come in
braces or upper case; colours may be missing or three-digit.

A REFI code has only a name and a Description, while a coder code also has inclusion and
exclusion criteria, keywords and examples. They travel inside the Description as labelled
lines after the definition and a "---" line ("Inclusion: ...", "Keywords: a; b",
"Example: ..."), which other programs show as readable text and coder reads back into the
separate fields.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from lxml import etree

from coder.archive import BadXml, UnsafeXml, harden_iterparse, harden_parse
from coder.errors import UserError
from coder.vocab.codebook_limits import MAX_CODE_DEPTH, MAX_NAME_CHARS, too_deep, too_long_name
from coder.vocab.dto import CodeSpec

NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
NS_PROJECT = "urn:QDA-XML:project:1.0"
COLOR = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12})\}?$"
)
_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").fullmatch
RULE = "---"
_LABELLED = re.compile(r"^(Inclusion|Exclusion|Keywords|Example|Memo): ?(.*)$")
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_COINED = uuid.UUID("6c0de000-4ef1-4c0d-8e00-000000000000")


class RefiError(UserError):
    """A REFI-QDA file coder refuses or cannot read (one line)."""


def parse_xml(data: bytes, where: str) -> etree._Element:
    """Parse untrusted XML: any DOCTYPE or ENTITY is refused, nothing is fetched."""
    with xml_errors(where):
        return harden_parse(data)


def may_name(data: bytes, names: tuple[str, ...]) -> bool:
    """False only when `data` is XML in an ASCII-compatible encoding that contains none of
    `names`: a quick way to skip parsing a document for elements it cannot have."""
    body = data.removeprefix(b"\xef\xbb\xbf")
    if body[:1] != b"<" or body[1:2] == b"\x00":
        return True  # UTF-16 or UTF-32 (or not XML): only a parse can tell
    return any(name.encode("ascii") in body for name in names)


def parse_outline(data: bytes, where: str, hollow: tuple[str, ...]) -> etree._Element:
    """Parse untrusted XML as `parse_xml` does, but empty each element named in `hollow`
    (keeping its attributes) as soon as it ends: the outline of a project.qde without its
    200,000 selections costs a fraction of the whole tree's time and memory."""
    root: etree._Element | None = None
    with xml_errors(where):
        for el in harden_iterparse(data, [f"{{*}}{name}" for name in hollow]):
            if el.getparent() is None:
                root = el
                break
            attrs = list(el.attrib.items())
            el.clear()
            el.attrib.update(attrs)
    assert root is not None  # harden_iterparse ends with the root or raises
    return root


@contextmanager
def xml_errors(where: str) -> Iterator[None]:
    """Word a refusal of coder.archive's hardened parsers as one RefiError line."""
    try:
        yield
    except UnsafeXml:
        raise RefiError(f"{where}: has a DOCTYPE (entity declarations are refused)") from None
    except BadXml as exc:
        if str(exc) == "empty XML document":
            raise RefiError(f"{where}: empty XML document") from None
        raise RefiError(f"{where}: not well-formed XML ({exc})") from None


def clean(text: str) -> str:
    """Text lxml will accept: characters XML 1.0 forbids become U+FFFD."""
    return _BAD_XML.sub("\ufffd", text)


def xml_bytes(root: etree._Element, pretty: bool = True) -> bytes:
    """UTF-8 bytes with the declaration in the double-quoted form every reader accepts."""
    body = etree.tostring(root, encoding="UTF-8", pretty_print=pretty)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


_LOCAL: dict[str, str] = {}


def local(el: etree._Element) -> str:
    """The tag without its namespace ("" for comments and the like); memoised per tag."""
    tag = el.tag
    try:
        return _LOCAL[tag]
    except (KeyError, TypeError):
        if not isinstance(tag, str):
            return ""
        name = _LOCAL[tag] = tag.rsplit("}", 1)[-1]
        return name


def parts(el: etree._Element) -> dict[str, list[etree._Element]]:
    """Child elements grouped by local name, in one pass."""
    out: dict[str, list[etree._Element]] = {}
    for c in el:
        out.setdefault(local(c), []).append(c)
    return out


def kids(el: etree._Element, name: str) -> Iterator[etree._Element]:
    """Child elements with this local name, in any namespace."""
    for c in el:
        if local(c) == name:
            yield c


def kid(el: etree._Element, name: str) -> etree._Element | None:
    return next(kids(el, name), None)


def kid_text(el: etree._Element, name: str) -> str:
    found = kid(el, name)
    return (found.text or "") if found is not None else ""


def norm_guid(value: str | None) -> str | None:
    """A GUID in coder's form (lower case, no braces), or None if it is not one."""
    if value and len(value) == 36 and _CANONICAL(value):
        return value  # already in coder's form: most GUIDs, each seen once or twice
    return _odd_guid(value)


ref_guid = lru_cache(maxsize=1 << 12)(norm_guid)
"""`norm_guid` for references that repeat across a file's codings (the code a coding names,
the user who made it): each distinct value is checked once."""


@lru_cache(maxsize=1 << 16)  # braced or upper-case code and user GUIDs repeat across codings
def _odd_guid(value: str | None) -> str | None:
    if not value:
        return None
    m = GUID.match(value.strip())
    return m.group(1).lower() if m else None


def coin_guid(*parts: str) -> str:
    """A GUID derived from names, for elements that came without one (stable across reads)."""
    return str(uuid.uuid5(_COINED, "\x1f".join(parts)))


def norm_color(value: str | None) -> str | None:
    """#rrggbb in lower case, from #rgb or #rrggbb (with or without #); None otherwise."""
    if not value:
        return None
    m = COLOR.match(value.strip())
    if not m:
        return None
    hexes = m.group(1)
    if len(hexes) == 3:
        hexes = "".join(ch * 2 for ch in hexes)
    return "#" + hexes.lower()


def iso(dt: datetime | None) -> str | None:
    """An xsd:dateTime in UTC with a Z (naive datetimes are taken as UTC)."""
    if dt is None:
        return None
    if dt.tzinfo is not None and dt.utcoffset():
        dt = dt.astimezone(UTC)
    return dt.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


@lru_cache(maxsize=1 << 16)
def parse_dt(value: str | None) -> datetime | None:
    """An xsd:dateTime (with or without zone), or None when absent or unreadable."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def encode_description(spec: CodeSpec, memos: tuple[str, ...] = ()) -> str:
    """The code's definition, a "---" line, then its other fields as labelled lines.

    `memos` (a project's code memos, which also travel as Notes) end the block as "Memo:"
    lines because QualCoder reads a code's memo only from its Description; reading drops them.
    """
    lines = []
    if spec.inclusion:
        lines.append(f"Inclusion: {spec.inclusion}")
    if spec.exclusion:
        lines.append(f"Exclusion: {spec.exclusion}")
    if spec.keywords:
        lines.append("Keywords: " + "; ".join(spec.keywords))
    lines += [f"Example: {e}" for e in spec.examples]
    lines += [f"Memo: {m}" for m in memos if m.strip()]
    if not lines:
        return spec.description
    return (spec.description + "\n" if spec.description else "") + RULE + "\n" + "\n".join(lines)


def decode_description(text: str) -> dict[str, Any]:
    """Split a Description back into definition, inclusion, exclusion, keywords, examples.

    The labelled block is recognised only after a line holding just `RULE`, the way
    `encode_description` writes it, so another program's prose that happens to start a line
    with "Example:" stays in the definition.
    """
    text = (text or "").replace("\r\n", "\n").strip()
    out: dict[str, Any] = {
        "description": text,
        "inclusion": "",
        "exclusion": "",
        "keywords": (),
        "examples": (),
    }
    head, sep, block = (
        text.rpartition(f"\n{RULE}\n")
        if f"\n{RULE}\n" in text
        else (("", RULE, text[len(RULE) + 1 :]) if text.startswith(f"{RULE}\n") else ("", "", ""))
    )
    lines = block.split("\n")
    if not sep or not _LABELLED.match(lines[0]):
        return out
    fields: list[list[str]] = []
    for line in lines:
        m = _LABELLED.match(line)
        if m:
            fields.append([m.group(1), m.group(2)])
        else:
            fields[-1][1] += "\n" + line
    examples = []
    for label, value in fields:
        if label == "Keywords":
            out["keywords"] = tuple(k.strip() for k in value.split(";") if k.strip())
        elif label == "Example":
            examples.append(value.strip())
        elif label == "Memo":
            continue  # the memo itself is read from its Note
        else:
            out[label.lower()] = value.strip()
    out["examples"] = tuple(examples)
    out["description"] = head.strip()
    return out


def code_from_xml(el: etree._Element, path: tuple[str, ...] = ()) -> CodeSpec:
    """A Code element (and its sub-codes) as a CodeSpec; lenient about every attribute."""
    name = (el.get("name") or "").strip() or "(unnamed code)"
    if len(path) >= MAX_CODE_DEPTH:
        raise RefiError(f"line {el.sourceline}: {too_deep(len(path) + 1)}")
    if len(name) > MAX_NAME_CHARS:
        raise RefiError(f"line {el.sourceline}: {too_long_name(len(name))}")
    here = (*path, name)
    fields = decode_description(kid_text(el, "Description"))
    codable = (el.get("isCodable") or "true").strip().lower() not in ("false", "0")
    children = tuple(code_from_xml(c, here) for c in kids(el, "Code"))
    return CodeSpec(
        name=name,
        guid=norm_guid(el.get("guid")) or coin_guid("code", *here),
        color=norm_color(el.get("color")),
        description=str(fields["description"]),
        inclusion=str(fields["inclusion"]),
        exclusion=str(fields["exclusion"]),
        keywords=fields["keywords"],
        examples=fields["examples"],
        codable=codable,
        children=children,
    )


def code_to_xml(
    parent: etree._Element,
    spec: CodeSpec,
    ns: str,
    note_refs: dict[str, list[str]] | None = None,
    memos: dict[str, tuple[str, ...]] | None = None,
) -> etree._Element:
    """Append a Code element (Description, NoteRefs in a project, sub-codes) under `parent`."""
    guid = norm_guid(spec.guid) or coin_guid("code", spec.name)
    codable = "true" if spec.codable else "false"
    attrs = {"guid": guid, "name": clean(spec.name), "isCodable": codable}
    color = norm_color(spec.color)
    if color:
        attrs["color"] = color
    el = etree.SubElement(parent, f"{{{ns}}}Code", attrs)
    desc = encode_description(spec, (memos or {}).get(guid, ()))
    if desc:
        etree.SubElement(el, f"{{{ns}}}Description").text = clean(desc)
    for note in (note_refs or {}).get(guid, []):
        etree.SubElement(el, f"{{{ns}}}NoteRef", targetGUID=note)
    for child in spec.children:
        code_to_xml(el, child, ns, note_refs, memos)
    return el
