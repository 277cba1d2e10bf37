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
        "import sys, coder.cli, coder.services.sources, coder.services.codes, "
        "coder.services.coding, coder.services.cases, coder.services.check, coder.ingest\n"
        "import click; ctx = click.Context(coder.cli.cli)\n"
        "commands = [coder.cli.cli.get_command(ctx, name) for name in coder.cli.COMMANDS]\n"
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


HEAVY = ("spacy", "textual", "docx", "openpyxl", "matplotlib", "numpy")


def _heavy_modules_after(snippet: str) -> list[str]:
    code = (
        "import sys\n"
        f"{snippet}\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return eval(proc.stdout.strip().splitlines()[-1])  # noqa: S307 - our own printed list


def test_help_and_info_stay_light(tmp_path: Path) -> None:
    """`coder --help` lists every command and `coder info` runs without the heavy libraries."""
    target = tmp_path / "light.coder"
    from coder.cli import main

    assert main(["init", str(target)]) == 0
    helped = _heavy_modules_after(
        "from coder.cli import COMMANDS, main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert helped == []
    info = _heavy_modules_after(
        f"from coder.cli import main\nassert main(['info', {str(target)!r}]) == 0"
    )
    assert info == []


def test_help_lists_every_registered_command() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "coder.cli", "--help"], capture_output=True, text=True, timeout=60
    )
    from coder.cli import COMMANDS

    listed = {line.split()[0] for line in proc.stdout.splitlines() if line.startswith("  ")}
    assert set(COMMANDS) <= listed
