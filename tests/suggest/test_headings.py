"""The last heading as context (issue 14, item 3): which codes go with which section.

The synthetic study is crafted so that the words of a passage cannot tell two codes apart and
only the heading above it can: these tests fail when headings are not read as context."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from coder.services.codebook.codes import CodeFields, create_code
from coder.services.coding.codings import apply_code
from coder.services.project.store import Project
from coder.services.sources.cases import import_cases
from coder.services.sources.transcripts import get_source, import_files, list_sources
from coder.services.suggestions import scoring as sg
from coder.suggest.evaluate import Prepared, eligible
from coder.suggest.features import Rows, vectorize
from coder.suggest.headings import Contexts, TurnSpan, context_span, headings
from coder.suggest.methods import CANDIDATES, Method
from coder.suggest.pipeline import Pipeline, passages_of

ANSWER = "The drums were loud all the way through."


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("## Rehearsals", "Rehearsals"),
        ("# Part one: the band #", "Part one: the band"),
        ("2. Rehearsals", "2. Rehearsals"),
        ("2.1 The first rehearsal", "2.1 The first rehearsal"),
        ("IV. Concerts", "IV. Concerts"),
        ("Section 3 - concerts", "Section 3 - concerts"),
        ("Q4 What did you enjoy?", "Q4 What did you enjoy?"),
        ("TEAM ROLES", "TEAM ROLES"),
        # not headings: a short answer, a sentence, title case, too few capitals
        ("Yes, I think so", None),
        ("2. We went home.", None),
        ("Team Roles", None),
        ("OK", None),
        ("3 of us went", None),
    ],
)
def test_a_heading_is_a_line_of_its_own_shaped_like_one(line: str, heading: str | None) -> None:
    text = f"Some words before it.\n\n{line}\n\nSome words after it."
    found = [text[a:b] for a, b in headings(text)]
    assert found == ([heading] if heading else [])


def test_a_short_line_inside_a_paragraph_or_a_speaker_label_is_no_heading() -> None:
    text = "We talked.\nTEAM ROLES\nThen we left.\n\nINTERVIEWER:\n\nWhat tools?"
    turns = [(text.index("What tools"), "INTERVIEWER")]
    assert headings(text, turns) == []
    # a Markdown heading needs no blank lines around it
    md = "Intro\n## Roles\nText"
    assert [md[a:b] for a, b in headings(md)] == ["Roles"]


def test_the_context_is_the_last_heading_then_the_turn_before() -> None:
    text = (
        "## Rehearsals\n\nInterviewer: How loud was it?\n\nAnna: Very loud.\n\n"
        "## Concerts\n\nInterviewer: And then?\n\nAnna: Quiet."
    )
    turns = [
        TurnSpan(text.index("How"), text.index("?") + 1, "Interviewer"),
        TurnSpan(text.index("Very"), text.index("## Concerts") - 2, "Anna"),
        TurnSpan(text.index("And then"), text.index("And then") + 9, "Interviewer"),
        TurnSpan(text.index("Quiet"), len(text), "Anna"),
    ]
    ctx = Contexts(text, turns)
    assert ctx.at(text.index("Very")) == ("Rehearsals\n\nHow loud was it?", True)
    assert ctx.at(text.index("Quiet")) == ("Concerts\n\nAnd then?", True)
    assert Contexts("Just text.", []).at(0) == (None, False)
    # the heading at the end of Anna's first turn is no part of her passage
    parts = passages_of(Pipeline(), text, turns)
    assert [a.text for _s, _e, a in parts] == ["Very loud.", "Quiet."]


def _study(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """Ten participants, each with the same answer under two headings (Markdown for some,
    numbered for others); the authors coded it "Annoyance" under the rehearsals heading and
    "Pride" under the concerts heading. Nothing else tells the codes apart."""
    files = []
    for i in range(10):
        path = tmp_path / f"P{i:02d}.md"
        first, second = (
            ("## Rehearsals", "## Concerts") if i % 2 else ("1. Rehearsals", "2. Concerts")
        )
        body = f"# Interview P{i:02d}\n\n{first}\n\n{ANSWER}\n\n{second}\n\n{ANSWER}\n"
        path.write_text(body, "utf-8")
        files.append(path)
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "Participant,Source\n" + "".join(f"P{i:02d},{p.name}\n" for i, p in enumerate(files)),
        "utf-8",
    )
    target = tmp_path / "bands.coder"
    with Project.create(target) as project:
        import_files(project, files)
        import_cases(project, str(sheet))
        ids = {
            "annoyance": create_code(project, "Annoyance", None, CodeFields()).id,
            "pride": create_code(project, "Pride", None, CodeFields()).id,
        }
        for s in list_sources(project):
            if s.name.startswith("P00"):
                continue  # held out
            text = get_source(project, s.id).text
            for code, at in (("annoyance", text.index(ANSWER)), ("pride", text.rindex(ANSWER))):
                apply_code(project, s.id, at, at + len(ANSWER), ids[code], coder="authors")
    return target, ids


def test_the_heading_decides_where_the_words_cannot(tmp_path: Path) -> None:
    target, ids = _study(tmp_path)
    with Project.open(target) as project:
        prep, _texts, _split = sg.evaluation_data(project)
        assert prep.examples and all(e.headed for e in prep.examples)
        # the learned context prior is offered where passages sit under headings
        assert any(m.context_prior > 0 for m in eligible(prep, CANDIDATES))
        train = list(range(len(prep.examples)))
        held = project_passages(project)
        cols = [c.key for c in prep.codes]
        a, p = cols.index(ids["annoyance"]), cols.index(ids["pride"])
        off = Method(context_weight=0.0, question_prior=0.0)
        on = Method(context_weight=0.0, question_prior=0.0, context_prior=0.5)
        scores = {}
        for name, method in (("off", off), ("on", on)):
            scorer, _s, _d = prep.run(train, [], method)
            text, ctx = _rows(prep, held)
            scores[name] = scorer.score(text, ctx)
        assert np.allclose(scores["off"][:, a], scores["off"][:, p])  # the words alone tie
        s = scores["on"]
        assert s[0, a] > s[0, p] and s[1, p] > s[1, a]  # rehearsals, then concerts
        # and the shipped suggestions follow the heading too
        sid = next(s.id for s in list_sources(project) if s.name.startswith("P00"))
        text = get_source(project, sid).text
        top = [
            sg.suggest_for_span(project, sid, at, at + len(ANSWER), 2)[0].code_id
            for at in (text.index(ANSWER), text.rindex(ANSWER))
        ]
    assert top == [ids["annoyance"], ids["pride"]]


def project_passages(project: Project) -> list[tuple[str, str | None]]:
    """The held-out participant's two passages with their contexts, as training reads them."""
    sid = next(s.id for s in list_sources(project) if s.name.startswith("P00"))
    text = get_source(project, sid).text
    ctx = Contexts(text, [])
    return [(ANSWER, ctx.at(at)[0]) for at in (text.index(ANSWER), text.rindex(ANSWER))]


def _rows(prep: Prepared, held: list[tuple[str, str | None]]) -> tuple[Rows, Rows]:
    analyzed = Pipeline().analyze(held)
    return (
        vectorize([a.terms.keys for a in analyzed], prep.vocab),
        vectorize([a.context.keys if a.context else () for a in analyzed], prep.vocab),
    )


def test_contexts_find_the_same_turn_before_as_context_span() -> None:
    """Contexts finds the turn before by another speaker in one pass over the turns; it must
    agree with the plain walk back (context_span) wherever a passage starts."""
    rng = random.Random(1)
    for _trial in range(100):
        turns, pos = [], 0
        for _i in range(rng.randint(0, 12)):
            pos += rng.randint(1, 5)
            end = pos + rng.randint(1, 5)
            turns.append(TurnSpan(pos, end, rng.choice(["A", "B", None])))
            pos = end
        text = "x" * (pos + 10)
        contexts = Contexts(text, turns)
        for start in range(pos + 5):
            span = context_span(turns, start)
            assert contexts.at(start)[0] == (text[span[0] : span[1]] if span else None)
