"""Survey rows -> respondents and sources (pure: no file, no database)."""

from __future__ import annotations

import pytest

from coder.ingest import IngestError
from coder.ingest.survey import QUESTION_SPEAKER, parse_survey

from .test_support import assert_invariants, utterances

HEADERS = ["ID", "Role", "Staff", "How do fans find you?", "Which platform matters?"]
Q1, Q2 = HEADERS[3], HEADERS[4]


def _row(rid: str, role: str, staff: str, a1: str, a2: str) -> dict[str, str]:
    return dict(zip(HEADERS, [rid, role, staff, a1, a2], strict=True))


ROWS = [
    _row("R1", "Owner", "3", "Through the bands.", "Instagram, mostly."),
    _row("R2", "A&R", "5", "", "Bandcamp.\r\n\r\n\r\nAnd  a mailing list.   \nReally."),
    _row("R3", "Owner", "1", "", ""),
]


def test_one_source_per_respondent_with_question_turns() -> None:
    survey = parse_survey(HEADERS, ROWS, id_column="id", open_columns=[Q1, Q2.upper()])
    assert [r.id for r in survey.respondents] == ["R1", "R2", "R3"]
    assert survey.attributes == ("Role", "Staff")  # every other column by default
    assert survey.respondents[1].attributes == (("Role", "A&R"), ("Staff", "5"))
    assert (survey.answers, survey.empty_answers) == (3, 3)
    assert [s.name for s in survey.sources] == ["R1", "R2"]  # R3 answered nothing
    first, second = (s.parsed for s in survey.sources)
    for parsed in (first, second):
        assert_invariants(parsed)
    assert utterances(first) == [
        (QUESTION_SPEAKER, Q1),
        ("R1", "Through the bands."),
        (QUESTION_SPEAKER, Q2),
        ("R1", "Instagram, mostly."),
    ]
    assert first.text.startswith(f"Question: {Q1}\n\nR1: Through the bands.\n\nQuestion: ")
    assert utterances(second) == [
        (QUESTION_SPEAKER, Q2),
        ("R2", "Bandcamp.\n\nAnd  a mailing list.\nReally."),
    ]
    assert survey.sources[1].questions == (Q2,)


def test_one_source_per_answer() -> None:
    survey = parse_survey(
        HEADERS,
        ROWS,
        id_column="ID",
        open_columns=[Q1, Q2],
        attribute_columns=["staff"],
        per_answer=True,
        name_prefix="fans ",
    )
    assert [s.name for s in survey.sources] == ["fans R1 Q1", "fans R1 Q2", "fans R2 Q2"]
    assert survey.attributes == ("Staff",)
    assert len({s.parsed.text for s in survey.sources}) == 3
    for source in survey.sources:
        assert [t.speaker for t in source.parsed.turns] == [QUESTION_SPEAKER, source.respondent]


def test_same_answer_from_two_respondents_makes_two_texts() -> None:
    rows = [_row("R1", "", "", "Yes.", ""), _row("R2", "", "", "Yes.", "")]
    survey = parse_survey(HEADERS, rows, id_column="ID", open_columns=[Q1], per_answer=True)
    assert survey.sources[0].parsed.text != survey.sources[1].parsed.text


@pytest.mark.parametrize(
    ("kwargs", "rows", "message"),
    [
        ({"id_column": "respondent"}, ROWS, "no column named 'respondent' for the respondent id"),
        ({"open_columns": ["Q9"]}, ROWS, "no column named 'Q9' for an open question"),
        ({"attribute_columns": ["Age"]}, ROWS, "no column named 'Age' for an attribute"),
        ({"attribute_columns": [Q1]}, ROWS, f"column {Q1!r} is named twice"),
        ({"open_columns": []}, ROWS, "name at least one open"),
        (
            {},
            [*ROWS, _row("r1", "x", "1", "a", "b")],
            "row 5: respondent id 'r1' already used on row 2",
        ),
        ({}, [_row(" ", "x", "1", "a", "b")], "row 2: the 'ID' cell is empty"),
        ({}, [], "no respondent rows"),
    ],
)
def test_refused_in_one_line(
    kwargs: dict[str, object], rows: list[dict[str, str]], message: str
) -> None:
    args: dict[str, object] = {"id_column": "ID", "open_columns": [Q1, Q2], **kwargs}
    with pytest.raises(IngestError) as info:
        parse_survey(HEADERS, rows, **args)  # type: ignore[arg-type]
    assert message in str(info.value) and "\n" not in str(info.value)
