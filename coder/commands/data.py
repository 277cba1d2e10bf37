"""Subcommands for participants (cases) and codebooks."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from coder.commands.core import _project_arg


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cases = sub.add_parser(
        "cases",
        help="participants and their attributes",
        description="Import or list participants (cases).",
    )
    cs = cases.add_subparsers(dest="cases_command", metavar="ACTION", required=True)
    p = cs.add_parser(
        "import",
        help="link sources to participants and set attributes from a CSV/XLSX",
        description="Read a participants sheet (CSV or XLSX): one row per participant. Columns: "
        "the participant (default: Participant/Case/Name/ID), an optional organisation "
        "(Organisation/Label/Company/Group), optional source file names (Source/File/"
        "Transcript), and any number of attributes, typed as integer, number, date (YYYY-MM-DD) "
        "or text. Attributes shared by everyone in an organisation are stored on the "
        "organisation. The whole sheet is one transaction.",
    )
    _project_arg(p)
    p.add_argument("sheet", type=Path, metavar="CSV")
    p.add_argument("--participant-column", help="column naming the participant")
    p.add_argument("--org-column", help="column naming the organisation")
    p.add_argument("--source-column", help="column naming the participant's transcript file(s)")
    p.add_argument(
        "--org-attributes",
        help="comma-separated columns that belong to the organisation "
        "(default: those whose values are the same for everyone in it)",
    )
    p.set_defaults(handler=cmd_cases_import)
    p = cs.add_parser(
        "list",
        help="list participants and attributes",
        description="List participants with their attributes.",
    )
    _project_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_cases_list)

    cb = sub.add_parser(
        "codebook",
        help="import or export a codebook (YAML or REFI-QDA .qdc)",
        description="Import a codebook into a project (merged by GUID: "
        "idempotent, never duplicates) or export the project's codebook.",
    )
    cbs = cb.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    p = cbs.add_parser(
        "import",
        help="merge a codebook file into the project",
        description="Merge a .yaml or .qdc codebook into the project by GUID.",
    )
    _project_arg(p)
    p.add_argument("file", type=Path)
    p.set_defaults(handler=cmd_codebook_import)
    p = cbs.add_parser(
        "export",
        help="write the project's codebook to a file",
        description="Write the codebook; .yaml for coder's format, .qdc for "
        "REFI-QDA (NVivo, ATLAS.ti, MAXQDA).",
    )
    _project_arg(p)
    p.add_argument("file", type=Path)
    p.set_defaults(handler=cmd_codebook_export)


def cmd_cases_import(args: argparse.Namespace) -> int:
    from coder.commands.core import _open
    from coder.services.sources.cases import CaseSheetSpec, import_cases

    org_attrs = (
        tuple(a.strip() for a in args.org_attributes.split(",") if a.strip())
        if args.org_attributes
        else None
    )
    spec = CaseSheetSpec(args.participant_column, args.org_column, args.source_column, org_attrs)
    with _open(args.project) as project:
        r = import_cases(project, str(args.sheet), spec)
    shared = [a.name for a in r.attributes if a.scope == "organisation"]
    print(
        f"{r.cases_created} participants created, {r.cases_updated} updated, "
        f"{r.organisations} organisations, {r.sources_linked} sources linked"
    )
    print(
        "attributes: "
        + ", ".join(
            f"{a.name} ({a.type}{', organisation' if a.scope == 'organisation' else ''})"
            for a in r.attributes
        )
    )
    if shared:
        print("shared within each organisation: " + ", ".join(shared))
    for ref in r.unmatched_sources:
        print(f"coder: {args.sheet}: no source matches {ref!r} (import it first)", file=sys.stderr)
    return 1 if r.unmatched_sources else 0


def _plain(v: object) -> object:
    return v.isoformat() if isinstance(v, date) else v


def cmd_cases_list(args: argparse.Namespace) -> int:
    from coder.commands.core import _open
    from coder.services.sources.cases import list_cases

    with _open(args.project) as project:
        cases = list_cases(project)
    if args.json:
        json.dump(
            [
                {
                    "name": c.name,
                    "organisation": c.organisation,
                    "guid": c.guid,
                    "attributes": {
                        k: _plain(v) for k, v in {**c.organisation_values, **c.values}.items()
                    },
                    "sources": list(c.source_names),
                }
                for c in cases
            ],
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
        return 0
    for c in cases:
        attrs = "; ".join(
            f"{k}: {_plain(v)}" for k, v in {**c.organisation_values, **c.values}.items()
        )
        print(f"{c.name:<8} {c.organisation or '-':<10} {attrs}")
    return 0


def cmd_codebook_import(args: argparse.Namespace) -> int:
    from coder.commands.core import _open
    from coder.services.codebook.files import import_codebook_file

    with _open(args.project) as project:
        s = import_codebook_file(project, args.file)
    print(
        f"{args.file}: {s.codes_created} codes created, {s.codes_updated} updated, "
        f"{s.codes_unchanged} unchanged"
    )
    return 0


def cmd_codebook_export(args: argparse.Namespace) -> int:
    from coder.commands.core import _open
    from coder.services.codebook.files import export_codebook_file

    with _open(args.project) as project:
        book = export_codebook_file(project, args.file)
    print(f"wrote {len(book.walk())} codes to {args.file}")
    return 0
