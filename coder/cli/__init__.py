"""The `coder` command: a click group whose subcommands are loaded only when they are used.

Thin on purpose: all work happens in coder.services (and the exporters and suggesters they
call). `COMMANDS` maps each command name to "module:attr"; `coder --help` imports only the
small command modules (which import nothing heavy at module level), and `coder info` imports
only its own. A user mistake (a UserError, which file readers raise too) prints one line
`coder: <message>` on stderr and exits with 1; usage mistakes exit with 2, an interrupt with
130, and a closed pipe (`coder sources x | head`) quietly with 0. Commands return their exit
status as an int, which `main` returns.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

import click

from coder import __version__
from coder.errors import UserError

COMMANDS: dict[str, str] = {
    "init": "coder.cli.project:init",
    "import": "coder.cli.sources:import_",
    "sources": "coder.cli.sources:sources",
    "codes": "coder.cli.codes:codes",
    "code": "coder.cli.codes:code",
    "codings": "coder.cli.codes:codings",
    "check": "coder.cli.project:check",
    "info": "coder.cli.project:info",
    "db": "coder.cli.project:db",
    "open": "coder.cli.project:open_",
    "demo": "coder.cli.project:demo",
    "cases": "coder.cli.sources:cases",
    "codebook": "coder.cli.codes:codebook",
    "suggest": "coder.cli.suggest:suggest",
    "export": "coder.cli.export:export",
    "import-project": "coder.cli.export:import_project",
    "import-survey": "coder.cli.survey:import_survey",
    "config": "coder.cli.config:config",
    "agreement": "coder.cli.team:agreement",
    "merge": "coder.cli.team:merge",
    "matrix": "coder.cli.analysis:matrix",
    "cooccur": "coder.cli.analysis:cooccur",
    "query": "coder.cli.analysis:query",
    "words": "coder.cli.analysis:words",
    "framework": "coder.cli.framework:framework",
    "pseudonymise": "coder.cli.pseudonymise:pseudonymise",
    "media": "coder.cli.media:media",
}
"""Every subcommand of `coder`, in the order `coder --help` lists them."""


class CoderFormatter(click.HelpFormatter):
    """Help as before: the usage line starts with a lower-case "usage:"."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """Write the usage line with coder's prefix."""
        super().write_usage(prog, args, "usage: " if prefix is None else prefix)


class CoderContext(click.Context):
    """A context whose help uses CoderFormatter."""

    formatter_class = CoderFormatter


def _adopt(command: click.Command) -> click.Command:
    """Give `command` (and its subcommands) coder's context, hence its help format."""
    command.context_class = CoderContext
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _adopt(sub)
    return command


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when the subcommand is needed."""

    context_class = CoderContext

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The group's own commands, then the registered names, in registry order."""
        return [*self.commands, *(name for name in self.lazy if name not in self.commands)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import and return the command called `cmd_name`, or None."""
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        spec = self.lazy.get(cmd_name)
        if spec is None:
            return None
        module, _, attr = spec.partition(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command), spec
        return _adopt(command)


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    no_args_is_help=False,
    name="coder",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Run 'coder demo' to open the bundled sample study. "
    "'coder COMMAND --help' explains each command.",
)
@click.version_option(__version__, "--version", prog_name="coder", message="%(prog)s %(version)s")
def cli() -> None:
    """Terminal-first qualitative analysis: import interview transcripts, code them with a
    thematic codebook, get suggestions, export journal tables."""


def _usage_error(exc: click.UsageError) -> int:
    """Print a usage mistake as the usage line and one `coder:` line; return 2."""
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):  # a group given nothing
        message = "Missing arguments"
    else:
        message = exc.format_message().rstrip(".")
    if exc.ctx is not None:
        click.echo(exc.ctx.get_usage(), err=True)
        message += f" (see '{exc.ctx.command_path.strip()} --help')"
    click.echo(f"coder: {message}", err=True)
    return exc.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    """Run `coder` with `argv` (default: the process arguments) and return the exit status.

    `--help` and `--version` print and raise SystemExit(0), as they always have.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        with cli.make_context("coder", args) as ctx:
            if not args:
                click.echo(ctx.get_help())
                return 0
            result = cli.invoke(ctx)
    except click.exceptions.Exit as exc:  # --help, --version
        raise SystemExit(exc.exit_code) from None
    except UserError as exc:
        click.echo(f"coder: {exc}", err=True)
        return 1
    except click.UsageError as exc:
        return _usage_error(exc)
    except click.ClickException as exc:  # e.g. a file option click itself could not open
        click.echo(f"coder: {exc.format_message()}", err=True)
        return exc.exit_code
    except (KeyboardInterrupt, click.Abort):
        click.echo("coder: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    return result if isinstance(result, int) else 0
