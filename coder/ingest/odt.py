"""Read OpenDocument text (.odt) transcripts safely.

LibreOffice users save interviews as .odt. The container gets the same
zip-bomb and XML hardening as .docx (see :mod:`coder.archive`); only
``content.xml`` is read. Paragraphs, headings, lists and tables are rendered
to plain paragraphs, then speaker turns are found with the plain-text rules
(and transcript tables are recognised as in Word files).
"""

from __future__ import annotations

import re

from lxml import etree

from coder.archive import open_zip, parse_xml, read_member
from coder.ingest.render import Block, clean_inline, render_blocks
from coder.ingest.tables import table_blocks
from coder.vocab.limits import Limits
from coder.vocab.transcript import IngestError, ParsedSource

KIND = "an OpenDocument text file"
CONTENT_PART = "content.xml"
_MIMETYPE = "application/vnd.oasis.opendocument.text"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_MAX_SPACES = 1000


def _t(local: str) -> str:
    return f"{{{_TEXT}}}{local}"


def _tb(local: str) -> str:
    return f"{{{_TABLE}}}{local}"


_PARAGRAPHS = frozenset({_t("p"), _t("h")})
_LIST_CONTAINERS = frozenset({_t("list"), _t("list-item"), _t("list-header"), _t("section")})
_SPACE, _SPACE_COUNT, _TAB, _LINE_BREAK = _t("s"), _t("c"), _t("tab"), _t("line-break")
# Inline elements whose content is not part of the paragraph's running text.
_SKIPPED_INLINE = frozenset({_t("note"), f"{{{_OFFICE}}}annotation", _t("tracked-changes")})
_ROW_GROUPS = frozenset({_tb("table-header-rows"), _tb("table-rows"), _tb("table-row-group")})
_WHITESPACE = re.compile(r"[ \t\r\n]+")


def parse_odt(data: bytes, limits: Limits) -> ParsedSource:
    """Parse the bytes of an .odt file.

    Args:
        data: The whole file.
        limits: Zip size and member limits.

    Returns:
        The rendered text (paragraphs joined by blank lines) and its turns.

    Raises:
        IngestError: For anything that is not a safe, readable .odt file.
    """
    with open_zip(data, KIND, limits) as archive:
        if "mimetype" in archive.namelist():
            mimetype = (
                read_member(archive, "mimetype", KIND, 200).decode("ascii", "replace").strip()
            )
            if mimetype.startswith("application/") and not mimetype.startswith(_MIMETYPE):
                raise IngestError(f"not {KIND} (it is a different document type)")
        xml = read_member(archive, CONTENT_PART, KIND, limits.max_unzipped_bytes)
    root = parse_xml(xml, KIND, CONTENT_PART)
    if root.tag != f"{{{_OFFICE}}}document-content":
        raise IngestError(f"not {KIND} (unexpected {CONTENT_PART} content)")
    blocks: list[Block] = []
    body = root.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}text")
    if body is not None:
        _walk(body, blocks)
    return render_blocks(blocks, "odt", None)


def _walk(parent: etree._Element, blocks: list[Block]) -> None:
    for child in parent:
        tag = child.tag
        if tag in _PARAGRAPHS:
            blocks.append(Block(clean_inline(paragraph_text(child)).strip()))
        elif tag in _LIST_CONTAINERS:
            _walk(child, blocks)
        elif tag == _tb("table"):
            blocks.extend(table_blocks(_table_rows(child)))


def paragraph_text(paragraph: etree._Element) -> str:
    """Text of a text:p/text:h element, following ODF whitespace rules.

    Runs of whitespace in the XML collapse to one space; ``text:s`` (with
    ``text:c``), ``text:tab`` and ``text:line-break`` give explicit spaces,
    tabs and newlines. Footnotes and comments are left out.

    Args:
        paragraph: The element.

    Returns:
        The paragraph's visible text.
    """
    pieces: list[str] = []
    _inline(paragraph, pieces)
    return "".join(pieces)


def _inline(element: etree._Element, pieces: list[str]) -> None:
    if element.text:
        pieces.append(_WHITESPACE.sub(" ", element.text))
    for child in element:
        tag = child.tag
        if tag == _SPACE:
            count = child.get(_SPACE_COUNT, "1")
            pieces.append(" " * min(int(count) if count.isdigit() else 1, _MAX_SPACES))
        elif tag == _TAB:
            pieces.append("\t")
        elif tag == _LINE_BREAK:
            pieces.append("\n")
        elif isinstance(tag, str) and tag.startswith(f"{{{_TEXT}}}") and tag not in _SKIPPED_INLINE:
            _inline(child, pieces)
        if child.tail:
            pieces.append(_WHITESPACE.sub(" ", child.tail))


def _cell_text(cell: etree._Element) -> str:
    lines: list[str] = []
    for child in cell.iter(*_PARAGRAPHS):
        lines.append(paragraph_text(child))
    return "\n".join(line.strip() for line in lines if line.strip())


def _table_rows(table: etree._Element) -> list[list[str]]:
    rows: list[list[str]] = []
    for child in table:
        if child.tag == _tb("table-row"):
            rows.append([_cell_text(cell) for cell in child.iterchildren(_tb("table-cell"))])
        elif child.tag in _ROW_GROUPS:
            rows.extend(_table_rows(child))
    return rows
