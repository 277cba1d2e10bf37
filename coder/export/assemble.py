"""Assembling Table 1 and Table 2 from plain records the service layer reads.

Split from the queries so the rules (which value a cell shows, which columns are numeric,
which rows a theme gets, how quotes are picked, what the note says) can be read and tested
without a database.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from coder.export.documents import Extract
from coder.export.exemplars import Candidate, choose, quote_text, sample
from coder.export.tables import (
    Column,
    Quote,
    Table1,
    Table1Column,
    Table1Row,
    Table2,
    Table2Row,
)
from coder.vocab.dto import AttributeInfo, CodeInfo, CodeNode, CodeSpec
from coder.vocab.values import mostly_numbers as mostly_numbers

CAPTIONS = {"table1": "Table 1. Profile of participants",
            "table2": "Table 2. Themes and sub-themes",
            "table2_themes": "Table 2. Themes"}  # fmt: skip
MEMO_DEFAULTS = ("summary", "approach", "implication")
OVERALL = "Overall"


@lru_cache(maxsize=65536)
def natural(text: str | None) -> tuple[object, ...]:
    """Sort key that puts P2 before P10 (numbers compare as numbers)."""
    return tuple(
        (0, int(t), "") if t.isdigit() else (1, 0, t.lower())
        for t in re.split(r"(\d+)", text or "")
    )


def value_text(vt: str | None, vi: int | None, vn: float | None, vd: date | None) -> str:
    """A stored attribute value as the researcher typed it (typed columns only as fallback)."""
    if vt is not None:
        return vt
    if vi is not None:
        return str(vi)
    if vn is not None:
        return f"{vn:g}"
    return vd.isoformat() if vd is not None else ""


@dataclass(frozen=True, slots=True)
class Person:
    """A participant with attribute texts keyed by attribute name."""

    name: str
    organisation: str | None
    own: dict[str, str] = field(default_factory=dict)
    shared: dict[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()


def build_table1(
    caption: str,
    cols: Sequence[tuple[str, str]],
    people: Sequence[Person],
    attrs: dict[str, AttributeInfo],
) -> Table1:
    """Rows sorted by organisation then participant; organisation columns scoped to merge."""
    people = sorted(
        people, key=lambda p: (p.organisation is None, natural(p.organisation), natural(p.name))
    )
    rows = []
    for p in people:
        cells = []
        for key, _label in cols:
            if key == "participant":
                cells.append(p.name)
            elif key == "organisation":
                cells.append(p.organisation or "")
            elif key == "sources":
                cells.append(", ".join(sorted(p.sources, key=natural)))
            else:
                a = attrs[key[5:]]
                first, second = (
                    (p.shared, p.own) if a.scope == "organisation" else (p.own, p.shared)
                )
                cells.append(first.get(a.name, second.get(a.name, "")))
        rows.append(Table1Row(p.name, p.organisation, tuple(cells)))
    columns = []
    for i, (key, label) in enumerate(cols):
        d = attrs.get(key[5:]) if key.startswith("attr:") else None
        org = key == "organisation" or (d is not None and d.scope == "organisation")
        numeric = d is not None and (
            d.type in ("integer", "number") or mostly_numbers(r.cells[i] for r in rows)
        )
        columns.append(Table1Column(key, label, "organisation" if org else "case", numeric))
    return Table1(caption or CAPTIONS["table1"], tuple(columns), tuple(rows))


@dataclass(frozen=True, slots=True)
class Hit:
    """One coding, as Table 2 counts it: who (participant key and name) and where."""

    id: int
    source_id: int
    start: int
    end: int
    who: str
    name: str
    exemplar: bool


@dataclass(frozen=True, slots=True)
class PlanRow:
    theme: str
    subtheme: str
    code: CodeInfo
    code_ids: tuple[int, ...]


def plan_rows(
    tree: Sequence[CodeNode], theme_rows: bool | None, own: Collection[int] = ()
) -> list[PlanRow]:
    """A row per sub-theme (its sub-codes folded in), or per theme that has none, and, when
    asked (`theme_rows`), an "Overall" row for each theme above its sub-themes.

    Overall rows come for every theme that has sub-themes or for none, so the table reads the
    same all the way down. A theme in `own` (coded directly, or with a memo the table shows)
    needs its Overall row, or that passage or memo would be left out: then every theme gets
    one, whatever `theme_rows` says."""
    parents = [node for node in tree if node.children]
    overall = bool(theme_rows) or any(node.code.id in own for node in parents)
    out = []
    for node in tree:
        theme = node.code
        if not node.children:
            out.append(PlanRow(theme.name, "", theme, (theme.id,)))
            continue
        if overall:
            out.append(PlanRow(theme.name, OVERALL, theme, tuple(c.id for c in node.walk())))
        for child in node.children:
            out.append(
                PlanRow(theme.name, child.code.name, child.code, tuple(c.id for c in child.walk()))
            )
    return out


def plan_themes(tree: Sequence[CodeNode]) -> list[PlanRow]:
    """The "themes" layout: one row per theme, its sub-themes and their codes folded in."""
    return [PlanRow(n.code.name, "", n.code, tuple(c.id for c in n.walk())) for n in tree]


def default_table2(
    keys: Sequence[str], labels: dict[str, str], layout: str = "subthemes"
) -> list[str]:
    """Theme, sub-theme (not in the "themes" layout), the Summary/Approach/Implication memos
    if any (else the definition), participants, passages, exemplar quotes."""
    memos = [k for k in keys if k.startswith("memo:") and labels[k].lower() in MEMO_DEFAULTS]
    memos.sort(key=lambda k: MEMO_DEFAULTS.index(labels[k].lower()))
    return [
        "theme",
        *(["subtheme"] if layout != "themes" else []),
        *(memos or ["definition"]),
        "participants",
        "passages",
        "exemplars",
    ]


def table2_columns_for(
    cols: list[tuple[str, str]], labels: dict[str, str], layout: str
) -> list[tuple[str, str]]:
    """The columns in the layout's shape: the theme first, then the sub-theme in the
    "subthemes" layout (the merged theme cells hang on them); no sub-theme column in the
    "themes" layout, where a row is a whole theme."""
    fixed = ("theme",) if layout == "themes" else ("theme", "subtheme")
    out = [(k, label) for k, label in cols if layout != "themes" or k != "subtheme"]
    for i, k in enumerate(fixed):
        if all(key != k for key, _ in out):
            out.insert(i, (k, labels[k]))
    return out


def quote_pool(hits: Sequence[Hit]) -> list[Hit]:
    """The passages whose text Table 2 needs: the marked ones, else a sample."""
    marked = [h for h in hits if h.exemplar]
    return marked if marked else sample(hits)  # type: ignore[arg-type, return-value]


def build_table2(
    caption: str,
    cols: Sequence[tuple[str, str]],
    plan: Sequence[PlanRow],
    hits: Sequence[Sequence[Hit]],
    texts: dict[int, str],
    speakers: dict[int, set[str]],
    memos: dict[tuple[int, str], str],
    quotes: int | None = None,
    quote_words: int | None = None,
    layout: str = "subthemes",
) -> Table2:
    """Table 2 from the row plan, each row's codings (in source order) and passage texts;
    quotes trimmed to `quote_words` words when given (see coder.export.exemplars.trim_quote;
    0 or None: whole passages)."""
    quote_words = quote_words or None
    keys = [k for k, _ in cols]
    rows, auto = [], False
    for row, rh in zip(plan, hits, strict=True):
        picked_quotes: list[Quote] = []
        if "exemplars" in keys:
            code = row.code
            cands = [Candidate(h.id, h.name, texts[h.id], h.exemplar) for h in rh if h.id in texts]
            definition = " ".join([code.description, code.inclusion, " ".join(code.keywords)])
            picked = choose(
                cands, definition, limit=2 if quotes is None else quotes, marked_limit=quotes
            )
            auto = auto or any(not p.marked for p in picked)
            src = {h.id: h.source_id for h in rh}
            picked_quotes = [
                Quote(
                    quote_text(p.text, speakers.get(src[p.key], set()), words=quote_words),
                    p.participant,
                    p.key,
                    p.marked,
                )
                for p in picked
            ]
        cells = tuple(_cell(k, row, rh, memos, picked_quotes) for k in keys)
        rows.append(Table2Row(row.theme, row.subtheme, cells, tuple(picked_quotes)))
    columns = tuple(Column(k, label, k in ("participants", "passages")) for k, label in cols)
    overall = any(r.subtheme == OVERALL for r in rows)
    trimmed = quote_words if any(r.quotes for r in rows) else None
    note = _note(keys, auto, layout, overall, trimmed)
    default = CAPTIONS["table2_themes" if layout == "themes" else "table2"]
    return Table2(caption or default, columns, tuple(rows), note, layout=layout)


def _cell(
    key: str,
    row: PlanRow,
    hits: Sequence[Hit],
    memos: dict[tuple[int, str], str],
    quotes: list[Quote],
) -> str:
    code = row.code
    simple = {
        "theme": row.theme,
        "subtheme": row.subtheme,
        "definition": code.description,
        "inclusion": code.inclusion,
        "exclusion": code.exclusion,
        "keywords": ", ".join(code.keywords),
    }
    if key in simple:
        return simple[key]
    if key == "participants":
        return str(len({h.who for h in hits}))
    if key == "passages":  # a span two coders (or two of the row's codes) coded counts once
        return str(len({(h.source_id, h.start, h.end) for h in hits}))
    if key == "exemplars":
        return "\n".join(q.render() for q in quotes)
    if key.startswith("memo:"):
        return memos.get((code.id, key[5:].strip().lower()), "")
    raise ValueError(f"unknown Table 2 column {key!r}")


def _note(keys: list[str], auto: bool, layout: str, overall: bool, quote_words: int | None) -> str:
    parts = []
    if overall:
        parts.append(f"{OVERALL}: the theme as a whole, its sub-themes included.")
    if "participants" in keys:
        what = "theme" if layout == "themes" else "sub-theme"
        parts.append(
            "Participants (n): participants with at least one passage coded with the "
            f"{what} or a code beneath it."
        )
    if "passages" in keys:
        parts.append("Passages (n): coded passages, each counted once.")
    if "exemplars" in keys and auto:
        parts.append(
            "Where no exemplar was marked, quotes are the most typical passages (most "
            "content words shared with the code's other passages and its definition; "
            "15 to 60 words preferred; one per participant)."
        )
    if quote_words is not None:
        parts.append(
            f"Quotes are cut to at most {quote_words} words, starting at a sentence; [\u2026] "
            "marks words left out, and fillers (um, uh, laughs) are removed."
        )
    return ("Note. " + " ".join(parts)) if parts else ""


def subtree_nodes(node: CodeNode) -> list[CodeNode]:
    """A node and every node beneath it, depth first."""
    return [node, *(n for child in node.children for n in subtree_nodes(child))]


def extract_order(e: Extract) -> tuple[object, ...]:
    """Passages grouped by participant, then in source order."""
    return (natural(e.participant), natural(e.source), e.start, e.end)


def spec_tree(tree: Sequence[CodeNode]) -> tuple[CodeSpec, ...]:
    """The code tree as file-ready CodeSpecs (no ids, no counts)."""
    return tuple(
        CodeSpec(
            c.name,
            c.guid,
            c.color,
            c.description,
            c.inclusion,
            c.exclusion,
            c.keywords,
            c.examples,
            c.codable,
            spec_tree(n.children),
        )
        for n in tree
        for c in (n.code,)
    )
