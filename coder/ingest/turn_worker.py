"""Speaker turns of many texts found in a second process while this one stores them.

A whole-project import (a .qdpx of ten million words) spends most of a second in
coder.ingest.turns.find_turns, which is pure Python: a thread could not run it beside the
inserts (the GIL), but a child process can, on the machine's second core. `TurnWorker` starts
`python -m coder.ingest.turn_worker` as soon as it is made and sends it the texts in batches of a
few MB (marshalled, by a thread; another reads the answers); `results` gives back each text's
turns in order, as plain (speaker, start, end, timestamp) tuples. The child is a fresh
interpreter that imports only this module: nothing of the caller is run or shared again
(multiprocessing's spawn would re-import the caller's main script). Below `MIN_CHARS` of
text, or if the child cannot be started or fails, the turns are found here instead: the result
never depends on the child.
"""

from __future__ import annotations

import gc
import marshal
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import IO, Any

from coder.ingest.turns import find_turns

TurnTuple = tuple[str | None, int, int, float | None]

MIN_CHARS = 4_000_000
"""Less text than this is done in this process: starting a child costs about 0.15 s."""
MAX_MESSAGE = 1 << 28
_PIECE = 1 << 20  # characters of a text sent at a time
_TEXTS, _END = (1 << 64) - 1, (1 << 64) - 2  # marks: a batch of texts follows; a text ends
BATCH_CHARS = 4_000_000
"""Texts per message to the child, by size: a few messages, none a copy of every text."""


def turn_tuples(texts: Sequence[str]) -> list[list[TurnTuple]]:
    """Each text's turns as tuples (what the child runs; also the fallback here)."""
    return [[(t.speaker, t.start, t.end, t.timestamp) for t in find_turns(x)] for x in texts]


class TurnWorker:
    """The turns of `texts`, found in a child process from the moment it is made."""

    def __init__(self, texts: Sequence[str], min_chars: int | None = None) -> None:
        self.texts = texts
        self.proc: subprocess.Popen[bytes] | None = None
        self.found: list[list[TurnTuple]] = []
        self.threads: list[threading.Thread] = []
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
        except (OSError, ValueError, TypeError):  # e.g. no interpreter to start
            return  # no child: found here instead
        for work in (self._send, self._receive):
            self.threads.append(threading.Thread(target=work, args=(self.proc,), daemon=True))
            self.threads[-1].start()

    def _send(self, proc: subprocess.Popen[bytes]) -> None:
        """The texts to the child, a batch at a time (a few MB: no second copy of them all)."""
        assert proc.stdin is not None
        try:
            with proc.stdin as pipe:
                for batch in _batches(self.texts):
                    _write_texts(pipe, batch)
        except (OSError, ValueError):
            pass  # the child went away: results() finds the turns here

    def _receive(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        try:
            with proc.stdout as pipe:
                while (batch := _read(pipe)) is not None:
                    self.found.extend(batch)
        except (OSError, ValueError, EOFError, TypeError):
            self.found.clear()  # unreadable: found here instead
            proc.kill()  # and the sender is not left writing to a child that does not read
        proc.wait()

    def results(self) -> Iterator[list[TurnTuple]]:
        """Each text's turns, in the order of `texts`."""
        for thread in self.threads:
            thread.join()
        ok = self.proc is not None and self.proc.returncode == 0
        if not ok or len(self.found) != len(self.texts):
            self.found = turn_tuples(self.texts)
        yield from self.found
        self.found = []

    def close(self) -> None:
        """Stop the child if it is still running (an import that failed half way)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        for thread in self.threads:
            thread.join()
        self.proc, self.threads = None, []

    def __enter__(self) -> TurnWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _batches(texts: Sequence[str]) -> Iterator[Sequence[str]]:
    start, size = 0, 0
    for i, text in enumerate(texts):
        size += len(text)
        if size >= BATCH_CHARS:
            yield texts[start : i + 1]
            start, size = i + 1, 0
    if start < len(texts):
        yield texts[start:]


def _write(pipe: IO[bytes], value: Any) -> None:
    """One value, marshalled, after its length."""
    data = marshal.dumps(value)
    pipe.write(len(data).to_bytes(8, "little"))
    pipe.write(data)  # apart: joined to the length, a batch would be copied once more
    pipe.flush()


def _write_texts(pipe: IO[bytes], texts: Sequence[str]) -> None:
    """A batch of texts behind its mark and count, each text's UTF-8 a piece at a time (each
    piece after its length, the text closed by `_END`): a marshalled copy of a 20 MB
    transcript would be one more 20 MB while it is sent."""
    pipe.write(_TEXTS.to_bytes(8, "little") + len(texts).to_bytes(8, "little"))
    for text in texts:
        for a in range(0, len(text), _PIECE):
            data = text[a : a + _PIECE].encode("utf-8", "surrogatepass")
            pipe.write(len(data).to_bytes(8, "little"))
            pipe.write(data)
        pipe.write(_END.to_bytes(8, "little"))
    pipe.flush()


def _next_batch(pipe: IO[bytes]) -> list[str] | None:
    """The next batch of texts `_write_texts` sent, or None at the end."""
    mark = _first(pipe)
    if mark is None:
        return None
    if mark != _TEXTS:
        raise EOFError("not a batch of texts")
    texts = []
    for _ in range(_number(pipe)):
        parts = []
        while (size := _number(pipe)) != _END:
            parts.append(_sized(pipe, size).decode("utf-8", "surrogatepass"))
        texts.append("".join(parts))
    return texts


def _read(pipe: IO[bytes]) -> Any:
    """The next value `_write` wrote, or None at the end."""
    size = _first(pipe)
    return None if size is None else marshal.loads(_sized(pipe, size))


def _first(pipe: IO[bytes]) -> int | None:
    """The next 8-byte number, or None where the stream ends before it."""
    head = pipe.read(8)
    return _number(pipe, head) if head else None


def _number(pipe: IO[bytes], head: bytes | None = None) -> int:
    """The next 8-byte number (or the one in `head`, already read)."""
    head = pipe.read(8) if head is None else head
    if len(head) != 8:
        raise EOFError("cut short")
    return int.from_bytes(head, "little")


def _sized(pipe: IO[bytes], size: int) -> bytes:
    """`size` bytes of a message (no more than MAX_MESSAGE: else not ours)."""
    if size > MAX_MESSAGE:
        raise EOFError("not a message")  # something else wrote to the pipe
    data = pipe.read(size)
    if len(data) != size:
        raise EOFError("cut short")
    return data


def _child() -> None:
    """Read batches of texts from stdin, write each batch's turns to stdout."""
    gc.disable()  # a few hundred thousand small objects, no cycles
    while (texts := _next_batch(sys.stdin.buffer)) is not None:
        _write(sys.stdout.buffer, turn_tuples(texts))


if __name__ == "__main__":
    _child()
