"""The codebook appendix and the coded extracts report, gathered from a project.

`codebook_document` and `extracts_data` return plain dataclasses that coder.export renders as
Word or Markdown; `document_file` does both steps for the CLI and the TUI.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select

from coder.db.models import Case, Coder, Coding, Source, Turn
from coder.export.assemble import extract_order, subtree_nodes
from coder.export.documents import (
    CodebookDocument,
    Extract,
    ExtractSection,
    ExtractsReport,
    codebook_markdown,
    extracts_markdown,
)
from coder.export.docx_documents import codebook_docx, extracts_docx
from coder.services.codebook.codes import code_tree
from coder.services.project.settings import Key, get_setting
from coder.services.project.store import Project
from coder.services.reports.table1 import table1_data
from coder.vocab.turns import turn_at


def codebook_document(project: Project) -> CodebookDocument:
    """The codebook appendix: title, description and the code tree with counts."""
    with project.reading() as s:
        n = s.scalar(select(func.count()).select_from(Case)) or 0
    return CodebookDocument(
        get_setting(project, Key.CODEBOOK_TITLE, "Codebook") or "Codebook",
        get_setting(project, Key.CODEBOOK_DESCRIPTION),
        code_tree(project),
        n,
    )


def extracts_data(project: Project, code_ids: Sequence[int] | None = None) -> ExtractsReport:
    """Every coded passage under each code (tree order), with the participant's attributes.

    Args:
        project: The open project.
        code_ids: Only these codes and the codes beneath them (default: all).
    """
    t1 = table1_data(project)
    attrs = {
        r.participant: "; ".join(
            f"{c.label}: {v}"
            for c, v in zip(t1.columns, r.cells, strict=True)
            if v and c.key != "participant"
        )
        for r in t1.rows
    }
    tree = code_tree(project, counts=False)
    wanted: set[int] | None = None
    if code_ids is not None:
        wanted = {
            c.id
            for node in tree
            for sub in subtree_nodes(node)
            if sub.code.id in code_ids
            for c in sub.walk()
        }
    with project.reading() as s:
        info = dict(
            (sid, (name, case))
            for sid, name, case in s.execute(
                select(Source.id, Source.name, Case.name).outerjoin(Case, Case.id == Source.case_id)
            )
        )
        turns: dict[int, list[tuple[int, int, str | None]]] = defaultdict(list)
        stamps: dict[int, list[float | None]] = defaultdict(list)
        for sid, st, en, spk, ts in s.execute(
            select(Turn.source_id, Turn.start, Turn.end, Turn.speaker, Turn.timestamp).order_by(
                Turn.source_id, Turn.start
            )
        ):
            turns[sid].append((st, en, spk))
            stamps[sid].append(ts)
        by_code: dict[int, list[Extract]] = defaultdict(list)
        starts: dict[int, list[int]] = {}
        q = select(
            Coding.code_id,
            Coding.source_id,
            Coding.start,
            Coding.end,
            Coding.snippet,
            Coding.memo,
            Coding.exemplar,
            Coding.coder_id,
        )
        if wanted is not None:
            q = q.where(Coding.code_id.in_(sorted(wanted)))
        coders: dict[int, str] = {i: n for i, n in s.execute(select(Coder.id, Coder.name))}
        team = s.scalar(select(func.count(func.distinct(Coding.coder_id)))) or 0
        for code_id, sid, st, en, snippet, memo, ex, coder_id in s.execute(q):
            name, case = info[sid]
            if sid not in starts:
                starts[sid] = [t[0] for t in turns[sid]]
            k = turn_at(starts[sid], turns[sid], st)
            spk, ts = (None, None) if k is None else (turns[sid][k][2], stamps[sid][k])
            by_code[code_id].append(
                Extract(
                    case or name,
                    attrs.get(case, "") if case else "",
                    name,
                    st,
                    en,
                    snippet,
                    spk,
                    memo or "",
                    bool(ex),
                    ts,
                    coders.get(coder_id, "") if team > 1 else "",
                )
            )
    sections = []
    for node in tree:
        path: list[str] = []
        for c in node.walk():
            del path[c.depth :]
            path.append(c.name)
            if wanted is None or c.id in wanted:
                found = sorted(by_code.get(c.id, []), key=extract_order)
                sections.append(ExtractSection(c, " / ".join(path), tuple(found)))
    title = get_setting(project, Key.CODEBOOK_TITLE, "")
    return ExtractsReport(
        f"Coded extracts: {title}" if title else "Coded extracts", tuple(sections)
    )


def document_file(
    project: Project, what: str, fmt: str = "docx", code_ids: Sequence[int] | None = None
) -> tuple[int, bytes]:
    """The codebook document ("codebook") or the coded extracts ("extracts") as docx or md.

    Returns:
        The number of codes (codebook) or passages (extracts) in it, and the file's bytes.
    """
    if what == "codebook":
        book = codebook_document(project)
        n = sum(len(node.walk()) for node in book.tree)
        return n, codebook_docx(book) if fmt == "docx" else codebook_markdown(book).encode()
    report = extracts_data(project, code_ids)
    n = sum(len(sec.extracts) for sec in report.sections)
    return n, extracts_docx(report) if fmt == "docx" else extracts_markdown(report).encode()
