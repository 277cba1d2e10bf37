"""Pseudonymising a real project: codings keep their text, the original is untouched, the key
stays apart, and `coder check` passes on the copy."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from coder.db.models import Case, Coding, Memo, Setting, Source
from coder.services.exchange import pseudonymise
from coder.services.exchange.pseudonymise import (
    PseudonymOptions,
    key_csv,
    plan_pseudonymisation,
    write_pseudonymised,
)
from coder.services.project.check import check_project
from coder.services.project.store import Project
from coder.vocab.pseudonym import Hit
from tests.pseudonymise.conftest import LISTED, sheet_names
from tests.pseudonymise.test_remap import _expected


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("batch", [4_000_000, 1], ids=["one-batch", "a-source-a-batch"])
def test_copy_keeps_every_coding_and_passes_check(
    study: Path, tmp_path: Path, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pseudonymise, "BATCH_CHARS", batch)
    before = _digest(study)
    out = tmp_path / "shared.coder"
    with Project.open(study) as project:
        review = plan_pseudonymisation(project, PseudonymOptions())
        plan = write_pseudonymised(project, out, PseudonymOptions())
        with project.reading() as s:
            old = {c.guid: (c.source_id, c.start, c.end) for c in s.scalars(select(Coding))}
            texts = {x.id: (x.name, x.text) for x in s.scalars(select(Source))}
    assert _digest(study) == before  # the original is never modified
    assert plan.replacements == review.replacements  # the review is what was done
    with Project.open(out) as copy:
        assert check_project(copy).ok
        with copy.reading() as s:
            new = {c.guid: c.snippet for c in s.scalars(select(Coding))}
            settings = {x.key: x.value for x in s.scalars(select(Setting))}
            names = set(s.scalars(select(Case.name)))
            memos = " ".join(m.title + m.text for m in s.scalars(select(Memo)))
    assert set(new) == set(old)  # no coding lost
    for guid, (sid, start, end) in old.items():
        name, text = texts[sid]
        hits = [Hit(r.offset, r.offset + len(r.original), r.original, r.pseudonym, r.reason)
                for r in plan.replacements if r.source == name]  # fmt: skip
        assert new[guid] == _expected(text, hits, start, end)
    assert "pseudonymise.names" not in settings  # the names list is a key too
    assert "Helen" not in memos and "Marcus" not in memos and "Kilo" not in memos
    assert {"P01", "P04", "P06"} <= names
    key = list(csv.reader(key_csv(plan).decode("utf-8-sig").splitlines()))
    assert ["Marcus Bell", "P04", "participant"] in [row[:3] for row in key]


def test_a_failure_leaves_nothing_beside_the_output(
    study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sources are rewritten a batch per transaction; one failing after others were committed
    leaves no output, no working copy and no half-written file in the folder."""
    real = pseudonymise.rewrite_source
    calls: list[int] = []

    def failing(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pseudonymise, "BATCH_CHARS", 1)
    monkeypatch.setattr(pseudonymise, "rewrite_source", failing)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / ".shared.coder.pseudonymising").write_bytes(b"left by a killed run")
    with Project.open(study) as project, pytest.raises(OSError, match="disk full"):
        write_pseudonymised(project, folder / "shared.coder", PseudonymOptions())
    assert len(calls) == 3
    assert list(folder.iterdir()) == []


def test_nothing_of_a_name_is_left_in_the_file(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "shared.coder"
    with Project.open(study) as project:
        write_pseudonymised(project, out, PseudonymOptions())
        names = sheet_names(project) | set(LISTED)
    raw = out.read_bytes()  # VACUUM INTO: no free page still holds an original text
    for name in names:
        assert not re.search(rb"\b" + re.escape(name.encode()) + rb"\b", raw), name


def test_kept_names_and_places_stay(study: Path, tmp_path: Path) -> None:
    with Project.open(study) as project:
        full = plan_pseudonymisation(project, PseudonymOptions())
        one = next(r for r in full.replacements if r.original == "Helen")
        kept = plan_pseudonymisation(
            project, PseudonymOptions(keep=("dennis",), keep_at=((one.source, one.offset),))
        )
    assert not [r for r in kept.replacements if r.original == "Dennis"]
    assert one not in kept.replacements
    assert len(kept.replacements) < len(full.replacements)


def test_an_existing_output_is_refused(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "taken.coder"
    out.write_bytes(b"x")
    with Project.open(study) as project, pytest.raises(Exception, match="already exists"):
        write_pseudonymised(project, out, PseudonymOptions())
    assert out.read_bytes() == b"x"


def test_sources_whose_names_become_equal_stay_apart(tmp_path: Path) -> None:
    from coder.services.sources.transcripts import import_files

    files = []
    for name, body in (("Helen Ward.txt", "Helen Ward: hi\n"), ("P01.txt", "P01: hello\n")):
        (tmp_path / name).write_text(body, encoding="utf-8")
        files.append(tmp_path / name)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Participant,Name\nP01,Helen Ward\n", encoding="utf-8")
    out = tmp_path / "out.coder"
    with Project.create(tmp_path / "p.coder") as project:
        import_files(project, files)
        from coder.services.sources.cases import import_cases

        import_cases(project, str(sheet))
        write_pseudonymised(project, out, PseudonymOptions())
    with Project.open(out) as copy, copy.reading() as s:
        assert sorted(s.scalars(select(Source.name))) == ["P01", "P01 (2)"]
        assert check_project(copy).ok


def test_a_note_on_uncoded_text_follows_its_words(study: Path, tmp_path: Path) -> None:
    """Names before a note change length: the note still covers the same words."""
    from coder.services.codebook.notes import add_note, notes_in

    with Project.open(study) as project:
        with project.reading() as s:
            sid, text = next((x.id, x.text) for x in s.scalars(select(Source)) if "Helen" in x.text)
        names = sheet_names(project) | set(LISTED) | {"Kilo", "Verse"}
        at = text.find("Helen") + 100
        while True:  # the first stretch of words after a name that holds no name itself
            start = text.index(" ", at) + 1
            end = text.index(" ", start + 30)
            words = text[start:end]
            if "\n" not in words and not any(n in words for n in names):
                break
            at = end
        add_note(project, sid, start, end, "Hesitates here.")
        write_pseudonymised(project, tmp_path / "shared.coder", PseudonymOptions())
    with Project.open(tmp_path / "shared.coder") as copy:
        (note,) = notes_in(copy, sid)
        with copy.reading() as s:
            new_text = s.get(Source, sid).text  # type: ignore[union-attr]
        assert note.start is not None and note.end is not None
        assert (note.start, note.end) != (start, end)  # a name before it changed length
        assert new_text[note.start : note.end] == words
