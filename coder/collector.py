"""Pausing Python's garbage collector over work that allocates much and leaves no cycles.

CPython's collector makes a full pass over every live object each time enough new objects
have survived since the last one. Importing spaCy, or reading a .qdpx of 200,000 codings,
makes millions of objects that stay alive (modules; the project being read) and form no
garbage cycles, so those passes free nothing and only cost: 0.3 s of CPU in a cold
`coder suggest --text` (a third of it), 2.7 s in the import of 200,000 codings. `paused`
stops the collector for the length of such work and starts it again afterwards, when its
next pass collects whatever cycles the work did leave.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()
_DEPTH = [0, 0]  # pauses open now; whether the collector was running when the first began


@contextmanager
def paused(*, freeze: bool = False) -> Iterator[None]:
    """The collector off inside the block (nested or concurrent pauses are counted, and it
    runs again once the last has ended, if it ran before the first). With `freeze`, every
    object alive at the end is moved out of the collector's reach for good (`gc.freeze`):
    for the modules a command imports, which live as long as the process."""
    with _LOCK:
        if _DEPTH[0] == 0:
            _DEPTH[1] = int(gc.isenabled())
            gc.disable()
        _DEPTH[0] += 1
    try:
        yield
    finally:
        with _LOCK:
            if freeze:
                gc.freeze()
            _DEPTH[0] -= 1
            if _DEPTH[0] == 0 and _DEPTH[1]:
                gc.enable()
