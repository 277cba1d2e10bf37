"""`coder merge` figures: a colleague's .qdpx with 200,000 codings by two coders merged into a
project that holds one coder's half.

    python benchmarks/merge_bench.py                    # 200,000 codings in OTHER
    python benchmarks/merge_bench.py --codings 20000    # a quicker look

Prints the time to read the .qdpx, the dry run, the merge (one transaction) and merging the same
file again (which adds nothing), with what each reported.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coder.refi.model import RefiCoding, RefiProject, RefiSource, RefiUser  # noqa: E402
from coder.refi.qdpx_write import write_qdpx  # noqa: E402
from coder.services.exchange.refi_project import import_project  # noqa: E402
from coder.services.project.store import Project  # noqa: E402
from coder.services.team.merge import merge_project  # noqa: E402
from coder.vocab.dto import CodeSpec  # noqa: E402

SOURCES = 100


def build(codings: int) -> tuple[RefiProject, RefiProject]:
    """OTHER (both coders) and the project's own half (the first coder only)."""
    g = lambda: str(uuid.uuid4())  # noqa: E731
    codes = tuple(CodeSpec(f"Code {i}", g()) for i in range(10))
    users = (RefiUser(g(), "Ana"), RefiUser(g(), "Ben"))
    per_source = codings // SOURCES // 2
    sources = []
    for s in range(SOURCES):
        text = " ".join(f"Sentence {u} of interview {s} says a little." for u in range(per_source))
        rows = []
        for u in range(per_source):
            start = text.index(f"Sentence {u} of")
            end = start + 20
            for k, user in enumerate(users):
                code = codes[(s + u + k * (u % 3 == 0)) % len(codes)]
                rows.append(RefiCoding(g(), str(code.guid), start, end, user.guid))
        sources.append(RefiSource(g(), f"Interview {s:03d}", text, codings=tuple(rows)))
    other = RefiProject("Two coders", codes, tuple(sources), users=users)
    mine = replace(
        other,
        sources=tuple(
            replace(src, codings=tuple(c for c in src.codings if c.user_guid == users[0].guid))
            for src in sources
        ),
    )
    return other, mine


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--codings", type=int, default=200_000)
    args = ap.parse_args()
    other, mine = build(args.codings)
    with tempfile.TemporaryDirectory(prefix="coder-merge-bench-") as work:
        qdpx = Path(work) / "other.qdpx"
        qdpx.write_bytes(write_qdpx(other))
        target = Path(work) / "mine.coder"
        with Project.create(target) as project:
            import_project(project, mine)
            before = project.counts()["codings"]
            print(f"project: {before:,} codings; OTHER: {qdpx.stat().st_size / 1e6:.1f} MB .qdpx "
                  f"with {sum(len(s.codings) for s in other.sources):,} codings")  # fmt: skip
            for label, dry in (("dry run", True), ("merge", False), ("again", False)):
                t0 = time.perf_counter()
                report = merge_project(project, str(qdpx), dry_run=dry)
                took = time.perf_counter() - t0
                print(f"{label:8s} {took:6.2f} s  added {report.added}  changed {report.changed}")
            print(f"project now: {project.counts()['codings']:,} codings")


if __name__ == "__main__":
    main()
