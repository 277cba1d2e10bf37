"""Journal tables, reports and REFI-QDA projects.

`coder export table1|table2|codebook|extracts|qdpx|columns PROJECT ...` and
`coder import-project PROJECT FILE.qdpx`. Thin: the services gather the data, coder.export
renders it, and every file is written atomically.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from coder.cli import LazyGroup
from coder.cli.params import PROJECT, coder_option, open_project
from coder.cli.pseudonymise import export_target, pseudonymise_option
from coder.errors import UserError
from coder.export.columns import LAYOUTS, MIN_QUOTE_WORDS, PAGES, ColumnError, check_quote_words

F = TypeVar("F", bound=Callable[..., Any])

TABLE_HELP = {
    "table1": ("Table 1: one row per participant",
               "Write Table 1: one row per participant, the attributes as columns, the "
               "participants of one organisation grouped with the values they share in "
               "vertically merged cells. The columns and caption you give are remembered in the "
               "project for the next export."),
    "table2": ("Table 2: themes, sub-themes, counts and exemplar quotes",
               "Write Table 2: a row per sub-theme under its theme (the theme cell merged down "
               "its sub-themes), with the columns you choose: definition, code memos such as "
               "Summary or Implication, participant and passage counts, exemplar quotes. Quotes "
               "are the passages marked as exemplars, else the most typical ones (see the table "
               "note), trimmed to --quote-words if given. --layout themes gives one row per "
               "theme instead, as many journals print it. The layout is remembered in the "
               "project."),
}  # fmt: skip


def _output_options(*formats: str) -> Callable[[F], F]:
    """`-o/--output FILE` and `--format`, for a writer of `formats`."""
    listed = ", ".join(formats)

    def decorate(f: F) -> F:
        f = click.option("--format", "fmt", type=click.Choice(formats),
                         help="format, if not the extension's")(f)  # fmt: skip
        return click.option(
            "-o",
            "--output",
            metavar="FILE",
            help=f"output file; the extension picks the format ({listed}); "
            "'-' prints CSV or Markdown",
        )(f)

    return decorate


EXPORTS: dict[str, str] = {
    "agreement": "coder.cli.team:export_agreement",
    "matrix": "coder.cli.analysis_export:export_matrix",
    "cooccur": "coder.cli.analysis_export:export_cooccur",
    "query": "coder.cli.analysis_export:export_query",
    "words": "coder.cli.analysis_export:export_words",
    "framework": "coder.cli.analysis_export:export_framework",
    "codematrix": "coder.cli.analysis_export:export_codematrix",
    "quotes": "coder.cli.analysis_export:export_quotes",
}
"""Export subcommands that live beside the feature they export, loaded only when used."""


@click.group(cls=LazyGroup, lazy=EXPORTS, short_help="journal tables, reports, REFI-QDA project")
def export() -> None:
    """Export Table 1, Table 2, a codebook document, a coded extracts report, the whole
    project as REFI-QDA (.qdpx), agreement, or an analysis result (matrix, co-occurrence,
    query, words, framework matrix, 0/1 code matrix, quote table) as a table or chart."""


def _write(data: bytes, output: str, fmt: str) -> None:
    if output == "-":
        if fmt not in ("csv", "md"):
            raise UserError(
                f"cannot print {fmt} to the terminal; add --format md (or csv), or give -o FILE"
            )
        sys.stdout.write(data.decode("utf-8-sig"))
        return
    from coder.files import atomic_write

    atomic_write(output, data)


def _target(
    output: str | None, fmt: str | None, stem: str, allowed: tuple[str, ...]
) -> tuple[str, str]:
    from coder.export.formats import pick_format

    chosen = pick_format(output, fmt, allowed)
    return output or f"{stem}.{chosen}", chosen


def _table(
    table: str,
    project: str,
    output: str | None,
    fmt: str | None,
    columns: str | None,
    caption: str | None,
    page: str | None,
    landscape: bool | None,
    pseudonymise: bool,
    quotes: int | None = None,
    theme_rows: bool | None = None,
    layout: str | None = None,
    quote_words: int | None = None,
) -> int:
    """Write Table 1 or Table 2: every option of both commands arrives here by name."""
    from coder.export.columns import TableConfig, parse_columns
    from coder.services.reports.table1 import table1_columns
    from coder.services.reports.table2 import table2_columns
    from coder.services.reports.tables import table_file

    output, fmt = _target(output, fmt, table, ("docx", "csv", "xlsx", "md"))
    with export_target(project, pseudonymise) as target, open_project(target) as opened:
        chosen: Any = ()
        if columns:
            lister = table1_columns if table == "table1" else table2_columns
            chosen = parse_columns(columns, lister(opened), table)
        given = TableConfig(
            chosen,
            caption or "",
            quotes,
            theme_rows,
            layout=layout and layout.lower(),
            quote_words=quote_words,
            page=page and page.lower(),
            landscape=landscape,
        )
        # A preview on the terminal (-o -) changes nothing that is remembered.
        data, raw = table_file(opened, table, fmt, given, remember=output != "-")
    _write(raw, output, fmt)
    if output != "-":
        click.echo(f"wrote {output}: {len(data.rows)} rows, {len(data.columns)} columns")
    return 0


def _table_options(f: F) -> F:
    f = click.option("--caption", help='the caption, e.g. "Table 1. Interviewees"')(f)
    f = click.option(
        "--columns",
        metavar="LIST",
        help='comma-separated columns in order, each optionally "=Header", e.g. '
        '"Label,Position,Years in music industry=Years" (see: coder export columns)',
    )(f)
    f = click.option(
        "--landscape/--portrait",
        default=None,
        help="turn the Word page sideways (default: portrait)",
    )(f)
    f = click.option(
        "--page",
        type=click.Choice(PAGES, case_sensitive=False),
        help="Word page size (default: letter)",
    )(f)
    f = _output_options("docx", "csv", "xlsx", "md")(f)
    f = pseudonymise_option(f)
    return click.argument("project", type=PROJECT)(f)


@export.command(short_help=TABLE_HELP["table1"][0], help=TABLE_HELP["table1"][1])
@_table_options
def table1(**options: Any) -> int:
    return _table("table1", **options)


def _quote_words(n: int | None) -> int | None:
    try:
        return check_quote_words(n)
    except ColumnError as exc:
        raise click.BadParameter(str(exc).removeprefix("quote words: ")) from exc


@export.command(short_help=TABLE_HELP["table2"][0], help=TABLE_HELP["table2"][1])
@_table_options
@click.option(
    "--quotes",
    type=int,
    metavar="N",
    help="at most N quotes per row (default: every marked exemplar, else 2 chosen by rule; "
    "0 for none)",
)
@click.option(
    "--theme-rows/--no-theme-rows",
    default=None,
    help="add an 'Overall' row for each theme above its sub-themes (every theme gets one "
    "when any theme is coded directly)",
)
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS, case_sensitive=False),
    help="a row per sub-theme under its theme (subthemes, the default) or one row per theme "
    "(themes)",
)
@click.option(
    "--quote-words",
    type=int,
    metavar="N",
    callback=lambda _ctx, _param, n: _quote_words(n),
    help="trim quotes to at most N words as journals print them: fillers (um, laughs) out, "
    f"starting at a sentence, [\u2026] for what is left out ({MIN_QUOTE_WORDS} or more; "
    "0 for whole passages)",
)
def table2(**options: Any) -> int:
    return _table("table2", **options)


@export.command(short_help="list the columns Table 1 and Table 2 can show")
@click.argument("project", type=PROJECT)
def columns(project: str) -> int:
    """List the columns each table can show, with their names for --columns, and the
    remembered layout."""
    from coder.services.reports.layout import load_config
    from coder.services.reports.table1 import table1_columns
    from coder.services.reports.table2 import table2_columns

    with open_project(project) as opened:
        for table, lister in (("table1", table1_columns), ("table2", table2_columns)):
            click.echo(f"{table}:")
            for c in lister(opened):
                click.echo(f"  {c.label:<28} {c.description}")
            cfg = load_config(opened, table)
            if cfg.columns:
                click.echo("  remembered: " + ",".join(label for _k, label in cfg.columns))
            options = [
                f"{flag} {value}"
                for flag, value in (
                    ("--layout", cfg.layout),
                    ("--quote-words", cfg.quote_words),
                    ("--page", cfg.page),
                )
                if value is not None
            ] + (["--landscape"] if cfg.landscape else [])
            if options:
                click.echo("  remembered options: " + " ".join(options))
    return 0


@export.command("codebook", short_help="the codebook as a Word document (thesis appendix)")
@click.argument("project", type=PROJECT)
@_output_options("docx", "md")
@pseudonymise_option
def codebook_doc(project: str, output: str | None, fmt: str | None, pseudonymise: bool) -> int:
    """Write the codebook for an appendix: each code's definition, criteria, keywords,
    examples and counts."""
    return _document(project, "codebook", output, fmt, (), "codes", pseudonymise)


@export.command(short_help="every coded passage, grouped by theme")
@click.argument("project", type=PROJECT)
@_output_options("docx", "md")
@click.option("--code", "codes", multiple=True, metavar="CODE",
              help="only this code and those beneath it (repeatable)")  # fmt: skip
@pseudonymise_option
def extracts(
    project: str, output: str | None, fmt: str | None, codes: tuple[str, ...], pseudonymise: bool
) -> int:
    """Write every coded passage under its code, grouped by theme, each with the
    participant's attributes."""
    return _document(project, "extracts", output, fmt, codes, "passages", pseudonymise)


