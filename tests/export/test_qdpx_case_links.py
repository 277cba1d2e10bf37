"""Case-to-source links in a .qdpx (issue 13.15): written in the standard's form, a
`<SourceRef>` in each `<Case>`, valid against Project.xsd, and read back by coder.

QualCoder 3.6/4.0 does not read this form for a named case (its importer takes a Case's
SourceRef only as file variables of an unnamed case, and links cases only through a Code that
has the case's GUID). By default coder writes no such code, which would show as one extra code
per participant in NVivo and MAXQDA; `--case-codes` adds them, and coder reads them back as
case links, not as codes."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree
from sqlalchemy import select

from coder.db.models import Case, Source
from coder.services.exchange.refi_project import export_qdpx, import_qdpx
from coder.services.project.store import Project
from tests.export.conftest import assert_valid

P = "{urn:QDA-XML:project:1.0}"


def test_each_case_names_its_sources(sample: Path, tmp_path: Path, project_schema) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "study.qdpx"
    with Project.open(sample) as project:
        export_qdpx(project, out)
        with project.reading() as s:
            linked = {
                case_guid: sorted(
                    s.scalars(
                        select(Source.guid)
                        .join(Case, Case.id == Source.case_id)
                        .where(Case.guid == case_guid)
                    )
                )
                for case_guid in s.scalars(select(Case.guid))
            }
    with zipfile.ZipFile(out) as z:
        qde = z.read("project.qde")
    assert_valid(project_schema, qde)
    root = etree.fromstring(qde)
    cases = root.findall(f"{P}Cases/{P}Case")
    assert len(cases) == len(linked) == 12
    for case in cases:
        refs = sorted(r.get("targetGUID") for r in case.findall(f"{P}SourceRef"))
        assert refs and refs == linked[case.get("guid")]
    codes = {c.get("guid") for c in root.iter(f"{P}Code")}
    assert not codes & set(linked)  # no code stands in for a case

    again = tmp_path / "again.coder"
    import_qdpx(str(again), out)
    with Project.open(again) as project, project.reading() as s:
        back = {(c, src) for c, src in s.execute(select(Case.guid, Source.guid).join(Source))}
    assert back == {(c, src) for c, srcs in linked.items() for src in srcs}


def test_case_codes_for_qualcoder_round_trip_as_links(  # type: ignore[no-untyped-def]
    sample: Path, tmp_path: Path, project_schema
) -> None:
    from coder.cli import main
    from coder.db.models import Code, Coding

    out = tmp_path / "for-qualcoder.qdpx"
    assert main(["export", "qdpx", str(sample), "-o", str(out), "--case-codes"]) == 0
    with Project.open(sample) as project, project.reading() as s:
        links = set(s.execute(select(Case.guid, Source.guid).join(Source)).all())
        n_codes = len(s.scalars(select(Code.id)).all())
        n_codings = len(s.scalars(select(Coding.id)).all())
        texts = dict(s.execute(select(Source.guid, Source.text)).all())
    with zipfile.ZipFile(out) as z:
        qde = z.read("project.qde")
    assert_valid(project_schema, qde)
    root = etree.fromstring(qde)
    case_guids = {c for c, _ in links}
    as_codes = {c.get("guid") for c in root.iter(f"{P}Code")} & case_guids
    assert as_codes == case_guids  # each participant is also a code...
    whole = set()
    for src in root.iter(f"{P}TextSource"):
        for sel in src.findall(f"{P}PlainTextSelection"):
            for coding in sel.findall(f"{P}Coding"):
                ref = coding.find(f"{P}CodeRef").get("targetGUID")
                if ref in case_guids:
                    span = (int(sel.get("startPosition")), int(sel.get("endPosition")))
                    assert span == (0, len(texts[src.get("guid")]))
                    whole.add((ref, src.get("guid")))
    assert whole == links  # ...coding each of their transcripts whole

    again = tmp_path / "again.coder"
    import_qdpx(str(again), out)
    with Project.open(again) as project, project.reading() as s:
        assert set(s.execute(select(Case.guid, Source.guid).join(Source)).all()) == links
        assert len(s.scalars(select(Code.id)).all()) == n_codes  # no code per participant
        assert len(s.scalars(select(Coding.id)).all()) == n_codings
