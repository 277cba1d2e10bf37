"""`coder pseudonymise`: review, then write, a copy of a project to share, and its key apart.

Also the `--pseudonymise` flag every export has: the export is made from a pseudonymised copy
in a temporary folder, which is deleted afterwards (its key is not written; run
`coder pseudonymise` to keep one).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from coder.cli.params import PROJECT, emit_json, file_option, json_option, open_project
from coder.errors import UserError

F = TypeVar("F", bound=Callable[..., Any])


def pseudonymise_option(f: F) -> F:
    """Add `--pseudonymise` (parameter `pseudonymise: bool`) to an export command."""
    return click.option(
        "--pseudonymise",
        is_flag=True,
        help="export a pseudonymised copy: names replaced by ids and pseudonyms "
        "(see coder pseudonymise)",
    )(f)


@contextmanager
def export_target(project: str, pseudonymise: bool) -> Iterator[str]:
    """`project` itself, or with `pseudonymise` a pseudonymised copy of it in a temporary
    folder for the length of the export."""
    if not pseudonymise:
        yield project
        return
    from coder.services.exchange.pseudonymise import PseudonymOptions, write_pseudonymised

    with tempfile.TemporaryDirectory(prefix="coder-pseudonymise-") as folder:
        copy = Path(folder) / "pseudonymised.coder"
        with open_project(project) as opened:
            plan = write_pseudonymised(opened, copy, PseudonymOptions())
        click.echo(
            f"coder: exporting a pseudonymised copy ({len(plan.replacements):,} replacements; "
            "no key written: run coder pseudonymise for one)",
            err=True,
        )
        yield str(copy)


@contextmanager
def _cleanup_on_terminate() -> Iterator[None]:
    """Turn SIGTERM into SystemExit for the length of the block, so the working copy of the
    data (which still holds every name) is removed when the run is stopped, as on Ctrl-C.
    A SIGKILL cannot be caught: the next run with the same --out removes what it left."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _read_exclusions(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read the exclusions file ({exc})") from exc
    return [s.strip() for s in lines if s.strip() and not s.lstrip().startswith("#")]


def _keep_at(values: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    out = []
    for v in values:
        where, _, offset = v.rpartition(":")
        if not where or not offset.strip().isdigit():
            raise UserError(f"--keep-at {v!r}: give SOURCE:OFFSET as the review lists it")
        out.append((where, int(offset)))
    return tuple(out)


@click.command(short_help="a pseudonymised copy to share, and its key apart")
@click.argument("project", type=PROJECT)
@file_option("--out", "the pseudonymised project to write (never PROJECT itself)", "NEW.coder")
@click.option(
    "--dry-run",
    "--review",
    "dry_run",
    is_flag=True,
    help="list every replacement and write nothing",
)
@click.option("--keep", multiple=True, metavar="NAME", help="never replace this name (repeatable)")
@click.option(
    "--keep-at",
    multiple=True,
    metavar="SOURCE:OFFSET",
    help="keep one replacement the review lists (repeatable)",
)
@file_option("--exclusions", "a file of names to keep, one a line (# starts a comment)", "FILE")
@file_option("--key", "where to write the key (default: NEW.coder.key.csv)", "FILE")
@click.option(
    "--no-model",
    is_flag=True,
    help="do not use the trained pipeline named in the nlp.model setting",
)
@click.option(
    "--add-name",
    multiple=True,
    metavar="NAME[=PSEUDONYM]",
    help="add a name to the project's names list (repeatable)",
)
@click.option(
    "--remove-name",
    multiple=True,
    metavar="NAME",
    help="remove a name from the names list (repeatable)",
)
@click.option("--list-names", is_flag=True, help="print the names list")
@json_option("each replacement as JSON (source, offset, original, pseudonym, reason)")
def pseudonymise(
    project: str,
    out: Path | None,
    dry_run: bool,
    keep: tuple[str, ...],
    keep_at: tuple[str, ...],
    exclusions: Path | None,
    key: Path | None,
    no_model: bool,
    add_name: tuple[str, ...],
    remove_name: tuple[str, ...],
    list_names: bool,
    as_json: bool,
) -> int:
    """Replace participants' names and speaker labels with their ids, organisations with
    labels, the names in the project's names list, and the names a spaCy EntityRuler built from
    them finds in the text (plus PERSON, ORG and GPE entities when a trained pipeline is set in
    nlp.model). Review with --dry-run first; PROJECT is never modified, and the key (name ->
    pseudonym) goes to a separate file, never into the copy."""
    from coder.services.exchange import pseudonym_terms as names
    from coder.services.exchange import pseudonymise as service

    if add_name or remove_name or list_names:
        with open_project(project) as opened:
            listed = names.list_names(opened)
            if add_name:
                listed = names.add_names(opened, list(add_name))
            if remove_name:
                listed = names.remove_names(opened, list(remove_name))
        if as_json:
            emit_json(listed)
        else:
            for name, given in listed.items():
                click.echo(f"{name}\t{given or '(numbered)'}")
            if not listed:
                click.echo("the names list is empty")
        return 0
    kept = keep + tuple(_read_exclusions(exclusions) if exclusions else ())
    options = service.PseudonymOptions(kept, _keep_at(keep_at), not no_model)
    if dry_run:
        with open_project(project) as opened:
            plan = service.plan_pseudonymisation(opened, options)
        _warn_unmatched(plan)
        if as_json:
            emit_json(list(plan.replacements))
            return 0
        for r in plan.replacements:
            click.echo(f"{r.source}:{r.offset}\t{r.original} -> {r.pseudonym}\t({r.reason})")
        _summary(plan, "would replace")
        return 0
    if out is None:
        raise UserError("give --out NEW.coder (or --dry-run to review)")
    key_path = key or out.with_name(out.name + ".key.csv")
    if Path(project).resolve() in (out.resolve(), key_path.resolve()):
        raise UserError(f"{out}: the copy and its key must not overwrite {project}")
    if key_path.exists():
        raise UserError(f"{key_path}: already exists; choose another --key")
    with open_project(project) as opened, _cleanup_on_terminate():
        plan = service.write_pseudonymised(opened, out, options)
    from coder.files import atomic_write

    atomic_write(key_path, service.key_csv(plan))
    _warn_unmatched(plan)
    if as_json:
        emit_json({"out": out, "key": key_path, "replacements": list(plan.replacements)})
        return 0
    _summary(plan, "replaced")
    click.echo(f"wrote {out}; the key is in {key_path} (keep it apart from the copy)")
    return 0


def _warn_unmatched(plan: Any) -> None:
    """A --keep-at that names no replacement kept nothing: say so (a typo, or a place from
    an older review), on stderr, one line each."""
    for where, offset in plan.unmatched_keep_at:
        click.echo(
            f"coder: --keep-at {where}:{offset}: no replacement there, nothing kept "
            "(--dry-run lists each as SOURCE:OFFSET)",
            err=True,
        )


def _summary(plan: Any, verb: str) -> None:
    names = len({t.name for t in plan.key})
    model = f"; trained pipeline {plan.model}" if plan.model else ""
    click.echo(f"{verb} {len(plan.replacements):,} occurrences of {names} names{model}")
