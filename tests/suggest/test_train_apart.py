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
