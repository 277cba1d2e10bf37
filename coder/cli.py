"""The `coder` command: parses arguments, calls services, prints.

Thin on purpose: all work happens in coder.services (and the exporters and suggesters it calls).
A user mistake (a UserError or a file the reader refuses) prints one line on stderr and exits
with status 1; argparse usage errors exit with 2. Feature areas add their own subcommands
through `register(subparsers)` functions in coder/commands/.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from coder import __version__
from coder.errors import UserError

Handler = Callable[[argparse.Namespace], int]


def _project(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", help="project file (.coder) or database URL (postgresql://...)")


def build_parser() -> argparse.ArgumentParser:
    from coder.commands import core, data, export, suggest

    parser = argparse.ArgumentParser(
        prog="coder",
        description="Terminal-first qualitative analysis: import interview transcripts, code "
        "them with a thematic codebook, get suggestions, export journal tables.",
        epilog="Run 'coder demo' to open the bundled sample study. "
        "'coder COMMAND --help' explains each command.",
    )
    parser.add_argument("--version", action="version", version=f"coder {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (core, data, suggest, export):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        return handler(args)
    except UserError as exc:
        print(f"coder: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("coder: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
