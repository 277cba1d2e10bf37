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

    output_format(kind, output, bool(options.get("chart")))  # before opening anything
    opts = ExportOptions(**options)
    with open_project(project) as opened:
        done = export_analysis(opened, kind, output, opts)
    what = "a chart of " if done.format in ("png", "svg") else ""
    click.echo(f"wrote {done.path}: {what}{done.rows:,} rows")
    return 0


@click.command("matrix", short_help="the code matrix as a table or heat map")
@_common(charted=True)
@click.option("--cols", default="participant", show_default=True,
              help="participant, organisation, source, coder or attr:NAME")  # fmt: skip
@click.option("--cell", default="passages", show_default=True,
              help="passages, participants, words or percent")  # fmt: skip
@click.option("--bins", default=None, help="number and date attributes: 4 bins, or cuts 10,20")
@SET_OPTION
def export_matrix(project: str, output: str, **options: Any) -> int:
    """Write `coder matrix` as a table (codes x columns, with totals) or a heat map."""
    from coder.cli.analysis import _bins

    return _run("matrix", project, output, **{**options, "bins": _bins(options["bins"])})


@click.command("cooccur", short_help="code co-occurrence as a table or heat map")
@_common(charted=True)
@click.option("--by", "by", default="overlap", show_default=True,
              help="overlap, turn, paragraph or near:N")  # fmt: skip
@click.option("--jaccard", is_flag=True, help="Jaccard coefficients instead of counts")
@SET_OPTION
def export_cooccur(project: str, output: str, **options: Any) -> int:
    """Write `coder cooccur` as a table (codes x codes) or a heat map."""
    return _run("cooccur", project, output, **options)


@click.command("query", short_help="the passages of a coding query as a table")
@_common(charted=False)
@click.argument("expr")
@click.option("--where", "where", multiple=True, help='an attribute condition, as "Age >= 30"')
@click.option("--speaker", default=None, help="participants (the default) or all")
@click.option("--coder", "coders", multiple=True, help="only codings by this coder (repeatable)")
@SET_OPTION
def export_query(project: str, output: str, **options: Any) -> int:
    """Write the passages `coder query PROJECT EXPR` finds (EXPR @NAME: a saved query)."""
    return _run("query", project, output, **options)


@click.command("words", short_help="word frequency as a table or bar chart")
@_common(charted=True)
@click.option("--code", "code", default=None, help="only words coded with this code (or below)")
@click.option("--group", "group", default=None,
              help="split by participant, organisation, source or attr:NAME")  # fmt: skip
@click.option("--top", type=int, default=30, show_default=True)
@click.option("--interviewer", is_flag=True, help="count interviewer turns too")
@SET_OPTION
def export_words(project: str, output: str, **options: Any) -> int:
    """Write `coder words` as a table or a bar chart."""
    return _run("words", project, output, **options)


@click.command("framework", short_help="the framework matrix (participants x themes)")
@_common(charted=False)
def export_framework(project: str, output: str) -> int:
    """Write the framework matrix: a row per participant, a column per theme, each cell
    the summary written with `coder framework set`."""
    return _run("framework", project, output)


@click.command("codematrix", short_help="0/1 code matrix per coded passage (R, SPSS, Stata)")
@_common(charted=False)
def export_codematrix(project: str, output: str) -> int:
    """Write one row per coded passage with its source, participant, organisation and
    attributes, and a 0/1 column per code (1: the passage has that code)."""
    return _run("codematrix", project, output)


@click.command("quotes", short_help="every coding as a quote with its code and position")
@_common(charted=False)
def export_quotes(project: str, output: str) -> int:
    """Write every coding as a quote: passage, code path, participant, attributes, and
    where it sits (turn, speaker, time, offsets), with the coder."""
    return _run("quotes", project, output)
