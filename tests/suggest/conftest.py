"""Fixtures for the suggestion tests: copies of the sample study and a small synthetic study
whose codes the codebook describes only vaguely, so that learning has something to add."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coder.services.project.store import Project

from .synthetic import TOPICS, write_synthetic


@pytest.fixture
def sample_project(sample: Path) -> Iterator[Project]:
    with Project.open(sample) as p:
        yield p


@pytest.fixture(autouse=True)
def _seeded() -> None:
    from spacy.util import fix_random_seed

    fix_random_seed(0)


@pytest.fixture
def synthetic(tmp_path: Path) -> Iterator[Project]:
    """The synthetic study: 10 participants (one source each, linked as cases), 4 codes whose
    codebook entry is a vague description and a single keyword."""
    from coder.services.codebook.codes import CodeFields, create_code
    from coder.services.sources.cases import import_cases
    from coder.services.sources.transcripts import import_files

    files = write_synthetic(tmp_path / "files")
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "Participant,Source\n" + "".join(f"P{i:02d},{p.name}\n" for i, p in enumerate(files)),
        "utf-8",
    )
    with Project.create(tmp_path / "synth.coder") as project:
        import_files(project, files)
        import_cases(project, str(sheet))
        for name, (description, words) in TOPICS.items():
            # one keyword each: cold start finds some passages, learning should find the rest
            create_code(
                project, name, None, CodeFields(description=description, keywords=(words[0],))
            )
        yield project
