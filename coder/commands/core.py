"""Core subcommands: init, import, sources, codes, code, check, db, info, open, demo."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from coder.errors import UserError
from coder.wording import count


def _project_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", help="project file (.coder) or database URL (postgresql://...)")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "init",
        help="create a new, empty project",
        description="Create a new project (an SQLite file, or a database URL).",
    )
    _project_arg(p)
    p.add_argument("--codebook", type=Path, help="load this codebook (YAML or .qdc) into it")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser(
        "import",
        help="import transcripts (txt, md, docx, vtt, srt, odt, rtf)",
        description="Import transcript files. Each file is one transaction; a file "
        "that cannot be read is reported and skipped, and the exit status is 1.",
    )
    _project_arg(p)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--max-size-mb", type=float, default=50.0, help="refuse files larger than this (default 50)"
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("sources", help="list sources", description="List the project's sources.")
    _project_arg(p)
    p.add_argument(
        "--json",
        action="store_true",
        help="JSON with name, case, format, words and turns for each source",
    )
    p.set_defaults(handler=cmd_sources)

    p = sub.add_parser("codes", help="show the code tree", description="Show the codebook tree.")
    _project_arg(p)
    p.add_argument(
        "--json", action="store_true", help="JSON tree (name, guid, description, children)"
    )
    p.set_defaults(handler=cmd_codes)

    p = sub.add_parser(
        "code",
        help="apply a code to a span of a source",
        description="Apply CODE to characters START..END (code points, end exclusive) of SOURCE.",
    )
    _project_arg(p)
    p.add_argument("source", help="source name, file name, id, GUID or participant")
    p.add_argument("start", type=int)
    p.add_argument("end", type=int)
    p.add_argument("code", help="code name, Parent/Child path or GUID")
    p.add_argument("--coder", help="who is coding (default: $CODER_NAME or your login)")
    p.add_argument("--memo", default="", help="a memo for this coding")
    p.set_defaults(handler=cmd_code)

    p = sub.add_parser(
        "check",
        help="verify the project's invariants",
        description="Verify that every coding's snippet equals the source text "
        "at its offsets, and the other invariants. Exit 1 if any fails.",
    )
    _project_arg(p)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("info", help="summarise a project", description="Summarise a project.")
    _project_arg(p)
    p.set_defaults(handler=cmd_info)

    db = sub.add_parser(
        "db",
        help="schema: current revision, upgrade",
        description="Inspect or upgrade the project's schema.",
    )
    dbs = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    p = dbs.add_parser(
        "current",
        help="show the schema revision and the newest known",
        description="Show the schema revision without changing anything.",
    )
    _project_arg(p)
    p.set_defaults(handler=cmd_db_current)
    p = dbs.add_parser(
        "upgrade",
        help="back up, then upgrade to the newest schema",
        description="Back up the project beside itself, then upgrade it.",
    )
    _project_arg(p)
    p.set_defaults(handler=cmd_db_upgrade)

    p = sub.add_parser(
        "open",
        help="open the coding workspace (TUI)",
        description="Open the coding workspace on a project.",
    )
    _project_arg(p)
    p.set_defaults(handler=cmd_open)

    p = sub.add_parser(
        "demo",
        help="build the bundled sample study and open it",
        description="Build the sample study (12 interviews, participants, the "
        "bonding-spreading codebook) into a new project under your data "
        "folder and open it.",
    )
    p.add_argument("--no-open", action="store_true", help="build and print, don't open the TUI")
    p.add_argument("--path", type=Path, help="where to build it (default: your data folder)")
    p.set_defaults(handler=cmd_demo)


def _open(target: str):  # type: ignore[no-untyped-def]
    from coder.services.project import Project

    project = Project.open(target)
    if project.upgrade.upgraded_from is not None or project.upgrade.backup is not None:
        print(
            f"coder: upgraded {target} from schema {project.upgrade.upgraded_from}; "
            f"backup at {project.upgrade.backup}",
            file=sys.stderr,
        )
    return project


def cmd_init(args: argparse.Namespace) -> int:
    from coder.services.codebook_files import read_codebook_file
    from coder.services.codebooks import import_codebook
    from coder.services.project import Project

    # The codebook is read before the project exists, so a bad one leaves nothing behind.
    book = read_codebook_file(args.codebook) if args.codebook else None
    with Project.create(args.project) as project:
        if book is not None:
            import_codebook(project, book)
        print(f"created {args.project}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from coder.ingest import Limits

    limits = Limits(max_file_bytes=int(args.max_size_mb * 1024 * 1024))
    with _open(args.project) as project:
        outcomes = _with_progress(project, args.files, limits, quiet=args.quiet)
    failed = 0
    for o in outcomes:
        if o.status == "failed":
            failed += 1
            print(f"coder: {o.path}: {o.message}", file=sys.stderr)
        elif o.status == "duplicate":
            print(f"skipped {o.path}: {o.message}", file=sys.stderr)
        elif o.message:  # e.g. "read as KOI8-R"
            print(f"{o.path}: {o.message}", file=sys.stderr)
    done = [o for o in outcomes if o.status == "imported"]
    print(
        f"imported {len(done)} of {len(outcomes)} files, "
        f"{sum(o.words for o in done):,} words, {sum(o.turns for o in done):,} turns"
        + (f"; {failed} failed" if failed else "")
    )
    return 1 if failed else 0


def _with_progress(project: Any, files: list[Path], limits: Any, *, quiet: bool) -> list[Any]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from coder.services.sources import import_files

    if quiet or len(files) < 2:
        return import_files(project, files, limits=limits)
    with Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        transient=True,
        console=_stderr_console(),
    ) as bar:
        task = bar.add_task("", total=len(files))

        def step(i: int, n: int, outcome: Any) -> None:
            bar.update(task, completed=i, description=Path(outcome.path).name)

        return import_files(project, files, limits=limits, progress=step)


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def cmd_sources(args: argparse.Namespace) -> int:
    from coder.services.sources import get_source, list_sources

    with _open(args.project) as project:
        infos = list_sources(project)
        if args.json:
            out = []
            for info in infos:
                st = get_source(project, info.id)
                out.append(
                    {
                        "name": info.name,
                        "case": info.case_name,
                        "format": info.format,
                        "words": info.words,
                        "file": info.filename,
                        "guid": info.guid,
                        "turns": [
                            {
                                "speaker": t.speaker,
                                "start": t.start,
                                "end": t.end,
                                "text": st.text[t.start : t.end],
                                "timestamp": t.timestamp,
                            }
                            for t in st.turns
                        ],
                    }
                )
            json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
            print()
            return 0
        for info in infos:
            who = info.case_name or "-"
            print(
                f"{info.name:<40} {who:<10} {info.format:<5} {info.words:>7,} words "
                f"{info.coded_fraction:>4.0%} coded"
            )
    return 0


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


def cmd_codes(args: argparse.Namespace) -> int:
    from coder.services.codes import code_tree

    with _open(args.project) as project:
        tree = code_tree(project)
    if args.json:
        json.dump([_node_json(n) for n in tree], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for node in tree:
        for c in node.walk():
            amounts = f"{count(c.codings, 'coding')}, {count(c.participants, 'participant')}"
            print(f"{'  ' * c.depth}{c.name}  ({amounts})")
    return 0


def cmd_code(args: argparse.Namespace) -> int:
    from coder.services.codes import find_code
    from coder.services.coding import apply_code
    from coder.services.sources import find_source

    with _open(args.project) as project:
        source = find_source(project, args.source)
        code = find_code(project, args.code)
        c = apply_code(
            project, source.id, args.start, args.end, code.id, coder=args.coder, memo=args.memo
        )
    print(f"coded {c.source_name} {c.start}-{c.end} as {c.code_name}: {_short(c.snippet)}")
    return 0


def _short(text: str, n: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[: n - 1] + "…"


def cmd_check(args: argparse.Namespace) -> int:
    from coder.services.check import check_project

    with _open(args.project) as project:
        report = check_project(project)
    for p in report.problems:
        print(f"{p.kind}: {p.detail}")
    status = "ok" if report.ok else f"{len(report.problems)} problem(s)"
    print(
        f"checked {report.sources} sources, {report.codings} codings, {report.codes} codes: "
        f"{status}"
    )
    return 0 if report.ok else 1


def cmd_info(args: argparse.Namespace) -> int:
    with _open(args.project) as project:
        counts = project.counts()
        rev = project.schema_revision()
    print(f"{args.project}: schema {rev}")
    for k, v in counts.items():
        print(f"  {k:<14}{v:>10,}")
    return 0


def cmd_db_current(args: argparse.Namespace) -> int:
    from coder.db.engine import is_url, make_engine
    from coder.db.lifecycle import current_revision, head_revision

    if not is_url(args.project) and not Path(args.project).is_file():
        raise UserError(f"{args.project}: no such project")
    engine = make_engine(args.project)
    try:
        rev = current_revision(engine)
    finally:
        engine.dispose()
    head = head_revision()
    state = "up to date" if rev == head else "needs upgrade (runs on next open)"
    print(f"{rev or 'unversioned'} (newest {head}): {state}")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from coder.services.project import Project

    with Project.open(args.project) as project:
        up = project.upgrade
        rev = project.schema_revision()
    if up.upgraded_from is None and up.backup is None:
        print(f"already at {rev}")
    else:
        print(f"upgraded {up.upgraded_from or 'unversioned'} -> {rev}; backup at {up.backup}")
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    _open(args.project).close()  # one-line errors and upgrades happen before the screen changes
    from coder.launch import open_workspace

    return open_workspace(args.project)


def cmd_demo(args: argparse.Namespace) -> int:
    from coder.services.sample import build_sample_study

    path = build_sample_study(args.path)
    print(f"sample study built at {path}")
    if args.no_open:
        return 0
    from coder.launch import open_workspace

    return open_workspace(str(path))
