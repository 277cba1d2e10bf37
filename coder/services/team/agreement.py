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
from coder.files import atomic_write
from coder.services.codebook.reading import find_code
from coder.services.project.store import Project
from coder.services.reports.tables import bare_tree


def _codes(project: Project, refs: Sequence[str] | None) -> list[CodeInput]:
    """The codes to report: the given references (name, path or GUID), else every code."""
    if refs:
        found = [find_code(project, ref) for ref in refs]
        unique = list({c.id: c for c in found}.values())
    else:
        unique = [c for node in bare_tree(project) for c in node.walk()]
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
        codes: Code references (name, `Parent/Child` path or GUID); None or none for every code.
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
        known = {name: cid for name, cid in s.execute(select(Coder.name, Coder.id))}
        missing = [c for c in wanted if c not in known]
        if missing:
            listed = ", ".join(sorted(known)) or "none yet"
            raise UserError(f"no coder named {missing[0]!r} in this project (coders: {listed})")
        # Bulk reads go through the Core connection: ORM rows cost seconds at 200,000 codings.
        conn = s.connection()
        turns: dict[int, list[tuple[int, int]]] = {}
        for sid, start, end in conn.execute(
            select(Turn.source_id, Turn.start, Turn.end).order_by(Turn.source_id, Turn.position)
        ):
            turns.setdefault(sid, []).append((start, end))
        sources = [
            SourceInput(sid, name, text, turns=tuple(turns.get(sid, ())))
            for sid, name, text in conn.execute(
                select(Source.id, Source.name, Source.text).order_by(Source.name)
            )
        ]
        ids = [known[c] for c in wanted]
        raw = conn.execute(
            select(
                Coding.source_id, Coding.start, Coding.end, Coding.code_id, Coding.coder_id
            ).where(Coding.coder_id.in_(ids))
        )
        rows = np.array([tuple(r) for r in raw], dtype=np.int64).reshape(-1, 5)
    name_of = {known[c]: c for c in wanted}
    table = CodingColumns(
        source=rows[:, 0],
        start=rows[:, 1],
        end=rows[:, 2],
        code=rows[:, 3],
        coder=np.array([name_of[i] for i in rows[:, 4].tolist()], dtype=object),
    )
    return compare(sources, code_inputs, table, wanted, unit, uncoded, all_sources)


def agreement_table(result: AgreementResult, number: int = 3) -> Grid:
    """The APA table of per-code agreement with the methods paragraph as its note."""
    return agreement_grid(
        result.unit, result.coders, table_rows(result), table_note(result), number
    )


def agreement_file(result: AgreementResult, fmt: str) -> bytes:
    """The agreement table as .docx, .xlsx, .csv or .md bytes."""
    return render(agreement_table(result), fmt)


def active_coders(project: Project) -> list[str]:
    """Names of the coders who have at least one coding, in name order."""
    with project.reading() as s:
        used = select(Coding.coder_id).distinct()
        return list(s.scalars(select(Coder.name).where(Coder.id.in_(used)).order_by(Coder.name)))


def write_agreement(result: AgreementResult, path: str | Path, fmt: str | None = None) -> str:
    """Write the agreement table to `path` atomically (.docx, .xlsx, .csv or .md).

    Returns:
        The format written.
    """
    chosen = pick_format(path, fmt)
    atomic_write(path, agreement_file(result, chosen))
    return chosen
