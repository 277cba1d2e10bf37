"""Reading back what a generated .docx really contains: cells, merges, rules, fonts."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.document import Document
from docx.table import Table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
VERTICAL = ("left", "right", "start", "end", "insideV")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def open_docx(source: Path | bytes) -> Document:
    return docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))


def texts(table: Table) -> list[list[str]]:
    """Cell texts row by row, as python-docx reads them (merged cells repeat their text)."""
    return [[c.text for c in row.cells] for row in table.rows]


def vmerge(table: Table) -> list[list[str | None]]:
    """Each cell's w:vMerge: "restart", "continue" or None (not merged)."""
    out = []
    for tr in table._tbl.findall(w("tr")):
        row = []
        for tc in tr.findall(w("tc")):
            vm = tc.find(f"{w('tcPr')}/{w('vMerge')}")
            row.append(None if vm is None else vm.get(w("val"), "continue"))
        out.append(row)
    return out


def vertical_rules(doc: Document) -> list[str]:
    """Every vertical border that draws a line, in tables or cells, anywhere."""
    found = []
    for borders in doc.element.iter(w("tblBorders"), w("tcBorders")):
        for edge in VERTICAL:
            el = borders.find(w(edge))
            if el is not None and el.get(w("val")) not in ("nil", "none"):
                found.append(f"{borders.tag.rsplit('}', 1)[1]}/{edge}={el.get(w('val'))}")
    return found


def horizontal_rules(table: Table) -> dict[str, object]:
    """Where the table draws horizontal lines: table top/bottom/insideH, header cell bottoms."""
    tbl = table._tbl.tblPr.find(w("tblBorders"))
    edges = {e: tbl.find(w(e)).get(w("val")) for e in ("top", "bottom", "insideH")}
    header = []
    for tc in table._tbl.findall(w("tr"))[0].findall(w("tc")):
        b = tc.find(f"{w('tcPr')}/{w('tcBorders')}/{w('bottom')}")
        header.append(None if b is None else b.get(w("val")))
    body = [tc for tr in table._tbl.findall(w("tr"))[1:] for tc in tr.findall(w("tc"))]
    body_rules = [tc for tc in body if tc.find(f"{w('tcPr')}/{w('tcBorders')}") is not None]
    return {**edges, "header": header, "body_cells_with_borders": len(body_rules)}


def font_names(doc: Document) -> tuple[set[str], list[str]]:
    """Fonts named in styles.xml and document.xml, and any theme-font references left."""
    names: set[str] = set()
    themes: list[str] = []
    for root in (doc.styles.element, doc.element):
        for rf in root.iter(w("rFonts")):
            for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
                if rf.get(w(attr)):
                    names.add(rf.get(w(attr)))
            themes += [a for a in rf.attrib if "Theme" in a or "theme" in a]
    return names, themes
