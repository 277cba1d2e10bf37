"""spaCy loads without its command-line tools, and they still work when asked for."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import coder.suggest.nlp as nlp
nlp.get_nlp()
assert "spacy" in sys.modules
assert "typer" not in sys.modules and "requests" not in sys.modules, "spacy.cli was imported"
import spacy
assert spacy.blank("en")("two words").__len__() == 2
assert isinstance(spacy.info(), dict)  # spacy.info() loads the real package on first use
from spacy.cli import download
assert callable(download) and callable(spacy.cli.download)
print("ok")
"""


def test_spacy_imports_without_its_cli_and_the_cli_still_loads() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
