"""Turning database failures into one line a researcher can act on.

A full disk, a read-only folder, a damaged file or a name longer than a PostgreSQL column all
reach coder as driver exceptions with the SQL statement and its parameters attached: tracebacks
of a hundred lines. `Project.transaction` and `Project.reading` pass them through `fault` so
that the user sees one line naming the project and what went wrong, and nothing half-written
stays (the transaction was rolled back before the exception left it).
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from coder.errors import UserError

_HINTS = (
    ("readonly database", "the project is read-only; reading works, changes cannot be saved"),
    ("read-only", "the project is read-only; reading works, changes cannot be saved"),
    ("disk is full", "the disk is full; nothing was saved"),
    ("disk i/o error", "the disk could not be written (full, or removed?); nothing was saved"),
    ("no space left", "the disk is full; nothing was saved"),
    ("malformed", "the project file is damaged; run 'coder check' or restore a backup"),
    ("not a database", "the project file is damaged; run 'coder check' or restore a backup"),
    ("value too long", "a name or text is longer than the database allows"),
)


class DatabaseFault(UserError):
    """A database failure, in one line."""


def describe(exc: BaseException) -> str:
    """The driver's own first line, without SQLAlchemy's SQL echo."""
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else exc.__class__.__name__


def fault(target: str, exc: BaseException) -> DatabaseFault:
    """A one-line DatabaseFault for a driver exception raised while using `target`."""
    detail = describe(exc)
    low = detail.lower()
    for needle, hint in _HINTS:
        if needle in low:
            return DatabaseFault(f"{target}: {hint} ({detail})")
    return DatabaseFault(f"{target}: database error: {detail}")
