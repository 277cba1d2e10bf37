"""The framework matrix: participants x themes, each cell a summary the researcher writes.

Framework analysis (Ritchie and Spencer) charts each participant's account of each theme in
a few lines, written while reading the passages coded to that theme. The summaries are kept
in the project (`framework_cells`, one row per participant and theme); a cell's passages are
the codings of the participant's sources to the theme or any code below it. A save is one
transaction and is recorded for undo like any other edit; an empty summary removes the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coder.db.models import Case, Code, Coding, FrameworkCell, Source, utcnow
from coder.db.retry import retry_writes
from coder.errors import UserError
from coder.export.tables import Column, Grid
from coder.services.project.history import Recorder
from coder.services.project.store import Project
from coder.services.project.whose import Coders, coded_by
from coder.vocab.dto import CodedPassage

MAX_SUMMARY = 20_000


@dataclass(frozen=True, slots=True)
class FrameworkCellInfo:
    """One cell: participant, theme, the summary and how many passages it rests on."""

    participant: str
    theme: str
    summary: str
    passages: int


@dataclass(frozen=True, slots=True)
class Framework:
    """The whole matrix: `cells[i][j]` is participant i's cell for theme j."""

    participants: tuple[str, ...]
    themes: tuple[str, ...]
    cells: tuple[tuple[FrameworkCellInfo, ...], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "participants": list(self.participants),
            "themes": list(self.themes),
            "cells": [
                {
                    "participant": c.participant,
                    "theme": c.theme,
                    "summary": c.summary,
                    "passages": c.passages,
                }
                for row in self.cells
                for c in row
            ],
        }


def _themes(s: Session) -> tuple[list[tuple[int, str]], dict[int, int], dict[int, str]]:
    """Themes (top-level codes) in order; every code's theme; every code's path."""
    rows = s.execute(
        select(Code.id, Code.name, Code.parent_id).order_by(Code.position, Code.id)
    ).all()
    parent = {cid: pid for cid, _, pid in rows}
    name = {cid: n for cid, n, _ in rows}
    root: dict[int, int] = {}
    path: dict[int, str] = {}
    for cid in parent:
        chain = [cid]
        while parent.get(chain[-1]) is not None and len(chain) <= len(parent):
            chain.append(parent[chain[-1]])  # type: ignore[arg-type]
        root[cid] = chain[-1]
        path[cid] = "/".join(name[c] for c in reversed(chain))
    return [(cid, n) for cid, n, pid in rows if pid is None], root, path


def _case(s: Session, participant: str) -> Case:
    wanted = participant.strip()
    case = s.scalar(select(Case).where(Case.name == wanted))
    if case is None:
        found = [c for c in s.scalars(select(Case)) if c.name.casefold() == wanted.casefold()]
        if len(found) != 1:
            raise UserError(f"no participant named {wanted!r}")
        case = found[0]
    return case


def _theme(s: Session, theme: str) -> Code:
    wanted = theme.strip().casefold()
    for code in s.scalars(select(Code).where(Code.parent_id.is_(None))):
        if code.name.casefold() == wanted:
            return code
    raise UserError(f"no theme named {theme.strip()!r} (a theme is a top-level code)")


def framework(project: Project, coders: Coders = None) -> Framework:
    """Every participant against every theme, with the summaries and passage counts (of the
    codings by `coders`, when given)."""
    with project.reading() as s:
        themes, root, _ = _themes(s)
        cases = s.execute(select(Case.id, Case.name).order_by(Case.name)).all()
        summaries = {
            (case_id, code_id): text
            for case_id, code_id, text in s.execute(
                select(FrameworkCell.case_id, FrameworkCell.code_id, FrameworkCell.summary)
            )
        }
        spans: dict[tuple[int, int], set[tuple[int, int, int]]] = {}
        for case_id, sid, start, end, code_id in s.execute(
            select(Source.case_id, Coding.source_id, Coding.start, Coding.end, Coding.code_id)
            .join(Source, Coding.source_id == Source.id)
            .where(Source.case_id.is_not(None), coded_by(coders))
        ):
            if case_id is not None:
                spans.setdefault((case_id, root[code_id]), set()).add((sid, start, end))
    col = [n for _, n in themes]
    cells = tuple(
        tuple(
            FrameworkCellInfo(
                name,
                tname,
                summaries.get((case_id, tid), ""),
                len(spans.get((case_id, tid), ())),
            )
            for tid, tname in themes
        )
        for case_id, name in cases
    )
    return Framework(tuple(n for _, n in cases), tuple(col), cells)