def _document(
    project: str,
    kind: str,
    output: str | None,
    fmt: str | None,
    codes: tuple[str, ...],
    noun: str,
    pseudonymise: bool = False,
) -> int:
    """Write the codebook or extracts document (of `codes` and beneath, if any)."""
    from coder.services.codebook.reading import find_code
    from coder.services.reports.documents import document_file

    output, fmt = _target(output, fmt, kind, ("docx", "md"))
    with export_target(project, pseudonymise) as target, open_project(target) as opened:
        ids = [find_code(opened, ref).id for ref in codes] if codes else None
        n, raw = document_file(opened, kind, fmt, ids)
    _write(raw, output, fmt)
    if output != "-":
        amount = f"{n:,}" if kind == "extracts" else str(n)  # as printed since the start
        click.echo(f"wrote {output}: {amount} {noun}")
    return 0


@export.command(short_help="the whole project as REFI-QDA (.qdpx)")
@click.argument("project", type=PROJECT)
@click.option("-o", "--output", metavar="FILE.qdpx", required=True)
@click.option(
    "--with-media",
    is_flag=True,
    help="put the linked recordings inside the .qdpx (default: reference them by path)",
)
@click.option(
    "--case-codes",
    is_flag=True,
    help="also write each participant as a code on their transcripts: the form QualCoder "
    "reads case links in (other tools would list those codes)",
)
@pseudonymise_option
def qdpx(project: str, output: str, with_media: bool, case_codes: bool, pseudonymise: bool) -> int:
    """Write the project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA or
    QualCoder: sources, codes, codings, participants with their attributes, memos and
    coders. Linked recordings go as audio or video sources with their transcript and its
    time stamps as sync points; a pseudonymised export leaves recordings out."""
    from coder.services.exchange.refi_media import export_qdpx_media

    with export_target(project, pseudonymise) as target, open_project(target) as opened:
        proj, n_media = export_qdpx_media(
            opened,
            output,
            with_media=with_media,
            pseudonymised=pseudonymise,
            case_codes=case_codes,
        )
    n = sum(len(s.codings) for s in proj.sources)
    media = ""
    if n_media:
        media = f", {n_media} recordings " + ("inside" if with_media else "referenced by path")
    click.echo(
        f"wrote {output}: {len(proj.sources)} sources, {len(proj.codes)} themes, "
        f"{n:,} codings, {len(proj.cases)} participants{media}"
    )
    if pseudonymise:
        click.echo("coder: recordings are left out of a pseudonymised export", err=True)
    return 0


