"""Read Word (.docx) transcripts safely and find their speaker turns.

python-docx is convenient but trusts the zip it is given; interview files are
untrusted, so the container is opened through :mod:`coder.archive` and
only ``word/document.xml`` is read, with a hardened parser. The body is then
walked in order: paragraphs (with bold ``Speaker:`` labels, the most common
layout in hand-made transcripts) and tables (``speaker | text`` rows).
"""

from __future__ import annotations

from lxml import etree

from coder.archive import open_zip, parse_xml, read_member
from coder.ingest.render import Block, clean_inline, labelled_block, render_blocks
from coder.ingest.tables import plausible_speaker, table_blocks
from coder.ingest.turns import match_label
from coder.vocab.limits import Limits
from coder.vocab.transcript import IngestError, ParsedSource

KIND = "a Word document"
DOCUMENT_PART = "word/document.xml"
_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
_FALSE_VALUES = frozenset({"0", "false", "off", "none"})
_COLONS = (":", "：")
# Inline wrappers whose runs are part of the visible paragraph text.
_INLINE_CONTAINERS = (
    "hyperlink",
    "ins",
    "smartTag",
    "sdt",
    "sdtContent",
    "fldSimple",
    "customXml",
    "moveTo",
    "dir",
    "bdo",
)
# Block wrappers around paragraphs and tables.
_BLOCK_CONTAINERS = ("sdt", "sdtContent", "customXml")


class _Doc:
    """Clark-notation tag names resolved once per document namespace."""

    def __init__(self, ns: str) -> None:
        def tag(local: str) -> str:
            return f"{{{ns}}}{local}"

        self.body, self.p, self.r, self.t, self.tbl = (
            tag("body"),
            tag("p"),
            tag("r"),
            tag("t"),
            tag("tbl"),
        )
        self.tr, self.tc, self.rpr, self.b, self.val = (
            tag("tr"),
            tag("tc"),
            tag("rPr"),
            tag("b"),
            tag("val"),
        )
        self.rstyle = tag("rStyle")
        self.tabs = frozenset({tag("tab"), tag("ptab")})
        self.breaks = frozenset({tag("br"), tag("cr")})
        self.hyphen = tag("noBreakHyphen")
        self.inline = frozenset(tag(name) for name in _INLINE_CONTAINERS)
        self.blocks = frozenset(tag(name) for name in _BLOCK_CONTAINERS)


def parse_docx(data: bytes, limits: Limits) -> ParsedSource:
    """Parse the bytes of a .docx file.

    Args:
        data: The whole file.
        limits: Zip size and member limits.

    Returns:
        The rendered text (paragraphs joined by blank lines, table rows as
        ``"{speaker}: {text}"``) and its turns.

    Raises:
        IngestError: For anything that is not a safe, readable Word file.
    """
    with open_zip(data, KIND, limits) as archive:
        xml = read_member(archive, DOCUMENT_PART, KIND, limits.max_unzipped_bytes)
    root = parse_xml(xml, KIND, DOCUMENT_PART)
    ns = etree.QName(root).namespace
    if ns not in _NAMESPACES or etree.QName(root).localname != "document":
        raise IngestError(f"not {KIND} (unexpected {DOCUMENT_PART} content)")
    doc = _Doc(ns)
    body = root.find(doc.body)
    blocks: list[Block] = []
    if body is not None:
        _walk_body(body, doc, blocks)
    return render_blocks(blocks, "docx", None)


def _walk_body(parent: etree._Element, doc: _Doc, blocks: list[Block]) -> None:
    for child in parent:
        tag = child.tag
        if tag == doc.p:
            blocks.append(_paragraph_block(_runs(child, doc)))
        elif tag == doc.tbl:
            blocks.extend(table_blocks(_table_rows(child, doc)))
        elif tag in doc.blocks:
            _walk_body(child, doc, blocks)


def _is_bold(run: etree._Element, doc: _Doc) -> bool:
    props = run.find(doc.rpr)
    if props is None:
        return False
    style = props.find(doc.rstyle)
    if style is not None and (style.get(doc.val) or "").casefold() == "strong":
        return True
    bold = props.find(doc.b)
    if bold is None:
        return False
    return (bold.get(doc.val) or "true").casefold() not in _FALSE_VALUES


