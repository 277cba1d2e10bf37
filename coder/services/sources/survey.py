"""Import open-ended survey answers: respondents become participants, answers become sources.

The sheet is read by the participant-sheet reader (same encodings, delimiters and Excel rules),
checked and shaped by :func:`coder.ingest.survey.parse_survey`, and the closed columns are typed
by the same rules as a participant sheet. Everything is then stored in ONE transaction, in bulk
(:mod:`coder.services.sources.survey_store`), so a survey lands whole or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from coder.db.bulk import bulk_cache
from coder.db.models import Attribute
from coder.errors import UserError
from coder.ingest import IngestError
from coder.ingest.survey import parse_survey
from coder.services.project.store import Project
from coder.services.sources.cases import _attr_info, _attribute
from coder.services.sources.sheets import infer_type, read_sheet
from coder.services.sources.survey_store import store_cases, store_sources, store_values
from coder.vocab.dto import AttributeInfo

__all__ = ["SurveyError", "SurveyImportResult", "import_survey"]


class SurveyError(UserError):
    """A user-facing problem with a survey sheet (one line naming the file)."""


@dataclass(frozen=True, slots=True)
class SurveyImportResult:
    """What a survey import stored.

    Attributes:
        file: The sheet's file name.
        respondents: Rows read (one participant each).
        participants_created: Participants new to the project.
        participants_updated: Participants that already existed (attributes updated).
        sources_imported: Sources stored.
        duplicates: Sources not stored because the same text is already in the project.
        answers: Non-empty answers.
        empty_answers: Empty answer cells skipped.
        questions: The open columns, in order.
        attributes: The typed attributes set from the closed columns.
    """

    file: str
    respondents: int
    participants_created: int
    participants_updated: int
    sources_imported: int
    duplicates: int
    answers: int
    empty_answers: int
    questions: tuple[str, ...]
    attributes: tuple[AttributeInfo, ...]


def import_survey(
    project: Project,
    path: str | Path,
    *,
    id_column: str,
    open_columns: Sequence[str],
    attribute_columns: Sequence[str] | None = None,
    per_answer: bool = False,
) -> SurveyImportResult:
    """Import a survey sheet (CSV or XLSX) in one transaction.

    Args:
        project: The open project.
        path: The sheet.
        id_column: Column holding the respondent id (becomes the participant name).
        open_columns: Free-text question columns.
        attribute_columns: Closed columns to keep as attributes (None: every other column).
        per_answer: One source per answer instead of one per respondent.

    Returns:
        Counts of what was stored.

    Raises:
        SurveyError: Unreadable sheet, unknown or repeated column, empty or duplicate id;
            nothing is stored.
    """
    sheet = Path(path)
    headers, rows = read_sheet(sheet)  # SheetError (a UserError) already names the file
    try:
        survey = parse_survey(
            headers,
            rows,
            id_column=id_column,
            open_columns=open_columns,
            attribute_columns=attribute_columns,
            per_answer=per_answer,
            name_prefix=f"{sheet.stem} ",
        )
    except IngestError as exc:
        raise SurveyError(f"{sheet}: {exc}") from None
    types = {a: infer_type([row.get(a, "") for row in rows]) for a in survey.attributes}
    with project.transaction() as s, bulk_cache(s):
        first = s.scalar(select(func.count(Attribute.id))) or 0
        attrs = {
            name: _attribute(s, name, types[name], "case", first + i)
            for i, name in enumerate(survey.attributes)
        }
        case_ids, created = store_cases(s, [r.id for r in survey.respondents])
        store_values(s, attrs, survey.respondents, case_ids)
        stored = store_sources(s, survey.sources, sheet.name, case_ids)
        infos = tuple(_attr_info(a) for a in attrs.values())
    return SurveyImportResult(
        sheet.name,
        len(survey.respondents),
        created,
        len(survey.respondents) - created,
        len(stored.ids),
        stored.duplicates,
        survey.answers,
        survey.empty_answers,
        survey.questions,
        infos,
    )
