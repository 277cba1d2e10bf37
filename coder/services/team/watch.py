"""Seeing other people's work arrive: is there anything new in the project since last asked?

An open workspace calls `ChangeWatcher.poll()` about once a second (from a worker) and refreshes
when it says True, so others' new codings appear within 2 s. It costs one tiny query per poll:
- SQLite: `PRAGMA data_version` on a connection of the watcher's own; the number changes when
  any other connection (another program, or this program's writers) commits.
- PostgreSQL: LISTEN on the project's channel; every unit of work sends NOTIFY in its own
  transaction (coder.db.notify), so only committed changes are announced.
"""

from __future__ import annotations

from typing import Any

from coder.db.notify import channel_for
from coder.services.project.store import Project
from coder.vocab.closing import Closing


class ChangeWatcher(Closing):
    """Tells whether the project changed since the previous `poll()` (see module docstring)."""

    def __init__(self, project: Project) -> None:
        engine = project.engine
        self._postgres = engine.dialect.name == "postgresql"
        if self._postgres:
            with engine.connect() as conn:
                self.channel: str | None = channel_for(conn)
        else:
            self.channel = None
        raw = engine.raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        self._driver: Any = driver
        raw.detach()  # a connection of its own: never handed back to the pool
        if self._postgres:
            self._driver.autocommit = True
            self._driver.execute(f'LISTEN "{self.channel}"')
            self._version = 0
        else:
            self._version = self._data_version()

    def _data_version(self) -> int:
        return int(self._driver.execute("PRAGMA data_version").fetchone()[0])

    def poll(self) -> bool:
        """True when someone committed a change since the last call (or since creation)."""
        if self._postgres:
            # One round trip: the server sends every notification committed before it, and
            # psycopg keeps them for notifies(), which then returns without waiting.
            self._driver.execute("SELECT 1")
            changed = False
            for _note in self._driver.notifies(timeout=0.0):
                changed = True
            return changed
        version = self._data_version()
        changed = version != self._version
        self._version = version
        return changed

    def close(self) -> None:
        """Stop watching and close the watcher's connection."""
        self._driver.close()
