"""Subcommands for suggest (filled in by that feature)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """No suggest subcommands yet."""
