"""Retraining in the training process: the model lands in the project and is used here."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from coder.db.models import ModelBlob
from coder.services.codebook.codes import flat_codes
from coder.services.coding.codings import apply_code
from coder.services.project.store import Project
from coder.services.sources.transcripts import list_sources
from coder.services.suggestions.process import shutdown, train_apart
from coder.services.suggestions.scoring import MODEL_BLOB, is_stale
from coder.services.suggestions.warm import runtime as _runtime


def test_train_apart_stores_the_model_and_this_process_uses_it(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import coder.services.suggestions.training as here

    def not_here(*_a: object, **_k: object) -> None:
        raise AssertionError("trained in the workspace's own process")

    monkeypatch.setattr(here, "train", not_here)  # the spawned child imports its own copy
    with Project.open(sample) as p:
        reacting = next(c for c in flat_codes(p) if c.name == "Reacting")
        for src in list_sources(p)[:4]:
            apply_code(p, src.id, 0, 40, reacting.id)
        assert is_stale(p)
        try:
            report = train_apart(p)
        finally:
            shutdown()
        assert report.coded >= 4 and report.codes_learned >= 1
        assert not is_stale(p)  # the child stored a model for exactly this coding
        with p.reading() as s:
            blob = s.scalar(select(ModelBlob).where(ModelBlob.name == MODEL_BLOB))
            assert blob is not None and blob.data
        model = _runtime(p).model
        assert model is not None and any(model.learned.counts)


def test_a_loaded_model_comes_with_its_stored_scorer(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workspace loads what the training process stored, scorer included: it restores the
    scorer rather than rebuilding it (which scores the whole calibration sample)."""
    from coder.services.suggestions.process import load_stored_model
    from coder.services.suggestions.training import train
    from coder.services.suggestions.warm import code_rows, forget
    from coder.suggest.model import SuggestModel

    with Project.open(sample) as p:
        reacting = next(c for c in flat_codes(p) if c.name == "Reacting")
        for src in list_sources(p)[:4]:
            apply_code(p, src.id, 0, 40, reacting.id)
        train(p, select_method=False)
        forget(p)
        assert load_stored_model(p)
        rt = _runtime(p)
        assert rt.ready is not None

        def rebuilt(*_a: object, **_k: object) -> None:
            raise AssertionError("the scorer was rebuilt in the workspace's process")

        monkeypatch.setattr(SuggestModel, "scorer", rebuilt)
        rt.set_codes([c.text for c in code_rows(p).values()])
        assert rt.scorer().keys


def test_a_first_model_is_trained_apart_and_only_once(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Suggestions on a project without a model: one training, in the training process,
    without the slow cross-validated choice of method; asking again does not train again."""
    from coder.services.suggestions import process
    from coder.services.suggestions.training import train

    asked: list[bool | None] = []

    def apart(project: Project, select_method: bool | None = None) -> object:
        asked.append(select_method)
        return train(project, select_method)  # here, so the test needs no child process

    monkeypatch.setattr(process, "train_apart", apart)
    with Project.open(sample) as p:
        assert _runtime(p).model is None
        process.warm_up(p)
        process.warm_up(p)
        assert asked == [False] and _runtime(p).model is not None
