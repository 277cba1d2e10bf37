"""Codebook commands: codes (the tree), code (apply one), codebook import|export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from coder.cli.params import PROJECT, emit_json, json_option, open_project, short
from coder.wording import count


def _node_json(node: Any) -> dict[str, Any]:
    c = node.code
    return {
        "name": c.name,
        "guid": c.guid,
        "description": c.description,
        "color": c.color,
        "codable": c.codable,
        "codings": c.codings,
        "participants": c.participants,
        "children": [_node_json(n) for n in node.children],
    }


@click.command(short_help="show the code tree")
@click.argument("project", type=PROJECT)
@json_option("JSON tree (name, guid, description, children)")
def codes(project: str, as_json: bool) -> int:
    """Show the codebook tree."""
    from coder.services.codes import code_tree

    with open_project(project) as opened:
        tree = code_tree(opened)
    if as_json:
        emit_json([_node_json(n) for n in tree])
        return 0
    for node in tree:
        for c in node.walk():
            amounts = f"{count(c.codings, 'coding')}, {count(c.participants, 'participant')}"
            click.echo(f"{'  ' * c.depth}{c.name}  ({amounts})")
    return 0


@click.command(short_help="apply a code to a span of a source")
@click.argument("project", type=PROJECT)
@click.argument("source")
@click.argument("start", type=int)
@click.argument("end", type=int)
@click.argument("code")
@click.option("--coder", "coder_name", help="who is coding (default: $CODER_NAME or your login)")
@click.option("--memo", default="", help="a memo for this coding")
def code(
    project: str, source: str, start: int, end: int, code: str, coder_name: str | None, memo: str
) -> int:
    """Apply CODE to characters START..END (code points, end exclusive) of SOURCE.

    SOURCE is a source name, file name, id, GUID or participant; CODE a code name,
    Parent/Child path or GUID."""
    from coder.services.codes import find_code
    from coder.services.coding import apply_code
    from coder.services.sources import find_source

    with open_project(project) as opened:
        found = find_source(opened, source)
        target = find_code(opened, code)
        c = apply_code(opened, found.id, start, end, target.id, coder=coder_name, memo=memo)
    click.echo(f"coded {c.source_name} {c.start}-{c.end} as {c.code_name}: {short(c.snippet)}")
    return 0


@click.group(short_help="import or export a codebook (YAML or REFI-QDA .qdc)")
def codebook() -> None:
    """Import a codebook into a project (merged by GUID: idempotent, never duplicates) or
    export the project's codebook."""


@codebook.command("import", short_help="merge a codebook file into the project")
@click.argument("project", type=PROJECT)
@click.argument("file", type=click.Path(path_type=Path))
def codebook_import(project: str, file: Path) -> int:
    """Merge a .yaml or .qdc codebook into the project by GUID."""
    from coder.services.codebook_files import import_codebook_file

    with open_project(project) as opened:
        s = import_codebook_file(opened, file)
    click.echo(
        f"{file}: {s.codes_created} codes created, {s.codes_updated} updated, "
        f"{s.codes_unchanged} unchanged"
    )
    return 0


@codebook.command("export", short_help="write the project's codebook to a file")
@click.argument("project", type=PROJECT)
@click.argument("file", type=click.Path(path_type=Path))
def codebook_export(project: str, file: Path) -> int:
    """Write the codebook; .yaml for coder's format, .qdc for REFI-QDA (NVivo, ATLAS.ti,
    MAXQDA)."""
    from coder.services.codebook_files import export_codebook_file

    with open_project(project) as opened:
        book = export_codebook_file(opened, file)
    click.echo(f"wrote {len(book.walk())} codes to {file}")
    return 0
