"""Retraining in a separate process, so the workspace stays responsive while it runs.

Training analyses passages with spaCy, whose compiled code keeps Python's global lock for a
whole batch: in a thread of the interface's process it would hold up key presses for a few
hundred milliseconds at a time on a big project. So the workspace trains in one long-lived
child process (started on first use, at lower priority, its analyses kept warm between
trainings) which stores the model in the project as `train` always does; this process then
loads the stored model. If the child cannot be started or dies, training falls back to the
calling thread, which is slower to live with but loses nothing.

Keys come first: `hold()` (the workspace calls it as keys arrive) closes the shared gate
(gate.py), and the training waits at its next pause point until `release()`; the child also
runs at the lowest useful priority, and this process loads a new model only once the gate
is open again.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from coder.services.project.store import Project
from coder.services.suggestions import gate as _gate
from coder.services.suggestions.warm import runtime
from coder.suggest.model import SuggestModel
from coder.suggest.results import TrainReport

_LOCK = threading.Lock()
_WARMING = threading.Lock()
_POOL: ProcessPoolExecutor | None = None
KEEP_OPEN = 3  # projects the child keeps open (and warm)
NICE = 19  # the child's niceness increment, the lowest priority: the workspace first
_GATE: _gate.Gate | None = None  # set = training may run; shared with the child
LOAD_WAIT = 60.0  # at most this long does a trained model wait for the keys to stop

# -- in the child ---------------------------------------------------------------------------
_OPEN: OrderedDict[str, Project] = OrderedDict()


def _child_setup(gate: _gate.Gate | None = None) -> None:
    """Lower priority, the workspace's gate, and no output: the child shares the workspace's
    terminal, where a stray warning would scribble over the screen (errors come back as
    exceptions)."""
    _gate.install(gate)
    try:
        os.nice(NICE)
    except (AttributeError, OSError):  # not on this platform, or not allowed: run as is
        pass
    quiet = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(quiet, fd)
    os.close(quiet)


def _train_in_child(target: str, select_method: bool | None = None) -> TrainReport:
    from coder.services.suggestions.training import train

    project = _OPEN.pop(target, None) or Project.open(target)
    _OPEN[target] = project
    while len(_OPEN) > KEEP_OPEN:
        _OPEN.popitem(last=False)[1].close()
    return train(project, select_method)


# -- in the workspace -------------------------------------------------------------------------
def _pool() -> ProcessPoolExecutor:
    global _POOL
    with _LOCK:
        if _POOL is None:
            _start_resource_tracker()
            ctx = multiprocessing.get_context("spawn")  # never fork a process with threads
            _POOL = ProcessPoolExecutor(
                1, mp_context=ctx, initializer=_child_setup, initargs=(_shared_gate(),)
            )
        return _POOL


def _shared_gate() -> _gate.Gate:
    """The gate shared with the training process (made once, open), installed here too."""
    global _GATE
    if _GATE is None:
        event = multiprocessing.get_context("spawn").Event()
        event.set()
        _gate.share(event)  # closes it if the keys are holding training back already
        _GATE = event
        _gate.install(event)
    return _GATE


hold = _gate.hold
release = _gate.release
held = _gate.held


def _start_resource_tracker() -> None:
    """multiprocessing's helper process inherits sys.stderr's file descriptor; under a
    running Textual app sys.stderr is a capture without one, so hand it the real stderr."""
    from multiprocessing import resource_tracker

    saved = sys.stderr
    try:
        sys.stderr = sys.__stderr__ or saved
        resource_tracker.ensure_running()
    finally:
        sys.stderr = saved


def shutdown(wait: bool = False) -> None:
    """Stop the training process (when the workspace closes; `wait` for it to end)."""
    global _POOL
    with _LOCK:
        pool, _POOL = _POOL, None
    if pool is not None:
        pool.shutdown(wait=wait, cancel_futures=True)


def load_stored_model(project: Project) -> bool:
    """Use the model stored in the project from now on, with the scorer stored beside it
    (so this process restores it rather than rebuilding it: a rebuild scores the whole
    calibration sample, seconds of work that would compete with the keys); False if there
    is no model."""
    from coder.services.suggestions.training import stored_model, stored_scorer

    data, meta, ready = stored_model(project)
    if data is None:
        return False
    runtime(project).install(SuggestModel.from_bytes(data), stored_scorer(ready, meta))
    return True


def warm_up(project: Project) -> None:
    """Make sure suggestions have a model: the stored one, or, for a project without one, a
    first model trained in the training process. That first one skips choosing the method by
    cross-validation (tens of seconds on a small project, in the workspace's own threads
    until now): the next training, after the next coding, makes that choice in the
    background."""
    from coder.services.suggestions.training import has_usable_model

    with _WARMING:  # a second ask (the cursor moved on) waits for the first's training
        if runtime(project).model is None and not has_usable_model(project):
            train_apart(project, select_method=False)


def train_apart(project: Project, select_method: bool | None = None) -> TrainReport:
    """Retrain in the training process and use the result here (blocks the calling thread,
    which waits without holding the interpreter)."""
    from coder.services.suggestions.training import train

    try:
        future = _pool().submit(_train_in_child, str(project.target), select_method)
        report = future.result()
    except (BrokenProcessPool, OSError, RuntimeError):
        shutdown()  # a dead child: the next training starts a new one
        return train(project, select_method)
    # Reading the new model in takes this process's time (and its interpreter lock): never
    # mid-typing, however long the typing goes on (the stored model is safe meanwhile).
    _gate.pause_point(LOAD_WAIT)
    load_stored_model(project)
    return report
