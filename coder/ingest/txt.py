"""Read plain-text (.txt) and Markdown (.md) transcripts.

These are stored verbatim (after decoding and normalisation) because the
researcher may have carefully formatted them; speaker turns are offsets
into that exact text.
"""

from __future__ import annotations

from coder.ingest.decode import decode_text
from coder.ingest.render import finalise
from coder.ingest.turns import find_turns
from coder.vocab.transcript import ParsedSource


def parse_text(data: bytes, fmt: str) -> ParsedSource:
    """Parse a .txt or .md file.

    Args:
        data: The whole file.
        fmt: ``"txt"`` or ``"md"``.

    Returns:
        The decoded text and its speaker turns.

    Raises:
        IngestError: If the file is binary, undecodable or empty.
    """
    text, encoding = decode_text(data)
    return finalise(text, find_turns(text), fmt, encoding)