def get_summary(project: Project, participant: str, theme: str) -> str:
    """The summary of one cell ("" when none is written)."""
    with project.reading() as s:
        case, code = _case(s, participant), _theme(s, theme)
        text = s.scalar(
            select(FrameworkCell.summary).where(
                FrameworkCell.case_id == case.id, FrameworkCell.code_id == code.id
            )
        )
    return text or ""


@retry_writes
def set_summary(
    project: Project, participant: str, theme: str, text: str, coder: str | None = None
) -> FrameworkCellInfo:
    """Write (or, given "", clear) one cell's summary, in one transaction, undoable."""
    summary = text.strip()
    if len(summary) > MAX_SUMMARY:
        raise UserError(f"a framework summary has at most {MAX_SUMMARY:,} characters")
    with project.transaction() as s:
        case, code = _case(s, participant), _theme(s, theme)
        rec = Recorder(s)
        row = s.scalar(
            select(FrameworkCell).where(
                FrameworkCell.case_id == case.id, FrameworkCell.code_id == code.id
            )
        )
        if row is None and summary:
            row = FrameworkCell(
                case_id=case.id,
                code_id=code.id,
                summary=summary,
                coder_id=project.coder_id(s, coder),
            )
            s.add(row)
            rec.created([row])
        elif row is not None:
            rec.touch([row])
            if summary:
                row.summary = summary
                row.coder_id = project.coder_id(s, coder)
                row.updated_at = utcnow()
            else:
                s.delete(row)
        rec.record("framework summary")
        case_name, theme_name = case.name, code.name
    n = len(cell_passages(project, case_name, theme_name))
    return FrameworkCellInfo(case_name, theme_name, summary, n)


def cell_passages(
    project: Project, participant: str, theme: str, coders: Coders = None
) -> tuple[CodedPassage, ...]:
    """The passages of one cell: the participant's spans coded (by `coders`, when given) to
    the theme or below it, each once, in source order, with every code of the theme on it."""
    with project.reading() as s:
        case, code = _case(s, participant), _theme(s, theme)
        _, root, path = _themes(s)
        inside = [cid for cid, r in root.items() if r == code.id]
        rows = s.execute(
            select(Source.name, Source.id, Coding.start, Coding.end, Coding.code_id)
            .join(Source, Coding.source_id == Source.id)
            .where(Source.case_id == case.id, Coding.code_id.in_(inside), coded_by(coders))
        ).all()
        by_span: dict[tuple[str, int, int, int], set[str]] = {}
        for name, sid, start, end, cid in rows:
            by_span.setdefault((name, sid, start, end), set()).add(path[cid])
        texts = {
            sid: text
            for sid, text in s.execute(
                select(Source.id, Source.text).where(Source.id.in_({k[1] for k in by_span}))
            )
        }
    return tuple(
        CodedPassage(name, start, end, texts[sid][start:end], tuple(sorted(codes)))
        for (name, sid, start, end), codes in sorted(by_span.items())
    )


def framework_grid(project: Project) -> Grid:
    """The framework matrix as a table: a row per participant, a column per theme."""
    fw = framework(project)
    cols = (
        Column("participant", "Participant", weight=1.0),
        *(Column(f"theme:{t}", t, weight=3.0) for t in fw.themes),
    )
    rows = tuple(
        (p, *(c.summary for c in row)) for p, row in zip(fw.participants, fw.cells, strict=True)
    )
    note = "Note. Each cell summarises what the participant said about the theme."
    return Grid("Framework matrix", cols, rows, note=note, landscape=len(fw.themes) > 3)
