"""An open project: the one object every service function takes.

It owns the engine and the session factory, knows who is coding, and keeps the undo history.
Each service call opens its own short transaction (`with project.transaction() as s:`), so every
action is committed the moment it is made and the object can be shared by worker threads.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from coder.db.engine import WRITE_OPTION
from coder.db.lifecycle import ProjectError, UpgradeResult, current_revision, open_engine
from coder.db.models import Coder, new_guid, utcnow
from coder.db.notify import announce_change
from coder.db.retry import is_busy, is_conflict, retry_writes
from coder.db.upsert import insert_ignore
from coder.services.project.db_faults import fault
from coder.services.project.history import PENDING, History
from coder.services.project.summary import table_counts
from coder.vocab.closing import Closing

__all__ = ["Project", "ProjectError", "default_coder_name", "own_transaction"]

P = ParamSpec("P")
T = TypeVar("T")


def default_coder_name() -> str:
    """The coder's name: $CODER_NAME, else `coder config user`, else the login name."""
    from coder.services.team.identity import current_coder

    return current_coder()


class Project(Closing):
    """An open coder project (SQLite file or database URL)."""

    def __init__(self, engine: Engine, target: str, upgrade: UpgradeResult) -> None:
        self.engine = engine
        self.target = target
        self.upgrade = upgrade
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # Units of work take SQLite's write lock when they begin (see coder.db.engine), so a
        # transaction that reads then writes never fails on a snapshot another writer made stale.
        self._writes = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        self.history = History()
        self._coder_ids: dict[str, int] = {}

    @classmethod
    def open(cls, target: str | Path, *, create: bool = False) -> Project:
        """Open the project at `target`, creating or upgrading its schema as needed."""
        engine, result = open_engine(target, create=create)
        return cls(engine, str(target), result)

    @classmethod
    def create(cls, target: str | Path) -> Project:
        """Create a new, empty project at `target` (refuses an existing project file)."""
        path = Path(str(target))
        if "://" not in str(target) and path.exists() and path.stat().st_size > 0:
            raise ProjectError(f"{target}: already exists")
        return cls.open(target, create=True)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error.

        Undoable actions recorded during the transaction join the history after the commit.
        """
        try:
            with self._writes.begin() as session:
                yield session
                announce_change(session)
        except DBAPIError as exc:
            if is_busy(exc) or is_conflict(exc):
                raise  # @retry_writes waits and tries again, or says so in one line
            raise fault(self.target, exc) from exc  # full disk, read-only, damage, too long
        for action in session.info.pop(PENDING, ()):
            self.history.record(action)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session."""
        try:
            with self._sessions() as session:
                yield session
        except DBAPIError as exc:
            raise fault(self.target, exc) from exc

    def coder_id(self, session: Session, name: str | None = None) -> int:
        """The id of the named coder (default: this user), created on first use."""
        name = (name or default_coder_name()).strip() or "researcher"
        cached = self._coder_ids.get(name)
        if cached is not None:
            return cached
        found = session.scalar(select(Coder.id).where(Coder.name == name))
        if found is None:
            # Another client may create the same name at this moment: the unique name decides,
            # and the loser reads the winner's row. Not cached: this transaction may roll back.
            created = insert_ignore(
                session, Coder, {"name": name, "guid": new_guid(), "created_at": utcnow()}
            )
            if created is not None:
                return created
            found = session.scalar(select(Coder.id).where(Coder.name == name))
            assert found is not None
        self._coder_ids[name] = found
        return found

    def schema_revision(self) -> str | None:
        return current_revision(self.engine)

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables, and the words in all sources."""
        with self.reading() as s:
            return table_counts(s.connection())


def own_transaction(
    work: Callable[Concatenate[Project, Session, P], T],
) -> Callable[Concatenate[Project, P], T]:
    """`work(project, session, ...)` as a call of its own: one transaction, retried whole
    when it meets another writer. The `..._in` form stays for callers whose transaction holds
    more writes that must commit with it."""

    @retry_writes
    @functools.wraps(work)
    def alone(project: Project, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with project.transaction() as s:
            return work(project, s, *args, **kwargs)

    return alone
