"""Reading an iterator ahead in a thread, so that making its items overlaps using them.

A .qdpx's project.qde of 200,000 codings is 100 MB of XML inflated from the zip. Inflating it
whole before parsing kept all of it in memory and made the parser wait; with the chunks
inflated by a thread a few ahead of the parser (zlib lets go of the GIL while it inflates),
the two run at once on two cores and only a few chunks exist at a time.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar

T = TypeVar("T")

_POLL_SECONDS = 0.05  # how soon the thread sees that the reader has stopped early


def read_ahead(items: Iterator[T], depth: int = 4) -> Generator[T, None, None]:
    """`items`, each made by a thread at most `depth` ahead of the caller. What `items` raises
    is raised here, in order; closing this iterator early (or an error in the caller) stops
    the thread before the close returns, so `items`' own resources can be let go of."""
    ahead: queue.Queue[tuple[bool, object]] = queue.Queue(depth)
    stop = threading.Event()

    def put(item: tuple[bool, object]) -> bool:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
            put((False, None))
        except BaseException as exc:  # handed to the reader, raised there
            put((False, exc))

    thread = threading.Thread(target=run, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            more, item = ahead.get()
            if not more:
                if isinstance(item, BaseException):
                    raise item
                return
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        thread.join()
