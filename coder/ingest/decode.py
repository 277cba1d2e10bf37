"""Turn the bytes of a text-based file into clean, normalised text.

Transcripts arrive from Windows tools (UTF-16 with BOM, Windows-1252, CRLF),
old Macs (lone CR) and everything else (UTF-8, with or without BOM). Every
text format (.txt, .md, .vtt, .srt) goes through here so offsets computed
later always refer to the same canonical string: NFC, ``"\\n"`` only.
"""

from __future__ import annotations

import unicodedata

from coder.ingest.charset import (
    BINARY_MESSAGE as _BINARY_MESSAGE,
)
from coder.ingest.charset import (
    UNDECODABLE_MESSAGE as _UNDECODABLE_MESSAGE,
)
from coder.ingest.charset import (
    decode_legacy,
    refuse_broken_utf8,
    refuse_control_characters,
    refuse_known_binary,
)
from coder.vocab.transcript import IngestError

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Bytes that are whitespace characters on their own in UTF-8 (not \x1c-\x1f, which are
# whitespace to str.rstrip but also control characters, which refuse_control_characters counts).
_ASCII_SPACE = frozenset(b" \t\n\r\x0b\x0c")

# Characters that also end a line; mapped to "\n" so offsets stay simple.
_LINE_SEPARATORS = ("\u2028", "\u2029", "\x85")


def _spaced_end(data: bytes) -> int:
    """The length of `data` without its trailing blanks and line ends."""
    end = len(data)
    while end and data[end - 1] in _ASCII_SPACE:
        end -= 1
    return end


def decode_bytes(data: bytes, rstrip: bool = False) -> tuple[str, str]:
    """Decode a text file's bytes, detecting its encoding.

    Order of attempts: UTF-8 BOM, UTF-16 BOM (LE or BE), plain UTF-8, then the
    encoding charset-normalizer finds (Windows-1252 for Western text); known binary
    formats, broken UTF-8 and control-character noise are refused.

    Args:
        data: The raw file content.
        rstrip: Drop trailing whitespace. UTF-8 drops it from the bytes before decoding, so
            that a large file is not held twice, once with and once without its last newline.

    Returns:
        The decoded text (BOM removed, not yet normalised) and the encoding
        name: ``"utf-8-sig"``, ``"utf-16"``, ``"utf-8"``, ``"cp1252"`` or the
        Python codec charset-normalizer found (``"koi8_r"``, ``"gb18030"``...).

    Raises:
        IngestError: If the data contains NUL bytes (binary) or is not valid
            in any supported encoding.
    """
    end = _spaced_end(data) if rstrip else len(data)
    if data.startswith(_UTF8_BOM):
        try:
            text = str(memoryview(data)[len(_UTF8_BOM) : end], "utf-8")
        except UnicodeDecodeError:
            raise IngestError(_UNDECODABLE_MESSAGE) from None
        encoding = "utf-8-sig"
    elif data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise IngestError(_UNDECODABLE_MESSAGE) from None
        encoding = "utf-16"
    else:
        refuse_known_binary(data)
        if b"\x00" in data:
            raise IngestError(_BINARY_MESSAGE)
        try:
            text = str(memoryview(data)[:end], "utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            refuse_broken_utf8(data, exc)
            text, encoding = decode_legacy(data)
    if "\x00" in text:
        raise IngestError(_BINARY_MESSAGE)
    refuse_control_characters(text)
    return (text.rstrip() if rstrip else text), encoding


def normalise_text(text: str) -> str:
    """Canonicalise line endings and Unicode form.

    CRLF, lone CR and Unicode line/paragraph separators become ``"\\n"``; a
    stray BOM at the start is dropped; the result is NFC. Trailing whitespace
    is NOT removed here (offsets into the middle of the text stay valid).

    Args:
        text: Decoded text.

    Returns:
        The normalised text.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        for separator in _LINE_SEPARATORS:
            if separator in text:
                text = text.replace(separator, "\n")
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    return text


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode and normalise a text file, refusing empty content.

    Args:
        data: The raw file content.

    Returns:
        ``(text, encoding)`` where text is normalised (see
        :func:`normalise_text`) with trailing whitespace removed.

    Raises:
        IngestError: If the file is binary, undecodable, or empty /
            whitespace-only.
    """
    raw, encoding = decode_bytes(data, rstrip=True)
    text = normalise_text(raw).rstrip()
    if not text.strip():
        raise IngestError("file is empty")
    return text, encoding
