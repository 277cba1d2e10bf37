"""Gathering the journal tables and reports from a project into plain data.

`table1_data` and `table2_data` return `Table1` / `Table2` dataclasses that every writer (Word,
CSV, XLSX, Markdown) and the TUI's export dialog use; `table1_columns` / `table2_columns`
enumerate what each table can show, and `load_config` / `save_config` remember the researcher's
columns and caption in a project setting. Attribute values are shown exactly as the researcher
typed them (the stored text), never as re-formatted numbers. Table 2 reads every coding in one
light query and fetches passage text only for the quotes it weighs, so it stays fast on projects
with hundreds of thousands of codings. The assembly rules live in coder.export.assemble.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coder.db.models import (
    Attribute,
    AttributeValue,
    Case,
    Coding,
    Memo,
    Organisation,
    Source,
    Turn,
)
from coder.export.assemble import (
    AttrDef,
    Hit,
    Person,
    build_table1,
    build_table2,
    default_table2,
    extract_order,
    plan_rows,
    quote_pool,
    subtree_nodes,
    value_text,
)
from coder.export.columns import ColumnChoice, TableConfig, resolve
from coder.export.documents import (
    CodebookDocument,
    Extract,
    ExtractSection,
    ExtractsReport,
    codebook_markdown,
    extracts_markdown,
)
from coder.export.docx_documents import codebook_docx, extracts_docx
from coder.export.formats import pick_format, render
from coder.export.tables import Table1, Table2
from coder.files import atomic_write
from coder.services.codebook.codes import code_tree, tree_in
from coder.services.project.settings import Key, get_setting, put_setting
from coder.services.project.store import Project
from coder.services.sources.cases import ORG_HEADERS, PARTICIPANT_HEADERS
from coder.vocab.dto import CodeNode
from coder.vocab.turns import turn_at

TABLES = ("table1", "table2")
SETTING = {"table1": Key.TABLE1, "table2": Key.TABLE2}
CHUNK = 500


def bare_tree(project: Project) -> tuple[CodeNode, ...]:
    """The code tree without usage counts: one cheap query, for exports that count themselves."""
    return code_tree(project, counts=False)


def load_config(project: Project, table: str) -> TableConfig:
    """The remembered layout of "table1" or "table2" (empty when never saved)."""
    return TableConfig.from_json(get_setting(project, SETTING[table]))


def save_config(project: Project, table: str, config: TableConfig) -> None:
    """Remember a table's layout (columns, caption, quotes) for the next export."""
    put_setting(project, SETTING[table], config.to_json())


def table1_columns(project: Project) -> list[ColumnChoice]:
    """Every column Table 1 can show: participant, organisation, each attribute, transcripts."""
    with project.reading() as s:
        attrs = list(s.scalars(select(Attribute).order_by(Attribute.position, Attribute.name)))
    org_label = get_setting(project, Key.ORG_LABEL, "Organisation") or "Organisation"
    out = [
        ColumnChoice("participant", "Participant", "the participant's id", PARTICIPANT_HEADERS),
        ColumnChoice("organisation", org_label, "the participant's organisation", ORG_HEADERS),
    ]
    for a in attrs:
        shared = ", shared within the organisation" if a.scope == "organisation" else ""
        out.append(ColumnChoice(f"attr:{a.name}", a.name, f"{a.type} attribute{shared}"))
    out.append(
        ColumnChoice(
            "sources",
            "Transcripts",
            "the participant's transcripts",
            ("transcript", "transcripts", "source", "file"),
        )
    )
    return out


