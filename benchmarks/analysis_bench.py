"""Analysis timings on synthetic plain records at the issue's scale (issue 12).

    python benchmarks/analysis_bench.py                      # 10M words, 200,000 codings, 200 codes
    python benchmarks/analysis_bench.py --words 1000000 --codings 20000   # a quicker look

Builds records directly (no database): 200 sources of equal length with word offsets given
(no text to tokenise), 20 themes of 9 sub-codes plus the themes themselves, two coders,
participants with a number and a text attribute, interviewer/participant turns of about 60
words, and ten million pre-lemmatised tokens (Zipf-distributed over 20,000 lemmas, as the
lemma cache would hold them). "prepare" is the one-off cost of turning records into arrays
(done once per Corpus); every other figure is one call on a prepared Corpus, best of --repeat.
Targets: matrix < 0.5 s, co-occurrence < 1 s, a query < 1 s, word frequency < 3 s.

    python benchmarks/analysis_bench.py --project STUDY.coder   # service level, end to end

With --project, times word frequency as `coder words` runs it on a real project: open, read
the project's outline and its cached lemma counts, count. Imports fill the cache; a project
imported before they did is filled on the first run (it writes into STUDY.coder, so give it
a copy). Build a 10M-word study with `python benchmarks/synth.py big.coder`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coder.analysis.cooccur import cooccur  # noqa: E402
from coder.analysis.matrix import matrix  # noqa: E402
from coder.analysis.query import run_query  # noqa: E402
from coder.analysis.records import CodeRec, CodingRec, Corpus, SourceRec, TurnRec  # noqa: E402
from coder.analysis.words import Tokens, word_frequency  # noqa: E402


def timed(label: str, fn: Callable[[], Any], repeat: int = 1) -> Any:
    """Run fn `repeat` times; print the best wall time and, beside it, the CPU time of that
    run (on a shared machine the CPU time is what the code costs; wall time adds waiting)."""
    best, cpu, result = float("inf"), 0.0, None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        wall = time.perf_counter() - t0
        if wall < best:
            best, cpu = wall, time.process_time() - c0
    print(f"{label:<52} {best * 1000:9.0f} ms  (cpu {cpu * 1000:6.0f} ms)", flush=True)
    return result


def build(words: int, codings: int, sources: int, seed: int) -> tuple[Corpus, Tokens]:
    rng = np.random.default_rng(seed)
    per = words // sources
    codes = []
    for t in range(20):
        codes.append(CodeRec(1000 * (t + 1), f"t{t}", f"Theme {t}"))
        codes += [
            CodeRec(1000 * (t + 1) + k, f"t{t}-{k}", f"Code {t}.{k}", 1000 * (t + 1))
            for k in range(1, 10)
        ]
    starts = np.arange(0, 6 * per, 6, dtype=np.int64)  # one array shared by every source
    ends = starts + 5
    genres = ["Rock", "Jazz", "Pop, Rock", "Folk", "Classical"]
    srcs = [
        SourceRec(
            i,
            f"interview {i:03d}",
            "",
            f"P{i // 2:03d}",
            f"Org {i % 20}",
            {"Years": int(rng.integers(0, 40)), "Genre(s)": genres[i % 5]},
            starts,
            ends,
        )
        for i in range(sources)
    ]
    turns = []
    for i in range(sources):
        pos, k = 0, 0
        while pos < per:
            n = int(rng.integers(20, 100))
            end = min(pos + n, per)
            turns.append(TurnRec(i, 6 * pos, 6 * end - 1, "I" if k % 2 == 0 else "P", k % 2 == 0))
            pos, k = end, k + 1
    ids = [c.id for c in codes]
    src = rng.integers(0, sources, codings)
    first = rng.integers(0, per - 100, codings)
    length = rng.integers(5, 80, codings)
    which = rng.integers(0, len(ids), codings)
    coder = rng.integers(0, 2, codings)
    recs = [
        CodingRec(int(s), 6 * int(f), 6 * int(f + n) - 1, ids[int(w)], ("ana", "bo")[int(c)])
        for s, f, n, w, c in zip(src, first, length, which, coder, strict=True)
    ]
    corpus = Corpus(codes, srcs, recs, turns)
    vocab = tuple(f"lemma{k}" for k in range(20_000))
    lemma = np.minimum(rng.zipf(1.3, per * sources) - 1, len(vocab) - 1).astype(np.int64)
    content = rng.random(len(vocab)) > 0.3
    content[:100] = False  # the commonest lemmas are stop words
    tok_src = np.repeat(np.arange(sources, dtype=np.int64), per)
    tok_start = np.tile(np.arange(0, 6 * per, 6, dtype=np.int64), sources)
    tokens = Tokens(vocab, content, tok_src, tok_start, tok_start + 5, lemma)
    return corpus, tokens


def service_run(target: str, repeat: int) -> None:
    """Word frequency end to end on a project, as `coder words` runs it: open the project,
    read its outline and the cached lemma counts (or, within a code, the cached words of the
    sources holding it), count."""
    from coder.services.analysis.gather import gather
    from coder.services.analysis.lemma_cache import cached_tokens, warm_lemmas
    from coder.services.analysis.word_counts import word_table
    from coder.services.project.store import Project

    with Project.open(target) as p:
        corpus = timed("gather (read the whole project)", lambda: gather(p))
        print(f"{'':<4}{len(corpus.sources):,} sources, {len(corpus.codings):,} codings")
        n = timed("fill the lemma cache (done at import)", lambda: warm_lemmas(p, corpus))
        print(f"{'':<4}{n:,} sources cached")
        toks = timed("every word from the cache (kwic, TUI)", lambda: cached_tokens(p, corpus))
        print(f"{'':<4}{len(toks.lemma):,} words, {len(toks.vocab):,} lemmas")
        theme = corpus.tree_order[0]

    def end_to_end(code: str | None = None, group: str | None = None) -> None:
        with Project.open(target) as q:
            word_table(q, code, group, 30)

    timed("words end to end (open+outline+counts)", end_to_end, repeat)
    timed(f"words in {theme.name!r} end to end", lambda: end_to_end(code=theme.name), repeat)
    timed("words by participant end to end", lambda: end_to_end(group="participant"), repeat)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--project", default=None, help="a project for the service-level run")
    ap.add_argument("--words", type=int, default=10_000_000)
    ap.add_argument("--codings", type=int, default=200_000)
    ap.add_argument("--sources", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    r = args.repeat
    if args.project:
        service_run(args.project, r)
        return
    t0 = time.perf_counter()
    corpus, tokens = build(args.words, args.codings, args.sources, args.seed)
    print(
        f"records: {args.words:,} words, {args.codings:,} codings, {len(corpus.codes)} codes, "
        f"{len(corpus.turns):,} turns, built in {time.perf_counter() - t0:.1f} s"
    )

    def prepare() -> None:
        _ = corpus.arrays, corpus.word_keys, corpus.word_end_keys, corpus.ancestors

    timed("prepare (arrays from records, once per corpus)", prepare)
    timed("matrix participant x passages", lambda: matrix(corpus, "participant"), r)
    timed(
        "matrix organisation x participants",
        lambda: matrix(corpus, "organisation", "participants"),
        r,
    )
    timed("matrix coder x words", lambda: matrix(corpus, "coder", "words"), r)
    timed(
        "matrix attr:Years (4 bins) x % of words",
        lambda: matrix(corpus, "attr:Years", "percent"),
        r,
    )
    for by in ("overlap", "turn", "near:10"):
        timed(f"co-occurrence {by} (counts + Jaccard)", lambda by=by: cooccur(corpus, by), r)
    queries = [
        '"Theme 1" AND "Theme 2"',
        '("Theme 1" OR "Theme 3") AND NOT "Code 2.1"',
        '"Code 1.1" NEAR/10 "Code 4.2"',
        '"Theme 5" FOLLOWED BY "Theme 6"',
    ]
    for q in queries:
        hits = timed(f"query {q}", lambda q=q: run_query(corpus, q), r)
        print(f"{'':<4}{len(hits):,} passages")
    timed("words overall (top 50)", lambda: word_frequency(corpus, tokens), r)
    timed("words in 'Theme 1' (top 50)", lambda: word_frequency(corpus, tokens, code=2000), r)
    timed(
        "words by attr:Genre(s) (top 50)",
        lambda: word_frequency(corpus, tokens, group="attr:Genre(s)"),
        r,
    )


if __name__ == "__main__":
    main()
