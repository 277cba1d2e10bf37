"""Import throughput on a synthetic study: words/s, peak memory and project file size.

    python benchmarks/import_bench.py                   # 1,000 transcripts x 10,000 words
    python benchmarks/import_bench.py --sources 100     # a quicker look

The transcripts are generated first (not timed), then imported through the same service the
`coder import` command uses, one transaction per file. Peak memory is the process's maximum
resident set size. Target: at least 250,000 words/s for .txt on a 2-core machine, under 1 GB.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import write_study  # noqa: E402
from coder.services.project.store import Project  # noqa: E402
from coder.services.sources.transcripts import import_files  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=int, default=1000)
    ap.add_argument("--words", type=int, default=10_000, help="words per transcript")
    ap.add_argument("--keep", type=Path, help="keep the project here")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coder-import-bench-"))
    try:
        t0 = time.perf_counter()
        paths = write_study(work / "files", args.sources, args.words)
        gen = time.perf_counter() - t0
        target = args.keep or work / "bench.coder"
        with Project.create(target) as project:
            t1 = time.perf_counter()
            outcomes = import_files(project, paths)
            elapsed = time.perf_counter() - t1
            counts = project.counts()
        failed = [o for o in outcomes if o.status != "imported"]
        words = counts["words"]
        size = target.stat().st_size + sum(
            p.stat().st_size for p in target.parent.glob(target.name + "-*")
        )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"generated {len(paths):,} transcripts in {gen:.1f} s")
        print(
            f"imported  {counts['sources']:,} sources, {words:,} words "
            f"({len(failed)} not imported) in {elapsed:.1f} s"
        )
        print(f"throughput {words / elapsed:,.0f} words/s")
        print(f"peak memory {peak_mb:,.0f} MB (max RSS)")
        print(f"project file {size / 2**20:,.1f} MB ({size / max(words, 1):.1f} bytes/word)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
