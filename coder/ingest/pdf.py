"""Read text PDFs (reports, transcripts exported from word processors) into a ParsedSource.

The PDF library (pypdf) only decodes the file and reports each string with its position; the
layout (lines, columns, paragraphs, running headers, hyphenation) is rebuilt by
:mod:`coder.ingest.pdf_layout`, and speaker turns are found by the same engine as for .txt.
pypdf was chosen by measurement over pdfminer.six (see benchmarks/pdf_bench.py and the commit
message): about 5x faster, and it refuses reference loops, decompression bombs and huge page
trees by itself, where pdfminer.six looped forever or grew past 600 MB.

Stored text shape:
- every paragraph is one line (wrapped lines are joined with a space, a word hyphenated at a
  line end is joined without its hyphen when the next line starts in lower case);
- paragraphs are separated by one blank line, pages by TWO blank lines (``"\\n\\n\\n"``, see
  :data:`PAGE_BREAK`). A page break never falls inside a paragraph, so the page of any offset
  is ``1 + text.count(PAGE_BREAK, 0, offset)`` (:func:`page_of`); empty pages still count.

Refused in one line, with nothing stored: a PDF without a text layer (a scan), an encrypted
PDF, more pages than ``Limits.max_pdf_pages``, more text than ``Limits.max_text_chars``, a file
the library cannot decode (loops, bombs, broken structure), and extraction slower than the
time budget (2 s plus ``Limits.pdf_seconds_per_page`` per page).
"""

from __future__ import annotations

import io
import logging
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from coder.ingest.pdf_layout import PAGE_BREAK, Line, PageText, assemble, group_lines
from coder.ingest.pdf_layout import page_paragraphs as layout_paragraphs
from coder.ingest.render import finalise
from coder.ingest.turns import find_turns
from coder.vocab.limits import Limits
from coder.vocab.transcript import IngestError, ParsedSource

__all__ = ["PAGE_BREAK", "page_of", "page_starts", "parse_pdf"]

NO_TEXT = "no text layer: scanned PDF? run OCR first"
ENCRYPTED = "encrypted PDF: remove the password (e.g. print to PDF) and import again"
_BASE_SECONDS = 2.0


def page_starts(text: str) -> list[int]:
    """Offsets where each page of a stored PDF text begins (page 1 at index 0)."""
    starts = [0]
    at = text.find(PAGE_BREAK)
    while at != -1:
        starts.append(at + len(PAGE_BREAK))
        at = text.find(PAGE_BREAK, at + len(PAGE_BREAK))
    return starts


def page_of(text: str, offset: int) -> int:
    """The 1-based page number of a code-point offset into a stored PDF text."""
    return 1 + text.count(PAGE_BREAK, 0, max(0, offset))


@contextmanager
def _quiet() -> Iterator[None]:
    """pypdf reports recoverable damage through logging and warnings; we report one line."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _open(data: bytes) -> Any:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:  # permissions-only PDFs open with the empty password
            opened = bool(reader.decrypt(""))
        except Exception:
            opened = False
        if not opened:
            raise IngestError(ENCRYPTED)
    return reader


def _page_text(page: Any) -> PageText:
    fragments: list[Line] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if not text or not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or 1.0
        for piece in text.split("\n"):
            if piece.strip():
                fragments.append(Line(x, y, float(size) * scale, piece))

    page.extract_text(visitor_text=visit)
    if not fragments:
        # pypdf skips a content stream it refused to inflate (a bomb); decoding it again here
        # raises LimitReachedError, so the user hears "safety limit", not "scanned PDF".
        page.get_contents()
    width = float(page.mediabox.width) if page.mediabox is not None else 612.0
    return PageText(width, group_lines(fragments))


def _extract(data: bytes, limits: Limits) -> list[PageText]:
    started = time.perf_counter()
    reader = _open(data)
    count = len(reader.pages)
    if count > limits.max_pdf_pages:
        raise IngestError(f"too many pages ({count}; the limit is {limits.max_pdf_pages})")
    budget = _BASE_SECONDS + limits.pdf_seconds_per_page * count
    pages: list[PageText] = []
    chars = 0
    for number in range(count):
        page = _page_text(reader.pages[number])
        chars += sum(len(line.text) + 1 for line in page.lines)
        if chars > limits.max_text_chars:
            raise IngestError(f"too much text (over {limits.max_text_chars} characters)")
        if time.perf_counter() - started > budget:
            raise IngestError(f"PDF takes too long to read (stopped at page {number + 1})")
        pages.append(page)
    return pages


def parse_pdf(data: bytes, limits: Limits) -> ParsedSource:
    """Parse a text PDF.

    Args:
        data: The whole file.
        limits: Page, text and time limits.

    Returns:
        The text (shape in the module docstring) and its speaker turns; format ``"pdf"``.

    Raises:
        IngestError: Not a PDF, encrypted, no text layer, over a limit, or undecodable.
    """
    if not data.lstrip()[:1024].startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise IngestError("not a PDF file (no %PDF header)")
    from pypdf.errors import LimitReachedError

    with _quiet():
        try:
            pages = _extract(data, limits)
        except IngestError:
            raise
        except LimitReachedError:
            raise IngestError(
                "PDF exceeds a safety limit (decompression bomb or huge array)"
            ) from None
        except RecursionError:
            raise IngestError("not a readable PDF (nested too deeply)") from None
        except MemoryError:
            raise IngestError("PDF exceeds a safety limit (out of memory)") from None
        except Exception as error:  # pypdf raises many kinds for broken files
            detail = " ".join(str(error).split())[:80] or type(error).__name__
            raise IngestError(f"not a readable PDF ({detail})") from None
    text = assemble(layout_paragraphs(pages))
    if not text.strip():
        raise IngestError(NO_TEXT)
    return finalise(text, find_turns(text), "pdf", None)
