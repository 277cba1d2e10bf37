"""Source and participant commands: import, sources, cases import|list."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from coder.cli.params import PROJECT, emit_json, json_option, open_project


@click.command("import", short_help="import transcripts (txt, md, docx, pdf, vtt, srt, odt, rtf)")
@click.argument("project", type=PROJECT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="FILE...")  # fmt: skip
@click.option(
    "--max-size-mb",
    type=float,
    default=50.0,
    help="refuse files larger than this (default 50)",
)
@click.option("--quiet", "-q", is_flag=True, help="no progress bar")
def import_(project: str, files: tuple[Path, ...], max_size_mb: float, quiet: bool) -> int:
    """Import transcript files. Each file is one transaction; a file that cannot be read is
    reported and skipped, and the exit status is 1."""
    from coder.ingest import Limits

    limits = Limits(max_file_bytes=int(max_size_mb * 1024 * 1024))
    with open_project(project) as opened:
        outcomes = _with_progress(opened, list(files), limits, quiet=quiet)
    failed = 0
    for o in outcomes:
        if o.status == "failed":
            failed += 1
            click.echo(f"coder: {o.path}: {o.message}", err=True)
        elif o.status == "duplicate":
            click.echo(f"skipped {o.path}: {o.message}", err=True)
        elif o.message:  # e.g. "read as KOI8-R"
            click.echo(f"{o.path}: {o.message}", err=True)
    done = [o for o in outcomes if o.status == "imported"]
    click.echo(
        f"imported {len(done)} of {len(outcomes)} files, "
        f"{sum(o.words for o in done):,} words, {sum(o.turns for o in done):,} turns"
        + (f"; {failed} failed" if failed else "")
    )
    return 1 if failed else 0


def _with_progress(project: Any, files: list[Path], limits: Any, *, quiet: bool) -> list[Any]:
    """Import `files`, with a progress bar on stderr unless quiet or a single file."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from coder.services.sources.transcripts import import_files

    if quiet or len(files) < 2:
        return import_files(project, files, limits=limits)
    with Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        transient=True,
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task("", total=len(files))

        def step(i: int, n: int, outcome: Any) -> None:
            bar.update(task, completed=i, description=Path(outcome.path).name)

        return import_files(project, files, limits=limits, progress=step)


@click.command(short_help="list sources")
@click.argument("project", type=PROJECT)
@json_option("JSON with name, case, format, words and turns for each source")
def sources(project: str, as_json: bool) -> int:
    """List the project's sources."""
    from coder.services.sources.transcripts import get_source, list_sources, turn_counts

    with open_project(project) as opened:
        infos = list_sources(opened)
        turns_of = {} if as_json else turn_counts(opened)
        if as_json:
            out = []
            for info in infos:
                text = get_source(opened, info.id)
                turns = [
                    {
                        "speaker": t.speaker,
                        "start": t.start,
                        "end": t.end,
                        "text": text.text[t.start : t.end],
                        "timestamp": t.timestamp,
                    }
                    for t in text.turns
                ]
                out.append(
                    {
                        "name": info.name,
                        "case": info.case_name,
                        "format": info.format,
                        "words": info.words,
                        "file": info.filename,
                        "guid": info.guid,
                        "turns": turns,
                    }
                )
            emit_json(out)
            return 0
    for info in infos:
        who = info.case_name or "-"
        click.echo(
            f"{info.name:<40} {who:<10} {info.format:<6} {info.words:>7,} words "
            f"{turns_of.get(info.id, 0):>5,} turns {info.coded_fraction:>4.0%} coded"
        )
    return 0


@click.group(short_help="participants and their attributes")
def cases() -> None:
    """Import or list participants (cases)."""


@cases.command(
    "import", short_help="link sources to participants and set attributes from a CSV/XLSX"
)
@click.argument("project", type=PROJECT)
@click.argument("sheet", type=click.Path(path_type=Path), metavar="CSV")
@click.option("--participant-column", help="column naming the participant")
@click.option("--org-column", help="column naming the organisation")
@click.option("--source-column", help="column naming the participant's transcript file(s)")
@click.option(
    "--org-attributes",
    help="comma-separated columns that belong to the organisation "
    "(default: those whose values are the same for everyone in it)",
)
def cases_import(
    project: str,
    sheet: Path,
    participant_column: str | None,
    org_column: str | None,
    source_column: str | None,
    org_attributes: str | None,
) -> int:
    """Read a participants sheet (CSV or XLSX): one row per participant. Columns: the
    participant (default: Participant/Case/Name/ID), an optional organisation
    (Organisation/Label/Company/Group), optional source file names (Source/File/Transcript),
    and any number of attributes, typed as integer, number, date (YYYY-MM-DD) or text.
    Attributes shared by everyone in an organisation are stored on the organisation. The
    whole sheet is one transaction."""
    from coder.services.sources.cases import CaseSheetSpec, import_cases

    org_attrs = (
        tuple(a.strip() for a in org_attributes.split(",") if a.strip()) if org_attributes else None
    )
    spec = CaseSheetSpec(participant_column, org_column, source_column, org_attrs)
    with open_project(project) as opened:
        r = import_cases(opened, str(sheet), spec)
    shared = [a.name for a in r.attributes if a.scope == "organisation"]
    click.echo(
        f"{r.cases_created} participants created, {r.cases_updated} updated, "
        f"{r.organisations} organisations, {r.sources_linked} sources linked"
    )
    click.echo(
        "attributes: "
        + ", ".join(
            f"{a.name} ({a.type}{', organisation' if a.scope == 'organisation' else ''})"
            for a in r.attributes
        )
    )
    if shared:
        click.echo("shared within each organisation: " + ", ".join(shared))
    for ref in r.unmatched_sources:
        print(f"coder: {sheet}: no source matches {ref!r} (import it first)", file=sys.stderr)
    return 1 if r.unmatched_sources else 0


def _plain(v: object) -> object:
    return v.isoformat() if isinstance(v, date) else v


@cases.command("list", short_help="list participants and attributes")
@click.argument("project", type=PROJECT)
@json_option
def cases_list(project: str, as_json: bool) -> int:
    """List participants with their attributes."""
    from coder.services.sources.cases import list_cases

    with open_project(project) as opened:
        found = list_cases(opened)
    if as_json:
        emit_json(
            [
                {
                    "name": c.name,
                    "organisation": c.organisation,
                    "guid": c.guid,
                    "attributes": {**c.organisation_values, **c.values},
                    "sources": c.source_names,
                }
                for c in found
            ]
        )
        return 0
    for c in found:
        values = {**c.organisation_values, **c.values}
        attrs = "; ".join(f"{k}: {_plain(v)}" for k, v in values.items() if v is not None)
        click.echo(f"{c.name:<8} {c.organisation or '-':<10} {attrs}")
    return 0
