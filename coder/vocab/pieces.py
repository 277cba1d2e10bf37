"""Cutting a long text into pieces at whitespace, so work on it goes a piece at a time.

A 20 MB transcript has three and a half million words: a list of them as Python strings takes
ten times the text, and arrays of their offsets several times more. Counting and lemmatising a
piece at a time keeps only one piece's worth of such objects alive. Every piece after the first
starts at a whitespace character (Python's `str.isspace`, which is also what `\\s` and
`str.split()` mean by it), so no word is ever cut in two: whatever finds words without looking
across whitespace finds exactly the same words piece by piece as in the whole text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

PIECE_CHARS = 1 << 18
"""Characters per piece (a quarter of a megabyte of plain text, some 45,000 words)."""

_SPACE = re.compile(r"\s")


def pieces(text: str, size: int = PIECE_CHARS) -> Iterator[tuple[int, int]]:
    """`(start, end)` of consecutive pieces covering `text`, each about `size` characters:
    a piece ends at the first whitespace at or after `size` characters (or at the end)."""
    start, n = 0, len(text)
    while start < n:
        end = start + max(1, size)
        if end >= n:
            end = n
        else:
            space = _SPACE.search(text, end)
            end = n if space is None else space.start()
        yield start, end
        start = end


# Each ASCII byte marked as what str.split() takes it for: whitespace (\t \n \v \f \r, the
# four separators \x1c-\x1f, space) as b" ", anything else as b"x".
_MARKS = bytes(32 if chr(c).isspace() else 120 for c in range(256))


def count_words(text: str) -> int:
    """How many whitespace-separated words `text` has: `len(text.split())`, a piece at a
    time rather than with a list of every word."""
    if len(text) <= PIECE_CHARS:
        return _count(text)
    return sum(_count(text[a:b]) for a, b in pieces(text))


def _count(piece: str) -> int:
    """`len(piece.split())`. For ASCII text (most transcripts, or most of their pieces)
    without making the words: each word begins where a non-space follows a space or the start,
    counted on the piece's bytes marked space or not (bytes.translate) in half the time."""
    if not piece.isascii():
        return len(piece.split())
    marks = piece.encode("ascii").translate(_MARKS)
    return marks.count(b" x") + (marks[:1] == b"x")


def utf8_sha256(text: str, errors: str = "strict") -> str:
    """The SHA-256 (hex) of the text's UTF-8 (encoded with `errors`), encoded a piece at a
    time rather than into a second copy of the whole text."""
    digest = hashlib.sha256()
    for a, b in pieces(text):
        digest.update(text[a:b].encode("utf-8", errors))
    return digest.hexdigest()
