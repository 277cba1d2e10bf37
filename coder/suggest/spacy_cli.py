"""Importing spaCy without its command-line tools.

`import spacy` runs `from .cli.info import info`, and spaCy's `cli` package imports every
command it has: typer, rich, requests, httpx, weasel, jinja2 and more, about 350 modules and a
third of spaCy's import time (0.2 s of CPU). coder never runs spaCy's commands. Before spaCy is
first imported, `defer_spacy_cli` puts two stand-ins in `sys.modules`: `spacy.cli`, whose
submodules still import normally and whose other names load the real package on first use,
and `spacy.cli.info`, whose `info` (spaCy's `spacy.info()`) does the same. Nothing else in
spaCy, thinc or confection imports `spacy.cli`.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any

_NAMES = ("spacy.cli.info", "spacy.cli")


class _DeferredCli(types.ModuleType):
    """`spacy.cli` until a name of it is used; then the real package."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probing (__file__, __path__...)
            raise AttributeError(name)
        return getattr(real_cli(), name)


def real_cli() -> types.ModuleType:
    """The real `spacy.cli` package, imported now if only the stand-in was there."""
    for name in _NAMES:
        if isinstance(sys.modules.get(name), _DeferredCli | _DeferredInfo):
            del sys.modules[name]
    module = importlib.import_module("spacy.cli")
    spacy = sys.modules.get("spacy")
    if spacy is not None:
        spacy.cli = module  # type: ignore[attr-defined]
    return module


def _info(*args: Any, **kwargs: Any) -> Any:
    return real_cli().info(*args, **kwargs)


class _DeferredInfo(types.ModuleType):
    """`spacy.cli.info`, whose `info` is asked for once, by spaCy's own `__init__`."""

    def __getattr__(self, name: str) -> Any:
        if name != "info":
            raise AttributeError(name)
        spacy = sys.modules.get("spacy")  # being imported: give it `spacy.cli`, as an
        cli = sys.modules.get("spacy.cli")  # import of the real package would have
        if spacy is not None and cli is not None and "cli" not in vars(spacy):
            spacy.cli = cli  # type: ignore[attr-defined]
        return _info


def defer_spacy_cli() -> None:
    """Put the stand-ins in place, unless spaCy is imported already (then nothing changes)."""
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return
    spec = importlib.util.find_spec("spacy")  # finds the package without importing it
    if spec is None or spec.origin is None:
        return
    cli = _DeferredCli("spacy.cli")
    cli.__path__ = [str(Path(spec.origin).parent / "cli")]  # submodules import as usual
    info = _DeferredInfo("spacy.cli.info")
    sys.modules["spacy.cli"] = cli
    sys.modules["spacy.cli.info"] = info
