"""How fast are suggestions? Prints the three figures the suggestion feature promises.

1. The passage under the cursor: `suggest_for_span` on the sample study, warm (the model and
   pipeline already loaded), median and 95th percentile over many passages; and again in the
   synthetic study below (200 codes, 10,000-word sources). Target < 20 ms.
2. Bulk: `suggest_for_source` over every source of a synthetic study (benchmarks/synth.py:
   long 'Name: text' transcripts, 200 codes), in words per second. Target >= 100,000 words/s.
   The default study has 1M words; --sources 1000 builds the full 10M-word one (minutes).
3. Retraining on 10,000 coded passages (`train`), first from scratch (every passage through
   spaCy) and then again after one more coding (the warm retrain the workspace does in the
   background). Target < 10 s.

    /work/venv/bin/python benchmarks/suggest_speed.py [--sources 100] [--codings 10000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from coder.services.project.store import Project  # noqa: E402
from coder.services.suggestions import scoring as sg  # noqa: E402
from coder.services.suggestions.warm import code_rows  # noqa: E402


def cursor(tmp: Path, n: int) -> tuple[float, float]:
    from coder.services.project.sample import build_sample_study
    from coder.services.sources.transcripts import list_sources

    path = build_sample_study(tmp / "sample.coder")
    with Project.open(path) as project:
        spans = []
        for s in list_sources(project):
            spans += [(s.id, a, b) for a, b, _f in sg.suggest_for_source(project, s.id)]
        sg.suggest_for_span(project, *spans[0])  # warm
        times = []
        for i in range(n):
            sid, a, b = spans[i % len(spans)]
            t0 = time.perf_counter()
            sg.suggest_for_span(project, sid, a, b, top=5)
            times.append(time.perf_counter() - t0)
    times.sort()
    return statistics.median(times) * 1000, times[int(0.95 * (len(times) - 1))] * 1000


def bulk_and_train(tmp: Path, sources: int, words: int, codings: int) -> dict[str, float]:
    from synth import build_coded_project

    from coder.services.sources.transcripts import list_sources

    target = tmp / "synth.coder"
    build = build_coded_project(
        target,
        tmp / "files",
        n_sources=sources,
        words_per_source=words,
        n_codes=200,
        n_codings=codings,
    )
    out: dict[str, float] = {"build_s": sum(build.values())}
    with Project.open(target) as project:
        t0 = time.perf_counter()
        first = sg.train(project, select_method=False)
        out["train_first_s"] = time.perf_counter() - t0
        out["coded"] = first.coded
        infos = list_sources(project)
        sid = infos[0].id
        sg.accept(project, sid, 0, 200, next(iter(code_rows(project))))
        t0 = time.perf_counter()
        sg.train(project, select_method=False)
        out["train_warm_s"] = time.perf_counter() - t0
        total_words = sum(i.words for i in infos)
        t0 = time.perf_counter()
        passages = 0
        spans: list[tuple[int, int, int]] = []
        for info in infos:
            found = sg.suggest_for_source(project, info.id)
            passages += len(found)
            spans += [(info.id, a, b) for a, b, _f in found[:3]]
        dt = time.perf_counter() - t0
        out.update(words=total_words, passages=passages, bulk_s=dt, words_per_s=total_words / dt)
        times = []
        for sid, a, b in spans[:300]:
            t1 = time.perf_counter()
            sg.suggest_for_span(project, sid, a, b, top=5)
            times.append(time.perf_counter() - t1)
        times.sort()
        out["cursor_big_median_ms"] = statistics.median(times) * 1000
        out["cursor_big_p95_ms"] = times[int(0.95 * (len(times) - 1))] * 1000
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sources", type=int, default=100, help="synthetic sources (default 100)")
    ap.add_argument("--words", type=int, default=10_000, help="words per source")
    ap.add_argument("--codings", type=int, default=10_000, help="coded passages to train on")
    ap.add_argument("--cursor-calls", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        median, p95 = cursor(Path(tmp), args.cursor_calls)
        print(
            f"passage under the cursor (warm): median {median:.1f} ms, "
            f"95th percentile {p95:.1f} ms   (target < 20 ms)"
        )
        r = bulk_and_train(Path(tmp), args.sources, args.words, args.codings)
    print(
        f"bulk suggestions: {r['words']:,.0f} words, {r['passages']:,.0f} passages in "
        f"{r['bulk_s']:.1f} s = {r['words_per_s']:,.0f} words/s   (target >= 100,000)"
    )
    print(
        f"passage under the cursor in that study (200 codes, 10k-word sources): median "
        f"{r['cursor_big_median_ms']:.1f} ms, 95th percentile {r['cursor_big_p95_ms']:.1f} ms"
    )
    print(
        f"retraining on {r['coded']:,.0f} coded passages: {r['train_first_s']:.1f} s from "
        f"scratch, {r['train_warm_s']:.1f} s after one more coding   (target < 10 s)"
    )


if __name__ == "__main__":
    main()
