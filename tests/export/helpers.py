"""Building a coded copy of the sample study once per test session.

The sample study ships uncoded; Table 2, the extracts report and the REFI round trip need
codings, memos and exemplars. `code_sample` codes, for every sub-code, the participant
sentences that contain one of its keywords (at most three per source), through the real
coding service, so the project is exactly what a researcher's would be.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from coder.services.codebook.codes import flat_codes
from coder.services.codebook.memos import save_memo
from coder.services.coding.codings import (
    apply_code,
    codings_for_source,
    set_coding_memo,
    set_exemplar,
)
from coder.services.project.sample import build_sample_study
from coder.services.project.store import Project
from coder.services.sources.transcripts import get_source, list_sources

SENTENCE_END = re.compile(r"[.?!]\s+")


def _sentence(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    a = lo
    for m in SENTENCE_END.finditer(text, lo, start):
        a = m.end()
    m = SENTENCE_END.search(text, end, hi)
    b = m.start() + 1 if m else hi
    return a, b


def code_sample(project: Project, per_source: int = 3) -> int:
    """Code the sample by keyword sentences; returns the number of codings made."""
    codes = [c for c in flat_codes(project) if c.codable and c.depth > 0]
    made = 0
    for info in list_sources(project):
        st = get_source(project, info.id)
        turns = [t for t in st.turns if t.speaker and t.speaker.lower() != "interviewer"]
        for code in codes:
            done = 0
            for t in turns:
                if done >= per_source:
                    break
                body = st.text[t.start : t.end]
                for kw in code.keywords:
                    m = re.search(rf"\b{re.escape(kw)}\b", body, re.IGNORECASE)
                    if m:
                        a, b = _sentence(
                            st.text, t.start + m.start(), t.start + m.end(), t.start, t.end
                        )
                        apply_code(project, info.id, a, b, code.id, coder="tester")
                        made += 1
                        done += 1
                        break
    return made


def decorate(project: Project) -> None:
    """Add code memos titled Approach and Implication, one exemplar and one coding memo."""
    codes = {c.name: c for c in flat_codes(project)}
    save_memo(
        project,
        kind="code",
        code_id=codes["Approaching"].id,
        title="Approach",
        text="Labels share the making of records: studio diaries, demos, previews.",
    )
    save_memo(
        project,
        kind="code",
        code_id=codes["Approaching"].id,
        title="Implication",
        text="Fans feel part of the record before it is out.",
    )
    save_memo(
        project,
        kind="code",
        code_id=codes["Reacting"].id,
        title="Approach",
        text="Labels answer what fans say and do, quickly and personally.",
    )
    save_memo(project, kind="project", title="Plan", text="Two coders; weekly meetings.")
    first = list_sources(project)[0]
    save_memo(
        project,
        kind="source",
        source_id=first.id,
        title="Context",
        text="Interview held at the label's office.",
    )
    reacting = [
        c
        for s in list_sources(project)
        for c in codings_for_source(project, s.id)
        if c.code_name == "Reacting"
    ]
    set_exemplar(project, reacting[0].id, True)
    set_coding_memo(project, reacting[1].id, "Good example of a reply to a cover.")


def coded_sample(cache: Path) -> Path:
    """Path of a coded sample study, built once into `cache` and reused."""
    target = cache / "coded-sample.coder"
    if not target.exists():
        tmp = cache / "building.coder"
        tmp.unlink(missing_ok=True)
        build_sample_study(tmp)
        with Project.open(tmp) as p:
            code_sample(p)
            decorate(p)
        shutil.move(tmp, target)
    return target
