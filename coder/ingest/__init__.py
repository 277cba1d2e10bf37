"""File ingest for coder: bytes in, plain records out.

Reads interview transcripts (.txt, .md, .docx, .vtt, .srt, .odt, .rtf, .pdf) into
a :class:`ParsedSource` (normalised text plus speaker turns as offsets). It
deliberately knows nothing about the database or the UI, and it treats every
file as untrusted: sizes are capped, zip containers and XML are hardened,
and every problem surfaces as a one-line :class:`IngestError`.

The readers (and lxml, pypdf, charset-normalizer behind them) are imported when first asked
for: the record types are all most importers need (the workspace opens without them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coder.vocab.limits import Limits
from coder.vocab.transcript import IngestError, ParsedSource, Turn

if TYPE_CHECKING:
    from coder.ingest.reader import SUPPORTED_SUFFIXES, parse_bytes, read_source

_READER = ("SUPPORTED_SUFFIXES", "parse_bytes", "read_source")


def __getattr__(name: str) -> Any:
    if name in _READER:
        from coder.ingest import reader

        return getattr(reader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SUPPORTED_SUFFIXES",
    "IngestError",
    "Limits",
    "ParsedSource",
    "Turn",
    "parse_bytes",
    "read_source",
]
