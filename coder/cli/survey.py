"""`coder import-survey`: bring open-ended survey answers into a project.

One command, registered by the root group as ``"import-survey": "coder.cli.survey:import_survey"``.
``--open`` and ``--attributes`` take every value up to the next option (``--open Q1 Q2 Q3``);
repeating the option (``--open Q1 --open Q2``) works too. Column names match ignoring case.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from coder.cli.params import PROJECT, emit_json, json_option, open_project, plain

_GREEDY = ("--open", "--attributes")


class _ManyValuesCommand(click.Command):
    """Lets ``--open`` and ``--attributes`` take several values (``COL...``).

    Click options take a fixed number of values, so the arguments are rewritten before parsing:
    ``--open A B --id X`` becomes ``--open A --open B --id X``. After ``--`` nothing is touched.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rewritten: list[str] = []
        current: str | None = None
        taken = 0
        for index, arg in enumerate(args):
            if arg == "--":
                rewritten.extend(args[index:])
                break
            if arg.startswith("-") and len(arg) > 1:
                name, sep, _ = arg.partition("=")
                current = name if name in _GREEDY else None
                taken = 1 if sep else 0
                rewritten.append(arg)
                continue
            if current is not None and taken:
                rewritten.append(current)
            if current is not None:
                taken += 1
            rewritten.append(arg)
        return super().parse_args(ctx, rewritten)


def _describe(result: object) -> str:
    from coder.services.sources.survey import SurveyImportResult

    assert isinstance(result, SurveyImportResult)
    lines = [
        f"{result.file}: {result.respondents} respondents "
        f"({result.participants_created} new participants, "
        f"{result.participants_updated} updated), {len(result.questions)} questions",
        f"{result.sources_imported} sources imported from {result.answers} answers; "
        f"{result.empty_answers} empty answers skipped",
    ]
    if result.duplicates:
        lines.append(f"{result.duplicates} sources already in the project (same text), skipped")
    if result.attributes:
        typed = ", ".join(f"{a.name} ({a.type})" for a in result.attributes)
        lines.append(f"attributes: {typed}")
    return "\n".join(lines)


@click.command("import-survey", cls=_ManyValuesCommand)
@click.argument("project", type=PROJECT)
@click.argument("file", metavar="FILE.csv|xlsx")
@click.option("--id", "id_column", required=True, metavar="COLUMN", help="Respondent id column.")
@click.option(
    "--open",
    "open_columns",
    required=True,
    multiple=True,
    metavar="COL...",
    help="Free-text question columns, in the order asked.",
)
@click.option(
    "--attributes",
    "attribute_columns",
    multiple=True,
    metavar="COL...",
    help="Closed columns to keep as typed attributes (default: every other column).",
)
@click.option("--per-answer", is_flag=True, help="One source per answer, not per respondent.")
@click.option(
    "--group-codes",
    is_flag=True,
    help="Give each question a theme in the codebook to group its codes under.",
)
@json_option
def import_survey(
    project: str,
    file: str,
    id_column: str,
    open_columns: Sequence[str],
    attribute_columns: Sequence[str],
    per_answer: bool,
    group_codes: bool,
    as_json: bool,
) -> None:
    """Import survey answers: each row a participant, each open column a question.

    Each respondent becomes one source with every question before its answer (or one source
    per answer with --per-answer); the other columns become typed attributes. Empty answers
    are skipped and counted. The answers are stored in one transaction. With --group-codes
    each question then gets a theme in the codebook, to keep its codes under (as
    coder codes by-question does).
    """
    from coder.services.sources.survey import import_survey as run

    grouped = None
    with open_project(project) as opened:
        result = run(
            opened,
            Path(file),
            id_column=id_column,
            open_columns=list(open_columns),
            attribute_columns=list(attribute_columns) if attribute_columns else None,
            per_answer=per_answer,
        )
        if group_codes and result.answers:
            # A codebook edit of its own after the import: sources and the codebook services
            # stay independent (pyproject's contract), and the import stands either way.
            from coder.services.codebook.questions import group_by_question

            grouped = group_by_question(opened)
    if as_json:
        from coder.cli.codes import grouping_json

        extra = {"question_groups": grouping_json(grouped)} if grouped is not None else {}
        emit_json({**plain(result), **extra})
    else:
        click.echo(_describe(result))
        if grouped is not None:
            from coder.cli.codes import grouping_lines

            click.echo("\n".join(grouping_lines(grouped)))
