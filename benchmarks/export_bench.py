"""Export and interchange timings on the synthetic study: Table 2, extracts, .qdpx out and in.

    python benchmarks/export_bench.py                  # 1,000 x 10,000 words, 200,000 codings
    python benchmarks/export_bench.py --sources 100 --codings 20000   # a quicker look
    python benchmarks/export_bench.py --fresh          # each step in its own process

The coded project is built once (benchmarks/synth.py, a few minutes for 10M words) and cached
under /tmp/coder-export-bench/, keyed by its size, so later runs time only the exports. Each
figure is the wall time of the whole user-visible step: gathering from the database, building
the document, and writing the file. Goal: Table 2 in under 3 s on the 200,000-coding study.
Each step also prints its peak resident memory (the process's high-water mark, reset before
the step through /proc/self/clear_refs on Linux). Goal: every export under 400 MB.
Set CODER_BENCH_CACHE to keep the built study somewhere else.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import build_coded_project  # noqa: E402
from coder.export.docx_documents import extracts_docx  # noqa: E402
from coder.export.formats import render  # noqa: E402
from coder.services.analysis.word_counts import word_table  # noqa: E402
from coder.services.codebook.files import atomic_write  # noqa: E402
from coder.services.exchange.refi_project import export_qdpx, import_qdpx  # noqa: E402
from coder.services.project.store import Project  # noqa: E402
from coder.services.reports.documents import extracts_data  # noqa: E402
from coder.services.reports.table1 import table1_data  # noqa: E402
from coder.services.reports.table2 import table2_data  # noqa: E402

CACHE = Path(os.environ.get("CODER_BENCH_CACHE", "/tmp/coder-export-bench"))


def reset_peak() -> None:
    """Start a new high-water mark for this process's resident memory (Linux 4.0+)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass  # elsewhere the figure is the peak since the process started


def peak_mb() -> float:
    """The resident-memory high-water mark in MB (since `reset_peak`, on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_DEPTH: list[str] = []


def timed(label: str, fn: Callable[[], Any]) -> Any:
    """Run fn; print its wall time, this process's CPU time (the figure that a shared,
    overloaded machine distorts least), the load average and the step's peak memory (for a
    step inside another, the peak since the outer step began)."""
    if not _DEPTH:
        reset_peak()
    _DEPTH.append(label)
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        result = fn()
    finally:
        _DEPTH.pop()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    load = os.getloadavg()[0]
    print(
        f"{label:<44} {wall:8.2f} s  (cpu {cpu:.2f} s, load {load:.1f}, peak {peak_mb():,.0f} MB)",
        flush=True,
    )
    return result


def cached_project(sources: int, words: int, codings: int) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    target = CACHE / f"synth-{sources}x{words}-{codings}.coder"
    if not target.exists():
        print(f"building {target} (once) ...", flush=True)
        tmp = target.with_suffix(".building")
        for p in CACHE.glob(tmp.name + "*"):
            p.unlink()
        files = CACHE / f"files-{sources}x{words}"
        stats = build_coded_project(
            tmp, files, n_sources=sources, words_per_source=words, n_codings=codings
        )
        shutil.rmtree(files, ignore_errors=True)
        tmp.rename(target)
        print("built: " + ", ".join(f"{k} {v:.1f} s" for k, v in stats.items()), flush=True)
    return target


STEPS = ("table2", "table1", "extracts", "qdpx", "import")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=int, default=1000)
    ap.add_argument("--words", type=int, default=10_000, help="words per transcript")
    ap.add_argument("--codings", type=int, default=200_000)
    ap.add_argument("--only", choices=STEPS, help="run one step (import needs a qdpx step first)")
    ap.add_argument(
        "--fresh", action="store_true", help="each step in a process of its own (own peak)"
    )
    args = ap.parse_args()
    target = cached_project(args.sources, args.words, args.codings)
    out = CACHE / "out"
    if args.fresh:
        size = ["--sources", str(args.sources), "--words", str(args.words)]
        size += ["--codings", str(args.codings)]
        for step in STEPS:
            subprocess.run([sys.executable, __file__, *size, "--only", step], check=True)
        shutil.rmtree(out, ignore_errors=True)
        return
    if args.only is None:
        shutil.rmtree(out, ignore_errors=True)
    out.mkdir(exist_ok=True)
    wanted = set(STEPS) if args.only is None else {args.only}
    with Project.open(target) as project:
        if args.only is None:
            counts = project.counts()
            print(
                f"project: {counts['sources']:,} sources, {counts['words']:,} words, "
                f"{counts['codes']:,} codes, {counts['codings']:,} codings"
            )

        def table2() -> Any:
            t = table2_data(project)
            atomic_write(out / "table2.docx", render(t.grid(), "docx"))
            return t

        if "table2" in wanted:
            t2 = timed("Table 2 (.docx, quotes chosen by rule)", table2)
            print(f"  {len(t2.rows)} rows, {sum(len(r.quotes) for r in t2.rows)} quotes")
        if "table1" in wanted:
            timed(
                "Table 1 (.docx)",
                lambda: atomic_write(
                    out / "table1.docx", render(table1_data(project).grid(), "docx")
                ),
            )

        def extracts() -> Any:
            report = timed("  gather extracts", lambda: extracts_data(project))
            data = timed("  build .docx", lambda: extracts_docx(report))
            atomic_write(out / "extracts.docx", data)
            return data

        if "extracts" in wanted:
            data = timed("coded extracts report (.docx)", extracts)
            print(f"  {len(data) / 2**20:,.1f} MB")
        if "qdpx" in wanted:
            proj = timed("export .qdpx", lambda: export_qdpx(project, out / "study.qdpx"))
            size = (out / "study.qdpx").stat().st_size
            print(
                f"  {len(proj.sources):,} sources, "
                f"{sum(len(s.codings) for s in proj.sources):,} codings, {size / 2**20:,.1f} MB"
            )
    if "import" in wanted:
        for old in out.glob("imported.coder*"):
            old.unlink()
        summary = timed(
            "import .qdpx into a new project",
            lambda: import_qdpx(str(out / "imported.coder"), out / "study.qdpx"),
        )
        print(
            f"  {summary.sources:,} sources, {summary.codings:,} codings, "
            f"{len(summary.warnings)} warnings"
        )
        # the import leaves the lemma cache to the first word count: what that first one costs
        with Project.open(out / "imported.coder") as imported:
            timed("  then the first word count (fills lemmas)", lambda: word_table(imported))
    if args.only is None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory {peak:,.0f} MB (max RSS)")
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
