"""What every `coder` command shares: the PROJECT argument, `--json`, JSON output, opening.

One home for these so that each command module stays a list of thin click commands: the
project parameter is declared once, JSON is printed by one function from the services'
frozen dataclasses (or plain lists and dicts), and every command opens its project the same
way, reporting a schema upgrade on stderr. Nothing heavy is imported here: `coder --help`
and `coder info` must stay fast.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

import click

if TYPE_CHECKING:
    from coder.services.project.store import Project
    from coder.services.project.summary import UpgradeResult

F = TypeVar("F", bound=Callable[..., Any])


class ProjectType(click.ParamType):  # type: ignore[type-arg]  # generic in newer click
    """A project: a `.coder` file or a database URL, kept as the string the user gave."""

    name = "project"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """Return the target unchanged (opening it is the command's business)."""
        return str(value)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        """Show PROJECT in usage lines."""
        return "PROJECT"


PROJECT = ProjectType()
"""`@click.argument("project", type=PROJECT)`: a .coder path or postgresql://... URL."""


def coder_option(who: str = "who is coding") -> Callable[[F], F]:
    """`--coder NAME` (the function receives `coder_name`): `who`, for this one command, with
    the order `current_coder` falls back in when it is not given."""
    return click.option(
        "--coder",
        "coder_name",
        metavar="NAME",
        help=f"{who} (default: $CODER_NAME, else 'coder config user', else your login)",
    )


def file_option(flag: str, about: str, metavar: str | None = None) -> Callable[[F], F]:
    """An option naming a file to read or write (the function receives a Path, or None)."""
    return click.option(flag, type=click.Path(path_type=Path), metavar=metavar, help=about)


@overload
def json_option(help_or_command: F) -> F: ...
@overload
def json_option(help_or_command: str = ...) -> Callable[[F], F]: ...
def json_option(help_or_command: Any = "machine-readable output") -> Any:
    """Add `--json` to a command; the function receives it as `as_json: bool`.

    Use it bare (`@json_option`) or with the option's help (`@json_option("JSON with ...")`).
    """
    if callable(help_or_command):
        return json_option()(help_or_command)
    return click.option("--json", "as_json", is_flag=True, help=help_or_command)


def plain(value: Any) -> Any:
    """`value` with dataclasses, tuples, dates and paths turned into JSON's own types."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def emit_json(value: Any) -> None:
    """Print `value` (dataclasses, lists, dicts) as indented UTF-8 JSON on stdout."""
    click.echo(json.dumps(plain(value), ensure_ascii=False, indent=2))


def emit(as_json: bool, value: Any, text: str) -> int:
    """Print `value` as JSON (with --json) or `text` for people; 0, the command's exit code."""
    if as_json:
        emit_json(value)
    else:
        click.echo(text)
    return 0


@contextmanager
def open_project(target: str) -> Iterator[Project]:
    """Open the project at `target` for one command, and close it afterwards.

    A missing file or a bad URL raises a UserError (from the services); an automatic schema
    upgrade is reported on stderr with the path of the backup.
    """
    from coder.services.project.store import Project

    with Project.open(target) as project:
        report_upgrade(target, project.upgrade)
        yield project


def report_upgrade(target: str, up: UpgradeResult) -> None:
    """Say on stderr that opening `target` upgraded its schema, and where the backup is."""
    if up.upgraded_from is not None or up.backup is not None:
        print(
            f"coder: upgraded {target} from schema {up.upgraded_from}; backup at {up.backup}",
            file=sys.stderr,
        )


def short(text: str, n: int = 60) -> str:
    """`text` on one line, cut to at most `n` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[: n - 1] + "…"


SET_OPTION = click.option(
    "--set",
    "set_names",
    multiple=True,
    metavar="NAME",
    help="only the sources and codes of this set (a .qdpx import keeps them; repeat to narrow)",
)
"""`--set NAME`: keep a command to a source set's sources and a code set's codes (13.15)."""
