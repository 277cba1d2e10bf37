"""Synthetic studies for the benchmarks: many long transcripts, a big codebook, many codings.

Deterministic for a seed. Transcripts alternate an interviewer and a participant in
`Name: text` paragraphs, with sentences drawn from a vocabulary that mixes everyday interview
talk with codebook terms, so that suggestion and search benchmarks have something to find.
`build_coded_project` fills a project through the real import service, then adds codes and
codings in bulk (core INSERTs in large transactions), because 200,000 one-at-a-time UI
actions would measure nothing but the benchmark's patience.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

COMMON = (
    "the we our they label band record fans people really think just know like it was and "
    "so that when you with for about what because then there were some kind of lot time year "
    "people music release show tour album song video post page online social media little "
    "always never sometimes maybe honestly actually pretty much every week month night day "
    "started money cost distribution vinyl pressing radio streaming shop van studio friends"
).split()
THEMED = (
    "reply answer comment respond message thank question share upload remix cover fan art "
    "review playlist community vote crowdfunding street team meetup demo diary behind scenes "
    "artwork setlist stems embed takedown blog collection photo support together participate"
).split()
NAMES = ("Interviewer", "Participant")


def sentence(rng: random.Random) -> str:
    n = rng.randint(6, 22)
    words = [rng.choice(THEMED) if rng.random() < 0.12 else rng.choice(COMMON) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice((".", ".", ".", "?", "!"))


def synth_transcript(rng: random.Random, words: int) -> str:
    """A 'Name: text' transcript of about `words` words."""
    out: list[str] = []
    count, turn = 0, 0
    while count < words:
        speaker = NAMES[turn % 2]
        n_sent = rng.randint(1, 2) if speaker == "Interviewer" else rng.randint(2, 9)
        text = " ".join(sentence(rng) for _ in range(n_sent))
        out.append(f"{speaker}: {text}")
        count += len(text.split()) + 1
        turn += 1
    return "\n\n".join(out) + "\n"


def write_study(
    folder: Path, n_sources: int = 1000, words_per_source: int = 10_000, seed: int = 0
) -> list[Path]:
    """Write `n_sources` .txt transcripts into `folder` and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n_sources):
        p = folder / f"interview_{i:04d}.txt"
        p.write_text(f"Interview {i}\n\n" + synth_transcript(rng, words_per_source), "utf-8")
        paths.append(p)
    return paths


def build_coded_project(
    target: Path,
    folder: Path,
    *,
    n_sources: int = 1000,
    words_per_source: int = 10_000,
    n_codes: int = 200,
    n_codings: int = 200_000,
    seed: int = 0,
) -> dict[str, float]:
    """Import a synthetic study into a new project and code it in bulk; returns timings."""
    from sqlalchemy import insert, select

    from coder.db.models import Case, Code, Coding, Source, new_guid, utcnow
    from coder.services.project.store import Project
    from coder.services.sources.transcripts import import_files

    rng = random.Random(seed)
    t0 = time.perf_counter()
    paths = write_study(folder, n_sources, words_per_source, seed)
    t1 = time.perf_counter()
    with Project.create(target) as project:
        import_files(project, paths)
        t2 = time.perf_counter()
        with project.transaction() as s:
            coder_id = project.coder_id(s, "bench")
            themes = max(1, n_codes // 10)
            ids: list[int] = []
            for t in range(themes):
                theme = Code(
                    name=f"Theme {t:02d}",
                    description=f"synthetic theme {t}",
                    keywords=[THEMED[t % len(THEMED)]],
                    examples=[],
                    position=t,
                    color="#1f77b4",
                )
                s.add(theme)
                s.flush()
                ids.append(theme.id)
                for k in range(n_codes // themes - 1):
                    kw = THEMED[(t * 7 + k) % len(THEMED)]
                    sub = Code(
                        name=f"Sub {t:02d}.{k}",
                        parent_id=theme.id,
                        position=k,
                        description=f"talk about {kw}",
                        keywords=[kw],
                        examples=[],
                        color="#ff7f0e",
                    )
                    s.add(sub)
                    s.flush()
                    ids.append(sub.id)
            for i in range(n_sources // 2):
                s.add(Case(name=f"P{i:04d}", description=""))
            s.flush()
            case_ids = list(s.scalars(select(Case.id)))
            sources = list(s.execute(select(Source.id, Source.text)))
            for k, (sid, _text) in enumerate(sources):
                s.get(Source, sid).case_id = case_ids[k % len(case_ids)]  # type: ignore[union-attr]
        per_source = max(1, n_codings // len(sources))
        batch: list[dict[str, object]] = []
        now = utcnow()
        for sid, text in sources:
            starts = sorted(rng.randrange(0, max(1, len(text) - 400)) for _ in range(per_source))
            for st in starts:
                end = st + rng.randint(40, 400)
                batch.append(
                    dict(
                        guid=new_guid(),
                        source_id=sid,
                        code_id=rng.choice(ids),
                        start=st,
                        end=end,
                        snippet=text[st:end],
                        coder_id=coder_id,
                        created_at=now,
                        memo="",
                        exemplar=False,
                    )
                )
            if len(batch) >= 20_000:
                with project.transaction() as s:
                    s.execute(insert(Coding), batch)
                batch = []
        if batch:
            with project.transaction() as s:
                s.execute(insert(Coding), batch)
        t3 = time.perf_counter()
    return {"write_files_s": t1 - t0, "import_s": t2 - t1, "coding_s": t3 - t2}


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Build a synthetic coded study.")
    ap.add_argument("target", type=Path)
    ap.add_argument("--sources", type=int, default=1000)
    ap.add_argument("--words", type=int, default=10_000)
    ap.add_argument("--codes", type=int, default=200)
    ap.add_argument("--codings", type=int, default=200_000)
    a = ap.parse_args()
    print(
        build_coded_project(
            a.target,
            a.target.with_suffix(".files"),
            n_sources=a.sources,
            words_per_source=a.words,
            n_codes=a.codes,
            n_codings=a.codings,
        )
    )
