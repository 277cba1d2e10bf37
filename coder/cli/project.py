"""Project lifecycle commands: init, info, check, db current|upgrade, open, demo."""

from __future__ import annotations

import os
from pathlib import Path

import click

from coder.cli.params import PROJECT, coder_option, file_option, open_project, report_upgrade


@click.command(short_help="create a new, empty project")
@click.argument("project", type=PROJECT)
@file_option("--codebook", "load this codebook (YAML or .qdc) into it")
def init(project: str, codebook: Path | None) -> int:
    """Create a new project (an SQLite file, or a database URL)."""
    from coder.services.codebook.files import read_codebook_file
    from coder.services.codebook.transfer import import_codebook
    from coder.services.project.store import Project

    # The codebook is read before the project exists, so a bad one leaves nothing behind.
    book = read_codebook_file(codebook) if codebook else None
    with Project.create(project) as opened:
        if book is not None:
            import_codebook(opened, book)
        click.echo(f"created {project}")
    return 0


@click.command(short_help="verify the project's invariants")
@click.argument("project", type=PROJECT)
def check(project: str) -> int:
    """Verify that every coding's snippet equals the source text at its offsets, and the other
    invariants. Exit 1 if any fails."""
    from coder.services.project.check import check_project

    with open_project(project) as opened:
        report = check_project(opened)
    for p in report.problems:
        click.echo(f"{p.kind}: {p.detail}")
    status = "ok" if report.ok else f"{len(report.problems)} problem(s)"
    click.echo(
        f"checked {report.sources} sources, {report.codings} codings, {report.codes} codes: "
        f"{status}"
    )
    return 0 if report.ok else 1


@click.command(short_help="summarise a project")
@click.argument("project", type=PROJECT)
def info(project: str) -> int:
    """Summarise a project."""
    from coder.services.project.summary import read_summary

    summary = read_summary(project)  # no ORM: `coder info` answers at once
    report_upgrade(project, summary.upgrade)
    click.echo(f"{project}: schema {summary.revision}")
    for k, v in summary.counts.items():
        click.echo(f"  {k:<14}{v:>10,}")
    return 0


@click.group(short_help="schema: current revision, upgrade")
def db() -> None:
    """Inspect or upgrade the project's schema."""


@db.command(short_help="show the schema revision and the newest known")
@click.argument("project", type=PROJECT)
def current(project: str) -> int:
    """Show the schema revision without changing anything."""
    from coder.db.lifecycle import head_revision, read_revision

    rev = read_revision(project)
    head = head_revision()
    state = "up to date" if rev == head else "needs upgrade (runs on next open)"
    click.echo(f"{rev or 'unversioned'} (newest {head}): {state}")
    return 0


@db.command(short_help="back up, then upgrade to the newest schema")
@click.argument("project", type=PROJECT)
def upgrade(project: str) -> int:
    """Back up the project beside itself, then upgrade it."""
    from coder.services.project.store import Project

    with Project.open(project) as opened:
        up = opened.upgrade
        rev = opened.schema_revision()
    if up.upgraded_from is None and up.backup is None:
        click.echo(f"already at {rev}")
    else:
        click.echo(f"upgraded {up.upgraded_from or 'unversioned'} -> {rev}; backup at {up.backup}")
    return 0


def _code_as(name: str | None) -> None:
    """`--coder NAME` for the workspace: this process (and the training process it starts)
    codes as NAME, exactly as if CODER_NAME were set."""
    if name is not None:
        from coder.services.team.identity import ENV_NAME, clean_name

        os.environ[ENV_NAME] = clean_name(name)


@click.command("open", short_help="open the coding workspace (TUI)")
@click.argument("project", type=PROJECT)
@coder_option()
def open_(project: str, coder_name: str | None) -> int:
    """Open the coding workspace on a project."""
    _code_as(coder_name)
    with open_project(project):
        pass  # one-line errors and upgrades happen before the screen changes
    from coder.launch import open_workspace

    return open_workspace(project)


@click.command(short_help="build the bundled sample study and open it")
@click.option("--no-open", is_flag=True, help="build and print, don't open the TUI")
@file_option("--path", "where to build it (default: your data folder)")
@coder_option()
def demo(no_open: bool, path: Path | None, coder_name: str | None) -> int:
    """Build the sample study (12 interviews, participants, the bonding-spreading codebook,
    P01 and P04 coded independently by two fictional coders, Ruth and Sam, and a 20-respondent
    survey) into a new project under your data folder and open it."""
    from coder.services.project.sample import build_sample_study

    _code_as(coder_name)
    built = build_sample_study(path, second_coder=True, survey=True)
    click.echo(f"sample study built at {built}")
    if no_open:
        return 0
    from coder.launch import open_workspace

    # The line above is hidden while the workspace fills the terminal: say it there too, and
    # again on leaving, so the path is never only learnt after quitting.
    status = open_workspace(str(built), greeting=f"Sample study: {built}")
    click.echo(f"the sample study is at {built}")
    return status
