"""A trained pipeline named in nlp.model adds its PERSON, ORG and GPE entities.

The "trained" pipeline here is a real spaCy pipeline saved to disk and loaded by path, as an
installed package would be; an entity_ruler stands in for a statistical NER so the test knows
exactly what it finds, and nothing is downloaded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from coder.errors import UserError
from coder.services.exchange.pseudonymise import PseudonymOptions, plan_pseudonymisation
from coder.services.project.sample import build_sample_study
from coder.services.project.settings import Key, put_setting
from coder.services.project.store import Project


@pytest.fixture
def pipeline(tmp_path: Path) -> str:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([  # type: ignore[attr-defined]
        {"label": "PERSON", "pattern": "Dennis"},
        {"label": "GPE", "pattern": "Glasgow"},
        {"label": "DATE", "pattern": "March"},
        {"label": "PERSON", "pattern": "Helen"},  # a known name: the ruler's pseudonym wins
    ])  # fmt: skip
    folder = tmp_path / "en_test_pipeline"
    nlp.to_disk(folder)
    return str(folder)


def test_model_entities_get_numbered_pseudonyms(tmp_path: Path, pipeline: str) -> None:
    with Project.open(build_sample_study(tmp_path / "s.coder")) as project:
        without = plan_pseudonymisation(project, PseudonymOptions())
        put_setting(project, Key.NLP_MODEL, pipeline)
        plan = plan_pseudonymisation(project, PseudonymOptions())
        off = plan_pseudonymisation(project, PseudonymOptions(use_model=False))
    found = {(r.original, r.pseudonym, r.reason) for r in plan.replacements}
    assert ("Dennis", "Person 1", "model") in found
    assert ("Glasgow", "Place 1", "model") in found
    assert not [r for r in plan.replacements if r.original == "March"]  # not PERSON/ORG/GPE
    assert {r.pseudonym for r in plan.replacements if r.original == "Helen"} == {"P01"}
    assert plan.model == pipeline
    assert off.replacements == without.replacements


def test_a_missing_pipeline_is_one_line(tmp_path: Path) -> None:
    with Project.open(build_sample_study(tmp_path / "s.coder")) as project:
        put_setting(project, Key.NLP_MODEL, "en_core_web_nonexistent")
        with pytest.raises(UserError, match="is not installed; coder never downloads"):
            plan_pseudonymisation(project, PseudonymOptions())
