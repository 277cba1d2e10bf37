"""One lane for every write, so actions commit in the order the researcher made them.

Reads may be superseded (an exclusive worker per kind of read), but a write must never be
dropped or reordered: "code, then undo" has to mean exactly that. Writes queue here and a
single thread worker drains the queue, committing each through the services (which commit
before returning). The widget that asked then gets a typed message saying what the write did
(built from the result by `done`), followed by `WriteDone`; or `WriteFailed` with one line.
A write that finds the project locked for longer than the retry window (ProjectBusy) is kept
at the head of the queue and tried again, never dropped. When the queue is empty the worker
ends, so `App.workers.wait_for_complete()` still returns in tests.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump

from coder.errors import UserError
from coder.services.team.busy import ProjectBusy
from coder.tui.messages import WriteDone, WriteFailed

T = TypeVar("T")
Job = tuple[MessagePump, str, Callable[[], Any], Callable[[Any], Message] | None]


class Writer:
    """Serialises writes on a worker thread; results come back as messages."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._jobs: deque[Job] = deque()
        self._lock = threading.Lock()
        self._running = False
        self._idle = threading.Event()
        self._idle.set()

    def submit(
        self,
        target: MessagePump,
        label: str,
        fn: Callable[[], T],
        done: Callable[[T], Message] | None = None,
    ) -> None:
        """Queue `fn` (a service call); `target` then gets `done(result)` and `WriteDone`."""
        with self._lock:
            self._jobs.append((target, label, fn, done))
            self._idle.clear()
            if self._running:
                return
            self._running = True
        self._app.run_worker(
            self._drain, thread=True, group="write", name="writer", exit_on_error=False
        )

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._jobs:
                    self._running = False
                    self._idle.set()
                    return
                target, label, fn, done = self._jobs.popleft()
            try:
                result = fn()
            except ProjectBusy:
                # Another program still holds the lock: keep the key press and try again (the
                # status line says that we are waiting); quitting waits for it too.
                with self._lock:
                    self._jobs.appendleft((target, label, fn, done))
                continue
            except UserError as exc:
                target.post_message(WriteFailed(label, str(exc)))
            except Exception as exc:  # a bug: say so rather than lose the message
                self._app.log.error(f"{label} failed", exc)
                target.post_message(WriteFailed(label, f"{type(exc).__name__}: {exc}"))
            else:
                if done is not None:
                    target.post_message(done(result))
                target.post_message(WriteDone(label))

    @property
    def busy(self) -> bool:
        return not self._idle.is_set()

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until every queued write has committed (used before quitting)."""
        return self._idle.wait(timeout)
