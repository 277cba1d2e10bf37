"""The house look of every Word document coder writes: one font, APA-style tables.

Journals (APA 7 and most that follow it) want tables without vertical rules: a rule above and
below the column headings and one under the last row, nothing else; one typeface throughout;
numbers right-aligned; the caption ("Table 1. ...") above the table. python-docx's default
template uses theme fonts (Calibri, Calibri Light) and blue headings, so the styles are
rewritten here to name one font explicitly and to drop the theme references that would
otherwise override it.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor, Twips
from docx.table import Table, _Cell

FONT = "Times New Roman"
BODY_PT = 12
TABLE_PT = 10
RULE = {"val": "single", "sz": "8", "space": "0", "color": "000000"}  # 1 pt
NO_RULE = {"val": "nil"}
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
STYLED = ("Normal", "Caption", "Title", "Heading 1", "Heading 2", "Heading 3", "Quote",
          "List Bullet", "No Spacing")  # fmt: skip


PAGE_SIZES = {"letter": (Twips(12240), Twips(15840)), "a4": (Twips(11906), Twips(16838))}
"""Portrait width and height of each page size coder offers, in the twips Word itself uses
(8.5 x 11 in; 210 x 297 mm rounded to the twip, as Word writes A4)."""


def new_document(
    *, landscape: bool = False, font: str = FONT, page: str = "letter"
) -> DocumentObject:
    """A blank document on `page` ("letter" or "a4"), portrait unless `landscape`, whose every
    style uses `font`, black text, APA spacing."""
    doc = Document()
    width, height = PAGE_SIZES[page]
    for sec in doc.sections:  # APA: one-inch margins all round
        sec.page_width, sec.page_height = width, height
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Inches(1)
    if landscape:
        sec = doc.sections[0]
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    for name in STYLED:
        style = doc.styles[name]
        style.font.name = font
        style.font.color.rgb = RGBColor(0, 0, 0)
        if name.startswith("Heading") or name == "Title":
            style.font.bold = True
            style.font.italic = name == "Heading 3"
            style.font.size = Pt({"Title": 16, "Heading 1": 14, "Heading 2": 12}.get(name, 12))
        if name == "Caption":
            style.font.size = Pt(BODY_PT)
            style.font.bold = False
            style.font.italic = False
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.space_after = Pt(6)
    doc.styles["Normal"].font.size = Pt(BODY_PT)
    title_ppr = doc.styles["Title"].element.pPr
    if title_ppr is not None:  # the template's Title has a blue rule under it
        for border in title_ppr.findall(qn("w:pBdr")):
            title_ppr.remove(border)
    _one_font(doc, font)
    return doc


def _one_font(doc: DocumentObject, font: str) -> None:
    """Name `font` in every rFonts of styles.xml (docDefaults included), without theme fonts."""
    root = doc.styles.element
    defaults = root.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:rFonts")) is None:
            rpr.insert(0, OxmlElement("w:rFonts"))
    for rfonts in root.iter(qn("w:rFonts")):
        for attr in THEME_ATTRS:
            rfonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), font)


def caption(doc: DocumentObject, text: str) -> None:
    """The table caption above the table: "Table 1." in bold, the title in italics."""
    p = doc.add_paragraph(style="Caption")
    label, sep, title = text.partition(". ")
    if sep and label.lower().startswith("table"):
        p.add_run(label + ".").bold = True
        p.add_run(" ")
        p.add_run(title).italic = True
    else:
        p.add_run(text)


TBL_PR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
)
TR_PR_ORDER = (
    "cnfStyle",
    "divId",
    "gridBefore",
    "gridAfter",
    "wBefore",
    "wAfter",
    "cantSplit",
    "trHeight",
    "tblHeader",
    "tblCellSpacing",
    "jc",
    "hidden",
)
TC_PR_ORDER = (
    "cnfStyle",
    "tcW",
    "gridSpan",
    "hMerge",
    "vMerge",
    "tcBorders",
    "shd",
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
)


def child(parent: Any, tag: str, order: tuple[str, ...]) -> Any:
    """The `tag` child of `parent`, created in the position the OOXML schema requires.

    Word refuses a document whose property elements are out of schema order, so new elements
    go before the first existing sibling that must follow them.
    """
    found = parent.find(qn(f"w:{tag}"))
    if found is not None:
        return found
    el = OxmlElement(f"w:{tag}")
    later = order[order.index(tag) + 1 :]
    for sibling in parent:
        if any(sibling.tag == qn(f"w:{t}") for t in later):
            sibling.addprevious(el)
            return el
    parent.append(el)
    return el


def _border(parent: Any, edge: str, spec: dict[str, str]) -> None:
    el = parent.find(qn(f"w:{edge}"))
    if el is None:
        el = OxmlElement(f"w:{edge}")
        parent.append(el)
    for k, v in spec.items():
        el.set(qn(f"w:{k}"), v)


def apa_rules(table: Table, header_rows: int = 1) -> None:
    """Rules above and below the header and under the last row; no vertical rules at all."""
    borders = child(table._tbl.tblPr, "tblBorders", TBL_PR_ORDER)
    for edge in ("top", "bottom"):
        _border(borders, edge, RULE)
    for edge in ("left", "right", "insideH", "insideV"):
        _border(borders, edge, NO_RULE)
    if header_rows:
        for cell in table.rows[header_rows - 1].cells:
            tc_borders = child(cell._tc.get_or_add_tcPr(), "tcBorders", TC_PR_ORDER)
            _border(tc_borders, "bottom", RULE)
        for row in table.rows[:header_rows]:  # repeat the header on every page
            child(row._tr.get_or_add_trPr(), "tblHeader", TR_PR_ORDER)
        for row in table.rows[header_rows:]:  # a row never breaks across pages
            child(row._tr.get_or_add_trPr(), "cantSplit", TR_PR_ORDER)


def new_table(doc: DocumentObject, rows: int, cols: int) -> Table:
    """A table with no style borders, centred, cells with a little breathing room."""
    table: Table = doc.add_table(rows=rows, cols=cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    margins = child(table._tbl.tblPr, "tblCellMar", TBL_PR_ORDER)
    for edge, width in (("top", "29"), ("left", "86"), ("bottom", "29"), ("right", "86")):
        m = OxmlElement(f"w:{edge}")
        m.set(qn("w:w"), width)
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    return table


def set_cell_text(
    cell: _Cell, text: str, *, bold: bool = False, size: float = TABLE_PT, align: int | None = None
) -> None:
    """Fill a cell: one paragraph per line of `text`, no space after, given alignment."""
    lines = text.split("\n") if text else [""]
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        p.paragraph_format.space_after = Pt(3 if i < len(lines) - 1 else 0)
        p.paragraph_format.space_before = Pt(0)
        if align is not None:
            p.alignment = align
        if line:
            run = p.add_run(line)
            run.font.size = Pt(size)
            run.bold = bold or None


def to_bytes(doc: DocumentObject) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
