"""Undo and redo for every coding and codebook action.

Each action records row images, before and after, of the rows it touched (codes, codings,
memos). Undo writes the before-images back in one transaction; redo writes the after-images.
One generic mechanism serves every action, so a new action is undoable by recording what it
touched rather than by writing its inverse by hand. Before restoring, the current rows are
compared with the images: if another process changed them since, nothing is written and the
researcher is told, so undo can never clobber someone else's work.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coder.db.models import (
    AttributeValue,
    Base,
    Code,
    Coding,
    FrameworkCell,
    Memo,
    SuggestionDecision,
)
from coder.db.retry import retry_writes
from coder.vocab.dto import UndoResult


class Transactional(Protocol):
    """What undo and redo need: one unit of work (an open `Project` is one).

    Taking this rather than the Project keeps history below the project in the import graph.
    """

    def transaction(self) -> AbstractContextManager[Session]: ...


MODELS: dict[str, type[Base]] = {
    "codes": Code,
    "codings": Coding,
    "memos": Memo,
    "framework_cells": FrameworkCell,
    "suggestion_decisions": SuggestionDecision,
    "attribute_values": AttributeValue,  # a participant's attributes edited in the workspace
}
# Restore order: parents before children on insert, the reverse on delete.
ORDER = (
    "codes",
    "codings",
    "memos",
    "framework_cells",
    "suggestion_decisions",
    "attribute_values",
)

Image = dict[str, Any]
PENDING = "coder.pending_actions"


@functools.cache
def _column_keys(model: type[Base]) -> tuple[str, ...]:
    return tuple(attr.key for attr in sa_inspect(model).column_attrs)


def row_image(obj: Base) -> Image:
    """All mapped column values of an ORM row, keyed by attribute name."""
    return {key: getattr(obj, key) for key in _column_keys(type(obj))}


@dataclass(frozen=True)
class RowChange:
    table: str
    id: int
    before: Image | None
    after: Image | None


@dataclass(frozen=True)
class Action:
    label: str
    changes: tuple[RowChange, ...]


class Recorder:
    """Collects before/after images of the rows one action touches."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._before: dict[tuple[str, int], Image | None] = {}

    def touch(self, objs: Iterable[Base]) -> None:
        """Snapshot rows that are about to change or be deleted."""
        for obj in objs:
            key = (obj.__tablename__, int(obj.id))  # type: ignore[attr-defined]
            self._before.setdefault(key, row_image(obj))

    def created(self, objs: Iterable[Base]) -> None:
        """Mark rows as new in this action (flush first so they have ids)."""
        self.session.flush()
        for obj in objs:
            self._before.setdefault((obj.__tablename__, int(obj.id)), None)  # type: ignore[attr-defined]

    def record(self, label: str) -> None:
        """Take the after-images and queue the action; it reaches the undo history only once
        the transaction commits (`Project.transaction` hands it over), so a rolled-back write
        never leaves an undo entry behind."""
        self.session.info.setdefault(PENDING, []).append(self.action(label))

    def action(self, label: str) -> Action:
        """Flush and take the after-images."""
        self.session.flush()
        changes = []
        for (table, row_id), before in self._before.items():
            obj = self.session.get(MODELS[table], row_id)
            after = row_image(obj) if obj is not None else None
            if before != after:
                changes.append(RowChange(table, row_id, before, after))
        return Action(label, tuple(changes))


def _comparable(image: Image | None) -> Image | None:
    if image is None:
        return None
    return {k: v for k, v in image.items() if not isinstance(v, datetime)}


def _restore(session: Session, changes: tuple[RowChange, ...], *, to_before: bool) -> str | None:
    """Write the before (or after) images back; returns a conflict message or None."""
    for ch in changes:
        expected = ch.after if to_before else ch.before
        obj = session.get(MODELS[ch.table], ch.id)
        current = row_image(obj) if obj is not None else None
        if _comparable(current) != _comparable(expected):
            return "changed since by another action or process; left as it is"
    targets = [(ch, ch.before if to_before else ch.after) for ch in changes]
    # Upserts, parents first.
    for table in ORDER:
        pending = [(ch, img) for ch, img in targets if ch.table == table and img is not None]
        if table == "codes":
            pending.sort(key=lambda p: (p[1]["parent_id"] is not None, p[1]["id"]))
        for ch, img in pending:
            model = MODELS[table]
            obj = session.get(model, ch.id)
            if obj is None:
                session.add(model(**img))
            else:
                for key, value in img.items():
                    setattr(obj, key, value)
            session.flush()
    # Deletes, children first.
    for table in reversed(ORDER):
        doomed = [ch for ch, img in targets if ch.table == table and img is None]
        doomed.sort(key=lambda ch: -ch.id)
        for ch in doomed:
            obj = session.get(MODELS[table], ch.id)
            if obj is not None:
                session.delete(obj)
                session.flush()
    return None


class _Conflict(Exception):
    """Raised inside the transaction to roll it back when rows changed elsewhere."""


class History:
    """The undo and redo stacks of one open project (kept for the session, in memory)."""

    def __init__(self, limit: int = 1000) -> None:
        self._undo: list[Action] = []
        self._redo: list[Action] = []
        self._limit = limit
        self._lock = threading.RLock()

    def record(self, action: Action) -> None:
        if not action.changes:
            return
        with self._lock:
            self._undo.append(action)
            del self._undo[: -self._limit]
            self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def next_undo(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    def next_redo(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def undo(self, project: Transactional) -> UndoResult:
        return self._step(project, undo=True)

    def redo(self, project: Transactional) -> UndoResult:
        return self._step(project, undo=False)

    @retry_writes
    def _step(self, project: Transactional, *, undo: bool) -> UndoResult:
        with self._lock:
            stack = self._undo if undo else self._redo
            if not stack:
                return UndoResult("", False, "nothing to undo" if undo else "nothing to redo")
            action = stack[-1]
            try:
                with project.transaction() as session:
                    conflict = _restore(session, action.changes, to_before=undo)
                    if conflict:
                        raise _Conflict(conflict)
            except _Conflict:
                pass
            except IntegrityError:  # e.g. the same coder coded the same span again since
                conflict = "an equal item was stored since; left as it is"
            if conflict:
                stack.pop()
                return UndoResult(action.label, False, f"{action.label}: {conflict}")
            stack.pop()
            (self._redo if undo else self._undo).append(action)
            verb = "undone" if undo else "redone"
            return UndoResult(action.label, True, f"{verb}: {action.label}")
