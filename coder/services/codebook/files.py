"""Codebook files by extension: YAML (coder's own), REFI-QDA .qdc, and CSV for Taguette.

Taguette imports a codebook only as CSV with the columns `tag` and `description`; its tags are
flat, so a sub-code's tag is its path joined with "/" (`Parent/Child`). CSV is export-only.

The CLI and the TUI call these two functions and never care which format a file is in.
Writes go to a temporary file first and are renamed into place, so a failed export never
leaves half a file behind.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from coder.errors import UserError
from coder.export.cell_safety import csv_cell
from coder.files import atomic_write
from coder.services.codebook.reading import CodebookError
from coder.services.codebook.transfer import export_codebook, import_codebook
from coder.services.codebook.yaml_format import dump_codebook, load_codebook
from coder.services.project.store import Project
from coder.vocab.dto import Codebook, CodebookSummary, CodeSpec

YAML_SUFFIXES = (".yaml", ".yml")
QDC_SUFFIXES = (".qdc",)
CSV_SUFFIXES = (".csv",)
TAG_SEPARATOR = "/"


def codebook_csv(book: Codebook) -> str:
    """The codebook as Taguette's CSV: one row per code, columns `tag` and `description`."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(["tag", "description"])

    def rows(spec: CodeSpec, path: tuple[str, ...]) -> None:
        here = (*path, spec.name)
        out.writerow([csv_cell(TAG_SEPARATOR.join(here)), csv_cell(spec.description)])
        for child in spec.children:
            rows(child, here)

    for spec in book.codes:
        rows(spec, ())
    return buf.getvalue()


def read_codebook_file(path: str | Path) -> Codebook:
    """Parse a codebook file of any supported format."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return load_codebook(p)
    if suffix in QDC_SUFFIXES:
        from coder.refi.codebook import read_qdc

        return read_qdc(p)
    raise UserError(f"{p}: unknown codebook format (use .yaml or .qdc)")


def import_codebook_file(project: Project, path: str | Path) -> CodebookSummary:
    """Merge a codebook file into the project by GUID."""
    book = read_codebook_file(path)
    try:
        return import_codebook(project, book)
    except CodebookError as exc:
        raise CodebookError(f"{path}: {exc}") from exc


def export_codebook_file(project: Project, path: str | Path) -> Codebook:
    """Write the project's codebook to a file; the format follows the extension."""
    p = Path(path)
    book = export_codebook(project)
    suffix = p.suffix.lower()
    if suffix in YAML_SUFFIXES:
        atomic_write(p, dump_codebook(book).encode("utf-8"))
    elif suffix in QDC_SUFFIXES:
        from coder.refi.codebook import write_qdc

        atomic_write(p, write_qdc(book))
    elif suffix in CSV_SUFFIXES:
        atomic_write(p, codebook_csv(book).encode("utf-8"))
    else:
        raise UserError(f"{p}: unknown codebook format (use .yaml, .qdc or .csv)")
    return book
