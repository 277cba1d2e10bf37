"""Hostile .docx/.odt containers: bad zips, bombs, lying headers, XML attacks."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from coder.archive import count_members, read_member
from coder.ingest import IngestError, Limits, parse_bytes, read_source

from .test_support import W_NS, docx_with_document_xml, make_docx, make_odt, make_zip

BOMB_MESSAGE = "document expands past the size limit (possible zip bomb)"


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ~1 MB .docx whose document.xml inflates to 1 GiB of spaces."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode())
            for _ in range(1024):
                member.write(chunk)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")
    assert path.stat().st_size < 1_500_000
    return path


def _error(data: bytes, suffix: str = ".docx", limits: Limits | None = None) -> str:
    with pytest.raises(IngestError) as caught:
        parse_bytes(data, suffix, limits or Limits())
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_zip_bomb_is_refused_fast_and_small(zip_bomb: Path) -> None:
    tracemalloc.start()
    try:
        started = time.perf_counter()
        with pytest.raises(IngestError) as caught:
            read_source(zip_bomb)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value) == BOMB_MESSAGE
    assert elapsed < 1.0
    assert peak < 50 * 1024 * 1024


def _lie_about_size(data: bytes, name: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size of ``name`` in both zip headers."""
    patched = bytearray(data)
    local = patched.find(b"PK\x03\x04" + b"\x14\x00")
    while local >= 0:
        name_length = struct.unpack_from("<H", patched, local + 26)[0]
        if patched[local + 30 : local + 30 + name_length] == name:
            struct.pack_into("<I", patched, local + 22, size)
        local = patched.find(b"PK\x03\x04", local + 4)
    central = patched.find(b"PK\x01\x02")
    while central >= 0:
        name_length = struct.unpack_from("<H", patched, central + 28)[0]
        if patched[central + 46 : central + 46 + name_length] == name:
            struct.pack_into("<I", patched, central + 24, size)
        central = patched.find(b"PK\x01\x02", central + 4)
    return bytes(patched)


def test_lying_zip_header_is_refused_quickly() -> None:
    xml = f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode() + b" " * 20_000_000
    xml += b"</w:t></w:r></w:p></w:body></w:document>"
    data = _lie_about_size(docx_with_document_xml(xml), b"word/document.xml", 100)
    started = time.perf_counter()
    message = _error(data)
    assert time.perf_counter() - started < 1.0
    assert message in (BOMB_MESSAGE, "not a Word document (corrupt zip data in word/document.xml)")


def test_streaming_read_stops_at_the_cap() -> None:
    archive = zipfile.ZipFile(io.BytesIO(make_zip({"big.xml": b"x" * 3_000_000})))
    with pytest.raises(IngestError) as caught:
        read_member(archive, "big.xml", "a Word document", 1_000_000)
    assert str(caught.value) == BOMB_MESSAGE
    assert read_member(archive, "big.xml", "a Word document", 3_000_000) == b"x" * 3_000_000


def test_declared_total_over_limit() -> None:
    data = make_docx(lambda d: d.add_paragraph("word " * 1000))
    assert _error(data, limits=Limits(max_unzipped_bytes=10_000)) == BOMB_MESSAGE


def test_not_a_zip() -> None:
    assert _error(b"hello, I am text") == "not a Word document (not a zip file)"
    assert _error(b"PK\x03\x04 truncated") == "not a Word document (not a zip file)"
    assert _error(b"not a zip", ".odt") == "not an OpenDocument text file (not a zip file)"


def test_old_binary_word_file() -> None:
    message = _error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert message.startswith("not a Word document (old binary Office format")


def test_missing_document_xml() -> None:
    data = make_zip({"[Content_Types].xml": b"<Types/>", "word/other.xml": b"<x/>"})
    assert _error(data) == "not a Word document (no word/document.xml inside)"
    assert _error(make_zip({"mimetype": b"x"}), ".odt") == (
        "not an OpenDocument text file (no content.xml inside)"
    )


def test_too_many_members() -> None:
    data = make_zip({f"part{i}.xml": b"<x/>" for i in range(30)})
    assert _error(data, limits=Limits(max_zip_members=20)) == (
        "not a Word document (zip has more than 20 members)"
    )


def test_many_members_refused_before_zipfile_parses_them() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(20_000):
            archive.writestr(f"{index:05d}", b"")
    data = buffer.getvalue()
    started = time.perf_counter()
    assert _error(data) == "not a Word document (zip has more than 2000 members)"
    assert time.perf_counter() - started < 0.2


def test_member_count_matches_zipfile() -> None:
    for data in (make_docx(lambda d: d.add_paragraph("x")), make_zip({}), make_odt("")):
        expected = len(zipfile.ZipFile(io.BytesIO(data)).infolist())
        assert count_members(data, 10_000) == expected
    prefixed = b"junk before the zip" + make_zip({"a": b"1", "b": b"2"})
    assert count_members(prefixed, 10) == 2
    assert count_members(b"no zip here", 10) is None


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "xxe"])
def test_xml_entities_are_refused(xml: bytes) -> None:
    started = time.perf_counter()
    assert _error(docx_with_document_xml(xml)) == "XML DOCTYPE/entities are not allowed"
    assert time.perf_counter() - started < 1.0


def test_utf16_doctype_is_refused_too() -> None:
    xml = EXTERNAL_ENTITY.replace(
        b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="UTF-16"?>'
    )
    data = docx_with_document_xml(b"\xff\xfe" + xml.decode().encode("utf-16-le"))
    assert _error(data) == "XML DOCTYPE/entities are not allowed"


def test_odt_with_entities_is_refused() -> None:
    data = make_odt("<text:p>x</text:p>")
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = {name: archive.read(name) for name in archive.namelist()}
    members["content.xml"] = (
        b'<!DOCTYPE x [<!ENTITY a "b">]>' + members["content.xml"].split(b"?>", 1)[1]
    )
    assert _error(make_zip(members), ".odt") == "XML DOCTYPE/entities are not allowed"


def test_malformed_xml() -> None:
    assert _error(docx_with_document_xml(b"<w:document")) == (
        "not a Word document (word/document.xml is not valid XML)"
    )
    assert _error(docx_with_document_xml(b"<other/>")) == (
        "not a Word document (unexpected word/document.xml content)"
    )
