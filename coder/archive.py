"""Open untrusted zip-based files (.docx, .odt, .qdpx) without getting hurt: one set of rules.

A .docx or a .qdpx is a zip of XML parts that anyone can craft: zip bombs, headers that lie
about sizes, thousands of members, member names that climb out of a folder, DOCTYPEs with entity
expansion ("billion laughs") or external entities. Nothing here trusts the file: member counts
and declared sizes are checked up front, a member is inflated in chunks under a hard cap
(`inflate`), names are checked (`escapes`), and XML goes through one hardened lxml parser that
refuses any DOCTYPE (`harden_parse`). The readers (coder.ingest for documents, coder.refi for
.qdpx) use these and word the refusals for their own users.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePosixPath
from typing import IO, Any

from lxml import etree

from coder.vocab.limits import Limits
from coder.vocab.transcript import IngestError

BOMB_MESSAGE = "document expands past the size limit (possible zip bomb)"
_CHUNK = 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_RECORD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_CENTRAL_ENTRY = b"PK\x01\x02"


def _declaration(width: int, big_endian: bool) -> re.Pattern[bytes]:
    """`<!DOCTYPE` or `<!ENTITY` (any case) as bytes in one fixed-width encoding.

    Searching for the encoded words, rather than decoding the document, finds a declaration
    anywhere in a file of any size without a second copy of it in memory.
    """

    def char(c: str) -> bytes:
        pad = b"\x00" * (width - 1)
        alts = sorted({re.escape(x.encode("ascii")) for x in (c.lower(), c.upper())})
        one = b"[" + b"".join(alts) + b"]" if len(alts) > 1 else alts[0]
        return pad + one if big_endian else one + pad

    words = [b"".join(char(c) for c in w) for w in ("<!DOCTYPE", "<!ENTITY")]
    return re.compile(b"|".join(words))


# One pattern per encoding family: ASCII-compatible (UTF-8, Latin-1, ...), UTF-16 and UTF-32 in
# either byte order, with or without a BOM. EBCDIC is refused outright (see `harden_parse`).
_DECLARATIONS = [_declaration(1, False)] + [
    _declaration(w, be) for w in (2, 4) for be in (False, True)
]
_EBCDIC = b"\x4c\x6f\xa7\x94"  # "<?xm" in EBCDIC


class Overflow(Exception):
    """A member inflated past its cap (its declared size lied)."""


class Damaged(Exception):
    """A member's compressed data is corrupt (bad CRC, zlib error, unsupported method)."""


class UnsafeXml(Exception):
    """The XML declares a DOCTYPE or entities."""


class BadXml(Exception):
    """The XML is not well-formed (`str()` is the parser's message), or empty."""


def escapes(name: str) -> bool:
    """True for member names that could escape the folder they are read into."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return True
    return ".." in PurePosixPath(norm).parts


def inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo | str, cap: int) -> bytes:
    """A member's bytes, read in chunks and abandoned the moment they pass ``cap``.

    Raises:
        Overflow: more than ``cap`` bytes.
        Damaged: corrupt data (whatever zipfile or zlib raised).
    """
    try:
        stream = archive.open(member)
    except Exception as exc:  # zipfile raises many types on corrupt input; all mean "damaged"
        raise Damaged(str(exc)) from exc
    with stream:
        return b"".join(inflated(stream, cap))


def inflated(stream: IO[bytes], cap: int) -> Iterator[bytes]:
    """The chunks of an opened member (`ZipFile.open`, which the caller closes), abandoned the
    moment they pass ``cap``; raises as `inflate` does."""
    total = 0
    try:
        while chunk := stream.read(min(_CHUNK, cap + 1 - total)):
            total += len(chunk)
            if total > cap:
                raise Overflow
            yield chunk
    except Overflow:
        raise
    except Exception as exc:  # zipfile raises many types on corrupt input; all mean "damaged"
        raise Damaged(str(exc)) from exc


def harden_parse(data: bytes) -> etree._Element:
    """Parse untrusted XML: any DOCTYPE or ENTITY is refused, nothing is fetched or expanded.

    The whole document is searched in every encoding lxml could read it in (UTF-8 and other
    ASCII-compatible ones, UTF-16 and UTF-32 in both byte orders; EBCDIC is refused), so a
    DOCTYPE cannot hide behind the encoding or past the first kilobytes; entities are never
    resolved, and the parsed tree's docinfo is checked again.
    Sizes are bounded by the zip caps before this runs, so large trees are allowed.

    Raises:
        UnsafeXml: a DOCTYPE or entity declaration.
        BadXml: not well-formed, or empty.
    """
    _refuse_declarations(data)
    parser = etree.XMLParser(**_HARDENED)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise BadXml(exc.msg) from exc
    if root is None:
        raise BadXml("empty XML document")
    _check_docinfo(root)
    return root


_HARDENED: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": True,
    "remove_comments": True,
    "remove_pis": True,
}
"""The parser settings for untrusted XML, shared by `harden_parse` and `harden_iterparse`."""


def _refuse_declarations(data: bytes, start: bool = True) -> None:
    """`start`: `data` begins the document (where EBCDIC would show)."""
    if start and data[:4] == _EBCDIC:
        raise UnsafeXml
    # The UTF-16 and UTF-32 patterns all hold NUL bytes: a document without one (every UTF-8
    # file; XML text cannot hold U+0000) is searched once, not five times.
    patterns = _DECLARATIONS if b"\x00" in data else _DECLARATIONS[:1]
    if any(p.search(data) for p in patterns):
        raise UnsafeXml


_SPAN = 64  # bytes: more than the longest declaration pattern matches (9 UTF-32 characters)


class _Searched:
    """Chunks of a document as a file for lxml to read, each searched for declarations (with
    the end of the one before it, where a declaration could begin) before lxml reads it."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._tail = b""
        self._first = True

    def read(self, _size: int) -> bytes:
        """The next chunk whole, whatever `size` asks for: iterparse feeds what it reads to
        its parser, of any length, so a chunk is not copied again in 32 KB slices."""
        chunk = next(self._chunks, b"")
        first, self._first = self._first, False
        while first and 0 < len(chunk) < len(_EBCDIC) and (more := next(self._chunks, b"")):
            chunk += more  # the document's first bytes, where EBCDIC would show, together
        window = self._tail + chunk
        _refuse_declarations(window, start=first)
        self._tail = window[-_SPAN:]
        return chunk


