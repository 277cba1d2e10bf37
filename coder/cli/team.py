"""Team commands: `coder agreement` and `coder export agreement` (inter-coder agreement).

The form is kept exact because checks use it:
`coder agreement PROJECT --coders A B [--unit char|sentence|turn|paragraph|source]
[--codes NAME...] [--json]`. `coder export agreement PROJECT -o FILE` writes the APA table with
the methods paragraph (the lead adds `export_agreement` to the `export` group). `--coders` and
`--codes` take several values after one flag (click options take one value each, so the
arguments are regrouped before click parses them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from coder.cli.params import PROJECT, coder_option, emit_json, json_option, open_project
from coder.cli.pseudonymise import export_target, pseudonymise_option
from coder.wording import figure

if TYPE_CHECKING:
    from coder.analysis.agreement_model import AgreementResult, Figures

GREEDY = ("--coders", "--codes")
UNIT_CHOICES = ("char", "sentence", "turn", "paragraph", "source")
F = TypeVar("F", bound=Callable[..., Any])


def regroup(args: Sequence[str], greedy: Sequence[str] = GREEDY) -> list[str]:
    """`--coders A B --codes X Y` as `--coders A --coders B --codes X --codes Y`.

    Values after a greedy flag run until the next argument that starts with "-".
    """
    out: list[str] = []
    current: str | None = None
    for arg in args:
        if arg == "--":
            current = None
            out.append(arg)
        elif arg.startswith("-"):
            flag = arg.split("=", 1)[0]
            current = flag if flag in greedy and "=" not in arg else None
            out.append(arg)
        elif current is not None:
            if out[-1] != current:
                out.append(current)
            out.append(arg)
        else:
            out.append(arg)
    return out


class GreedyCommand(click.Command):
    """A command whose `--coders` and `--codes` take every value up to the next flag."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Regroup the greedy options, then parse as usual."""
        return super().parse_args(ctx, regroup(args))


def _row(label: str, f: Figures, two: bool) -> list[str]:
    counts = [f.both, f.only_a, f.only_b, f.neither] if two else [f.both, f.mixed, f.neither]
    return [
        label,
        f"{f.units:,}",
        *(f"{c:,}" if c is not None else "" for c in counts),
        figure(f.percent, 1),
        figure(f.kappa),
        figure(f.alpha),
    ]


def render_text(result: AgreementResult) -> str:
    """The result as a plain-text table with the reasons for undefined figures."""
    from coder.analysis.methods import methods_paragraph

    two = len(result.coders) == 2
    a, b = result.coders[0], result.coders[1]
    kappa = "kappa" if two else "Fleiss kappa"
    heads = (
        ["code", "units", "both", f"only {a}", f"only {b}", "neither"]
        if two
        else ["code", "units", "all", "some", "none"]
    ) + ["%", kappa, "alpha"]
    rows = [_row(c.code, c.figures, two) for c in result.codes]
    rows.append(_row("All codes", result.overall, two))
    widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(len(heads))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    out = [line(heads), *(line(r) for r in rows), ""]
    for entry in [*((c.code, c.figures) for c in result.codes), ("All codes", result.overall)]:
        if entry[1].reason:
            out.append(f"{entry[0]}: {entry[1].reason}.")
    out += [*result.notes, methods_paragraph(result)]
    return "\n".join(out)


def _comparison_options(coders_help: str, *, required: bool) -> Callable[[F], F]:
    """`--coders`, `--unit`, `--codes`, `--uncoded` and `--all-sources`, as both agreement
    commands take them and pass them on, by name, to the agreement service."""
    options = [
        click.option("--coders", "coders", multiple=True, required=required, metavar="A B",
                     help=coders_help),
        click.option("--unit", type=click.Choice(UNIT_CHOICES), default="char",
                     show_default=True, help="what one unit of agreement is"),
        click.option("--codes", "codes", multiple=True, metavar="NAME...",
                     help="only these codes"),
        click.option("--uncoded", type=click.Choice(("count", "skip")), default=None,
                     help="count units no coder coded, or skip them (default: count for char, "
                     "else skip)"),
        click.option("--all-sources", is_flag=True,
                     help="compare every source, not only those all coders coded"),
    ]  # fmt: skip

    def decorate(f: F) -> F:
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


@click.command(cls=GreedyCommand, short_help="agreement between coders: percent, kappa, alpha")
@click.argument("project", type=PROJECT)
@_comparison_options("coders to compare", required=True)
@json_option("JSON with unit, coders, overall, codes (and sources)")
def agreement(project: str, coders: tuple[str, ...], as_json: bool, **options: Any) -> int:
    """Inter-coder agreement per code, per source and overall.

    Percent agreement, Cohen's kappa (Fleiss' kappa for three or more coders) and
    Krippendorff's alpha for nominal data. At character level, text nobody coded counts as
    agreement (as NVivo counts it); at other units, only units some coder coded count.
    Use --uncoded to choose.
    """
    from coder.services.team.agreement import agreement as gather

    with open_project(project) as opened:
        result = gather(opened, list(coders), **options)
    if as_json:
        emit_json(result.to_json())
    else:
        click.echo(render_text(result))
    return 0


