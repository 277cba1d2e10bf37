"""Entry points: read a file from disk or parse bytes, by file suffix.

This is the only module the rest of coder needs. It checks the cheap things
first (suffix, existence, size from ``os.stat``) so an unsupported or huge
file is refused before any byte of it is read, then dispatches to the
format's parser.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from coder.ingest.docx import parse_docx
from coder.ingest.odt import parse_odt
from coder.ingest.pdf import parse_pdf
from coder.ingest.rtf import parse_rtf
from coder.ingest.txt import parse_text
from coder.ingest.vtt import parse_captions
from coder.vocab.limits import Limits, describe_size
from coder.vocab.transcript import IngestError, ParsedSource

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".vtt", ".srt", ".odt", ".rtf", ".pdf")
DEFAULT_LIMITS = Limits()

__all__ = ["SUPPORTED_SUFFIXES", "Limits", "parse_bytes", "read_source"]


# Sheets people pass to `coder import` by mistake, and where they belong.
_SHEETS = (".csv", ".xlsx", ".xls", ".tsv")


def _suffix(suffix: str) -> str:
    cleaned = suffix.strip().lower()
    if cleaned and not cleaned.startswith("."):
        cleaned = "." + cleaned
    if cleaned in _SHEETS:
        raise IngestError(
            f"{cleaned} is a sheet, not a transcript: import survey answers with "
            "'coder import-survey', participants with 'coder cases import'"
        )
    if cleaned not in SUPPORTED_SUFFIXES:
        shown = cleaned or "(none)"
        raise IngestError(
            f"unsupported file type {shown} (supported: {', '.join(SUPPORTED_SUFFIXES)})"
        )
    return cleaned


def _too_big(size: int, limits: Limits) -> IngestError:
    limit = describe_size(limits.max_file_bytes)
    return IngestError(f"file is too big ({describe_size(size)}; the limit is {limit})")


def read_source(path: Path, limits: Limits = DEFAULT_LIMITS) -> ParsedSource:
    """Read and parse one interview file.

    Args:
        path: The file; its suffix (case-insensitive) picks the format.
        limits: Size limits (defaults: 50 MB file, 100 MB unzipped).

    Returns:
        The parsed source.

    Raises:
        IngestError: Unknown suffix, missing or unreadable file, not a
            regular file, too big, empty, or a format-specific problem.
    """
    if Path(path).is_dir():
        raise IngestError("is a folder: name the files in it, as in FOLDER/*.docx")
    suffix = _suffix(Path(path).suffix)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise IngestError("file not found") from None
    except PermissionError:
        raise IngestError("permission denied") from None
    except OSError as error:
        raise IngestError(f"cannot read file: {error.strerror or 'unknown error'}") from None
    if not stat.S_ISREG(info.st_mode):
        raise IngestError("not a regular file")
    if info.st_size > limits.max_file_bytes:
        raise _too_big(info.st_size, limits)
    try:
        with open(path, "rb") as handle:
            # read() preallocates its argument, so ask for what stat reported.
            want = min(info.st_size, limits.max_file_bytes) + 1
            data = handle.read(want)
            if len(data) == want:  # the file grew since stat: read on, still capped
                data += handle.read(limits.max_file_bytes + 1 - len(data))
    except PermissionError:
        raise IngestError("permission denied") from None
    except OSError as error:
        raise IngestError(f"cannot read file: {error.strerror or 'unknown error'}") from None
    return parse_bytes(data, suffix, limits)


def parse_bytes(data: bytes, suffix: str, limits: Limits = DEFAULT_LIMITS) -> ParsedSource:
    """Parse the content of a file already in memory.

    Args:
        data: The file content.
        suffix: The file suffix, with or without the dot, any case
            (e.g. ``".docx"``, ``"VTT"``).
        limits: Size limits.

    Returns:
        The parsed source.

    Raises:
        IngestError: Unknown suffix, too big, empty, or a format-specific
            problem.
    """
    fmt = _suffix(suffix)[1:]
    if len(data) > limits.max_file_bytes:
        raise _too_big(len(data), limits)
    if not data.strip():
        raise IngestError("file is empty")
    if fmt in ("txt", "md"):
        return parse_text(data, fmt)
    if fmt in ("vtt", "srt"):
        return parse_captions(data, fmt)
    if fmt == "docx":
        return parse_docx(data, limits)
    if fmt == "odt":
        return parse_odt(data, limits)
    if fmt == "pdf":
        return parse_pdf(data, limits)
    return parse_rtf(data)