def _check_docinfo(root: etree._Element) -> None:
    info = root.getroottree().docinfo
    if getattr(info, "doctype", "") or getattr(info, "internalDTD", None) is not None:
        raise UnsafeXml


def harden_iterparse(
    data: bytes | Iterable[bytes], tags: Sequence[str]
) -> Iterator[etree._Element]:
    """Stream untrusted XML under the same rules as `harden_parse`.

    Yields each element whose tag is in `tags` ("{*}Name" matches any namespace) when its end
    tag is read, so that a caller can handle a big part and clear it before the next one is
    parsed; the root element comes last, whatever its tag. Only the wanted elements reach
    Python (lxml filters the rest), which keeps a stream of a million elements quick.
    `data` is the document, or its bytes a chunk at a time (then each chunk is searched for
    declarations before the parser is given it, and the document never exists whole).

    Raises (while iterating):
        UnsafeXml: a DOCTYPE or entity declaration.
        BadXml: not well-formed, or empty.
    """
    if isinstance(data, bytes):
        _refuse_declarations(data)
        source: Any = io.BytesIO(data)
    else:
        source = _Searched(data)
    events = etree.iterparse(source, events=("end",), tag=list(tags), **_HARDENED)
    checked = False
    try:
        for _event, el in events:
            if not checked:
                _check_docinfo(el)
                checked = True
            if el.getparent() is not None:
                yield el
    except etree.XMLSyntaxError as exc:
        raise BadXml(exc.msg) from exc
    root = events.root
    if root is None:
        raise BadXml("empty XML document")
    if not checked:
        _check_docinfo(root)
    yield root


def count_members(data: bytes, limit: int) -> int | None:
    """Count central-directory entries, stopping once past ``limit``.

    ``zipfile`` builds a ZipInfo for every entry before we can look at the
    count, which for a 50 MB zip of empty members costs seconds and hundreds
    of MB. This walks the directory the same way but gives up early.

    Args:
        data: The whole zip file.
        limit: Stop counting after ``limit + 1`` entries.

    Returns:
        The number of entries (at most ``limit + 1``), or None when the end
        record cannot be found (zipfile will then report the bad zip).
    """
    end = data.rfind(_END_RECORD, max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    size = struct.unpack_from("<I", data, end + 12)[0]
    location = end
    if end >= 76 and data[end - 20 : end - 16] == _ZIP64_LOCATOR:
        location = end - 76  # the zip64 end record precedes its locator
        size = struct.unpack_from("<Q", data, location + 40)[0]
    start = location - size
    if start < 0:
        return None
    count = 0
    pos = start
    while pos + 46 <= location and data[pos : pos + 4] == _CENTRAL_ENTRY and count <= limit:
        name, extra, comment = struct.unpack_from("<HHH", data, pos + 28)
        pos += 46 + name + extra + comment
        count += 1
    return count


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
    count = count_members(data, limits.max_zip_members)
    if count is not None and count > limits.max_zip_members:
        raise IngestError(f"not {kind} (zip has more than {limits.max_zip_members} members)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception:  # zipfile raises many types on corrupt input; all mean "bad zip"
        raise IngestError(f"not {kind} (not a zip file)") from None
    if len(members) > limits.max_zip_members:
        archive.close()
        raise IngestError(f"not {kind} (zip has more than {limits.max_zip_members} members)")
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
    try:
        return inflate(archive, info, cap)
    except Overflow:
        raise IngestError(BOMB_MESSAGE) from None
    except Damaged:
        raise IngestError(f"not {kind} (corrupt zip data in {name})") from None


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
    try:
        return harden_parse(data)
    except UnsafeXml:
        raise IngestError("XML DOCTYPE/entities are not allowed") from None
    except BadXml:
        raise IngestError(f"not {kind} ({part} is not valid XML)") from None
