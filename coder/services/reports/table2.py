"""Table 2 from a project: themes, their sub-themes, and the chosen columns.

Table 2 reads every coding in one light query and fetches passage text only for the quotes it
weighs, so it stays fast on projects with hundreds of thousands of codings. The assembly rules
(rows, counts, quotes, the note) live in coder.export.assemble.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from coder.db.models import Case, Coding, Memo, Source, Turn
from coder.export.assemble import (
    Hit,
    build_table2,
    default_table2,
    plan_rows,
    plan_themes,
    quote_pool,
    table2_columns_for,
)
from coder.export.columns import LAYOUTS, ColumnChoice, TableConfig, resolve
from coder.export.tables import Table2
from coder.services.codebook.codes import tree_in
from coder.services.project.store import Project
from coder.services.reports.layout import load_config

CHUNK = 500


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
        config: Columns, caption, layout, quotes per row, quote length, theme rows and page;
            empty fields fall back to the remembered layout, then to the defaults (see
            coder.export.assemble.default_table2).
    """
    cfg = (config or TableConfig()).merged_over(load_config(project, "table2"))
    return table2_from(project, cfg)


def table2_from(project: Project, cfg: TableConfig) -> Table2:
    """Table 2 for a layout already merged over the remembered one: one session throughout."""
    layout = cfg.layout if cfg.layout in LAYOUTS else "subthemes"
    with project.reading() as s:
        tree = tree_in(s, counts=False)
        every = [
            (code, title.strip().lower(), text)
            for code, title, text in s.execute(
                select(Memo.code_id, Memo.title, Memo.text).where(Memo.kind == "code")
            )
            if code is not None and text
        ]
        choices = _table2_choices(s)
        labels = {c.key: c.label for c in choices}
        offered = list(labels)
        if layout == "themes":  # by default, only the memos the themes themselves carry
            themes = {n.code.id for n in tree}
            held = {t for code, t, _ in every if code in themes}
            offered = [k for k in offered if not k.startswith("memo:") or k[5:].lower() in held]
        cols = resolve(cfg, choices, default_table2(offered, labels, layout))
        cols = table2_columns_for(cols, labels, layout)
        keys = {k for k, _ in cols}
        shown = {k[5:].strip().lower() for k in keys if k.startswith("memo:")}
        memos = {(code, t): text for code, t, text in every if t in shown}
        if layout == "themes":
            plan = plan_themes(tree)
        else:
            own = set(s.scalars(select(Coding.code_id).distinct()))
            plan = plan_rows(tree, cfg.theme_rows, own | {k for k, _ in memos})
        cases = {k: (f"c{k}", v) for k, v in s.execute(select(Case.id, Case.name))}
        sources = {k: (f"s{k}", v) for k, v in s.execute(select(Source.id, Source.name))}
        by_code: dict[int, list[Hit]] = defaultdict(list)
        for cid, sid, start, end, code_id, case_id, ex in s.execute(
            select(
                Coding.id,
                Coding.source_id,
                Coding.start,
                Coding.end,
                Coding.code_id,
                Source.case_id,
                Coding.exemplar,
            ).join(Source, Source.id == Coding.source_id)
        ):
            who, name = cases[case_id] if case_id is not None else sources[sid]
            by_code[code_id].append(Hit(cid, sid, start, end, who, name, bool(ex)))
        hits = [
            sorted(
                (h for i in row.code_ids for h in by_code.get(i, ())),
                key=lambda h: (h.source_id, h.start, h.id),
            )
            for row in plan
        ]
        texts: dict[int, str] = {}
        speakers: dict[int, set[str]] = defaultdict(set)
        if "exemplars" in keys:
            texts = _snippets(s, sorted({h.id for rh in hits for h in quote_pool(rh)}))
            for sid, spk in s.execute(select(Turn.source_id, Turn.speaker).distinct()):
                if spk:
                    speakers[sid].add(spk)
    table = build_table2(
        cfg.caption, cols, plan, hits, texts, speakers, memos, cfg.quotes, cfg.quote_words, layout
    )
    return replace(table, page=cfg.page or "letter", landscape=bool(cfg.landscape))


def _snippets(s: Session, ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for i in range(0, len(ids), CHUNK):
        chunk = list(ids[i : i + CHUNK])
        q = select(Coding.id, Coding.snippet).where(Coding.id.in_(chunk))
        out.update((k, v) for k, v in s.execute(q))
    return out
