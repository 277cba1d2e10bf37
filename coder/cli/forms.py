"""Command groups whose first word is either a subcommand or the start of a default form.

`coder suggest PROJECT --text ...` beside `coder suggest train PROJECT`, and `coder codes
PROJECT` (the tree) beside `coder codes merge PROJECT ...`: click groups take a subcommand name
first, so these groups hand any other first word, with every argument, to a default command.
Both the group and the default command print every documented form as their usage line.
"""

from __future__ import annotations

from typing import Any

import click


class FormsCommand(click.Command):
    """A command whose usage line lists the documented forms (`forms`), when it has them."""

    def __init__(self, *args: Any, forms: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.forms = forms

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Write the forms as the usage, or click's usage line."""
        if self.forms is None:
            super().format_usage(ctx, formatter)
        else:
            formatter.write(f"usage: {self.forms}\n")


class DefaultGroup(FormsCommand, click.Group):
    """Subcommands by name; any other first word goes, with every argument, to `default`
    (options included: the group leaves the ones it does not know to the default command)."""

    def __init__(
        self, *args: Any, default: click.Command, forms: str | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("context_settings", {}).setdefault("ignore_unknown_options", True)
        super().__init__(*args, forms=forms, **kwargs)
        self.default = default
        if forms is not None and isinstance(default, FormsCommand) and default.forms is None:
            default.forms = forms

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """A subcommand by name, else the default command with every argument."""
        if args and args[0] in self.commands:
            return super().resolve_command(ctx, args)
        self.default.context_class = self.context_class
        return "", self.default, args
