"""Writes that meet another writer wait and retry instead of failing.

Several people (or one person's two windows) write to one project. A unit of work can meet:
- a lock: SQLite's "database is locked" once its busy timeout ran out, or PostgreSQL's lock or
  statement timeouts;
- a lost race: PostgreSQL's serialisation failures and deadlocks, or a uniqueness constraint
  that another client satisfied first (the retry then finds that client's row, or the service
  says plainly that the name is taken).

`retry_writes` re-runs the whole unit of work (a fresh transaction each time) with bounded,
jittered backoff. When the project stays locked for `BUSY_SECONDS` the researcher gets one line,
`ProjectBusy`, never a raw driver error; `IntegrityError` and `StaleDataError` never reach them.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from coder.errors import UserError

BUSY_SECONDS = 30.0
CONFLICT_ATTEMPTS = 8
# PostgreSQL SQLSTATEs worth another try: serialization_failure, deadlock_detected,
# lock_not_available, query_canceled (statement/lock timeout).
_PG_RETRY = {"40001", "40P01", "55P03", "57014"}

P = ParamSpec("P")
T = TypeVar("T")

# Told, on each wait for another writer's lock, how long this write has waited so far (the
# workspace shows "waiting for another program..." in its status line). None when it is done.
WaitListener = Callable[[float | None], None]
_listener: WaitListener | None = None


def set_wait_listener(listener: WaitListener | None) -> None:
    """Install (or with None, remove) the one function told about lock waits."""
    global _listener
    _listener = listener


def _tell(waited: float | None) -> None:
    if _listener is not None:
        _listener(waited)


class ProjectBusy(UserError):
    """The project stayed locked by another writer for the whole retry window."""


class WriteConflict(UserError):
    """Another client kept changing the same rows; nothing of this write was stored."""


def gone(what: str) -> WriteConflict:
    """The one line for a write that names something deleted meanwhile (by another window or
    another coder): `what` is e.g. "coding 12". Nothing of the write is stored."""
    return WriteConflict(
        f"not saved: {what} was deleted meanwhile (by another window or coder); "
        "refresh and try again"
    )


def _sqlstate(exc: DBAPIError) -> str | None:
    orig = exc.orig
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)


def is_busy(exc: BaseException) -> bool:
    """A lock that another writer holds (wait, then try again)."""
    if isinstance(exc, OperationalError):
        text = str(exc.orig).lower()
        if "database is locked" in text or "database is busy" in text:
            return True
    return isinstance(exc, DBAPIError) and _sqlstate(exc) in {"55P03", "57014"}


def is_conflict(exc: BaseException) -> bool:
    """A race another client won (run the unit of work again on the new state)."""
    if isinstance(exc, IntegrityError | StaleDataError):
        return True
    return isinstance(exc, DBAPIError) and _sqlstate(exc) in {"40001", "40P01"}


def backoff(attempt: int) -> float:
    """Seconds to wait before attempt `attempt` + 1: doubling from 20 ms, at most 1 s, jittered."""
    return min(1.0, 0.02 * 2.0**attempt) * (0.5 + random.random())


def retry_writes(fn: Callable[P, T]) -> Callable[P, T]:
    """Run a unit-of-work function again when it meets a lock or loses a race (see module)."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        started = time.monotonic()
        deadline = started + BUSY_SECONDS
        attempt = conflicts = 0
        waiting = False
        while True:
            try:
                result = fn(*args, **kwargs)
                if waiting:
                    _tell(None)
                return result
            except (DBAPIError, StaleDataError) as exc:
                if is_busy(exc):
                    waiting = True
                    _tell(time.monotonic() - started)
                    if time.monotonic() >= deadline:
                        _tell(None)
                        raise ProjectBusy(
                            "project is busy (another program is writing); "
                            f"retried for {BUSY_SECONDS:.0f} s"
                        ) from exc
                elif is_conflict(exc):
                    conflicts += 1
                    if conflicts >= CONFLICT_ATTEMPTS:
                        raise WriteConflict(
                            "not saved: others kept changing the same items; try again"
                        ) from exc
                else:
                    raise
            time.sleep(min(backoff(attempt), max(0.0, deadline - time.monotonic())))
            attempt += 1

    return run
