"""Subcommands for journal tables, reports and REFI-QDA projects.

`coder export table1|table2|codebook|extracts|qdpx|columns PROJECT ...` and
`coder import-project PROJECT FILE.qdpx`. Thin: the services gather the data, coder.export
renders it, and every file is written atomically.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coder.errors import UserError

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
               "note). The layout is remembered in the project."),
}  # fmt: skip


def _project_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", help="project file (.coder) or database URL (postgresql://...)")


def _out_args(p: argparse.ArgumentParser, formats: str) -> None:
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=f"output file; the extension picks the format ({formats}); '-' prints CSV or Markdown",
    )
    p.add_argument("--format", choices=formats.split(", "), help="format, if not the extension's")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ex = sub.add_parser(
        "export",
        help="journal tables, reports, REFI-QDA project",
        description="Export Table 1, Table 2, a codebook document, a coded "
        "extracts report, or the whole project as REFI-QDA (.qdpx).",
    )
    exs = ex.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    for name, (short, long) in TABLE_HELP.items():
        p = exs.add_parser(name, help=short, description=long)
        _project_arg(p)
        _out_args(p, "docx, csv, xlsx, md")
        p.add_argument(
            "--columns",
            metavar="LIST",
            help='comma-separated columns in order, each optionally "=Header", e.g. '
            '"Label,Position,Years in music industry=Years" (see: coder export '
            "columns)",
        )
        p.add_argument("--caption", help='the caption, e.g. "Table 1. Interviewees"')
        if name == "table2":
            p.add_argument(
                "--quotes",
                type=int,
                metavar="N",
                help="at most N quotes per row (default: every marked exemplar, "
                "else 2 chosen by rule; 0 for none)",
            )
            p.add_argument(
                "--theme-rows",
                action=argparse.BooleanOptionalAction,
                default=None,
                help="add an 'Overall' row for each theme above its sub-themes",
            )
        p.set_defaults(handler=cmd_table, table=name)

    p = exs.add_parser(
        "columns",
        help="list the columns Table 1 and Table 2 can show",
        description="List the columns each table can show, with their names "
        "for --columns, and the remembered layout.",
    )
    _project_arg(p)
    p.set_defaults(handler=cmd_columns)

    p = exs.add_parser(
        "codebook",
        help="the codebook as a Word document (thesis appendix)",
        description="Write the codebook for an appendix: each code's definition, "
        "criteria, keywords, examples and counts.",
    )
    _project_arg(p)
    _out_args(p, "docx, md")
    p.set_defaults(handler=cmd_codebook_doc)

    p = exs.add_parser(
        "extracts",
        help="every coded passage, grouped by theme",
        description="Write every coded passage under its code, grouped by "
        "theme, each with the participant's attributes.",
    )
    _project_arg(p)
    _out_args(p, "docx, md")
    p.add_argument(
        "--code",
        action="append",
        metavar="CODE",
        help="only this code and those beneath it (repeatable)",
    )
    p.set_defaults(handler=cmd_extracts)

    p = exs.add_parser(
        "qdpx",
        help="the whole project as REFI-QDA (.qdpx)",
        description="Write the project as a REFI-QDA project (.qdpx) for NVivo, "
        "ATLAS.ti, MAXQDA or QualCoder: sources, codes, codings, participants "
        "with their attributes, memos and coders.",
    )
    _project_arg(p)
    p.add_argument("-o", "--output", metavar="FILE.qdpx", required=True)
    p.set_defaults(handler=cmd_qdpx)

    p = sub.add_parser(
        "import-project",
        help="import a REFI-QDA project (.qdpx)",
        description="Import a .qdpx from NVivo, ATLAS.ti, MAXQDA, QualCoder or "
        "coder into a new or empty project, in one transaction. What coder "
        "cannot keep (pictures, audio, video) is listed.",
    )
    _project_arg(p)
    p.add_argument("file", type=Path, metavar="FILE.qdpx")
    p.set_defaults(handler=cmd_import_project)


def _write(data: bytes, output: str, fmt: str) -> None:
    if output == "-":
        if fmt not in ("csv", "md"):
            raise UserError(f"cannot print {fmt} to the terminal; give -o FILE")
        sys.stdout.write(data.decode("utf-8-sig"))
        return
    from coder.services.codebook_files import atomic_write

    atomic_write(output, data)


def _target(args: argparse.Namespace, stem: str, allowed: tuple[str, ...]) -> tuple[str, str]:
    from coder.export.formats import pick_format

    fmt = pick_format(args.output, args.format, allowed)
    return args.output or f"{stem}.{fmt}", fmt


def cmd_table(args: argparse.Namespace) -> int:
    from coder.commands.core import _open
    from coder.export.columns import TableConfig, parse_columns
    from coder.services import reports

    output, fmt = _target(args, args.table, ("docx", "csv", "xlsx", "md"))
    with _open(args.project) as project:
        columns: Any = ()
        if args.columns:
            lister = reports.table1_columns if args.table == "table1" else reports.table2_columns
            columns = parse_columns(args.columns, lister(project), args.table)
        given = TableConfig(
            columns,
            args.caption or "",
            getattr(args, "quotes", None),
            getattr(args, "theme_rows", None),
        )
        # A preview on the terminal (-o -) changes nothing that is remembered.
        data, raw = reports.table_file(project, args.table, fmt, given, remember=output != "-")
    _write(raw, output, fmt)
    if output != "-":
        print(f"wrote {output}: {len(data.rows)} rows, {len(data.columns)} columns")
    return 0


def cmd_columns(args: argparse.Namespace) -> int:
    from coder.commands.core import _open
    from coder.services import reports

    with _open(args.project) as project:
        for table, lister in (
            ("table1", reports.table1_columns),
            ("table2", reports.table2_columns),
        ):
            print(f"{table}:")
            for c in lister(project):
                print(f"  {c.label:<28} {c.description}")
            cfg = reports.load_config(project, table)
            if cfg.columns:
                print("  remembered: " + ",".join(label for _k, label in cfg.columns))
    return 0


def cmd_codebook_doc(args: argparse.Namespace) -> int:
    from coder.commands.core import _open
    from coder.services.reports import document_file

    output, fmt = _target(args, "codebook", ("docx", "md"))
    with _open(args.project) as project:
        n, raw = document_file(project, "codebook", fmt)
    _write(raw, output, fmt)
    if output != "-":
        print(f"wrote {output}: {n} codes")
    return 0


def cmd_extracts(args: argparse.Namespace) -> int:
    from coder.commands.core import _open
    from coder.services.codes import find_code
    from coder.services.reports import document_file

    output, fmt = _target(args, "extracts", ("docx", "md"))
    with _open(args.project) as project:
        ids = [find_code(project, ref).id for ref in args.code] if args.code else None
        n, raw = document_file(project, "extracts", fmt, ids)
    _write(raw, output, fmt)
    if output != "-":
        print(f"wrote {output}: {n:,} passages")
    return 0


def cmd_qdpx(args: argparse.Namespace) -> int:
    from coder.commands.core import _open
    from coder.services.refi_project import export_qdpx

    with _open(args.project) as project:
        proj = export_qdpx(project, args.output)
    n = sum(len(s.codings) for s in proj.sources)
    print(
        f"wrote {args.output}: {len(proj.sources)} sources, {len(proj.codes)} themes, "
        f"{n:,} codings, {len(proj.cases)} participants"
    )
    return 0


def cmd_import_project(args: argparse.Namespace) -> int:
    from coder.services.refi_project import import_qdpx

    summary = import_qdpx(args.project, args.file)
    for w in summary.warnings:
        print(f"coder: {args.file}: {w}", file=sys.stderr)
    print(
        f"imported {args.file}: {summary.sources} sources, {summary.codes} codes, "
        f"{summary.codings:,} codings, {summary.cases} participants, {summary.memos} memos"
    )
    return 0
