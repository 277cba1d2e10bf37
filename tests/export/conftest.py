"""Fixtures for the export tests: a coded sample study (built once), schemas, and re-reading.

The coded sample is built once per session and copied for each test that writes to it, so the
suite stays fast while every test still works on a real SQLite project of its own.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from coder.services.project.store import Project
from tests.export.helpers import coded_sample

# The REFI-QDA schemas are shared data, not part of the project (never committed): they sit in
# shared/refi beside the checkout, or in /work/shared/refi on the team's machines (where CI
# runs). $CODER_REFI_DIR overrides both.
_CANDIDATES = [
    Path(p)
    for p in (
        os.environ.get("CODER_REFI_DIR"),
        Path(__file__).resolve().parents[3] / "shared" / "refi",
        "/work/shared/refi",
    )
    if p
]
SCHEMAS = next((d for d in _CANDIDATES if (d / "Project.xsd").is_file()), None)
NO_SCHEMAS = (
    "REFI-QDA schemas (Project.xsd, Codebook.xsd) not found in "
    + ", ".join(map(str, _CANDIDATES))
    + ": set CODER_REFI_DIR to validate against them"
)


def _schema(name: str) -> etree.XMLSchema:
    if SCHEMAS is None:
        pytest.skip(NO_SCHEMAS)
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


@pytest.fixture(scope="session")
def coded_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return coded_sample(tmp_path_factory.mktemp("coded"))


@pytest.fixture
def coded_path(coded_master: Path, tmp_path: Path) -> Path:
    """A private copy of the coded sample study."""
    target = tmp_path / "study.coder"
    shutil.copy(coded_master, target)
    return target


@pytest.fixture
def coded(coded_path: Path) -> Iterator[Project]:
    with Project.open(coded_path) as p:
        yield p


@pytest.fixture(scope="session")
def project_schema() -> etree.XMLSchema:
    return _schema("Project.xsd")


@pytest.fixture(scope="session")
def codebook_schema() -> etree.XMLSchema:
    return _schema("Codebook.xsd")


def assert_valid(schema: etree.XMLSchema, data: bytes) -> None:
    """Fail with the schema's own messages when `data` does not validate."""
    doc = etree.fromstring(data)
    if not schema.validate(doc):
        raise AssertionError("\n".join(str(e) for e in schema.error_log[:10]))
