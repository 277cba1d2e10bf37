"""File ingest for coder: bytes in, plain records out.

Reads interview transcripts (.txt, .md, .docx, .vtt, .srt, .odt, .rtf, .pdf) into
a :class:`ParsedSource` (normalised text plus speaker turns as offsets). It
deliberately knows nothing about the database or the UI, and it treats every
file as untrusted: sizes are capped, zip containers and XML are hardened,
and every problem surfaces as a one-line :class:`IngestError`.
"""

from __future__ import annotations

from coder.ingest.reader import SUPPORTED_SUFFIXES, Limits, parse_bytes, read_source
from coder.vocab.transcript import IngestError, ParsedSource, Turn

__all__ = [
    "SUPPORTED_SUFFIXES",
    "IngestError",
    "Limits",
    "ParsedSource",
    "Turn",
    "parse_bytes",
    "read_source",
]
