"""REFI-QDA codebooks (.qdc): the codebook exchange file NVivo, ATLAS.ti, MAXQDA and QualCoder read.

`write_qdc` produces a file that validates against the standard's Codebook.xsd; `read_qdc`
accepts what the programs actually write: braces around GUIDs, missing colours, non-codable
folders, Description elements in any order, a Sets section, other namespaces. Sets are not
coder's concept and are ignored on reading (coder keeps the hierarchy instead).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from coder import __version__
from coder.files import read_capped
from coder.refi.xml import (
    NS_CODEBOOK,
    RefiError,
    code_from_xml,
    code_to_xml,
    kid,
    kids,
    local,
    parse_xml,
    xml_bytes,
)
from coder.vocab.dto import Codebook

MAX_QDC_BYTES = 50 * 1024 * 1024


def write_qdc(book: Codebook) -> bytes:
    """The codebook as .qdc bytes (UTF-8, Codebook.xsd-valid)."""
    if not book.codes:
        raise RefiError("the codebook has no codes; a .qdc needs at least one")
    root = etree.Element(
        f"{{{NS_CODEBOOK}}}CodeBook",
        nsmap={None: NS_CODEBOOK},  # type: ignore[dict-item]
        origin=f"coder {__version__}",
    )
    codes = etree.SubElement(root, f"{{{NS_CODEBOOK}}}Codes")
    for spec in book.codes:
        code_to_xml(codes, spec, NS_CODEBOOK)
    return xml_bytes(root)


def parse_qdc(data: bytes, where: str = "codebook") -> Codebook:
    """A Codebook from .qdc bytes (lenient; see the module docstring)."""
    root = parse_xml(data, where)
    if local(root) not in ("CodeBook", "Codebook", "Project"):
        raise RefiError(f"{where}: not a REFI-QDA codebook (root element <{local(root)}>)")
    holder = kid(root, "CodeBook") if local(root) == "Project" else root
    codes_el = kid(holder, "Codes") if holder is not None else None
    if codes_el is None:
        raise RefiError(f"{where}: has no <Codes> element")
    try:
        codes = tuple(code_from_xml(c) for c in kids(codes_el, "Code"))
    except RefiError as exc:
        raise RefiError(f"{where}: {exc}") from exc
    if not codes:
        raise RefiError(f"{where}: has no codes")
    return Codebook(title="", codes=codes)


def read_qdc(path: str | Path) -> Codebook:
    """Read a .qdc file; one-line RefiError for a missing, huge or malformed file."""
    p = Path(path)
    return parse_qdc(read_capped(p, MAX_QDC_BYTES, RefiError, "; not a codebook"), str(p))
