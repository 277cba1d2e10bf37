"""A coding made through the UI survives `kill -9`: every action commits before it is drawn.

`coder open` runs in a subprocess on a pseudo-terminal, is driven with keys, killed with
SIGKILL as soon as the database shows the coding, and the project is reopened with the
services to check that the coding (and nothing half-written) is there.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from coder.services.coding.codings import codings_for_source
from coder.services.project.check import check_project
from coder.services.project.store import Project

ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[\]P^_].*?(?:\x07|\x1b\\)|\x1b.", re.S)


class Terminal:
    """A child process on a pty, with its screen output collected in the background."""

    def __init__(self, argv: list[str], cols: int = 120, rows: int = 40) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLUMNS": str(cols),
            "LINES": str(rows),
            "CODER_NAME": "pty-tester",
        }
        env.pop("TEXTUAL", None)
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.output = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def text(self) -> str:
        return ANSI.sub("", self.output.decode("utf-8", "replace"))

    def wait_for(self, needle: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            if self.proc.poll() is not None:
                raise AssertionError(f"coder exited early:\n{self.text()[-2000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {needle!r}:\n{self.text()[-2000:]}")
            time.sleep(0.05)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        os.close(self.master)


def wait_until(check, timeout: float = 30):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the database")
        time.sleep(0.05)


@pytest.mark.slow
def test_coding_survives_kill_9(sample: Path) -> None:
    with Project.open(sample) as project:
        from coder.services.coding.workspace import list_source_entries

        sid = list_source_entries(project)[0].id
    term = Terminal([sys.executable, "-m", "coder.cli", "open", str(sample)])
    try:
        term.wait_for("not coded")  # the passage line: the transcript is loaded
        term.send("]]")  # Helen's first turn
        term.send("2")  # quick code 2
        term.send("c")
        term.wait_for("Apply which code")
        term.send("expression\r")  # and a second code through the finder

        def both() -> list[str] | None:
            with Project.open(sample) as p:
                names = sorted(c.code_name for c in codings_for_source(p, sid))
            return names if len(names) == 2 else None

        wait_until(both)
    finally:
        term.kill()
    assert term.proc.returncode == -signal.SIGKILL
    with Project.open(sample) as project:
        rows = codings_for_source(project, sid)
        assert sorted(c.code_name for c in rows) == ["Approaching", "Freedom of expression"]
        assert {c.coder for c in rows} == {"pty-tester"}
        assert rows[0].snippet.startswith("Yes, that's fine.")
        assert check_project(project).ok


@pytest.mark.slow
def test_demo_builds_the_sample_opens_it_and_q_quits(tmp_path: Path) -> None:
    target = tmp_path / "demo.coder"
    term = Terminal([sys.executable, "-m", "coder.cli", "demo", "--path", str(target)])
    try:
        term.wait_for("not coded")
        assert "Interview P01" in term.text()
        term.send("q")
        assert term.proc.wait(20) == 0
    finally:
        if term.proc.poll() is None:
            term.kill()
    with Project.open(target) as project:  # 12 interviews and 20 survey respondents
        assert project.counts()["sources"] == 32
