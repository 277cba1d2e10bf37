"""How much of each source is coded: the whole study's figure (worked out in SQL) agrees with
the rule applied span by span, on SQLite and PostgreSQL, for everyone and for one coder."""

from __future__ import annotations

import random

from coder.ingest import ParsedSource
from coder.services.codebook import codes as codes_svc
from coder.services.coding import codings as coding_svc
from coder.services.project.store import Project
from coder.services.sources.transcripts import covered_chars, store_parsed


def _chars(spans: list[tuple[int, int]]) -> int:
    return len({i for a, b in spans for i in range(a, b)})


def test_whole_study_coverage_matches_the_spans(project: Project) -> None:
    rng = random.Random(3)
    code = codes_svc.create_code(project, "Reacting").id
    sids, spans = [], {}
    for n in range(3):
        text = " ".join(f"w{n}{i}" for i in range(120))
        sid = store_parsed(
            project, ParsedSource(text, (), "txt", "utf-8"), name=f"s{n}", filename=f"s{n}.txt"
        ).source_id
        assert sid is not None
        sids.append(sid)
    cuts = [(0, 10), (0, 10), (5, 20), (20, 25), (30, 40), (32, 35), (38, 60), (100, 101)]
    for sid in sids[:2]:  # the third stays uncoded
        for i, (a, b) in enumerate(
            [*cuts, *((s, s + rng.randint(1, 30)) for s in range(0, 400, 37))]
        ):
            who = "ana" if i % 2 else "ben"
            coding_svc.apply_code(project, sid, a, b, code, coder=who)
            spans.setdefault((sid, None), []).append((a, b))
            spans.setdefault((sid, who), []).append((a, b))
    with project.reading() as s:
        for who in (None, "ana"):
            coders = None if who is None else [who]
            whole = covered_chars(s, None, coders)
            assert whole == covered_chars(s, sids, coders)  # the span-by-span path
            assert whole == {sid: _chars(spans[(sid, who)]) for sid in sids[:2]}
        assert covered_chars(s, None, ["nobody"]) == {}
