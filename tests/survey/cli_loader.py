"""Load ``coder.cli.survey`` for its tests, on this branch and after the click CLI lands.

The click CLI (``coder/cli/`` package with ``params.py``) is being written on another branch;
until it is merged ``coder/cli.py`` is still the argparse module, so ``coder.cli.survey`` cannot
be imported normally. Then this loader registers a stand-in ``coder.cli.params`` with the
names LAYOUT.md promises and loads the command module from its file. Once ``coder/cli/`` is a
package the normal import wins and the stand-in is never used (the lead may delete it).
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import json
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

REPO = Path(__file__).resolve().parents[2]


def _stand_in_params() -> types.ModuleType:
    module = types.ModuleType("coder.cli.params")

    @contextmanager
    def open_project(target: str) -> Iterator[Any]:
        from coder.services.project import Project

        with Project.open(target) as project:
            yield project

    def json_option(function: Callable[..., Any]) -> Callable[..., Any]:
        return click.option("--json", "as_json", is_flag=True)(function)

    def emit_json(value: Any) -> None:
        data = dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))

    module.PROJECT = click.STRING  # type: ignore[attr-defined]
    module.open_project = open_project  # type: ignore[attr-defined]
    module.json_option = json_option  # type: ignore[attr-defined]
    module.emit_json = emit_json  # type: ignore[attr-defined]
    return module


def survey_command() -> click.Command:
    """The ``import-survey`` click command object."""
    try:
        module = importlib.import_module("coder.cli.survey")
    except ImportError:
        if "coder.cli.params" not in sys.modules:
            sys.modules["coder.cli.params"] = _stand_in_params()
        spec = importlib.util.spec_from_file_location(
            "coder.cli.survey", REPO / "coder" / "cli" / "survey.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["coder.cli.survey"] = module
        spec.loader.exec_module(module)
    command = module.import_survey
    assert isinstance(command, click.Command)
    return command
