"""Codebook commands: codes (the tree, and scriptable edits), code (apply one), codings (list
them), codebook import|export.

`coder codes PROJECT` shows the tree as it always has; `coder codes merge|rename|delete|move`
edit the codebook through the same services the workspace uses (so they keep every coding
another client stores meanwhile). Their forms are kept exact because checks use them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from coder.cli.forms import DefaultGroup, FormsCommand
from coder.cli.params import (
    PROJECT,
    SET_OPTION,
    coder_option,
    emit,
    emit_json,
    json_option,
    open_project,
    short,
)
from coder.errors import UserError
from coder.wording import count

F = TypeVar("F", bound=Callable[..., Any])


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


CODES_FORMS = """coder codes PROJECT [--json]
       coder codes merge PROJECT CODE --into CODE
       coder codes rename PROJECT CODE NEW
       coder codes delete PROJECT CODE
       coder codes move PROJECT CODE --under PARENT|--top
       coder codes by-question PROJECT [--json]"""

CODES_HELP = """\
Show the codebook tree with counts (`coder codes PROJECT`), or edit it from a script.

A CODE is a code name, a Parent/Child path (`Bonding/Reacting`) or a GUID. Each edit is one
transaction; merging, deleting or moving codes never removes a coding another coder stored
meanwhile."""


@click.command(cls=FormsCommand, short_help="show the code tree")
@click.argument("project", type=PROJECT)
@json_option("JSON tree (name, guid, description, children)")
def tree(project: str, as_json: bool) -> int:
    """Show the codebook tree with counts of codings and participants."""
    from coder.services.codebook.reading import code_tree
    from coder.services.coding.workspace import rollup_counts

    with open_project(project) as opened:
        nodes = code_tree(opened)
        # A theme's own counts alone read "Spreading (0 codings)" over sub-codes holding 17;
        # the workspace's tree shows the roll-up, and so does this listing, beside them.
        rolled = {} if as_json else rollup_counts(opened)
    if as_json:
        emit_json([_node_json(n) for n in nodes])
        return 0
    for node in nodes:
        for c in node.walk():
            amounts = f"{count(c.codings, 'coding')}, {count(c.participants, 'participant')}"
            total = rolled.get(c.id)
            if total is not None and (total.codings, total.participants) != (
                c.codings,
                c.participants,
            ):
                amounts += (
                    f"; with sub-codes {count(total.codings, 'coding')}, "
                    f"{count(total.participants, 'participant')}"
                )
            click.echo(f"{'  ' * c.depth}{c.name}  ({amounts})")
    return 0


@click.group(
    cls=DefaultGroup,
    default=tree,
    forms=CODES_FORMS,
    help=CODES_HELP,
    short_help="show the code tree; merge, rename, delete or move codes",
)
def codes() -> None:
    """See CODES_HELP."""


@codes.command("merge", short_help="fold one code into another; its codings move")
@click.argument("project", type=PROJECT)
@click.argument("code")
@click.option("--into", "into", required=True, metavar="CODE", help="the code that stays")
@json_option('JSON {"code", "guid", "into", "into_guid", "moved"}')
def codes_merge(project: str, code: str, into: str, as_json: bool) -> int:
    """Merge CODE into the code given with --into: every coding moves (a coder's coding of the
    same span under both becomes one), sub-codes and memos move, and CODE is removed."""
    from coder.services.codebook.codes import find_code, merge_codes

    with open_project(project) as opened:
        src, dst = find_code(opened, code), find_code(opened, into)
        moved = merge_codes(opened, src.id, dst.id)
    return emit(
        as_json,
        {"code": src.name, "guid": src.guid, "into": dst.name, "into_guid": dst.guid,
         "moved": moved},
        f"merged {src.name} into {dst.name}: {count(moved, 'coding')} moved",
    )  # fmt: skip


@codes.command("rename", short_help="rename a code")
@click.argument("project", type=PROJECT)
@click.argument("code")
@click.argument("new")
@json_option('JSON {"guid", "old", "name"}')
def codes_rename(project: str, code: str, new: str, as_json: bool) -> int:
    """Rename CODE to NEW (names are unique among a code's siblings)."""
    from coder.services.codebook.codes import CodeFields, find_code, update_code

    with open_project(project) as opened:
        old = find_code(opened, code)
        renamed = update_code(opened, old.id, CodeFields(name=new))
    return emit(
        as_json,
        {"guid": renamed.guid, "old": old.name, "name": renamed.name},
        f"renamed {old.name} to {renamed.name}",
    )


@codes.command("delete", short_help="delete a code, its sub-codes and their codings")
@click.argument("project", type=PROJECT)
@click.argument("code")
@json_option('JSON {"code", "guid", "codings", "subcodes"}')
def codes_delete(project: str, code: str, as_json: bool) -> int:
    """Delete CODE with its sub-codes, their codings and memos."""
    from coder.services.codebook.codes import delete_code, delete_impact, find_code

    with open_project(project) as opened:
        found = find_code(opened, code)
        _codings, subcodes = delete_impact(opened, found.id)
        removed = delete_code(opened, found.id)
    gone = f"{count(removed, 'coding')}, {count(subcodes, 'sub-code')}"
    return emit(
        as_json,
        {"code": found.name, "guid": found.guid, "codings": removed, "subcodes": subcodes},
        f"deleted {found.name} ({gone})",
    )


@codes.command("move", short_help="move a code under another, or to the top level")
@click.argument("project", type=PROJECT)
@click.argument("code")
@click.option("--under", metavar="PARENT", help="the code to move it under")
@click.option("--top", is_flag=True, help="make it a theme (top level)")
@json_option('JSON {"code", "guid", "parent", "parent_guid"}')
def codes_move(project: str, code: str, under: str | None, top: bool, as_json: bool) -> int:
    """Move CODE, with its sub-codes and codings, under PARENT (--under) or to the top level
    (--top), at the end of its new siblings."""
    from coder.services.codebook.codes import find_code, move_code

    if (under is None) == (not top):
        raise UserError("give exactly one of --under PARENT or --top")
    with open_project(project) as opened:
        found = find_code(opened, code)
        parent = find_code(opened, under) if under is not None else None
        move_code(opened, found.id, parent.id if parent else None)
    return emit(
        as_json,
        {"code": found.name, "guid": found.guid, "parent": parent.name if parent else None,
         "parent_guid": parent.guid if parent else None},
        f"moved {found.name} {f'under {parent.name}' if parent else 'to the top'}",
    )  # fmt: skip


def grouping_json(done: Any) -> dict[str, Any]:
    """A Grouping (services/codebook/questions) as `coder codes by-question --json` prints it."""
    return {
        "groups": [{"question": g.question, "code": g.code.name, "guid": g.code.guid,
                    "created": g.created} for g in done.groups],
        "moved": [{"code": c, "question": q} for c, q in done.moved],
        "left": [{"code": c, "why": why} for c, why in done.left],
    }  # fmt: skip


def grouping_lines(done: Any) -> list[str]:
    """A Grouping in words: the groups, each code moved, each code left where it is."""
    made = sum(g.created for g in done.groups)
    lines = [
        f"{count(len(done.groups), 'question')} grouped in the codebook ({made} new themes); "
        f"{count(len(done.moved), 'code')} moved under their question"
    ]
    lines += [f"  {name} -> {short(question)}" for name, question in done.moved]
    lines += [f"  left {name}: {why}" for name, why in done.left]
    return lines


@codes.command("by-question", short_help="group a survey's codes under their questions")
@click.argument("project", type=PROJECT)
@json_option('JSON {"groups": [{"question", "code", "guid", "created"}], "moved", "left"}')
def codes_by_question(project: str, as_json: bool) -> int:
    """Give each survey question a theme of its own (made when missing) and move every code
    whose codings all lie in answers to one question under that question's theme. A code used
    for several questions stays where it is and is listed."""
    from coder.services.codebook.questions import group_by_question

    with open_project(project) as opened:
        done = group_by_question(opened)
    return emit(as_json, grouping_json(done), "\n".join(grouping_lines(done)))


@click.command(short_help="apply a code to a span of a source")
@click.argument("project", type=PROJECT)
@click.argument("source")
@click.argument("start", type=int)
@click.argument("end", type=int)
@click.argument("code")
@coder_option()
@click.option("--memo", default="", help="a memo for this coding")
def code(
    project: str, source: str, start: int, end: int, code: str, coder_name: str | None, memo: str
) -> int:
    """Apply CODE to characters START..END (code points, end exclusive) of SOURCE.

    SOURCE is a source name, file name, id, GUID or participant; CODE a code name,
    Parent/Child path or GUID."""
    from coder.services.codebook.reading import find_code
    from coder.services.coding.codings import apply_code
    from coder.services.sources.transcripts import find_source
    from coder.services.team.identity import current_coder

    who = current_coder(coder_name)
    with open_project(project) as opened:
        found = find_source(opened, source)
        target = find_code(opened, code)
        c = apply_code(opened, found.id, start, end, target.id, coder=who, memo=memo)
    click.echo(f"coded {c.source_name} {c.start}-{c.end} as {c.code_name}: {short(c.snippet)}")
    return 0


@click.command(short_help="list codings, by coder, code or source")
@click.argument("project", type=PROJECT)
@click.option("--coder", "coders", multiple=True, metavar="NAME", help="only this coder's")
@click.option("--code", "code_refs", multiple=True, metavar="NAME", help="only this code's")
@click.option("--source", "source_refs", multiple=True, metavar="NAME", help="only this source's")
@SET_OPTION
@json_option(
    'JSON array of {"guid", "source", "start", "end", "code", "code_guid", "coder", "text"}'
)
def codings(
    project: str,
    coders: tuple[str, ...],
    code_refs: tuple[str, ...],
    source_refs: tuple[str, ...],
    set_names: tuple[str, ...],
    as_json: bool,
) -> int:
    """List the codings of PROJECT in source order: source, span (code points, end
    exclusive), code, coder and the coded text. Each option may be given more than once; a
    code is a name, a Parent/Child path or a GUID, a source a name, file name, GUID or
    participant."""
    from coder.services.analysis.set_filter import rows_in_sets
    from coder.services.codebook.reading import find_code
    from coder.services.coding.listing import list_codings
    from coder.services.sources.transcripts import find_source

    with open_project(project) as opened:
        code_ids = tuple(find_code(opened, ref).id for ref in code_refs)
        source_ids = tuple(find_source(opened, ref).id for ref in source_refs)
        rows = list_codings(opened, coders=coders, code_ids=code_ids, source_ids=source_ids)
        rows = rows_in_sets(opened, rows, set_names)
    if as_json:
        emit_json(rows)
        return 0
    for r in rows:
        click.echo(f"{r.source}  {r.start}-{r.end}  {r.code}  [{r.coder}]  {short(r.text)}")
    if not rows:
        click.echo("no codings")
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
    from coder.services.codebook.files import import_codebook_file

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
    MAXQDA), .csv for Taguette (columns tag, description)."""
    from coder.services.codebook.files import export_codebook_file

    with open_project(project) as opened:
        book = export_codebook_file(opened, file)
    click.echo(f"wrote {len(book.walk())} codes to {file}")
    return 0
