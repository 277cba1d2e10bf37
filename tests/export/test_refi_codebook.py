"""REFI-QDA codebooks (.qdc): valid against Codebook.xsd, lossless for coder, lenient on input."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.cli import main
from coder.refi.codebook import parse_qdc, read_qdc, write_qdc
from coder.refi.xml import RefiError, decode_description, encode_description
from coder.services.codebook.transfer import export_codebook
from coder.services.codebook.yaml_format import load_codebook
from coder.services.project.store import Project
from coder.vocab.dto import Codebook, CodeSpec
from tests.conftest import CODEBOOKS
from tests.export.conftest import assert_valid

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="&lol2;" isCodable="true"/>
</Codes></CodeBook>"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", sorted(p.name for p in CODEBOOKS.glob("*.yaml")))
def test_bundled_codebooks_validate_and_round_trip(name: str, codebook_schema) -> None:  # type: ignore[no-untyped-def]
    book = load_codebook(CODEBOOKS / name)
    data = write_qdc(book)
    assert_valid(codebook_schema, data)
    again = parse_qdc(data)
    assert again.codes == book.codes  # guids, names, colours, every field, the hierarchy


def test_cli_export_and_import(
    coded_path: Path,
    tmp_path: Path,
    codebook_schema,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    qdc = tmp_path / "book.qdc"
    code, out, err = run(capsys, "codebook", "export", str(coded_path), str(qdc))
    assert code == 0, err
    assert_valid(codebook_schema, qdc.read_bytes())
    fresh = tmp_path / "fresh.coder"
    assert run(capsys, "init", str(fresh))[0] == 0
    code, out, err = run(capsys, "codebook", "import", str(fresh), str(qdc))
    assert code == 0 and "7 codes created" in out
    code, out, _ = run(capsys, "codebook", "import", str(fresh), str(qdc))
    assert "0 codes created, 0 updated, 7 unchanged" in out
    with Project.open(coded_path) as a, Project.open(fresh) as b:
        assert export_codebook(b).codes == export_codebook(a).codes


SPEC_EXAMPLE = b"""<?xml version="1.0" encoding="UTF-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" xmlns:qda="urn:QDA-XML:codebook:1.0"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:v="http://vendor.example/ns"
 xsi:schemaLocation="urn:QDA-XML:codebook:1.0 Codebook.xsd" v:build="7">
<Codes>
<Code guid="{5215CC69-B628-4E02-AFB9-9BEEAEE55808}" name="Topics" isCodable="false" v:x="1">
  <Code guid="{d7aa29da-519b-4946-9b90-253b6db8fd0a}" name="Economy" isCodable="true"
        color="#ff0"><Description>Anything about jobs\r\nor taxes</Description></Code>
  <Code name="Health care" isCodable="true" color="not a colour"/>
</Code>
<Code guid="9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520" name="Values" isCodable="0"/>
</Codes>
<Sets><Set guid="12365523-1035-4afa-9e7b-281fe0bc51c5" name="Set">
  <MemberCode guid="d7aa29da-519b-4946-9b90-253b6db8fd0a"/></Set></Sets>
</CodeBook>"""


def test_lenient_reading_of_other_programs_codebooks() -> None:
    book = parse_qdc(SPEC_EXAMPLE)
    topics, values = book.codes
    assert topics.guid == "5215cc69-b628-4e02-afb9-9beeaee55808" and not topics.codable
    economy, health = topics.children
    assert economy.color == "#ffff00"
    assert economy.description == "Anything about jobs\nor taxes"
    assert health.color is None and health.guid  # a stable GUID is coined
    assert parse_qdc(SPEC_EXAMPLE).codes[0].children[1].guid == health.guid
    assert not values.codable


def test_description_fields_round_trip_and_prose_stays_prose() -> None:
    spec = CodeSpec(
        name="X",
        description="First line.\n\nSecond paragraph.",
        inclusion="Use it\n\nwhen",
        exclusion="Not then",
        keywords=("a b", "c"),
        examples=("One.", "Two\nlines."),
    )
    fields = decode_description(encode_description(spec))
    assert fields == {
        "description": "First line.\n\nSecond paragraph.",
        "inclusion": "Use it\n\nwhen",
        "exclusion": "Not then",
        "keywords": ("a b", "c"),
        "examples": ("One.", "Two\nlines."),
    }
    prose = "Example: a label that replies.\nIt is common."
    assert decode_description("Intro.\n\n" + prose)["description"] == "Intro.\n\n" + prose


@pytest.mark.parametrize(
    "data, message",
    [
        (BILLION_LAUGHS, "DOCTYPE"),
        (b"<CodeBook><Codes><Code", "not well-formed"),
        (b'<Project xmlns="urn:QDA-XML:project:1.0"/>', "no <Codes>"),
        (b"<Foo/>", "not a REFI-QDA codebook"),
        (b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', "has no codes"),
    ],
)
def test_refused_with_one_line(
    data: bytes, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.qdc"
    path.write_bytes(data)
    with pytest.raises(RefiError, match=message):
        read_qdc(path)
    project = tmp_path / "p.coder"
    assert run(capsys, "init", str(project))[0] == 0
    code, _, err = run(capsys, "codebook", "import", str(project), str(path))
    assert code == 1 and err.startswith("coder: ") and err.count("\n") == 1 and message in err


def test_empty_codebook_is_not_written() -> None:
    with pytest.raises(RefiError, match="no codes"):
        write_qdc(Codebook(title="t", codes=()))
