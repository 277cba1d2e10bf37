"""Shared helpers for the ingest tests: invariant checks and file builders.

Every fixture file is built by the tests themselves (python-docx for Word
files, zipfile by hand for .odt and hostile zips) so the suite documents
exactly what shapes it covers. The helpers are tested here too, so a broken
checker cannot silently pass everything.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Callable

import docx
import pytest
from docx.document import Document as DocxDocument

from coder.ingest import ParsedSource, Turn

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ODT_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)


def assert_invariants(parsed: ParsedSource) -> None:
    """Check every ParsedSource invariant the rest of coder relies on."""
    text = parsed.text
    assert text == unicodedata.normalize("NFC", text)
    assert "\r" not in text
    assert text == text.rstrip()
    assert text.strip()
    previous_end = 0
    for turn in parsed.turns:
        assert 0 <= turn.start < turn.end <= len(text), turn
        piece = text[turn.start : turn.end]
        assert piece and piece == piece.strip(), (turn, piece)
        assert turn.start >= previous_end, "turns overlap or are out of order"
        previous_end = turn.end
        assert turn.speaker is None or (turn.speaker and turn.speaker == turn.speaker.strip())
        assert turn.timestamp is None or turn.timestamp >= 0


def utterances(parsed: ParsedSource) -> list[tuple[str | None, str]]:
    """``(speaker, utterance text)`` for each turn."""
    return [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns]


def make_zip(members: dict[str, bytes]) -> bytes:
    """A deflated zip with the given members, in order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def make_docx(build: Callable[[DocxDocument], object]) -> bytes:
    """Build a real .docx with python-docx."""
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_with_document_xml(xml: bytes) -> bytes:
    """A minimal docx-shaped zip whose word/document.xml is ``xml``."""
    return make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": xml})


def make_odt(body: str) -> bytes:
    """A hand-made .odt whose office:text element contains ``body``."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content {ODT_NAMESPACES} office:version="1.2">'
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_invariant_checker_accepts_a_valid_source() -> None:
    assert_invariants(ParsedSource("A: hi", (Turn("A", 3, 5, None),), "txt", "utf-8"))


@pytest.mark.parametrize(
    "parsed",
    [
        ParsedSource("A: hi ", (), "txt", "utf-8"),  # trailing whitespace
        ParsedSource("a\r\nb", (), "txt", "utf-8"),  # CR
        ParsedSource("e\u0301", (), "txt", "utf-8"),  # not NFC
        ParsedSource("A: hi", (Turn("A", 2, 5, None),), "txt", "utf-8"),  # not stripped
        ParsedSource("A: hi", (Turn("A", 3, 3, None),), "txt", "utf-8"),  # empty
        ParsedSource("A: hi", (Turn("A", 3, 9, None),), "txt", "utf-8"),  # out of range
        ParsedSource("ab cd", (Turn(None, 3, 5, None), Turn(None, 0, 2, None)), "txt", None),
    ],
)
def test_invariant_checker_rejects_broken_sources(parsed: ParsedSource) -> None:
    with pytest.raises(AssertionError):
        assert_invariants(parsed)


def test_builders_make_readable_zips() -> None:
    odt = zipfile.ZipFile(io.BytesIO(make_odt("<text:p>x</text:p>")))
    assert odt.namelist()[0] == "mimetype"
    word = zipfile.ZipFile(io.BytesIO(make_docx(lambda d: d.add_paragraph("x"))))
    assert "word/document.xml" in word.namelist()
