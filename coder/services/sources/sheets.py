"""Reading participant sheets (CSV or XLSX) and typing their columns.

Kept apart from the case logic so the reading rules (encodings, delimiters, Excel cells) and the
typing rules (integer, number, ISO date, text) can be tested on their own.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from coder.errors import UserError
from coder.ingest.decode import decode_bytes
from coder.vocab.transcript import IngestError
from coder.vocab.values import infer_type as infer_type
from coder.vocab.values import parse_value as parse_value

MAX_SHEET_BYTES = 20 * 1024 * 1024


class SheetError(UserError):
    """A user-facing problem reading a sheet (one line)."""


def read_sheet(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    """Headers and rows (cell text) of a CSV or XLSX file."""
    p = Path(path)
    if not p.is_file():
        raise SheetError(f"{p}: no such file")
    if p.stat().st_size > MAX_SHEET_BYTES:
        raise SheetError(f"{p}: larger than {MAX_SHEET_BYTES // 2**20} MB")
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        headers, rows = _read_xlsx(p)
    elif p.suffix.lower() in (".csv", ".tsv", ".txt"):
        headers, rows = _read_csv(p)
    else:
        raise SheetError(f"{p}: not a CSV or XLSX file")
    if not headers or not any(h.strip() for h in headers):
        raise SheetError(f"{p}: no header row")
    seen: set[str] = set()
    for h in headers:
        if h.strip().lower() in seen and h.strip():
            raise SheetError(f"{p}: column {h!r} appears twice")
        seen.add(h.strip().lower())
    return headers, rows


def _decode(data: bytes) -> str:
    """The sheet's text, by the same encoding rules as transcripts (coder.ingest.decode)."""
    try:
        return decode_bytes(data)[0]
    except IngestError as exc:  # a transcript is "text"; here the reader expects a CSV
        raise SheetError(str(exc).replace("file, not text", "file, not CSV")) from None


def _read_csv(p: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        text = _decode(p.read_bytes())
    except SheetError as exc:
        raise SheetError(f"{p}: {exc}") from exc
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # strict: an unclosed quote is an error, not one cell that swallows the rest of the file
    reader = csv.reader(io.StringIO(text), dialect, strict=True)
    try:
        table = [row for row in reader if any(c.strip() for c in row)]
    except csv.Error as exc:
        hint = " (a quote that is never closed?)" if "end of data" in str(exc) else ""
        raise SheetError(f"{p}: malformed CSV at line {reader.line_num}: {exc}{hint}") from exc
    if not table:
        raise SheetError(f"{p}: the sheet is empty")
    headers = [h.strip() for h in table[0]]
    rows = []
    for n, row in enumerate(table[1:], 2):
        if len(row) > len(headers):
            raise SheetError(f"{p}: row {n} has {len(row)} cells but the header has {len(headers)}")
        rows.append({h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(headers)})
    return headers, rows


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _read_xlsx(p: Path) -> tuple[list[str], list[dict[str, str]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(p) as z:
            if sum(i.file_size for i in z.infolist()) > 10 * MAX_SHEET_BYTES:
                raise SheetError(f"{p}: expands past the size limit")
        wb = load_workbook(p, read_only=True, data_only=True)
    except SheetError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise SheetError(f"{p}: not a readable XLSX file ({exc.__class__.__name__})") from exc
    try:
        ws = wb.worksheets[0]
        table = [[_cell(c) for c in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    table = [r for r in table if any(c for c in r)]
    if not table:
        raise SheetError(f"{p}: the sheet is empty")
    headers = table[0]
    while headers and not headers[-1]:
        headers = headers[:-1]
    rows = [{h: (r[i] if i < len(r) else "") for i, h in enumerate(headers)} for r in table[1:]]
    return headers, rows
