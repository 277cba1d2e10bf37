"""Turns found in a child process (coder.ingest.turn_worker) are the turns found here, and a
child that cannot start or fails leaves the same result."""

from __future__ import annotations

import sys

import pytest

from coder.ingest import turn_worker
from coder.ingest.turn_worker import TurnWorker, turn_tuples
from coder.ingest.turns import find_turns

TEXTS = [
    "Interviewer: How did it start?\nAnna: With a song.\n\nInterviewer: And then?\nAnna: More.\n",
    "[00:00:03] Q: Ready?\n[00:00:05] A: Yes — ready, \u201cquite\u201d.\n[00:01:02] Q: Good.\n",
    "A paragraph with no speakers.\n\nAnother one, caf\u00e9 \U0001f600.\n",
    "",
]


def test_the_child_finds_the_turns_found_here(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = turn_tuples(TEXTS)

    def not_here(texts: object) -> object:
        raise AssertionError("the turns were found in this process")

    monkeypatch.setattr(turn_worker, "turn_tuples", not_here)  # the child is not patched
    with TurnWorker(TEXTS, min_chars=0) as worker:
        assert worker.proc is not None  # a child was started
        got = list(worker.results())
        assert worker.proc.returncode == 0
    assert got == expected
    assert got[1][0] == ("Q", 14, 20, 3.0)  # timestamps and offsets come back as they were
    assert [len(t) for t in got] == [len(find_turns(x)) for x in TEXTS]


def test_texts_sent_in_pieces_arrive_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """The texts go to the child a piece at a time (no marshalled copy of a whole
    transcript); pieces of 5 characters cut through every multi-byte character here."""
    expected = turn_tuples(TEXTS)
    monkeypatch.setattr(turn_worker, "_PIECE", 5)
    monkeypatch.setattr(turn_worker, "turn_tuples", lambda texts: [])  # not found here
    with TurnWorker(TEXTS, min_chars=0) as worker:
        got = list(worker.results())
        assert worker.proc is not None and worker.proc.returncode == 0
    assert got == expected


def test_small_work_stays_here() -> None:
    with TurnWorker(TEXTS) as worker:
        assert worker.proc is None
        assert list(worker.results()) == turn_tuples(TEXTS)


@pytest.mark.parametrize("program", ["/nonexistent/python", "/bin/false", "/bin/yes"])
def test_a_child_that_cannot_run_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, program: str
) -> None:
    """(/bin/yes answers nonsense and reads nothing: more text than a pipe holds is sent.)"""
    monkeypatch.setattr(sys, "executable", program)
    texts = TEXTS * 3000
    with TurnWorker(texts, min_chars=0) as worker:
        assert list(worker.results()) == turn_tuples(texts)


def test_closing_early_stops_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """An import that fails half way does not leave the child running."""
    monkeypatch.setattr(turn_worker, "MIN_CHARS", 0)
    worker = TurnWorker(TEXTS * 2000)
    proc = worker.proc
    assert proc is not None
    worker.close()
    assert proc.poll() is not None
