"""Survey import: time and peak memory for many respondents with several open questions.

    python benchmarks/survey_bench.py                        # 10,000 respondents x 5 questions
    python benchmarks/survey_bench.py --respondents 1000     # a quicker look
    python benchmarks/survey_bench.py --per-answer           # one source per answer
    python benchmarks/survey_bench.py --tracemalloc          # Python heap peak too (slower)

The CSV is generated first (not timed): an id, three closed columns (role, staff, founded) and
the open columns, answers of 10-60 words with about 5 % left empty. It is imported through
import_survey (the service `coder import-survey` calls) into a new SQLite project, in one
transaction. Peak memory is the process's maximum resident set size (and, with --tracemalloc,
the peak of Python allocations during the import alone).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import COMMON, THEMED  # noqa: E402
from coder.services.project.store import Project  # noqa: E402
from coder.services.sources.survey import import_survey  # noqa: E402


def write_survey(path: Path, respondents: int, questions: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    words = COMMON + THEMED
    open_columns = [
        f"Q{n}. What do fans do with your releases, part {n}?" for n in range(1, 1 + questions)
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["respondent", "role", "staff", "founded", *open_columns])
        for r in range(respondents):
            answers = [
                ""
                if rng.random() < 0.05
                else " ".join(rng.choice(words) for _ in range(rng.randint(10, 60))).capitalize()
                + "."
                for _ in open_columns
            ]
            role = rng.choice(["Owner", "A&R", "Label manager", "Press officer"])
            out.writerow([f"R{r:05d}", role, rng.randint(1, 12), rng.randint(1990, 2024), *answers])
    return open_columns


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--respondents", type=int, default=10_000)
    ap.add_argument("--questions", type=int, default=5)
    ap.add_argument("--per-answer", action="store_true")
    ap.add_argument("--tracemalloc", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coder-survey-bench-"))
    try:
        sheet = work / "survey.csv"
        open_columns = write_survey(sheet, args.respondents, args.questions)
        print(f"generated {sheet.stat().st_size / 2**20:.1f} MB CSV")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with Project.create(work / "bench.coder") as project:
            if args.tracemalloc:
                tracemalloc.start()
            started = time.perf_counter()
            result = import_survey(
                project,
                sheet,
                id_column="respondent",
                open_columns=open_columns,
                per_answer=args.per_answer,
            )
            elapsed = time.perf_counter() - started
            heap = tracemalloc.get_traced_memory()[1] if args.tracemalloc else 0
            tracemalloc.stop()
            words = project.counts()["words"]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"imported {result.respondents:,} respondents x {len(result.questions)} questions: "
            f"{result.sources_imported:,} sources, {result.answers:,} answers "
            f"({result.empty_answers:,} empty skipped), {words:,} words in {elapsed:.1f} s "
            f"= {result.respondents / elapsed:,.0f} respondents/s"
        )
        print(f"peak memory {peak:,.0f} MB max RSS (before the import {before:,.0f} MB)")
        print(f"load average {os.getloadavg()[0]:.1f}")
        if args.tracemalloc:
            print(f"python heap peak during the import {heap / 2**20:,.0f} MB (tracemalloc)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
