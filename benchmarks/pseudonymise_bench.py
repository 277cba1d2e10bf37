"""Pseudonymising a big study: time and peak memory (issue 15's closing figure).

    nice -n 10 python benchmarks/pseudonymise_bench.py                # 1,000 x 10,000 words
    nice -n 10 python benchmarks/pseudonymise_bench.py --sources 100  # 1M words, a quick look
    nice -n 10 python benchmarks/pseudonymise_bench.py --review       # the --dry-run pass too

The study is the synthetic one of benchmarks/synth.py (200,000 codings), built once into
--work (not timed, in a child process so its memory is not counted), then given names: each
participant is renamed to a made-up eleven-letter "First Last" (the length of "Participant", so one
UPDATE keeps every offset and snippet valid) and speaks under that name in the text and the
turns. Pseudonymisation then has a participant's name to replace in about one turn in two. The
figures are for write_pseudonymised, the service `coder pseudonymise --out` calls: the copy,
finding names with the EntityRuler, rewriting every table, writing the output file.
Peak memory is this process's maximum resident set size. A thread samples the output folder
every 0.2 s for the largest write-ahead log (-wal) and the most disk the run's files took at once
(the study itself excluded); the output file's size is printed too.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SYLLABLES = "ka lo mi ne ru sa ti vo de ba".split()
ENDS = "nrslm"


def person_names(n: int) -> list[str]:
    """`n` distinct made-up "First Last" names of eleven characters, e.g. "Kamin Lorus"."""
    firsts = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in ENDS]
    out = []
    for i in range(n):
        first, last = firsts[i % len(firsts)], firsts[(i * 7 + 3) % len(firsts)]
        out.append(f"{first.capitalize()} {last.capitalize()}")
    return out


def build(target: Path, sources: int, words: int) -> None:
    from sqlalchemy import func, select, update

    from benchmarks.synth import build_coded_project
    from coder.db.models import Case, Source, Turn
    from coder.services.project.store import Project

    build_coded_project(target, target.with_suffix(".files"), n_sources=sources,
                        words_per_source=words, n_codings=200 * sources)  # fmt: skip
    with Project.open(target) as project, project.transaction() as s:
        cases = list(s.execute(select(Case.id).order_by(Case.id)).scalars())
        by_case = {}
        for cid, name in zip(cases, person_names(len(cases)), strict=True):
            s.execute(update(Case).where(Case.id == cid).values(name=name))
            by_case[cid] = name
        for sid, cid in s.execute(select(Source.id, Source.case_id)).all():
            name = by_case.get(cid)
            if name is None:
                continue
            s.execute(update(Source).where(Source.id == sid).values(
                text=func.replace(Source.text, "Participant:", name + ":")))  # fmt: skip
            s.execute(update(Turn).where(Turn.source_id == sid, Turn.speaker == "Participant")
                      .values(speaker=name))  # fmt: skip


class DiskWatch(threading.Thread):
    """Samples a folder's files (all but `skip`): the largest -wal file and the largest total."""

    def __init__(self, folder: Path, skip: Path) -> None:
        super().__init__(daemon=True)
        self.folder, self.skip = folder, skip
        self.max_wal = self.max_total = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            total = 0
            for entry in os.scandir(self.folder):
                if not entry.is_file() or entry.path == str(self.skip):
                    continue
                try:
                    size = entry.stat().st_size
                except FileNotFoundError:
                    continue
                total += size
                if entry.name.endswith("-wal"):
                    self.max_wal = max(self.max_wal, size)
            self.max_total = max(self.max_total, total)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=int, default=1000)
    ap.add_argument("--words", type=int, default=10_000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/coder-pseudonymise-bench"))
    ap.add_argument("--review", action="store_true", help="time the review pass as well")
    ap.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)
    study = a.work / f"study-{a.sources}x{a.words}.coder"
    if a.build_only:
        build(study, a.sources, a.words)
        return
    if not study.exists():
        t = time.perf_counter()
        cmd = [sys.executable, __file__, "--build-only", "--sources", str(a.sources),
               "--words", str(a.words), "--work", str(a.work)]  # fmt: skip
        subprocess.run(cmd, check=True)
        print(f"built {study} in {time.perf_counter() - t:.0f} s (not timed below)")

    from coder.services.exchange.pseudonymise import (
        PseudonymOptions,
        plan_pseudonymisation,
        write_pseudonymised,
    )
    from coder.services.project.store import Project

    out = a.work / "shared.coder"
    out.unlink(missing_ok=True)
    with Project.open(study) as project:
        words = project.counts()["words"]
        if a.review:
            t = time.perf_counter()
            review = plan_pseudonymisation(project, PseudonymOptions())
            took = time.perf_counter() - t
            print(f"review: {len(review.replacements):,} replacements in {took:.1f} s")
        watch = DiskWatch(a.work, study)
        watch.start()
        t = time.perf_counter()
        plan = write_pseudonymised(project, out, PseudonymOptions())
        took = time.perf_counter() - t
        watch.done.set()
        watch.join()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mb = 2**20
    print(f"study: {words:,} words in {a.sources:,} sources; {len(plan.key)} names")
    print(f"pseudonymise: {len(plan.replacements):,} replacements in {took:.1f} s "
          f"({words / took:,.0f} words/s); peak RSS {peak:,.0f} MB")  # fmt: skip
    print(f"files: study {study.stat().st_size / mb:,.0f} MB, output {out.stat().st_size / mb:,.0f}"
          f" MB; largest WAL {watch.max_wal / mb:,.0f} MB; most disk at once (study excluded) "
          f"{watch.max_total / mb:,.0f} MB; load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    out.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
