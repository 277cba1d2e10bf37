"""coder.analysis is pure computation: importing all of it pulls in no database, UI, spaCy
or plotting library (import-linter's contracts cover the layers; this covers the leaf)."""

from __future__ import annotations

import subprocess
import sys


def test_analysis_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "import coder.analysis.matrix, coder.analysis.cooccur, coder.analysis.query\n"
        "import coder.analysis.words, coder.analysis.groups, coder.analysis.filters\n"
        "heavy = ('sqlalchemy', 'alembic', 'textual', 'spacy', 'matplotlib', 'coder.db',\n"
        "         'coder.services', 'coder.tui')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy\n"
        "             or any(m.startswith(h + '.') for h in heavy))\n"
        "print(bad)\n"
        "raise SystemExit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