def table1_data(project: Project, config: TableConfig | None = None) -> Table1:
    """Table 1: a row per participant, grouped by organisation, cells as typed.

    Args:
        project: The open project.
        config: Columns and caption; empty fields fall back to the remembered layout, then to
            the defaults (organisation, or participant when there are none, then every
            attribute in sheet order).
    """
    cfg = (config or TableConfig()).merged_over(load_config(project, "table1"))
    choices = table1_columns(project)
    with project.reading() as s:
        attrs = {a.id: a for a in s.scalars(select(Attribute))}
        own: dict[int, dict[str, str]] = defaultdict(dict)
        shared: dict[int, dict[str, str]] = defaultdict(dict)
        for aid, cid, oid, *typed in s.execute(
            select(
                AttributeValue.attribute_id,
                AttributeValue.case_id,
                AttributeValue.organisation_id,
                AttributeValue.value_text,
                AttributeValue.value_int,
                AttributeValue.value_num,
                AttributeValue.value_date,
            )
        ):
            vt, vi, vn, vd = typed
            text = value_text(vt, vi, vn, vd)  # type: ignore[arg-type]
            if cid is not None:
                own[cid][attrs[aid].name] = text
            elif oid is not None:
                shared[oid][attrs[aid].name] = text
        sources: dict[int, list[str]] = defaultdict(list)
        for cid, name in s.execute(
            select(Source.case_id, Source.name).where(Source.case_id.is_not(None))
        ):
            if cid is not None:
                sources[cid].append(name)
        people = [
            Person(
                name,
                oname,
                own.get(cid, {}),
                shared.get(oid, {}) if oid else {},
                tuple(sources.get(cid, ())),
            )
            for cid, name, oid, oname in s.execute(
                select(Case.id, Case.name, Organisation.id, Organisation.name).outerjoin(
                    Organisation, Organisation.id == Case.organisation_id
                )
            )
        ]
    default = ["organisation" if any(p.organisation for p in people) else "participant"]
    default += [c.key for c in choices if c.key.startswith("attr:")]
    defs = {a.name: AttrDef(a.name, a.type, a.scope) for a in attrs.values()}
    return build_table1(cfg.caption, resolve(cfg, choices, default), people, defs)


def _memo_titles(s: Session) -> list[str]:
    seen: dict[str, str] = {}
    for t in s.scalars(
        select(Memo.title).where(Memo.kind == "code", Memo.title != "").order_by(Memo.id)
    ):
        seen.setdefault(t.strip().lower(), t.strip())
    return list(seen.values())


def table2_columns(project: Project) -> list[ColumnChoice]:
    """Every column Table 2 can show, including one per code-memo title (Summary, ...)."""
    with project.reading() as s:
        return _table2_choices(s)


def _table2_choices(s: Session) -> list[ColumnChoice]:
    titles = _memo_titles(s)
    out = [
        ColumnChoice("theme", "Theme", "the theme (merged down its sub-themes)"),
        ColumnChoice("subtheme", "Sub-theme", "the sub-theme", ("sub theme", "code")),
        ColumnChoice("definition", "Definition", "the code's definition", ("description",)),
        ColumnChoice("inclusion", "Use when", "inclusion criteria", ("criteria",)),
        ColumnChoice("exclusion", "Do not use when", "exclusion criteria"),
        ColumnChoice("keywords", "Keywords", "the code's keywords"),
    ]
    out += [ColumnChoice(f"memo:{t}", t, f"the code memo titled {t!r}") for t in titles]
    out += [
        ColumnChoice(
            "participants",
            "Participants (n)",
            "participants with at least one coded passage",
            ("n",),
        ),
        ColumnChoice("passages", "Passages (n)", "number of coded passages", ("codings",)),
        ColumnChoice(
            "exemplars",
            "Exemplar quotes",
            "marked exemplars, else the most typical passages",
            ("quotes",),
        ),
    ]
    return out


def table2_data(project: Project, config: TableConfig | None = None) -> Table2:
    """Table 2: themes, their sub-themes, and the chosen columns (memos, counts, quotes).

    Args:
        project: The open project.
        config: Columns, caption, quotes per row and theme rows; empty fields fall back to the
            remembered layout, then to the defaults (see coder.export.assemble.default_table2).
    """
    return _table2(project, (config or TableConfig()).merged_over(load_config(project, "table2")))