@click.command(
    "agreement", cls=GreedyCommand, short_help="the agreement table and methods paragraph"
)
@click.argument("project", type=PROJECT)
@click.option("-o", "--output", metavar="FILE", help="output file (.docx, .xlsx, .csv, .md); '-' "
              "prints CSV or Markdown")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(("docx", "xlsx", "csv", "md")),
              help="format, if not the extension's")  # fmt: skip
@_comparison_options(
    "coders to compare (default: the two who coded, if there are two)", required=False
)
@pseudonymise_option
def export_agreement(
    project: str,
    output: str | None,
    fmt: str | None,
    coders: tuple[str, ...],
    pseudonymise: bool,
    **options: Any,
) -> int:
    """Write the per-code agreement table in APA style, with the sentence a methods section
    reports (coders, units, the share double-coded, overall kappa and alpha) as its note."""
    from coder.errors import UserError
    from coder.export.formats import pick_format
    from coder.files import atomic_write
    from coder.services.team.agreement import active_coders, agreement_file
    from coder.services.team.agreement import agreement as gather

    chosen = pick_format(output, fmt)
    target = output or f"agreement.{chosen}"
    if target == "-" and chosen not in ("csv", "md"):
        raise UserError(
            f"cannot print {chosen} to the terminal; add --format md (or csv), or give -o FILE"
        )
    with export_target(project, pseudonymise) as copy, open_project(copy) as opened:
        names = list(coders) or active_coders(opened)
        if not coders and len(names) != 2:
            found = ", ".join(names) or "none"
            raise UserError(
                f"say which coders to compare with --coders (coders who coded: {found})"
            )
        result = gather(opened, names, **options)
    data = agreement_file(result, chosen)
    if target == "-":
        click.echo(data.decode("utf-8-sig"), nl=False)
        return 0
    atomic_write(target, data)
    click.echo(f"wrote {target}: {len(result.codes)} codes, {' and '.join(result.coders)}")
    return 0


_SIGN = {"add": "+", "change": "~", "conflict": "!"}


def _amounts(counts: dict[str, int]) -> str:
    from coder.wording import count

    return ", ".join(count(n, k) for k, n in counts.items()) or "nothing"


@click.command(short_help="merge a colleague's project (.coder, database URL or .qdpx)")
@click.argument("project", type=PROJECT)
@click.argument("other", metavar="OTHER")
@click.option("--dry-run", is_flag=True, help="list what would be added, changed or in conflict")
@coder_option("who coded what OTHER attributes to nobody")
@json_option(
    'JSON {"other", "dry_run", "added", "changed", "conflicts", "items", "warnings", '
    '"skipped_deleted"}'
)
def merge(project: str, other: str, dry_run: bool, coder_name: str | None, as_json: bool) -> int:
    """Merge OTHER (another coder project, a database URL, or a REFI-QDA .qdpx from any tool)
    into PROJECT, in one transaction.

    Sources are matched by the hash of their text, codes by GUID and then by their path,
    participants by name; who coded is kept. What PROJECT lacks is added or filled in; where
    both differ, PROJECT's version stays and the difference is listed as a conflict. Nothing
    in PROJECT is removed, and merging the same file again adds nothing."""
    from coder.services.team.identity import current_coder
    from coder.services.team.merge import merge_project
    from coder.wording import count

    who = current_coder(coder_name)
    with open_project(project) as opened:
        report = merge_project(opened, other, dry_run=dry_run, coder=who)
    if as_json:
        emit_json(report)
        return 0
    for w in report.warnings:
        click.echo(f"coder: {other}: {w}", err=True)
    verb = ("would add", "would change") if dry_run else ("added", "changed")
    click.echo(f"{'dry run: ' if dry_run else ''}{verb[0]} {_amounts(report.added)}; "
               f"{verb[1]} {_amounts(report.changed)}; "
               f"{sum(report.conflicts.values())} conflicts (kept as in {project})")  # fmt: skip
    for item in report.items:
        detail = f": {item.detail}" if item.detail else ""
        what = (
            f"{count(item.count, item.kind)} in {item.name}"
            if item.kind == "coding"
            else f"{item.kind} {item.name}"
        )
        click.echo(f"  {_SIGN[item.action]} {what}{detail}")
    if report.skipped_deleted:
        left = count(report.skipped_deleted, "coding")
        click.echo(f"  {left} deleted in {project} since {'stay' if dry_run else 'stayed'} deleted")
    if dry_run:
        click.echo("nothing written (dry run)")
    return 0
