"""Gathering a project's codings, texts and turns for the agreement engine, and its table.

The statistics live in `coder.analysis.agreement` (pure, no database); this module reads what
they need in one read-only session, resolves coder names and code references the way every
command does, and hands back the frozen `AgreementResult`. `agreement_table` and
`write_agreement` turn a result into the APA table the exporters write.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import select

from coder.analysis.agreement import CodingColumns, compare
from coder.analysis.agreement_model import AgreementResult, CodeInput, SourceInput, Uncoded
from coder.analysis.methods import table_note, table_rows
from coder.analysis.segments import Unit
from coder.db.models import Coder, Coding, Source, Turn
from coder.errors import UserError
from coder.export.agreement import agreement_grid
from coder.export.formats import pick_format, render
from coder.export.tables import Grid
from coder.services.codebook_files import atomic_write
from coder.services.codes import find_code, flat_codes
from coder.services.project import Project


def _codes(project: Project, refs: Sequence[str] | None) -> list[CodeInput]:
    """The codes to report: the given references (name, path or GUID), else every code."""
    if refs:
        found = [find_code(project, ref) for ref in refs]
        unique = list({c.id: c for c in found}.values())
    else:
        unique = flat_codes(project)
    return [CodeInput(c.id, c.name, c.guid) for c in unique]


def agreement(
    project: Project,
    coders: Sequence[str],
    unit: Unit = "char",
    codes: Sequence[str] | None = None,
    uncoded: Uncoded | None = None,
    all_sources: bool = False,
) -> AgreementResult:
    """Agreement between `coders` (two or more names) in `project`.

    Args:
        project: The open project.
        coders: Coder names; with two, the first is coder "a" in the table.
        unit: "char", "sentence", "turn", "paragraph" or "source".
        codes: Code references (name, `Parent/Child` path or GUID); None for every code.
        uncoded: "count" or "skip" uncoded units; None for the unit's default.
        all_sources: Compare every source, not only those every coder coded.

    Raises:
        UserError: an unknown coder or code, fewer than two coders, or an unknown unit.
    """
    wanted = list(dict.fromkeys(c.strip() for c in coders))
    if len(wanted) < 2:
        raise UserError("agreement needs at least two different coders (--coders A B)")
    code_inputs = _codes(project, codes)
    with project.reading() as s:
        known = set(s.scalars(select(Coder.name)))
        missing = [c for c in wanted if c not in known]
        if missing:
            listed = ", ".join(sorted(known)) or "none yet"
            raise UserError(f"no coder named {missing[0]!r} in this project (coders: {listed})")
        turns: dict[int, list[tuple[int, int]]] = {}
        for sid, start, end in s.execute(
            select(Turn.source_id, Turn.start, Turn.end).order_by(Turn.source_id, Turn.position)
        ):
            turns.setdefault(sid, []).append((start, end))
        sources = [
            SourceInput(sid, name, text, turns=tuple(turns.get(sid, ())))
            for sid, name, text in s.execute(
                select(Source.id, Source.name, Source.text).order_by(Source.name)
            )
        ]
        rows = s.execute(
            select(Coding.source_id, Coding.start, Coding.end, Coding.code_id, Coder.name)
            .join(Coder, Coder.id == Coding.coder_id)
            .where(Coder.name.in_(wanted))
        ).all()
    columns = list(zip(*rows, strict=True)) if rows else [(), (), (), (), ()]
    table = CodingColumns(
        source=np.asarray(columns[0], dtype=np.int64),
        start=np.asarray(columns[1], dtype=np.int64),
        end=np.asarray(columns[2], dtype=np.int64),
        code=np.asarray(columns[3], dtype=np.int64),
        coder=np.asarray(columns[4], dtype=object),
    )
    return compare(sources, code_inputs, table, wanted, unit, uncoded, all_sources)


def agreement_table(result: AgreementResult, number: int = 3) -> Grid:
    """The APA table of per-code agreement with the methods paragraph as its note."""
    return agreement_grid(
        result.unit, result.coders, table_rows(result), table_note(result), number
    )


def write_agreement(result: AgreementResult, path: str | Path, fmt: str | None = None) -> str:
    """Write the agreement table to `path` atomically (.docx, .xlsx, .csv or .md).

    Returns:
        The format written.
    """
    chosen = pick_format(path, fmt)
    atomic_write(path, render(agreement_table(result), chosen))
    return chosen
