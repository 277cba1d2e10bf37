"""Subcommands for export (filled in by that feature)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """No export subcommands yet."""
