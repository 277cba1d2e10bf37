"""Opening the workspace loads only what its first screen needs: not spaCy (the suggester
loads it when first asked), not the file readers, exporters, REFI-QDA or the analyses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

NOT_AT_START = (
    "spacy",
    "thinc",
    "numpy",
    "lxml",
    "pypdf",
    "openpyxl",
    "docx",
    "matplotlib",
    "alembic",
    "coder.ingest.reader",
    "coder.ingest.survey",
    "coder.export",
    "coder.refi",
    "coder.analysis",
    "coder.suggest.model",
    "coder.services.suggestions.process",
)

SCRIPT = """
import asyncio, sys
from coder.services.project.store import Project
from coder.tui.app import CoderApp
from coder.tui.panes import suggestions

suggestions.DEBOUNCE = 3600.0  # the suggester is never asked: what the workspace loads itself


async def main() -> None:
    project = Project.open(sys.argv[1])
    app = CoderApp(project)
    async with app.run_test(size=(120, 40)) as pilot:
        ws = app.workspace
        while ws.state.doc is None or not ws.state.counts_ready:
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("j", "j")  # the first keys hold training back (gate.hold)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ws.state.doc is not None
    project.close()
    heavy = sys.argv[2].split(",")
    loaded = [
        name for name, module in sys.modules.items()
        if not type(module).__name__.startswith("_Deferred")  # coder.suggest's spacy.cli stand-ins
    ]
    print(sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in heavy)))


asyncio.run(main())
"""


def test_opening_the_workspace_stays_light(sample: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(sample), ",".join(NOT_AT_START)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"
