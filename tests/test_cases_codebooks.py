"""Participant sheets and YAML codebooks: typing, organisations, merge by GUID, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coder.services.codebook import codes as codes_svc
from coder.services.codebook.files import export_codebook_file, import_codebook_file
from coder.services.codebook.yaml_format import CodebookFileError, load_codebook, parse_codebook
from coder.services.project.store import Project
from coder.services.sources.cases import CasesError, CaseSheetSpec, import_cases, list_cases
from coder.services.sources.sheets import SheetError, infer_type
from tests.conftest import CODEBOOKS


def test_infer_types() -> None:
    assert infer_type(["1", "22", ""]) == "integer"
    assert infer_type(["1.5", "2"]) == "number"
    assert infer_type(["2013-03-14", "2012-12-01"]) == "date"
    assert infer_type(["14", "Less than 1"]) == "text"
    assert infer_type(["2013-02-30"]) == "text"


def test_cases_with_organisations_on_both_backends(project: Project, tmp_path: Path) -> None:
    sheet = tmp_path / "p.csv"
    sheet.write_text(
        "Participant,Organisation,Role,Years,Founded,Interviewed\n"
        "P1,Alpha,Owner,3,2001,2013-03-01\n"
        "P2,Alpha,Intern,1,2001,2013-03-02\n"
        "P3,Beta,Owner,12,1999,2013-04-11\n",
        "utf-8",
    )
    r = import_cases(project, str(sheet))
    assert (r.cases_created, r.organisations) == (3, 2)
    scopes = {a.name: (a.type, a.scope) for a in r.attributes}
    assert scopes == {
        "Role": ("text", "case"),
        "Years": ("integer", "case"),
        "Founded": ("integer", "organisation"),
        "Interviewed": ("date", "case"),
    }
    cases = {c.name: c for c in list_cases(project)}
    assert cases["P2"].organisation == "Alpha"
    assert cases["P2"].organisation_values == {"Founded": 2001}
    assert str(cases["P3"].values["Interviewed"]) == "2013-04-11"
    # re-import updates, does not duplicate
    r2 = import_cases(project, str(sheet))
    assert (r2.cases_created, r2.cases_updated) == (0, 3)
    assert len(list_cases(project)) == 3


def test_explicit_organisation_attributes(sqlite_project: Project, tmp_path: Path) -> None:
    sheet = tmp_path / "p.csv"
    sheet.write_text("Name;Label;Genre\nA1;X;Rock\nB1;Y;Jazz\n", "utf-8")
    r = import_cases(sqlite_project, str(sheet), CaseSheetSpec(organisation_attributes=("Genre",)))
    assert [(a.name, a.scope) for a in r.attributes] == [("Genre", "organisation")]


def test_xlsx_sheet(sqlite_project: Project, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Participant", "Label", "Years"])
    ws.append(["P1", "A", 14])
    ws.append(["P2", "B", 3])
    path = tmp_path / "p.xlsx"
    wb.save(path)
    r = import_cases(sqlite_project, str(path))
    assert r.cases_created == 2
    assert {c.name: c.values["Years"] for c in list_cases(sqlite_project)} == {"P1": 14, "P2": 3}


@pytest.mark.parametrize(
    "content,match",
    [
        ("Participant,Years\n,3\n", "empty"),
        ("Participant,Years\nP1,3\nP1,4\n", "more than one row"),
        ("Who,Years\nP1,3\n", "no participant column"),
        ("Participant,Participant\nP1,P1\n", "appears twice"),
        ('Participant,Label\n"P1,A\nP2,B\n', "quote that is never closed"),
    ],
)
def test_bad_sheets_refused_whole(
    sqlite_project: Project, tmp_path: Path, content: str, match: str
) -> None:
    sheet = tmp_path / "p.csv"
    sheet.write_text(content, "utf-8")
    with pytest.raises((CasesError, SheetError), match=match):
        import_cases(sqlite_project, str(sheet))
    assert list_cases(sqlite_project) == []


def test_shipped_codebooks_load() -> None:
    titles = {}
    for name in ("bonding-spreading", "dart-co-creation", "human-centred-marketing"):
        book = load_codebook(CODEBOOKS / f"{name}.yaml")
        titles[name] = [c.name for c in book.walk()]
        for spec in book.walk():
            assert spec.guid and spec.description and spec.keywords and spec.examples
    assert titles["bonding-spreading"] == [
        "Bonding",
        "Approaching",
        "Reacting",
        "Encouraging participation",
        "Spreading",
        "Freedom to participate and share",
        "Freedom of expression",
    ]
    assert titles["dart-co-creation"][1:] == ["Dialogue", "Access", "Risk-benefits", "Transparency"]
    assert len(titles["human-centred-marketing"]) == 5


def test_codebook_import_is_idempotent_and_merges_by_guid(project: Project, tmp_path: Path) -> None:
    path = CODEBOOKS / "bonding-spreading.yaml"
    first = import_codebook_file(project, path)
    assert first.codes_created == 7
    again = import_codebook_file(project, path)
    assert (again.codes_created, again.codes_updated, again.codes_unchanged) == (0, 0, 7)
    # a researcher renames a code and edits a definition in the file: merged in place
    data = yaml.safe_load(path.read_text("utf-8"))
    data["codes"][0]["children"][1]["name"] = "Reacting to fans"
    data["codes"][0]["children"][1]["description"] = "New wording."
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    third = import_codebook_file(project, edited)
    assert (third.codes_created, third.codes_updated) == (0, 1)
    names = [c.name for c in codes_svc.flat_codes(project)]
    assert len(names) == 7 and "Reacting to fans" in names and "Reacting" not in names


def test_codebook_yaml_round_trip(sqlite_project: Project, tmp_path: Path) -> None:
    import_codebook_file(sqlite_project, CODEBOOKS / "dart-co-creation.yaml")
    out = tmp_path / "out.yaml"
    export_codebook_file(sqlite_project, out)
    original = load_codebook(CODEBOOKS / "dart-co-creation.yaml")
    back = load_codebook(out)
    assert back.walk() == original.walk()
    assert back.title == original.title and back.reference == original.reference
    assert not back.codes[0].codable


@pytest.mark.parametrize(
    "text,match",
    [
        ("codes: [", "line"),
        ("title: x\n", "needs a 'codes:' list"),
        ("codes:\n  - description: no name\n", "no name"),
        ("codes:\n  - name: A\n    guid: not-a-guid\n", "not a GUID"),
        ("codes:\n  - name: A\n    color: red\n", "#rrggbb"),
        ("codes:\n  - name: A\n    colour_typo: 1\n", "unknown field"),
        ("codes:\n  - name: A\n    children:\n      - name: B\n      - name: B\n", "two sub-codes"),
    ],
)
def test_bad_codebooks_are_one_line(text: str, match: str) -> None:
    with pytest.raises(CodebookFileError, match=match) as info:
        parse_codebook(text, "book.yaml")
    assert "\n" not in str(info.value) and str(info.value).startswith("book.yaml")


def test_exported_files_get_ordinary_permissions(sqlite_project: Project, tmp_path: Path) -> None:
    import os
    import stat

    import_codebook_file(sqlite_project, CODEBOOKS / "bonding-spreading.yaml")
    out = tmp_path / "book.yaml"
    old = os.umask(0o022)
    try:
        export_codebook_file(sqlite_project, out)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_source_can_be_named_by_its_participant(sample: Path, tmp_path: Path) -> None:
    from coder.services.sources.transcripts import SourceError, find_source, import_files

    with Project.open(sample) as project:
        found = find_source(project, "P04")
        assert found.case_name == "P04" and found.name.startswith("P04_")
        with pytest.raises(SourceError, match="no source named 'P99'"):
            find_source(project, "P99")
        # a participant with two sources has to be told which
        extra = tmp_path / "P04_follow_up.txt"
        extra.write_text("Interviewer: Anything to add?\n\nP04: No, that covers it.\n", "utf-8")
        import_files(project, [extra])
        sheet = tmp_path / "more.csv"
        sheet.write_text("Participant,Source\nP04,P04_follow_up.txt\n", "utf-8")
        import_cases(project, str(sheet))
        with pytest.raises(SourceError, match="several sources"):
            find_source(project, "P04")
