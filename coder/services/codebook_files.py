"""Codebook files by extension: YAML (coder's own) and REFI-QDA .qdc.

The CLI and the TUI call these two functions and never care which format a file is in.
Writes go to a temporary file first and are renamed into place, so a failed export never
leaves half a file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from coder.errors import UserError
from coder.services.codebook_yaml import dump_codebook, load_codebook
from coder.services.codebooks import export_codebook, import_codebook
from coder.services.codes import CodebookError
from coder.services.dto import Codebook, CodebookSummary
from coder.services.project import Project

YAML_SUFFIXES = (".yaml", ".yml")
QDC_SUFFIXES = (".qdc",)


def read_codebook_file(path: str | Path) -> Codebook:
    """Parse a codebook file of any supported format."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return load_codebook(p)
    if suffix in QDC_SUFFIXES:
        from coder.export.refi_codebook import read_qdc

        return read_qdc(p)
    raise UserError(f"{p}: unknown codebook format (use .yaml or .qdc)")


def import_codebook_file(project: Project, path: str | Path) -> CodebookSummary:
    """Merge a codebook file into the project by GUID."""
    book = read_codebook_file(path)
    try:
        return import_codebook(project, book)
    except CodebookError as exc:
        raise CodebookError(f"{path}: {exc}") from exc


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write bytes to `path` via a temporary file in the same folder and a rename."""
    p = Path(path)
    if not p.parent.exists():
        raise UserError(f"{p}: folder {p.parent} does not exist")
    try:
        _write_replace(p, data)
    except OSError as exc:  # full disk, read-only folder, file name too long...
        raise UserError(f"{p}: cannot write: {exc.strerror or exc}") from exc


def _write_replace(p: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # mkstemp makes the file private (0600); an export should get the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_codebook_file(project: Project, path: str | Path) -> Codebook:
    """Write the project's codebook to a file; the format follows the extension."""
    p = Path(path)
    book = export_codebook(project)
    suffix = p.suffix.lower()
    if suffix in YAML_SUFFIXES:
        atomic_write(p, dump_codebook(book).encode("utf-8"))
    elif suffix in QDC_SUFFIXES:
        from coder.export.refi_codebook import write_qdc

        atomic_write(p, write_qdc(book))
    else:
        raise UserError(f"{p}: unknown codebook format (use .yaml or .qdc)")
    return book
