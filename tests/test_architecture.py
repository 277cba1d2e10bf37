"""The layers stay apart: import contracts, no import cycles, the core never pulls in Textual."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp

REPO = Path(__file__).resolve().parent.parent


def test_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    proc = subprocess.run([exe], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Contracts: 8 kept, 0 broken" in proc.stdout


def test_core_and_cli_do_not_import_textual() -> None:
    code = (
        "import sys, coder.cli, coder.services.sources.transcripts, "
        "coder.services.codebook.codes, coder.services.coding.codings, "
        "coder.services.sources.cases, coder.services.project.check, coder.ingest\n"
        "import click; ctx = click.Context(coder.cli.cli)\n"
        "commands = [coder.cli.cli.get_command(ctx, name) for name in coder.cli.COMMANDS]\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
        "raise SystemExit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(imports):
        if root in index:
            continue
        work = [(root, iter(sorted(imports[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(imports.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_between_modules() -> None:
    graph = grimp.build_graph("coder")
    imports = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert _cycles(imports) == []


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
