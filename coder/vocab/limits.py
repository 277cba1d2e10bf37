"""Resource limits that keep hostile or accidental huge files from hurting us.

Interview files come from participants, colleagues and transcription
services; a zip bomb disguised as a .docx must fail fast instead of eating
the machine's memory. The limits live in one frozen object so callers (and
tests) can tighten them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Size limits applied while reading one file.

    Attributes:
        max_file_bytes: Refuse files bigger than this before reading them.
        max_unzipped_bytes: Total uncompressed size allowed for the parts of
            a .docx/.odt, both as declared in the zip and as really inflated.
        max_zip_members: Refuse zips with more members than this.
        max_pdf_pages: Refuse PDFs with more pages than this (before reading any page).
        max_text_chars: Refuse a file whose extracted text grows past this many characters.
        pdf_seconds_per_page: Time budget for PDF text extraction, per page (plus 2 s).
    """

    max_file_bytes: int = 50 * 1024 * 1024
    max_unzipped_bytes: int = 100 * 1024 * 1024
    max_zip_members: int = 2000
    max_pdf_pages: int = 5000
    max_text_chars: int = 50_000_000
    pdf_seconds_per_page: float = 0.5


def describe_size(size: int) -> str:
    """Format a byte count for an error message.

    Args:
        size: Number of bytes.

    Returns:
        A short human string such as ``"12.0 MB"`` or ``"512 bytes"``.
    """
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
