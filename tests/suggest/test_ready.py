"""A scorer stored with the model: a cold process scores without rebuilding it, and a
codebook edit is still used at once (the stored scorer no longer matches, so it is rebuilt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.services.codebook.codes import CodeFields, flat_codes, update_code
from coder.services.project.store import Project
from coder.services.suggestions import scoring as sg
from coder.suggest import model as suggest_model

TEXT = "We reply to every comment and answer the messages fans send us."


def _fresh(sample: Path) -> list[sg.Suggestion]:
    with Project.open(sample) as project:
        sg.forget(project)
        sg.ensure_trained(project)
        return sg.suggest_for_text(project, TEXT, 3)


def test_cold_process_restores_the_stored_scorer(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Project.open(sample) as project:
        sg.train(project)
        built = sg.suggest_for_text(project, TEXT, 3)

    def no_rebuild(*_a: object, **_k: object) -> None:
        raise AssertionError("the scorer was rebuilt")

    with monkeypatch.context() as m:
        m.setattr(suggest_model.Scorer, "__init__", no_rebuild)
        restored = _fresh(sample)
    assert restored == built and restored[0].code_name == "Reacting"
    with Project.open(sample) as project:
        reacting = next(c for c in flat_codes(project) if c.name == "Reacting")
        update_code(project, reacting.id, CodeFields(name="Answering fans"))
    with monkeypatch.context() as m:
        m.setattr(suggest_model.Scorer, "__init__", no_rebuild)
        with pytest.raises(AssertionError, match="rebuilt"):
            _fresh(sample)
    assert "Answering fans" in [s.code_name for s in _fresh(sample)]
