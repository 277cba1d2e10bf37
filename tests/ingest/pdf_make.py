"""Make real PDFs for the PDF import tests and benchmarks (with reportlab).

Each maker returns the bytes of a PDF written the way word processors write them: text laid
out line by line at absolute positions, running headers and footers, words hyphenated at line
ends, and (for the two-column maker) the right column drawn BEFORE the left one, so a reader
that follows the content stream instead of the page geometry gets the order wrong.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
LINE = 14.0
TOP = HEIGHT - 90
BOTTOM = 80


def wrap(text: str, chars: int) -> list[str]:
    """Greedy wrap; a word longer than the room left is hyphenated at the line end."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        room = chars - len(line) - (1 if line else 0)
        if len(word) <= room:
            line = f"{line} {word}" if line else word
            continue
        if room >= 5 and len(word) >= 8 and word.isalpha():
            cut = room - 1
            lines.append(f"{line} {word[:cut]}-" if line else f"{word[:cut]}-")
            line = word[cut:]
            continue
        lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


def transcript_pdf(
    turns: Sequence[tuple[str, str]],
    *,
    header: str = "Small labels study - interview 7 - confidential",
    chars: int = 70,
    blank_between: bool = True,
) -> bytes:
    """A one-column transcript: "Speaker: text" paragraphs, header and footer on every page."""
    lines: list[str] = []
    for speaker, said in turns:
        lines.extend(wrap(f"{speaker}: {said}", chars))
        if blank_between:
            lines.append("")
    per_page = int((TOP - BOTTOM) // LINE)
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number, page in enumerate(pages, 1):
        pdf.setFont("Helvetica", 9)
        pdf.drawString(72, HEIGHT - 50, header)
        pdf.drawString(WIDTH - 150, 40, f"Page {number} of {len(pages)}")
        pdf.setFont("Helvetica", 11)
        y = TOP
        for text in page:
            if text:
                pdf.drawString(72, y, text)
            y -= LINE
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def two_column_pdf(left: Sequence[str], right: Sequence[str]) -> bytes:
    """One page, two columns of paragraphs; the right column is drawn first."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", 10)
    for x, paragraphs in ((WIDTH / 2 + 10, right), (60, left)):
        y = TOP
        for paragraph in paragraphs:
            for text in wrap(paragraph, 38):
                pdf.drawString(x, y, text)
                y -= LINE
            y -= LINE
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def scanned_pdf(pages: int = 2) -> bytes:
    """Pages that only hold drawn shapes (as a scanner's images would): no text layer."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for _ in range(pages):
        for row in range(40):
            pdf.rect(60, TOP - row * LINE, 300 + (row * 37) % 150, 8, fill=1)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    """A text PDF protected with a user password."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt="secret")
    pdf.drawString(72, TOP, "Anna: this text is locked.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def raw_pdf(objects: Sequence[bytes], root: int = 1) -> bytes:
    """A hand-built PDF from object bodies (numbered from 1), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, root))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _stream(data: bytes, flate: bool) -> bytes:
    head = b"<< /Length %d /Filter /FlateDecode >>" if flate else b"<< /Length %d >>"
    return head % len(data) + b"\nstream\n" + data + b"\nendstream"


def bomb_pdf(inflated_mb: int = 400) -> bytes:
    """One page whose content stream inflates to ``inflated_mb`` MB of spaces."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    packed = b"".join(packer.compress(chunk) for _ in range(inflated_mb)) + packer.flush()
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            _stream(packed, True),
        ]
    )


def loop_pdf() -> bytes:
    """A page tree whose Kids point back at themselves, and a reference that names itself."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources 5 0 R >>",
            _stream(b"BT /F1 12 Tf 72 700 Td (Loop) Tj ET", False),
            b"5 0 R",
        ]
    )


def many_pages_pdf(count: int = 1_000_000) -> bytes:
    """A page tree that claims ``count`` pages by listing one page object over and over."""
    kids = b"[" + b"3 0 R " * count + b"]"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids " + kids + b" /Count %d >>" % count,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            _stream(b"BT /F1 12 Tf 72 700 Td (Page) Tj ET", False),
        ]
    )
