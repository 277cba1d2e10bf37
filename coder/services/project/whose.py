"""Whose codings a read counts: the one filter every view that shows codings threads through.

In blind mode (coder.services.team.view) a coder must see only their own codings everywhere
(counts, coverage, retrieval, suggestions review, analysis screens) until the comparison is
made; outside it the workspace can still show one coder's codings or everyone's. A read that
takes `coders` (names; None for everyone) adds `coded_by(coders)` to its WHERE clause, so the
others' rows never leave the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, select, true

from coder.db.models import Coder, Coding

Coders = Sequence[str] | None  # coder names; None: everyone's codings


def coded_by(coders: Coders, column: Any = Coding.coder_id) -> ColumnElement[bool]:
    """A WHERE condition keeping rows whose `column` (a coder id) names one of `coders`."""
    if coders is None:
        return true()
    return column.in_(select(Coder.id).where(Coder.name.in_(list(coders))))  # type: ignore[no-any-return]
