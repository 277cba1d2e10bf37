"""Issue 13 item 2: a codebook import never makes a code its own ancestor, and stores nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.errors import UserError
from coder.refi.codebook import write_qdc
from coder.services.codebook import codes as codes_svc
from coder.services.codebook.files import import_codebook_file
from coder.services.codebook.transfer import export_codebook
from coder.services.codebook.yaml_format import dump_codebook
from coder.services.project.store import Project
from coder.vocab.dto import Codebook, CodeSpec


def _seed(project: Project) -> tuple[str, str, str]:
    theme = codes_svc.create_code(project, "Theme")
    sub = codes_svc.create_code(project, "Sub", parent_id=theme.id)
    codes_svc.create_code(project, "Leaf", parent_id=sub.id)
    guids = {c.name: c.guid for c in codes_svc.flat_codes(project)}
    return guids["Theme"], guids["Sub"], guids["Leaf"]


def _tree(project: Project) -> list[tuple[str, str | None]]:
    by_id = {c.id: c for c in codes_svc.flat_codes(project)}
    return sorted(
        (c.name, by_id[c.parent_id].name if c.parent_id else None) for c in by_id.values()
    )


def _write(tmp_path: Path, book: Codebook, suffix: str) -> Path:
    path = tmp_path / f"book{suffix}"
    if suffix == ".qdc":
        path.write_bytes(write_qdc(book))
    else:
        path.write_text(dump_codebook(book), "utf-8")
    return path


@pytest.mark.parametrize("suffix", [".yaml", ".qdc"])
def test_child_with_its_parents_guid_is_refused(
    sqlite_project: Project, tmp_path: Path, suffix: str
) -> None:
    theme, _sub, _leaf = _seed(sqlite_project)
    before = _tree(sqlite_project)
    # "Theme" is matched by name; its child carries Theme's own GUID.
    book = Codebook(
        title="t", codes=(CodeSpec(name="Theme", children=(CodeSpec(name="Odd", guid=theme),)),)
    )
    path = _write(tmp_path, book, suffix)
    with pytest.raises(UserError) as err:
        import_codebook_file(sqlite_project, path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message and "Theme" in message
    assert _tree(sqlite_project) == before
    assert export_codebook(sqlite_project).codes[0].name == "Theme"


@pytest.mark.parametrize("suffix", [".yaml", ".qdc"])
def test_longer_cycle_is_refused(sqlite_project: Project, tmp_path: Path, suffix: str) -> None:
    theme, sub, leaf = _seed(sqlite_project)
    before = _tree(sqlite_project)
    # Theme (by name) > Sub (by GUID) > Leaf (by GUID) > Theme again (by GUID): length 3.
    book = Codebook(
        title="t",
        codes=(
            CodeSpec(
                name="Theme",
                children=(
                    CodeSpec(
                        name="Sub",
                        guid=sub,
                        children=(
                            CodeSpec(
                                name="Leaf",
                                guid=leaf,
                                children=(CodeSpec(name="Back", guid=theme),),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )
    path = _write(tmp_path, book, suffix)
    with pytest.raises(UserError, match="own"):
        import_codebook_file(sqlite_project, path)
    assert _tree(sqlite_project) == before


def test_reparenting_without_a_cycle_still_works(sqlite_project: Project, tmp_path: Path) -> None:
    theme, sub, _leaf = _seed(sqlite_project)
    book = Codebook(
        title="t",
        codes=(CodeSpec(name="Sub", guid=sub, children=(CodeSpec(name="Theme", guid=theme),)),),
    )
    import_codebook_file(sqlite_project, _write(tmp_path, book, ".yaml"))
    assert ("Theme", "Sub") in _tree(sqlite_project)
