"""`coder config`: settings of the person at the keyboard, kept in their config folder.

Today it holds who is coding (`coder config user NAME`); `--coder` and `CODER_NAME` override it
for one command or one shell. Project settings live in the project, not here.
"""

from __future__ import annotations

import click

from coder.services.team.identity import (
    coder_source,
    config_path,
    current_coder,
    set_user_name,
)


@click.group(name="config")
def config() -> None:
    """Show or change your own settings (stored in your user config folder)."""


@config.command(name="user")
@click.argument("name", required=False)
def user(name: str | None) -> None:
    """Set who is coding to NAME, or show who is coding when NAME is left out."""
    if name is None:
        where = {
            "option": "from --coder",
            "environment": "from CODER_NAME",
            "config": f"from {config_path()}",
            "login": "your login name; set one with 'coder config user NAME'",
        }[coder_source()]
        click.echo(f"{current_coder()} ({where})")
        return
    stored = set_user_name(name)
    click.echo(f"coding as {stored} (saved in {config_path()})")
