"""coder.collector.paused: the garbage collector is off inside, back as it was after (nested,
from two threads, on an error), and `freeze` puts what is alive out of its reach."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from coder.collector import paused


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    gc.unfreeze()
    if was:
        gc.enable()


def test_off_inside_and_on_again_after_even_on_an_error() -> None:
    gc.enable()
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause is still open
    assert gc.isenabled()
    with pytest.raises(ValueError), paused():
        raise ValueError
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()


def test_two_threads_pausing_at_once_leave_it_on_once_both_ended() -> None:
    gc.enable()
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with paused():
            inside.set()
            leave.wait(10)

    t = threading.Thread(target=other)
    with paused():
        t.start()
        assert inside.wait(10)
    assert not gc.isenabled()  # the other thread's pause is still open
    leave.set()
    t.join(10)
    assert gc.isenabled()


def test_freeze_moves_what_is_alive_out_of_the_collectors_reach() -> None:
    gc.unfreeze()
    kept = [[i] for i in range(1000)]
    with paused(freeze=True):
        pass
    assert gc.get_freeze_count() >= len(kept)
