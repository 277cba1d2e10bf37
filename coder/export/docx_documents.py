"""Word versions of the codebook appendix and the coded extracts report.

The extracts report of a large project holds hundreds of thousands of passages; adding them one
python-docx call at a time takes minutes. So python-docx sets up the document (styles, fonts,
page) with a placeholder paragraph, and the body is written as WordprocessingML text straight
into word/document.xml in place of the placeholder.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Inches, Pt

from coder.export.documents import (
    CodebookDocument,
    ExtractsReport,
    code_fields,
    entries,
    grouped,
    participant_heading,
    passage_ref,
)
from coder.export.docx_style import new_document, to_bytes

_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MARK = "coder-extracts-go-here"


def xml_text(text: str) -> str:
    """Text safe inside a w:t element: escaped, without characters XML 1.0 forbids."""
    return escape(_BAD_XML.sub("\ufffd", text))


def codebook_docx(book: CodebookDocument) -> bytes:
    """The codebook as a Word document: a heading per code, its definition, criteria, examples."""
    doc = new_document()
    doc.add_paragraph(book.title, style="Title")
    if book.description:
        doc.add_paragraph(book.description)
    if book.participants:
        doc.add_paragraph(f"Counts are over {book.participants} participants.")
    for c, subtree in entries(book.tree):
        doc.add_heading(c.name, level=min(c.depth + 1, 3))
        for label, text in code_fields(c, subtree):
            p = doc.add_paragraph()
            p.paragraph_format.space_after = Pt(4)
            p.add_run(f"{label}: ").bold = True
            p.add_run(text)
        if c.examples:
            p = doc.add_paragraph()
            p.paragraph_format.space_after = Pt(2)
            p.add_run("Examples:").bold = True
            for e in c.examples:
                doc.add_paragraph(f"\u201c{e}\u201d", style="List Bullet")
    return to_bytes(doc)


def _para(style: str, text: str) -> str:
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{xml_text(text)}</w:t></w:r></w:p>'
    )


def _extract_paragraphs(report: ExtractsReport) -> Iterator[str]:
    for sec in report.sections:
        c = sec.code
        yield _para(f"Heading{min(c.depth + 1, 3)}", sec.path)
        if c.description:
            yield _para("ExtractNote", c.description)
        n = len(sec.extracts)
        yield _para("ExtractNote", f"{n} coded passage{'s' if n != 1 else ''}")
        for first, group in grouped(sec.extracts):
            yield _para("ExtractSource", participant_heading(first))
            for e in group:
                for line in e.text.split("\n"):
                    if line.strip():
                        yield _para("ExtractText", line)
                yield _para("ExtractRef", passage_ref(e))


# The paragraph styles of the extracts document: name, size (pt), font flags, paragraph format.
_EXTRACT_STYLES: tuple[tuple[str, int, dict[str, bool], dict[str, object]], ...] = (
    ("Extract Source", 10, {"bold": True},
     {"space_before": Pt(8), "space_after": Pt(2), "keep_with_next": True}),
    ("Extract Text", 11, {},
     {"left_indent": Inches(0.4), "space_after": Pt(0), "keep_with_next": True}),
    ("Extract Ref", 9, {}, {"left_indent": Inches(0.4), "space_after": Pt(6)}),
    ("Extract Note", 10, {"italic": True}, {"space_after": Pt(4)}),
)  # fmt: skip


def extracts_docx(report: ExtractsReport) -> bytes:
    """Every passage under each code, grouped by theme, with the participant's attributes."""
    doc = new_document()
    for name, size, font, para in _EXTRACT_STYLES:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(size)
        for key, on in font.items():
            setattr(style.font, key, on)
        for key, value in para.items():
            setattr(style.paragraph_format, key, value)
    doc.add_paragraph(report.title, style="Title")
    doc.add_paragraph(MARK)
    return splice(to_bytes(doc), _extract_paragraphs(report))


def splice(docx: bytes, body_xml: str | Iterable[str]) -> bytes:
    """Replace the placeholder paragraph in a saved .docx with raw WordprocessingML.

    python-docx would parse, hold and re-serialise hundreds of thousands of elements; the
    body text is already well-formed XML, so it goes straight into word/document.xml. The
    body may be given in pieces: they are encoded and compressed as they come, so a report
    of 200,000 passages never exists as one string (which would take several times its size
    in memory as soon as one character is outside Latin-1).
    """
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename != "word/document.xml":
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
                continue
            text = data.decode("utf-8")
            m = re.search(rf"<w:p\b(?:(?!<w:p\b).)*?{MARK}.*?</w:p>", text, re.DOTALL)
            if m is None:
                raise ValueError("placeholder paragraph not found")
            pieces = [body_xml] if isinstance(body_xml, str) else body_xml
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            entry._compresslevel = 1  # type: ignore[attr-defined]  # large and repetitive: fast
            with zout.open(entry, "w") as stream:
                stream.write(text[: m.start()].encode("utf-8"))
                buf: list[str] = []
                size = 0
                for piece in pieces:
                    buf.append(piece)
                    size += len(piece)
                    if size >= _CHUNK_CHARS:
                        stream.write("".join(buf).encode("utf-8"))
                        buf, size = [], 0
                stream.write("".join(buf).encode("utf-8"))
                stream.write(text[m.end() :].encode("utf-8"))
    return out.getvalue()


_CHUNK_CHARS = 1 << 20
