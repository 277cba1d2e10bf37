"""Speaker turns of many texts found in a second process while this one stores them.

A whole-project import (a .qdpx of ten million words) spends most of a second in
coder.ingest.turns.find_turns, which is pure Python: a thread could not run it beside the
inserts (the GIL), but a child process can, on the machine's second core. `TurnWorker` starts
`python -m coder.ingest.turn_worker` as soon as it is made and hands it every text at once (a
thread feeds the pipe); `results` gives back each text's turns in order, as plain
(speaker, start, end, timestamp) tuples. The child is a fresh interpreter that imports only
this module: nothing of the caller is run or shared again (multiprocessing's spawn would
re-import the caller's main script). Below `MIN_CHARS` of text, or if the child cannot be
started or fails, the turns are found here instead: the result never depends on the child.
"""

from __future__ import annotations

import gc
import marshal
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence

from coder.ingest.turns import find_turns

TurnTuple = tuple[str | None, int, int, float | None]

MIN_CHARS = 4_000_000
"""Less text than this is done in this process: starting a child costs about 0.15 s."""


def turn_tuples(texts: Sequence[str]) -> list[list[TurnTuple]]:
    """Each text's turns as tuples (what the child runs; also the fallback here)."""
    return [[(t.speaker, t.start, t.end, t.timestamp) for t in find_turns(x)] for x in texts]


class TurnWorker:
    """The turns of `texts`, found in a child process from the moment it is made."""

    def __init__(self, texts: Sequence[str], min_chars: int | None = None) -> None:
        self.texts = texts
        self.proc: subprocess.Popen[bytes] | None = None
        self.out: list[bytes] = []
        self.thread: threading.Thread | None = None
        if sum(map(len, texts)) < (MIN_CHARS if min_chars is None else min_chars):
            return
        # The child finds coder and its libraries where this process does (-P: not in the
        # working directory).
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-P", "-m", "coder.ingest.turn_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except OSError:
            return  # no child: found here instead
        data = marshal.dumps(list(texts))
        self.thread = threading.Thread(target=self._talk, args=(self.proc, data), daemon=True)
        self.thread.start()

    def _talk(self, proc: subprocess.Popen[bytes], data: bytes) -> None:
        try:
            out, _ = proc.communicate(data)
            self.out.append(out)
        except (OSError, ValueError):
            pass  # the child went away: results() finds the turns here

    def results(self) -> Iterator[list[TurnTuple]]:
        """Each text's turns, in the order of `texts`."""
        found: list[list[TurnTuple]] | None = None
        if self.thread is not None and self.proc is not None:
            self.thread.join()
            if self.proc.returncode == 0 and self.out:
                try:
                    found = marshal.loads(self.out[0])
                except (EOFError, ValueError, TypeError):
                    found = None
            self.out.clear()
        if not isinstance(found, list) or len(found) != len(self.texts):
            found = turn_tuples(self.texts)
        yield from found

    def close(self) -> None:
        """Stop the child if it is still running (an import that failed half way)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        if self.thread is not None:
            self.thread.join()
        self.proc = self.thread = None

    def __enter__(self) -> TurnWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _child() -> None:
    """Read the texts from stdin, write their turns to stdout (both marshalled)."""
    gc.disable()  # a few hundred thousand small objects, no cycles
    texts = marshal.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(marshal.dumps(turn_tuples(texts)))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _child()
