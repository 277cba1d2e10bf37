"""Real recordings for the media tests: made by sox when it is installed (a system package),
else written by Python's wave module. Either way a real file on disk that mutagen must read."""

from __future__ import annotations

import math
import shutil
import struct
import subprocess
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

VTT = """WEBVTT

00:00:00.000 --> 00:00:01.500
<v Interviewer>How did it start?

00:00:01.500 --> 00:00:03.000
<v Ana>It started slowly.

{last} --> {end}
<v Interviewer>And then?
"""


def make_wav(path: Path, seconds: float, rate: int = 8000) -> Path:
    """A mono sine tone of `seconds`, by sox when installed, else by the wave module."""
    sox = shutil.which("sox")
    if sox:
        subprocess.run(
            [sox, "-n", "-r", str(rate), "-c", "1", "-b", "16", str(path), "synth", str(seconds),
             "sine", "440"],
            check=True,
        )  # fmt: skip
        return path
    frames = int(seconds * rate)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(
            b"".join(struct.pack("<h", int(8000 * math.sin(i / 3))) for i in range(frames))
        )
    return path


def make_vtt(path: Path, last: float = 3.5) -> Path:
    """A three-turn WebVTT transcript whose last turn starts at `last` seconds."""

    def stamp(t: float) -> str:
        return f"{int(t // 3600):02d}:{int(t % 3600 // 60):02d}:{t % 60:06.3f}"

    path.write_text(VTT.format(last=stamp(last), end=stamp(last + 0.5)), encoding="utf-8")
    return path


@pytest.fixture
def recording(tmp_path: Path) -> Callable[..., Path]:
    """`recording(name, seconds)`: a real WAV file in the test's folder."""

    def make(name: str = "interview.wav", seconds: float = 5.0) -> Path:
        return make_wav(tmp_path / name, seconds)

    return make
