"""Open untrusted zip-based documents (.docx, .odt) without getting hurt.

A .docx is a zip of XML parts that anyone can craft: zip bombs, headers that
lie about sizes, thousands of members, DOCTYPEs with entity expansion
("billion laughs") or external entities. Nothing here trusts the file: member
counts and declared sizes are checked up front, the part we need is inflated
in chunks under a hard cap, and XML is parsed with a hardened lxml parser
that refuses any DOCTYPE.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from coder.ingest.limits import Limits
from coder.ingest.records import IngestError

BOMB_MESSAGE = "document expands past the size limit (possible zip bomb)"
_CHUNK = 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_zip(data: bytes, kind: str, limits: Limits) -> zipfile.ZipFile:
    """Open a zip container after checking its central directory.

    Args:
        data: The whole file.
        kind: What the file should be, for messages (e.g. "a Word document").
        limits: Member count and total declared size limits.

    Returns:
        The open zip file.

    Raises:
        IngestError: Not a zip, too many members, or declared sizes past
            the limit.
    """
    if data.startswith(_OLE_MAGIC):
        raise IngestError(
            f"not {kind} (old binary Office format; save it in the newer format first)"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise IngestError(f"not {kind} (not a zip file)") from None
    if len(members) > limits.max_zip_members:
        archive.close()
        raise IngestError(
            f"not {kind} (zip has {len(members)} members, limit is {limits.max_zip_members})"
        )
    declared = sum(info.file_size for info in members)
    if declared > limits.max_unzipped_bytes:
        archive.close()
        raise IngestError(BOMB_MESSAGE)
    return archive


def read_member(archive: zipfile.ZipFile, name: str, kind: str, cap: int) -> bytes:
    """Inflate one member in chunks, stopping as soon as it passes ``cap``.

    Zip headers can lie about sizes, so the declared size is not trusted:
    the data is read in 1 MiB chunks and the read is abandoned the moment
    the running total exceeds the cap.

    Args:
        archive: An archive returned by :func:`open_zip`.
        name: Member path, e.g. "word/document.xml".
        kind: What the file should be, for messages.
        cap: Maximum number of uncompressed bytes to accept.

    Returns:
        The member's bytes.

    Raises:
        IngestError: Missing or encrypted member, corrupt data, or more than
            ``cap`` bytes.
    """
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise IngestError(f"not {kind} (no {name} inside)") from None
    if info.flag_bits & 0x1:
        raise IngestError("the document is password-protected")
    if info.file_size > cap:
        raise IngestError(BOMB_MESSAGE)
    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > cap:
                    raise IngestError(BOMB_MESSAGE)
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError):
        raise IngestError(f"not {kind} (corrupt zip data in {name})") from None
    return b"".join(chunks)


def parse_xml(data: bytes, kind: str, part: str) -> etree._Element:
    """Parse untrusted XML with entity expansion and DTDs disabled.

    Any DOCTYPE or ENTITY declaration is refused outright: Office and
    OpenDocument parts never need one.

    Args:
        data: The XML bytes.
        kind: What the file should be, for messages.
        part: The part name, for messages.

    Returns:
        The root element.

    Raises:
        IngestError: DOCTYPE/entities present, or malformed XML.
    """
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise IngestError("XML DOCTYPE/entities are not allowed")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        tree = etree.parse(io.BytesIO(data), parser)
    except etree.XMLSyntaxError:
        raise IngestError(f"not {kind} ({part} is not valid XML)") from None
    doctype: str = getattr(tree.docinfo, "doctype", "")
    if doctype:
        raise IngestError("XML DOCTYPE/entities are not allowed")
    return tree.getroot()
