"""The sample study with codings, memos and real-looking names, ready to pseudonymise."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import select

from coder.db.models import Code, Source, Turn
from coder.services.codebook.memos import save_memo
from coder.services.coding.codings import apply_code
from coder.services.exchange.pseudonym_terms import add_names, is_role
from coder.services.project.sample import build_sample_study
from coder.services.project.store import Project
from coder.services.sources.cases import import_cases

SHEET_NAMES = {"P01": "Helen Ward", "P04": "Marcus Bell", "P06": "Priya Natarajan"}
LISTED = ["Dennis", "Kilo Verse"]


def sheet_names(project: Project) -> set[str]:
    """Every name the participants sheet and the speaker labels hold, and their parts."""
    with project.reading() as s:
        speakers = {sp for sp in s.scalars(select(Turn.speaker).distinct()) if sp}
    names = {sp for sp in speakers if not is_role(sp)} | set(SHEET_NAMES.values())
    return names | {part for n in names for part in n.split() if len(part) > 2}


@pytest.fixture
def study(tmp_path: Path) -> Path:
    target = build_sample_study(tmp_path / "study.coder")
    sheet = tmp_path / "names.csv"
    rows = "".join(f"{p},{n}\n" for p, n in SHEET_NAMES.items())
    sheet.write_text("Participant,Name\n" + rows, encoding="utf-8")
    rng = random.Random(7)
    with Project.open(target) as project:
        import_cases(project, str(sheet))
        add_names(project, LISTED)
        with project.reading() as s:
            sources = [(x.id, x.text) for x in s.scalars(select(Source).order_by(Source.id))]
            codes = [c.id for c in s.scalars(select(Code).where(Code.parent_id.is_not(None)))]
        for sid, text in sources:
            for name in ("Helen", "Dennis", "Priya", "Grace", "Kilo Verse"):
                at = text.find(name)
                if at >= 0:  # a coding that cuts a name in two, one that holds it whole
                    apply_code(project, sid, at + 2, at + 40, codes[0], coder="ana")
                    apply_code(project, sid, max(0, at - 30), at + len(name), codes[1], "ana")
            for _ in range(25):
                a = rng.randrange(len(text) - 300)
                b = a + rng.randint(1, 300)
                for who in ("ana", "ben"):
                    apply_code(project, sid, a, b, rng.choice(codes), coder=who,
                               memo="Helen said so to Dennis")  # fmt: skip
        save_memo(project, kind="project", title="About Helen Ward", text="Met Marcus Bell.")
        save_memo(project, kind="code", code_id=codes[0], text="Kilo Verse, Priya's artist.")
    return target
