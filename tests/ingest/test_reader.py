"""read_source / parse_bytes dispatch, file-system errors and size limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.ingest import SUPPORTED_SUFFIXES, IngestError, Limits, parse_bytes, read_source

from .test_support import assert_invariants


def test_public_api_shape() -> None:
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".docx", ".vtt", ".srt", ".odt", ".rtf", ".pdf")
    limits = Limits()
    assert limits.max_file_bytes == 50 * 1024 * 1024
    assert limits.max_unzipped_bytes == 100 * 1024 * 1024
    assert limits.max_zip_members == 2000


def test_reads_a_file_with_an_upper_case_suffix(tmp_path: Path) -> None:
    path = tmp_path / "INTERVIEW.TXT"
    path.write_bytes(b"Q: Hi?\nA: Hello.\nQ: Bye?\nA: Bye.")
    parsed = read_source(path)
    assert_invariants(parsed)
    assert parsed.format == "txt"
    assert [t.speaker for t in parsed.turns] == ["Q", "A", "Q", "A"]


def test_parse_bytes_accepts_suffix_without_dot() -> None:
    assert parse_bytes(b"hello", "MD").format == "md"


@pytest.mark.parametrize("name", ["notes.epub", "notes", "archive.tar.gz"])
def test_unknown_suffix(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"hello")
    with pytest.raises(IngestError) as caught:
        read_source(path)
    assert str(caught.value).startswith("unsupported file type")
    assert name not in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        read_source(tmp_path / "gone.txt")
    assert str(caught.value) == "file not found"


@pytest.mark.parametrize("name", ["folder.txt", "interviews"])
def test_directory_is_refused(tmp_path: Path, name: str) -> None:
    """`coder import study.coder interviews` said "unsupported file type (none)"."""
    folder = tmp_path / name
    folder.mkdir()
    with pytest.raises(IngestError) as caught:
        read_source(folder)
    assert str(caught.value) == "is a folder: name the files in it, as in FOLDER/*.docx"


@pytest.mark.parametrize("name", ["answers.csv", "people.XLSX"])
def test_a_sheet_names_the_commands_that_read_sheets(tmp_path: Path, name: str) -> None:
    """A survey sheet given to `coder import` was only "unsupported file type .csv"."""
    path = tmp_path / name
    path.write_bytes(b"id,Q1\nr1,yes\n")
    with pytest.raises(IngestError) as caught:
        read_source(path)
    assert "coder import-survey" in str(caught.value)
    assert "coder cases import" in str(caught.value)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import coder.ingest.reader as reader

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    path = tmp_path / "secret.txt"
    path.write_bytes(b"hello")
    monkeypatch.setattr(reader, "open", refuse, raising=False)
    with pytest.raises(IngestError) as caught:
        read_source(path)
    assert str(caught.value) == "permission denied"


def test_too_big_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 1000)
    with pytest.raises(IngestError) as caught:
        read_source(path, Limits(max_file_bytes=1000))
    message = str(caught.value)
    assert message.startswith("file is too big") and "\n" not in message
    with pytest.raises(IngestError):
        parse_bytes(b"word " * 1000, ".txt", Limits(max_file_bytes=1000))


def test_empty_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    with pytest.raises(IngestError) as caught:
        read_source(path)
    assert str(caught.value) == "file is empty"


def test_errors_are_single_lines() -> None:
    assert str(IngestError("two\nlines  here")) == "two lines here"