def _run_text(run: etree._Element, doc: _Doc) -> str:
    pieces: list[str] = []
    for child in run:
        tag = child.tag
        if tag == doc.t:
            pieces.append(child.text or "")
        elif tag in doc.tabs:
            pieces.append("\t")
        elif tag in doc.breaks:
            pieces.append("\n")
        elif tag == doc.hyphen:
            pieces.append("-")
    return "".join(pieces)


def _runs(paragraph: etree._Element, doc: _Doc) -> list[tuple[str, bool]]:
    """Visible text of a paragraph as ``(text, bold)`` pieces, in order.

    Deleted text (w:del), field instructions and text boxes are skipped.
    """
    out: list[tuple[str, bool]] = []
    for child in paragraph:
        tag = child.tag
        if tag == doc.r:
            text = _run_text(child, doc)
            if text:
                out.append((text, _is_bold(child, doc)))
        elif tag in doc.inline:
            out.extend(_runs(child, doc))
    return out


def _paragraph_text(paragraph: etree._Element, doc: _Doc) -> str:
    return "".join(text for text, _ in _runs(paragraph, doc))


def _paragraph_block(runs: list[tuple[str, bool]]) -> Block:
    """Make a block, with a label if the paragraph opens with a bold name.

    The label is the first non-blank bold run(s), ending with a colon or
    followed by one: ``**Interviewer:** text`` or ``**Interviewer**: text``.
    """
    plain = "".join(text for text, _ in runs)
    i = 0
    while i < len(runs) and not runs[i][0].strip():
        i += 1
    j = i
    while j < len(runs) and runs[j][1]:
        j += 1
    bold = "".join(text for text, _ in runs[i:j])
    if not bold.strip():
        return Block(clean_inline(plain).strip())
    lead = "".join(text for text, _ in runs[:i])
    rest = "".join(text for text, _ in runs[j:])
    label = bold.rstrip()
    if label.endswith(_COLONS):
        cut = len(label)
        prefix, remainder = lead + bold[:cut], bold[cut:] + rest
        name = label[:-1]
    elif rest.lstrip().startswith(_COLONS):
        cut = len(rest) - len(rest.lstrip()) + 1
        prefix, remainder = lead + bold + rest[:cut], rest[cut:]
        name = bold
    else:
        return Block(clean_inline(plain).strip())
    name = clean_inline(name).strip()
    parsed = match_label(name + ":")
    stamp = parsed.timestamp if parsed is not None else None
    if parsed is not None and parsed.content_start == len(name) + 1:
        name = parsed.name.strip()
    if not plausible_speaker(name):
        return Block(clean_inline(plain).strip())
    return labelled_block(prefix, remainder, name, stamp)


def _cell_text(cell: etree._Element, doc: _Doc) -> str:
    lines: list[str] = []
    for child in cell:
        tag = child.tag
        if tag == doc.p:
            lines.append(_paragraph_text(child, doc))
        elif tag == doc.tbl:
            lines.extend("\t".join(row) for row in _table_rows(child, doc))
        elif tag in doc.blocks:
            lines.append(_cell_text(child, doc))
    return "\n".join(line for line in lines if line.strip())


def _table_rows(table: etree._Element, doc: _Doc) -> list[list[str]]:
    """Cell texts of a table's own rows (rows of nested tables excluded)."""
    rows: list[list[str]] = []
    for child in table:
        if child.tag == doc.tr:
            rows.append([_cell_text(cell, doc) for cell in _cells(child, doc)])
        elif child.tag in doc.blocks:
            rows.extend(_table_rows(child, doc))
    return rows


def _cells(row: etree._Element, doc: _Doc) -> list[etree._Element]:
    cells: list[etree._Element] = []
    for child in row:
        if child.tag == doc.tc:
            cells.append(child)
        elif child.tag in doc.blocks:
            cells.extend(_cells(child, doc))
    return cells
