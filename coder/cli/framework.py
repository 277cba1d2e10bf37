"""`coder framework`: the framework matrix (participants x themes) from the command line.

    coder framework PROJECT [--json]                         list every cell
    coder framework set PROJECT PARTICIPANT THEME TEXT       write one cell's summary
    coder framework show PROJECT PARTICIPANT THEME [--json]  one cell with its passages

`framework` is a group whose first word, when it is not `set` or `show`, goes to the
listing, so the listing keeps the short form (coder.cli.forms.DefaultGroup, as suggest
and codes use).
"""

from __future__ import annotations

import click

from coder.cli.forms import DefaultGroup
from coder.cli.params import PROJECT, emit_json, json_option, open_project, short


@click.command("framework")
@click.argument("project", type=PROJECT)
@json_option('{"participants", "themes", "cells": [{"participant", "theme", "summary", '
             '"passages"}]}')  # fmt: skip
def _listing(project: str, as_json: bool) -> int:
    from coder.services.analysis.framework import framework as gather

    with open_project(project) as opened:
        fw = gather(opened)
    if as_json:
        emit_json(fw.to_json())
        return 0
    for row in fw.cells:
        for c in row:
            if c.summary or c.passages:
                summary = short(c.summary, 120) if c.summary else "(no summary)"
                click.echo(f"{c.participant} | {c.theme} [{c.passages}]: {summary}")
    written = sum(1 for row in fw.cells for c in row if c.summary)
    click.echo(
        f"{len(fw.participants)} participants x {len(fw.themes)} themes, "
        f"{written} summaries written"
    )
    return 0


@click.group(
    cls=DefaultGroup,
    default=_listing,
    short_help="framework matrix: participants x themes, a summary per cell",
)
def framework() -> None:
    """The framework matrix: a row per participant, a column per theme (top-level code),
    each cell a summary you write from the passages coded there.

    \b
    coder framework PROJECT [--json]                         list every cell
    coder framework set PROJECT PARTICIPANT THEME TEXT       write a cell ("" clears it)
    coder framework show PROJECT PARTICIPANT THEME [--json]  a cell with its passages
    """


@framework.command("set", short_help="write one cell's summary")
@click.argument("project", type=PROJECT)
@click.argument("participant")
@click.argument("theme")
@click.argument("text")
def set_(project: str, participant: str, theme: str, text: str) -> int:
    """Write the summary of PARTICIPANT's cell for THEME (an empty TEXT clears it)."""
    from coder.services.analysis.framework import set_summary

    with open_project(project) as opened:
        cell = set_summary(opened, participant, theme, text)
    what = "wrote" if cell.summary else "cleared"
    click.echo(f"{what} {cell.participant} | {cell.theme} ({cell.passages} passages)")
    return 0


@framework.command("show", short_help="one cell: its summary and passages")
@click.argument("project", type=PROJECT)
@click.argument("participant")
@click.argument("theme")
@json_option('{"summary", "passages": [{"source", "start", "end", "text", "codes"}]}')
def show(project: str, participant: str, theme: str, as_json: bool) -> int:
    """Print the summary of a cell and the passages it rests on."""
    from coder.services.analysis.framework import cell_passages, get_summary

    with open_project(project) as opened:
        summary = get_summary(opened, participant, theme)
        passages = cell_passages(opened, participant, theme)
    if as_json:
        emit_json({"summary": summary, "passages": list(passages)})
        return 0
    click.echo(summary or "(no summary)")
    for p in passages:
        click.echo(f"{p.source} {p.start}-{p.end}  [{'; '.join(p.codes)}]")
        click.echo(f"    {short(p.text, 200)}")
    click.echo(f"{len(passages)} passage{'s' if len(passages) != 1 else ''}")
    return 0
