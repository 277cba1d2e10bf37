"""Word vectors from the researcher's own spaCy pipeline (issue 14, item 4): a passage that
shares no word with a code's codebook text still finds it when their words mean alike.

The pipeline is a blank English one with a handmade vectors table, saved to a temporary
folder and named in the project's `nlp.model` setting: nothing is downloaded."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import spacy

from coder.cli import main
from coder.services.codebook.codes import CodeFields, create_code
from coder.services.project.settings import Key, put_setting
from coder.services.project.store import Project
from coder.services.suggestions import scoring as sg
from coder.tui.widgets.suggestions import quality_line

MONEY = ("salary", "wage", "wages", "money", "finance", "finances", "budget", "budgets")
WEATHER = ("rain", "sunshine", "weather", "cloud", "clouds")


def _pipeline(folder: Path) -> Path:
    nlp = spacy.blank("en")
    for w in MONEY:
        nlp.vocab.set_vector(w, np.array([1.0, 0.1, 0.0], np.float32))
    for w in WEATHER:
        nlp.vocab.set_vector(w, np.array([0.0, 0.1, 1.0], np.float32))
    nlp.to_disk(folder)
    return folder


def _project(tmp_path: Path, vectors: bool) -> Path:
    target = tmp_path / "vectors.coder"
    with Project.create(target) as project:
        create_code(project, "Money", None, CodeFields(description="finances and budgets"))
        create_code(project, "Weather", None, CodeFields(description="rain and sunshine"))
        if vectors:
            put_setting(project, Key.NLP_MODEL, str(_pipeline(tmp_path / "vectors_nlp")))
    return target


@pytest.mark.parametrize("vectors", [False, True])
def test_vectors_find_a_code_that_shares_no_word(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], vectors: bool
) -> None:
    target = _project(tmp_path, vectors)
    assert main(["suggest", str(target), "--text", "My salary and my wage", "--json"]) == 0
    found = [f["code"] for f in json.loads(capsys.readouterr().out)]
    if vectors:
        assert found[:1] == ["Money"]
    else:
        assert found == []  # no shared word: the codebook alone cannot tell
    with Project.open(target) as project:
        q = sg.quality(project)
        assert q.vectors == (str(tmp_path / "vectors_nlp") if vectors else "")
        assert ("word vectors" in quality_line(q)) is vectors


def test_the_stored_scorer_keeps_the_vectors(tmp_path: Path) -> None:
    target = _project(tmp_path, True)
    with Project.open(target) as project:
        sg.train(project)
        built = sg.suggest_for_text(project, "clouds and rain", 2)
        sg.forget(project)
        restored = sg.suggest_for_text(project, "clouds and rain", 2)
    assert built == restored and built[0].code_name == "Weather"
