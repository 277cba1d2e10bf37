"""Agreement timings: 200,000 codings by two coders over a multi-million-character project.

    python benchmarks/agreement_bench.py                      # 1,000 sources x 5,000 chars
    python benchmarks/agreement_bench.py --codings 20000      # a quicker look
    python benchmarks/agreement_bench.py --service            # also through a SQLite project

The project is synthetic and built in memory: one repeated sentence of twelve words, speaker
turns every four sentences, 40 codes. Coder A places spans; coder B re-codes most of them with
shifted ends, sometimes with another code, and adds spans of their own, so every cell of the
2 x 2 table is well filled. Each figure is the wall time of
`coder.analysis.agreement.compare` (the pure engine, no database) for one unit, best and median
of --repeat runs (the machine may be shared); "from records" includes turning a list of
CodingRec records into columns. With --service, the same data is stored in a SQLite project
(built once with bulk inserts, cached under /tmp/coder-agreement-bench/) and
`coder.services.team.agreement.agreement` is timed too: reading texts, turns and codings, then
the engine. Goal: under 2 s for 200,000 codings.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coder.analysis.agreement import CodingColumns, compare  # noqa: E402
from coder.analysis.agreement_model import CodeInput, SourceInput  # noqa: E402
from coder.analysis.records import CodingRec  # noqa: E402

WORDS = "we had a team meeting about the new rota and nobody asked the nurses first".split()


def build(
    n_sources: int, chars: int, n_codings: int, n_codes: int, seed: int = 7
) -> tuple[list[SourceInput], list[CodeInput], CodingColumns]:
    rng = np.random.default_rng(seed)
    sentence = " ".join(WORDS[:12]).capitalize() + ". "
    sources = []
    for sid in range(n_sources):
        text = (sentence * (chars // len(sentence) + 1))[:chars]
        step = len(sentence) * 4
        turns = tuple((s, min(s + step, chars)) for s in range(0, chars, step))
        sources.append(SourceInput(sid + 1, f"interview {sid + 1:04d}", text, turns=turns))
    codes = [CodeInput(100 + i, f"code {i}", f"guid-{i}") for i in range(n_codes)]
    half = n_codings // 2
    src = rng.integers(1, n_sources + 1, half)
    start = rng.integers(0, chars - 400, half)
    end = start + rng.integers(20, 400, half)
    code = rng.integers(100, 100 + n_codes, half)
    # Coder B: the same spans with moved ends (80%), some with another code, plus new spans.
    same = rng.random(half) < 0.8
    b_start = np.where(same, np.maximum(start + rng.integers(-30, 30, half), 0), start // 2)
    b_end = np.where(same, end + rng.integers(-30, 30, half), start // 2 + 150)
    b_end = np.clip(b_end, b_start + 1, chars)
    b_code = np.where(rng.random(half) < 0.85, code, rng.integers(100, 100 + n_codes, half))
    coder = np.array(["ann"] * half + ["ben"] * half, dtype=object)
    return (
        sources,
        codes,
        CodingColumns(
            source=np.concatenate([src, src]).astype(np.int64),
            start=np.concatenate([start, b_start]).astype(np.int64),
            end=np.concatenate([end, b_end]).astype(np.int64),
            code=np.concatenate([code, b_code]).astype(np.int64),
            coder=coder,
        ),
    )


CACHE = Path("/tmp/coder-agreement-bench")


def timed(repeat: int, fn: Callable[[], Any]) -> tuple[Any, str]:
    """The result of `fn` and "best / median" of `repeat` timed runs."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return result, f"best {min(times):5.2f} s, median {median(times):5.2f} s"


def stored_project(
    sources: list[SourceInput], codes: list[CodeInput], cols: CodingColumns, key: str
) -> Path:
    """A SQLite project holding the synthetic data (built once per size, then reused)."""
    from sqlalchemy import insert

    from coder.db.models import Code, Coder, Coding, Source, Turn
    from coder.services.project.store import Project

    path = CACHE / f"{key}.coder"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with Project.create(partial) as project, project.transaction() as s:
        for name in ("ann", "ben"):
            s.add(Coder(name=name))
        s.flush()
        coder_ids = {c.name: c.id for c in s.query(Coder)}
        s.execute(insert(Code), [{"id": c.id, "name": c.name, "guid": c.guid} for c in codes])
        s.execute(
            insert(Source),
            [
                {"id": src.id, "name": src.name, "filename": src.name, "format": "txt",
                 "text": src.text, "sha256": hashlib.sha256(src.name.encode()).hexdigest()}
                for src in sources
            ],
        )  # fmt: skip
        s.execute(
            insert(Turn),
            [
                {"source_id": src.id, "position": i, "start": a, "end": b}
                for src in sources
                for i, (a, b) in enumerate(src.turns)
            ],
        )
        texts = {src.id: src.text for src in sources}
        s.execute(
            insert(Coding),
            [
                {"source_id": int(sid), "code_id": int(code), "start": int(a), "end": int(b),
                 "snippet": texts[int(sid)][int(a):int(b)], "coder_id": coder_ids[str(who)]}
                for sid, a, b, code, who in zip(
                    cols.source, cols.start, cols.end, cols.code, cols.coder, strict=True
                )
            ],
        )  # fmt: skip
    partial.rename(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=5000, help="characters per source")
    parser.add_argument("--codings", type=int, default=200_000, help="total, both coders")
    parser.add_argument("--codes", type=int, default=40)
    parser.add_argument("--service", action="store_true", help="also time the service layer")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per figure")
    args = parser.parse_args()

    sources, codes, cols = build(args.sources, args.chars, args.codings, args.codes)
    total = args.sources * args.chars
    print(
        f"{len(cols.start):,} codings by 2 coders, {args.codes} codes, "
        f"{args.sources:,} sources, {total:,} characters"
    )
    for unit in ("char", "sentence", "turn", "paragraph", "source"):
        result, took = timed(
            args.repeat,
            lambda u=unit: compare(sources, codes, cols, ["ann", "ben"], unit=u),  # type: ignore[misc]
        )
        o = result.overall
        print(
            f"engine, unit={unit:<9} {took}   kappa={o.kappa:.3f} alpha={o.alpha:.3f} "
            f"({o.units:,} unit-code decisions)"
        )
    records = [
        CodingRec(int(s), int(a), int(b), int(c), str(w))
        for s, a, b, c, w in zip(
            cols.source, cols.start, cols.end, cols.code, cols.coder, strict=True
        )
    ]
    _, took = timed(args.repeat, lambda: compare(sources, codes, records, ["ann", "ben"]))
    print(f"engine from records, unit=char   {took}")
    if not args.service:
        return
    from coder.services.project.store import Project
    from coder.services.team.agreement import agreement

    key = f"{args.sources}x{args.chars}-{args.codings}-{args.codes}"
    t0 = time.perf_counter()
    path = stored_project(sources, codes, cols, key)
    print(f"project ready ({path}) {time.perf_counter() - t0:6.2f} s")
    with Project.open(path) as project:
        for unit in ("char", "sentence", "turn"):
            result, took = timed(
                args.repeat,
                lambda u=unit: agreement(project, ["ann", "ben"], unit=u),  # type: ignore[misc]
            )
            print(f"service, unit={unit:<9} {took}   kappa={result.overall.kappa:.3f}")


if __name__ == "__main__":
    main()
