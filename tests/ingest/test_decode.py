"""Encodings, line endings and Unicode normalisation of text files."""

from __future__ import annotations

import pytest

from coder.ingest import IngestError, parse_bytes

from .test_support import assert_invariants, utterances

DIALOGUE = (
    "Interviewer: Café?\nRespondent: “Oui”, s’il vous plaît.\n"
    "Interviewer: Merci.\nRespondent: De rien."
)
EXPECTED = [
    ("Interviewer", "Café?"),
    ("Respondent", "“Oui”, s’il vous plaît."),
    ("Interviewer", "Merci."),
    ("Respondent", "De rien."),
]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (DIALOGUE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + DIALOGUE.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + DIALOGUE.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + DIALOGUE.encode("utf-16-be"), "utf-16"),
        (DIALOGUE.encode("cp1252"), "cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "cp1252"],
)
def test_encodings(data: bytes, encoding: str) -> None:
    parsed = parse_bytes(data, ".txt")
    assert_invariants(parsed)
    assert parsed.encoding == encoding
    assert parsed.text == DIALOGUE
    assert "\ufeff" not in parsed.text
    assert utterances(parsed) == EXPECTED


def test_cp1252_bytes_are_really_windows_1252() -> None:
    parsed = parse_bytes(b"A: caf\xe9 \x93quoted\x94\nB: ok\nA: x\nB: y", ".txt")
    assert parsed.encoding == "cp1252"
    assert parsed.text.startswith("A: café “quoted”")


def test_undecodable_bytes() -> None:
    with pytest.raises(IngestError) as caught:
        parse_bytes(b"caf\xe9 \x81 \x8d", ".txt")
    assert str(caught.value) == "cannot decode text: not UTF-8, UTF-16 or Windows-1252"


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_line_endings(newline: str) -> None:
    source = DIALOGUE.replace("\n", newline) + newline + newline
    parsed = parse_bytes(source.encode("utf-8"), ".txt")
    assert_invariants(parsed)
    assert parsed.text == DIALOGUE
    assert utterances(parsed) == EXPECTED


def test_decomposed_text_becomes_nfc() -> None:
    parsed = parse_bytes("Ana: Cafe\u0301\nBo: ok\nAna: e\u0301\nBo: fin".encode(), ".txt")
    assert_invariants(parsed)
    assert utterances(parsed)[0] == ("Ana", "Café")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty"),
        (b" \n\t\r\n  ", "file is empty"),
        (b"\xef\xbb\xbf  \n", "file is empty"),
        (b"\xff\xfe" + " \n".encode("utf-16-le"), "file is empty"),
        (b"PK\x03\x04\x00\x00binary\x00data", "looks like a binary file, not text"),
        (b"\xff\xfe" + "a\x00b".encode("utf-16-le"), "looks like a binary file, not text"),
    ],
    ids=["empty", "whitespace", "bom-only", "utf16-whitespace", "nul", "utf16-nul"],
)
def test_bad_text_files(data: bytes, message: str) -> None:
    with pytest.raises(IngestError) as caught:
        parse_bytes(data, ".txt")
    assert str(caught.value) == message


def test_control_characters_are_unicode_cc_less_text_controls() -> None:
    """The regex that counts binary control characters matches exactly Unicode's Cc category
    minus tab, newlines, form feed, vertical tab and DOS end-of-file."""
    import unicodedata

    from coder.ingest.charset import CONTROLS

    for code in range(0x3000):
        ch = chr(code)
        expected = unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v\x1a"
        assert bool(CONTROLS.fullmatch(ch)) == expected, hex(code)
