"""`coder export matrix|cooccur|query|words|framework|codematrix|quotes PROJECT -o FILE`.

Each export takes the options of its analysis command and writes the result where -o says:
`.docx`, `.xlsx`, `.csv` or `.md` for the table, `.png` or `.svg` for the chart (matrix,
cooccur and words). Option values are checked by the service, so a wrong one is one line
and exit 1, with nothing written. Registered lazily in coder.cli.export.EXPORTS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from coder.cli.params import PROJECT, SET_OPTION, open_project

F = TypeVar("F", bound=Callable[..., Any])

SUFFIXES = ".docx, .xlsx, .csv or .md (table)"


def _common(charted: bool) -> Callable[[F], F]:
    def decorate(f: F) -> F:
        if charted:
            f = click.option(
                "--chart", is_flag=True, help="with .docx: place the chart under the table"
            )(f)
        help_ = f"output file: {SUFFIXES}" + (", .png or .svg (chart)" if charted else "")
        f = click.option("-o", "--output", metavar="FILE", required=True, help=help_)(f)
        return click.argument("project", type=PROJECT)(f)

    return decorate


def _run(kind: str, project: str, output: str, **options: Any) -> int:
    """Export `kind`: the command's options reach ExportOptions by their click names, so
    each is named in its decorator and in ExportOptions, and nowhere in between."""
    from coder.services.analysis.exports import ExportOptions, export_analysis, output_format

    if "bins" in options:  # the one option ExportOptions takes parsed
        from coder.cli.analysis import _bins

        options["bins"] = _bins(options["bins"])
    output_format(kind, output, bool(options.get("chart")))  # before opening anything
    opts = ExportOptions(**options)
    with open_project(project) as opened:
        done = export_analysis(opened, kind, output, opts)
    what = "a chart of " if done.format in ("png", "svg") else ""
    click.echo(f"wrote {done.path}: {what}{done.rows:,} rows")
    return 0


def _export(
    kind: str, short_help: str, about: str, *options: Callable[[F], F], charted: bool = False
) -> click.Command:
    """`coder export KIND PROJECT -o FILE` (with --chart when `charted`) and `options`, in the
    order --help lists them."""

    def command(project: str, output: str, **values: Any) -> int:
        return _run(kind, project, output, **values)

    for option in reversed(options):
        command = option(command)
    return click.command(kind, short_help=short_help, help=about)(_common(charted)(command))


export_matrix = _export(
    "matrix",
    "the code matrix as a table or heat map",
    "Write `coder matrix` as a table (codes x columns, with totals) or a heat map.",
    click.option("--cols", default="participant", show_default=True,
                 help="participant, organisation, source, coder or attr:NAME"),
    click.option("--cell", default="passages", show_default=True,
                 help="passages, participants, words or percent"),
    click.option("--bins", default=None, help="number and date attributes: 4 bins, or cuts 10,20"),
    SET_OPTION,
    charted=True,
)  # fmt: skip

export_cooccur = _export(
    "cooccur",
    "code co-occurrence as a table or heat map",
    "Write `coder cooccur` as a table (codes x codes) or a heat map.",
    click.option("--by", "by", default="overlap", show_default=True,
                 help="overlap, turn, paragraph or near:N"),
    click.option("--jaccard", is_flag=True, help="Jaccard coefficients instead of counts"),
    SET_OPTION,
    charted=True,
)  # fmt: skip

export_query = _export(
    "query",
    "the passages of a coding query as a table",
    "Write the passages `coder query PROJECT EXPR` finds (EXPR @NAME: a saved query).",
    click.argument("expr"),
    click.option("--where", "where", multiple=True, help='an attribute condition, as "Age >= 30"'),
    click.option("--speaker", default=None, help="participants (the default) or all"),
    click.option("--coder", "coders", multiple=True,
                 help="only codings by this coder (repeatable)"),
    SET_OPTION,
)  # fmt: skip

export_words = _export(
    "words",
    "word frequency as a table or bar chart",
    "Write `coder words` as a table or a bar chart.",
    click.option("--code", "code", default=None, help="only words coded with this code (or below)"),
    click.option("--group", "group", default=None,
                 help="split by participant, organisation, source or attr:NAME"),
    click.option("--top", type=int, default=30, show_default=True),
    click.option("--interviewer", is_flag=True, help="count interviewer turns too"),
    SET_OPTION,
    charted=True,
)  # fmt: skip

export_framework = _export(
    "framework",
    "the framework matrix (participants x themes)",
    "Write the framework matrix: a row per participant, a column per theme, each cell the "
    "summary written with `coder framework set`.",
)

export_codematrix = _export(
    "codematrix",
    "0/1 code matrix per coded passage (R, SPSS, Stata)",
    "Write one row per coded passage with its source, participant, organisation and "
    "attributes, and a 0/1 column per code (1: the passage has that code).",
)

export_quotes = _export(
    "quotes",
    "every coding as a quote with its code and position",
    "Write every coding as a quote: passage, code path, participant, attributes, and where it "
    "sits (turn, speaker, time, offsets), with the coder.",
)
