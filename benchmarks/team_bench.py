"""Team-store figures: upgrading a large project to revision 0004, and merging a big code.

    python benchmarks/team_bench.py                    # 200,000 codings by two coders
    python benchmarks/team_bench.py --codings 20000    # a quicker look

Revision 0004 folds duplicate codings, then rebuilds every SQLite table with AUTOINCREMENT and
adds the uniqueness constraints; this times that upgrade (backup included) on a project made at
revision 0003, then times a merge that moves half the codings with one UPDATE.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic import command  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

from coder.db.lifecycle import alembic_config  # noqa: E402
from coder.services.codebook.codes import merge_codes  # noqa: E402
from coder.services.project.store import Project  # noqa: E402


def build(path: Path, codings: int) -> None:
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    cfg = alembic_config(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        conn.exec_driver_sql(
            "INSERT INTO coders (id, guid, name, created_at) VALUES "
            "(1, 'a', 'ana', '2026-01-01'), (2, 'b', 'ben', '2026-01-01')"
        )
        text = "word " * (codings // 4 + 100)
        conn.exec_driver_sql(
            "INSERT INTO sources (id, guid, name, filename, format, text, sha256, words, "
            "imported_at) VALUES (1, 's', 's', 's.txt', 'txt', ?, 'h', 20000, '2026-01-01')",
            (text,),
        )
        conn.exec_driver_sql(
            "INSERT INTO codes (id, guid, parent_id, name, description, inclusion, exclusion, "
            "keywords, examples, color, position, codable) VALUES "
            "(1, 'c1', NULL, 'One', '', '', '', '[]', '[]', '#888888', 0, 1), "
            "(2, 'c2', NULL, 'Two', '', '', '', '[]', '[]', '#888888', 1, 1)"
        )
        rows = []
        for i in range(codings):
            start = i - 4 if i % 100 == 50 else i  # 1% repeat the same coder's coding
            rows.append((f"g{i}", 1 + i % 2, start, start + 5, 1 + (i // 2) % 2))
        conn.exec_driver_sql(
            "INSERT INTO codings (guid, source_id, code_id, start_pos, end_pos, snippet, "
            "coder_id, created_at, memo, exemplar) "
            "VALUES (?, 1, ?, ?, ?, 'word ', ?, '2026-01-01', '', 0)",
            rows,
        )
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--codings", type=int, default=200_000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coder-team-bench-"))
    try:
        path = work / "team.coder"
        build(path, args.codings)
        t0 = time.perf_counter()
        with Project.open(path) as project:
            upgrade = time.perf_counter() - t0
            kept = project.counts()["codings"]
            t1 = time.perf_counter()
            moved = merge_codes(project, 2, 1)
            merge = time.perf_counter() - t1
        print(
            f"upgrade 0003 -> 0004 of {args.codings:,} codings: {upgrade:.2f} s "
            f"(backup included; {args.codings - kept:,} duplicates folded)"
        )
        print(f"merge moving {moved:,} codings: {merge:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
