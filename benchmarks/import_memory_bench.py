"""Peak memory of importing one large transcript, against the same import of a tiny one.

    python benchmarks/import_memory_bench.py               # a 20 MB transcript and a 1 KB one
    python benchmarks/import_memory_bench.py --mb 5        # a quicker look
    python benchmarks/import_memory_bench.py --qdpx        # also through a .qdpx holding it
    python benchmarks/import_memory_bench.py --curly       # with curly apostrophes (label’s)

Each import runs `coder import PROJECT FILE` (and, with --qdpx, `coder import-project` of a
.qdpx that `coder export qdpx` wrote from the imported project) in a process of its own, and
the figure is that process's maximum resident set size (from wait4). What an import costs is
the large file's peak less the tiny file's (the interpreter, spaCy and SQLAlchemy cost the
same for both); the aim is a few times the source's size (issue 13, item 15). With --curly
the text has a character beyond Latin-1, as most real transcripts do, and Python holds it at
two bytes a character instead of one. The `coder` run is whichever `python -m coder.cli`
imports: PYTHONPATH=/path/to/another/checkout measures that one.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import synth_transcript  # noqa: E402

WORDS_PER_MB = 168_000  # synth_transcript writes about 6 bytes per word


def write_transcript(path: Path, megabytes: float, seed: int = 0, curly: bool = False) -> int:
    """Write a 'Name: text' transcript of about `megabytes` MB; returns its size in bytes."""
    words = max(1, int(megabytes * WORDS_PER_MB))
    text = synth_transcript(random.Random(seed), words)
    if curly:
        text = text.replace(" label ", " label’s ")
    if megabytes < 0.01:  # the tiny file: cut to size at a turn
        text = text[: int(megabytes * 2**20)].rsplit("\n\n", 1)[0] + "\n"
    path.write_text(text, "utf-8")
    return path.stat().st_size


def coder(*args: str) -> None:
    """Run `coder ARGS`, output discarded."""
    subprocess.run(
        [sys.executable, "-m", "coder.cli", *args], check=True, stdout=subprocess.DEVNULL, cwd="/"
    )


def peak_mb(*args: str) -> float:
    """Run `coder ARGS` in its own process; its maximum resident set size in MB."""
    cmd = [sys.executable, "-m", "coder.cli", *args]
    # from "/": `python -m` looks in the working directory first, which would trump PYTHONPATH
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd="/")
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {err.decode(errors='replace')}")
    return usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20.0, help="size of the large transcript")
    ap.add_argument("--qdpx", action="store_true", help="also import a .qdpx holding each")
    ap.add_argument("--curly", action="store_true", help="curly apostrophes in the text")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coder-memory-bench-"))
    try:
        rows: list[tuple[str, int, float]] = []
        for label, mb in (("tiny", 1 / 1024), ("large", args.mb)):
            source = work / f"{label}.txt"
            size = write_transcript(source, mb, curly=args.curly)
            project = work / f"{label}.coder"
            coder("init", str(project))
            rows.append(
                (f"coder import ({label})", size, peak_mb("import", str(project), str(source)))
            )
            if args.qdpx:
                qdpx = work / f"{label}.qdpx"
                coder("export", "qdpx", str(project), "-o", str(qdpx))
                target = work / f"{label}-refi.coder"
                rows.append(
                    (
                        f"coder import-project ({label})",
                        size,
                        peak_mb("import-project", str(target), str(qdpx)),
                    )
                )
        base = {name.split(" (")[0]: peak for name, _, peak in rows if name.endswith("(tiny)")}
        where = subprocess.run(
            [sys.executable, "-c", "import coder; print(coder.__file__)"],
            capture_output=True, text=True, cwd="/", check=True,
        ).stdout.strip()  # fmt: skip
        print(f"coder from {Path(where).parent.parent}")
        print(f"load average {Path('/proc/loadavg').read_text().split()[0]}")
        for name, size, peak in rows:
            line = f"{name:34} source {size / 1024:9,.0f} KB  peak {peak:7.1f} MB"
            if name.endswith("(large)"):
                extra = peak - base[name.split(" (")[0]]
                ratio = extra / (size / 2**20)
                line += f"  over the tiny import {extra:7.1f} MB ({ratio:.1f}x the source)"
            print(line)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
