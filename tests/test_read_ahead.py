"""coder.read_ahead: a thread makes an iterator's items ahead of the reader."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from coder.read_ahead import read_ahead


def _threads() -> int:
    return sum(t.name == "read-ahead" for t in threading.enumerate())


def test_items_come_in_order_and_are_made_in_another_thread() -> None:
    makers: set[int] = set()

    def items() -> Iterator[int]:
        for i in range(100):
            makers.add(threading.get_ident())
            yield i

    assert list(read_ahead(items(), depth=3)) == list(range(100))
    assert makers and threading.get_ident() not in makers
    assert _threads() == 0


def test_an_error_while_making_is_raised_to_the_reader_after_the_items_before_it() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("bad chunk")

    got: list[int] = []
    with pytest.raises(ValueError, match="bad chunk"):
        for i in read_ahead(items()):
            got.append(i)
    assert got == [1, 2]
    assert _threads() == 0


def test_closing_early_stops_the_thread_before_close_returns() -> None:
    made: list[int] = []

    def items() -> Iterator[int]:
        for i in range(10_000):
            made.append(i)
            yield i

    ahead = read_ahead(items(), depth=2)
    assert next(ahead) == 0
    ahead.close()
    assert _threads() == 0
    assert len(made) <= 5  # the queue held two, the thread one more: never the whole range
