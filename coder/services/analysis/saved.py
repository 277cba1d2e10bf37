"""Coding queries saved by name in the project, to be run again as the coding grows.

A saved query is its expression and its filters, kept as JSON in the project's settings
table under `analysis.query.NAME` (no schema change; it travels with the project file or
database). The expression is parsed before it is saved, so a saved query always parses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from coder.analysis.filters import parse_where
from coder.analysis.query_parse import parse
from coder.db.models import Setting
from coder.errors import UserError
from coder.services.project.store import Project

PREFIX = "analysis.query."


@dataclass(frozen=True, slots=True)
class SavedQuery:
    """A named query: expression, attribute conditions, speaker and coders."""

    name: str
    expr: str
    where: tuple[str, ...] = ()
    speaker: str = "participants"
    coders: tuple[str, ...] = ()


def _check_name(name: str) -> str:
    clean = name.strip()
    if not clean or len(clean) > 150 or any(c in clean for c in "\n\r\t"):
        raise UserError(f"a saved query needs a one-line name of 1 to 150 characters, not {name!r}")
    return clean


def save_query(project: Project, query: SavedQuery) -> SavedQuery:
    """Save (or replace) a query under its name, after checking that it parses."""
    name = _check_name(query.name)
    parse(query.expr)
    for w in query.where:
        parse_where(w)
    if query.speaker not in ("participants", "all"):
        raise UserError(f"unknown speaker {query.speaker!r}: use participants or all")
    saved = SavedQuery(name, query.expr, tuple(query.where), query.speaker, tuple(query.coders))
    value = json.dumps(
        {
            "expr": saved.expr,
            "where": saved.where,
            "speaker": saved.speaker,
            "coders": saved.coders,
        },
        ensure_ascii=False,
    )
    with project.transaction() as s:
        row = s.get(Setting, PREFIX + name)
        if row is None:
            s.add(Setting(key=PREFIX + name, value=value))
        else:
            row.value = value
    return saved


def _load(key: str, value: str) -> SavedQuery:
    data = json.loads(value)
    return SavedQuery(
        key[len(PREFIX) :],
        str(data["expr"]),
        tuple(data.get("where", ())),
        str(data.get("speaker", "participants")),
        tuple(data.get("coders", ())),
    )


def saved_queries(project: Project) -> tuple[SavedQuery, ...]:
    """Every saved query, by name."""
    with project.reading() as s:
        rows = s.execute(
            select(Setting.key, Setting.value)
            .where(Setting.key.startswith(PREFIX, autoescape=True))
            .order_by(Setting.key)
        ).all()
    return tuple(_load(k, v) for k, v in rows)


def saved_query(project: Project, name: str) -> SavedQuery:
    """The query saved as `name`."""
    with project.reading() as s:
        row = s.get(Setting, PREFIX + name.strip())
        if row is None:
            raise UserError(f"no saved query named {name.strip()!r}")
        return _load(row.key, row.value)


def delete_query(project: Project, name: str) -> None:
    """Forget the query saved as `name`."""
    with project.transaction() as s:
        row = s.get(Setting, PREFIX + name.strip())
        if row is None:
            raise UserError(f"no saved query named {name.strip()!r}")
        s.delete(row)
