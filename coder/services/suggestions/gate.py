"""Training yields to the researcher: a gate that background training passes between steps.

Retraining runs in a child process (see process.py) and, on two cores, competes with the
workspace for the CPU. While keys arrive the workspace closes the gate; the training then waits
at its next pause point (between the sources it analyses and before it stores or loads a
model, never inside a transaction, so it holds no lock while it waits) until the keys stop.
A gate held open-endedly would starve the model, so each wait is capped at MAX_WAIT seconds:
under continuous typing training still creeps forward, one step per MAX_WAIT.

The gate is a multiprocessing Event (set = go) shared by the workspace and its training
process; without one installed (the CLI, tests, a training in the calling thread without a
workspace) `pause_point` does nothing.
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


_GATE: Gate | None = None


def install(gate: Gate | None) -> None:
    """Use `gate` in this process from now on (None: never wait)."""
    global _GATE
    _GATE = gate


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