def _table2(project: Project, cfg: TableConfig) -> Table2:
    """Table 2 for a layout already merged over the remembered one: one session throughout."""
    with project.reading() as s:
        choices = _table2_choices(s)
        labels = {c.key: c.label for c in choices}
        cols = resolve(cfg, choices, default_table2(list(labels), labels))
        for i, k in enumerate(("theme", "subtheme")):
            if all(key != k for key, _ in cols):
                cols.insert(i, (k, labels[k]))
        keys = {k for k, _ in cols}
        own = set(s.scalars(select(Coding.code_id).distinct()))
        own |= {k for k in s.scalars(select(Memo.code_id).where(Memo.kind == "code")) if k}
        plan = plan_rows(tree_in(s, counts=False), bool(cfg.theme_rows), own)
        cases = {k: (f"c{k}", v) for k, v in s.execute(select(Case.id, Case.name))}
        sources = {k: (f"s{k}", v) for k, v in s.execute(select(Source.id, Source.name))}
        by_code: dict[int, list[Hit]] = defaultdict(list)
        for cid, sid, start, code_id, case_id, ex in s.execute(
            select(
                Coding.id,
                Coding.source_id,
                Coding.start,
                Coding.code_id,
                Source.case_id,
                Coding.exemplar,
            ).join(Source, Source.id == Coding.source_id)
        ):
            who, name = cases[case_id] if case_id is not None else sources[sid]
            by_code[code_id].append(Hit(cid, sid, start, who, name, bool(ex)))
        hits = [
            sorted(
                (h for i in row.code_ids for h in by_code.get(i, ())),
                key=lambda h: (h.source_id, h.start, h.id),
            )
            for row in plan
        ]
        memos: dict[tuple[int, str], str] = {}
        if any(k.startswith("memo:") for k in keys):
            for memo_code, title, text in s.execute(
                select(Memo.code_id, Memo.title, Memo.text).where(Memo.kind == "code")
            ):
                if memo_code is not None:
                    memos[(memo_code, title.strip().lower())] = text or ""
        texts: dict[int, str] = {}
        speakers: dict[int, set[str]] = defaultdict(set)
        if "exemplars" in keys:
            texts = _snippets(s, sorted({h.id for rh in hits for h in quote_pool(rh)}))
            for sid, spk in s.execute(select(Turn.source_id, Turn.speaker).distinct()):
                if spk:
                    speakers[sid].add(spk)
    return build_table2(cfg.caption, cols, plan, hits, texts, speakers, memos, cfg.quotes)


def _snippets(s: Session, ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for i in range(0, len(ids), CHUNK):
        chunk = list(ids[i : i + CHUNK])
        q = select(Coding.id, Coding.snippet).where(Coding.id.in_(chunk))
        out.update((k, v) for k, v in s.execute(q))
    return out


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
    tree = bare_tree(project)
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
        )
        if wanted is not None:
            q = q.where(Coding.code_id.in_(sorted(wanted)))
        for code_id, sid, st, en, snippet, memo, ex in s.execute(q):
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


def table_file(
    project: Project,
    table: str,
    fmt: str = "docx",
    config: TableConfig | None = None,
    *,
    remember: bool = False,
) -> tuple[Table1 | Table2, bytes]:
    """Table 1 or Table 2 rendered as docx, csv, xlsx or md.

    Args:
        project: The open project.
        table: "table1" or "table2".
        fmt: One of coder.export.formats.FORMATS.
        config: Columns, caption and options; empty fields use the remembered layout.
        remember: Store the given fields (over the remembered ones) for next time.
    """
    given = config or TableConfig()
    layout = given.merged_over(load_config(project, table))  # the remembered layout, read once
    if remember and given != TableConfig():
        save_config(project, table, layout)
    data = table1_data(project, layout) if table == "table1" else _table2(project, layout)
    return data, render(data.grid(), fmt)


def write_table(
    project: Project,
    table: str,
    path: str | Path,
    config: TableConfig | None = None,
    fmt: str | None = None,
    *,
    remember: bool = True,
) -> Table1 | Table2:
    """Write Table 1 or 2 to `path` atomically; the format follows `fmt` or the extension."""
    data, raw = table_file(project, table, pick_format(path, fmt), config, remember=remember)
    atomic_write(path, raw)
    return data


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
