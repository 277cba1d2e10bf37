"""A small two-coder project shared by the agreement service and command tests.

Codings are inserted through the ORM: on this branch the coding service still folds a second
coder's identical coding into the first coder's (issue 11), which is fixed elsewhere.
"""

from __future__ import annotations

from coder.db.models import Coder, Coding
from coder.ingest import ParsedSource
from coder.services.codebook.codes import create_code
from coder.services.project.store import Project
from coder.services.sources.transcripts import store_parsed
from coder.vocab.transcript import Turn

TEXT = "Interviewer: How was it?\nAnna: It was hard. We had no rota.\nAnna: Then it got better."
OTHER = "Nobody coded this one by the second coder."


def two_coder_project(project: Project) -> dict[str, int]:
    turns = (Turn("Interviewer", 13, 24, None), Turn("Anna", 31, 59, None),
             Turn("Anna", 66, len(TEXT), None))  # fmt: skip
    ids = {}
    for name, text, tt in (("one", TEXT, turns), ("two", OTHER, ())):
        out = store_parsed(
            project,
            ParsedSource(text=text, turns=tt, format="txt", encoding="utf-8"),
            name=name,
            filename=name,
        )
        assert out.source_id is not None
        ids[name] = out.source_id
    ids["hard"] = create_code(project, "Hard times").id
    theme = create_code(project, "Change")
    ids["better"] = create_code(project, "Better", parent_id=theme.id).id
    ids["change"] = theme.id
    spans = [
        ("ann", "one", 31, 43, "hard"),  # "It was hard."
        ("ben", "one", 31, 59, "hard"),  # the whole turn
        ("ann", "one", 66, 85, "better"),
        ("ben", "one", 66, 85, "better"),  # identical span, second coder
        ("ann", "two", 0, 6, "hard"),  # ben never coded source two
    ]
    with project.transaction() as s:
        coders = {n: Coder(name=n) for n in ("ann", "ben", "cat")}
        s.add_all(coders.values())
        s.flush()
        for who, src, start, end, code in spans:
            text = TEXT if src == "one" else OTHER
            s.add(
                Coding(
                    source_id=ids[src],
                    code_id=ids[code],
                    start=start,
                    end=end,
                    snippet=text[start:end],
                    coder_id=coders[who].id,
                )
            )
    return ids
