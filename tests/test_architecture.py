"""The layers stay apart: import contracts, and the core never pulls in Textual."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    proc = subprocess.run([exe], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Contracts: 3 kept, 0 broken" in proc.stdout


def test_core_and_cli_do_not_import_textual() -> None:
    code = (
        "import sys, coder.cli, coder.services.sources.transcripts, "
        "coder.services.codebook.codes, coder.services.coding.codings, "
        "coder.services.sources.cases, coder.services.project.check, coder.ingest\n"
        "coder.cli.build_parser()\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
        "raise SystemExit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_source_file_is_too_long() -> None:
    long = [
        str(p.relative_to(REPO))
        for p in (REPO / "coder").rglob("*.py")
        if len(p.read_text("utf-8").splitlines()) > 450
    ]
    assert long == []