@click.command("import-project", short_help="import a REFI-QDA project (.qdpx)")
@click.argument("project", type=PROJECT)
@click.argument("file", type=click.Path(path_type=Path), metavar="FILE.qdpx")
@coder_option("who coded what the file attributes to nobody")
def import_project(project: str, file: Path, coder_name: str | None) -> int:
    """Import a .qdpx from NVivo, ATLAS.ti, MAXQDA, QualCoder or coder into a new or empty
    project, in one transaction. Recordings with a transcript are linked to it (embedded ones
    are unpacked into PROJECT.media/ beside the project). What coder cannot keep (pictures,
    recordings without a transcript) is listed."""
    from coder.services.exchange.refi_media import import_qdpx_media
    from coder.services.exchange.refi_project import import_qdpx
    from coder.services.team.identity import current_coder

    summary = import_qdpx(project, file, coder=current_coder(coder_name))
    with open_project(project) as opened:
        linked, notes = import_qdpx_media(opened, file)
    for w in [*summary.warnings, *notes]:
        click.echo(f"coder: {file}: {w}", err=True)
    click.echo(
        f"imported {file}: {summary.sources} sources, {summary.codes} codes, "
        f"{summary.codings:,} codings, {summary.cases} participants, {summary.memos} memos"
        + (f", {summary.sets} sets" if summary.sets else "")
        + (f", {linked} recordings" if linked else "")
    )
    return 0
