"""Training yields to the researcher: a gate that background training passes between steps.

Retraining runs in a child process (see process.py) and, on two cores, competes with the
workspace for the CPU. While keys arrive the workspace closes the gate; the training then waits
at its next pause point (between the sources it analyses and before it stores or loads a
model, never inside a transaction, so it holds no lock while it waits) until the keys stop.
A gate held open-endedly would starve the model, so each wait is capped at MAX_WAIT seconds:
under continuous typing training still creeps forward, one step per MAX_WAIT.

The gate is a multiprocessing Event (set = go) shared by the workspace and its training
process. `hold` and `release` live here, not in process.py, so that the workspace's first key
press does not import the training machinery (and spaCy with it); the state they set is
applied to the gate when it is made. Without a gate installed (the CLI, tests, a training in
the calling thread without a workspace) `pause_point` does nothing.
"""

from __future__ import annotations

from typing import Protocol

MAX_WAIT = 2.0


class Gate(Protocol):
    """What the gate needs of a multiprocessing (or threading) Event."""

    def is_set(self) -> bool: ...  # noqa: D102

    def set(self) -> None: ...  # noqa: D102

    def clear(self) -> None: ...  # noqa: D102

    def wait(self, timeout: float | None = None) -> bool: ...  # noqa: D102


_GATE: Gate | None = None  # the gate pause_point waits at
_HELD_GATE: Gate | None = None  # the gate hold() and release() close and open
_HELD = False


def install(gate: Gate | None) -> None:
    """Use `gate` in this process from now on (None: never wait)."""
    global _GATE
    _GATE = gate


def share(gate: Gate) -> None:
    """`gate` is the one the keys hold (the workspace's, shared with its training process);
    it is closed at once if training is being held back already."""
    global _HELD_GATE
    _HELD_GATE = gate
    if _HELD:
        gate.clear()


def hold() -> None:
    """Keys are arriving: training pauses at its next pause point (cheap when repeated)."""
    _set_held(True)


def release() -> None:
    """The keys stopped: training goes on."""
    _set_held(False)


def _set_held(value: bool) -> None:
    global _HELD
    if _HELD == value:
        return
    _HELD = value
    if _HELD_GATE is not None:
        if value:
            _HELD_GATE.clear()
        else:
            _HELD_GATE.set()


def held() -> bool:
    """Whether training is being held back for the keys."""
    return _HELD


def installed() -> Gate | None:
    """The gate of this process, if any."""
    return _GATE


def pause_point(max_wait: float = MAX_WAIT) -> bool:
    """Wait (at most `max_wait` seconds) while the gate is closed; True if it waited."""
    gate = _GATE
    if gate is None or gate.is_set():
        return False
    gate.wait(max_wait)
    return True
