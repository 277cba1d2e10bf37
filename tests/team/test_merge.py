"""`coder merge PROJECT OTHER [--dry-run] [--json]` on SQLite and PostgreSQL: another project,
a database URL or a .qdpx from another tool; who coded is kept, nothing in PROJECT is lost, a
dry run writes nothing, and merging the same thing twice adds nothing."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from coder.cli import main
from coder.refi.model import RefiCase, RefiCoding, RefiProject, RefiSource, RefiVariable
from coder.refi.qdpx_write import write_qdpx
from coder.services.codebook.codes import CodeFields, create_code, find_code, update_code
from coder.services.coding.codings import apply_code
from coder.services.coding.listing import list_codings
from coder.services.exchange.refi_project import export_qdpx
from coder.services.project.store import Project
from coder.services.sources.cases import list_cases, set_case_attribute
from coder.services.sources.transcripts import list_sources
from coder.vocab.dto import CodeSpec
from tests.team.helpers import add_source

ONE = "We reply to every fan within a day. Nobody waits."
TWO = "The label shares every post the band makes. Fans pass it on."
NEW = "A third interview, only in the colleague's copy."

Row = tuple[str, int, int, str, str]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rows(project: Project) -> set[Row]:
    return {(r.source, r.start, r.end, r.code, r.coder) for r in list_codings(project)}


def base(p: Project) -> None:
    """Two sources, Bonding/Reacting and Spreading; one participant."""
    add_source(p, ONE, "one")
    add_source(p, TWO, "two")
    bonding = create_code(p, "Bonding")
    create_code(p, "Reacting", bonding.id)
    create_code(p, "Spreading")


def copy_of(target: str, path: Path) -> str:
    """OTHER as a colleague's copy of `target`: same GUIDs (exported and re-imported)."""
    from coder.services.exchange.refi_project import import_qdpx

    with Project.open(target) as p:
        export_qdpx(p, path.with_suffix(".qdpx"))
    import_qdpx(str(path), path.with_suffix(".qdpx"))
    return str(path)


@pytest.fixture
def pair(any_target: str, tmp_path: Path) -> tuple[str, str]:
    """PROJECT (Ruth's, on the backend under test) and OTHER (Sam's copy, a .coder file)."""
    with Project.create(any_target) as p:
        base(p)
        set_case_attribute_safe(p)
    other = copy_of(any_target, tmp_path / "sam.coder")
    with Project.open(any_target) as p:
        one = list_sources(p)[0].id
        apply_code(p, one, 0, 35, find_code(p, "Bonding/Reacting").id, coder="Ruth")
    with Project.open(other) as p:
        one, two = (s.id for s in sorted(list_sources(p), key=lambda s: s.name))
        reacting = find_code(p, "Bonding/Reacting").id
        apply_code(p, one, 0, 35, reacting, coder="Sam")  # the same span as Ruth's
        apply_code(p, two, 0, 43, find_code(p, "Spreading").id, coder="Sam", memo="shares")
        update_code(p, reacting, CodeFields(description="Replying to fans."))
        update_code(p, find_code(p, "Spreading").id, CodeFields(name="Passing on"))
        shared = create_code(p, "Sharing", find_code(p, "Passing on").id)
        new = add_source(p, NEW, "three")
        apply_code(p, new, 0, 18, shared.id, coder="Sam")
    return any_target, other


def set_case_attribute_safe(p: Project) -> None:
    """A participant P01 with a role, owning source 'one'."""
    from sqlalchemy import select

    from coder.db.models import Case, Source

    with p.transaction() as s:
        case = Case(name="P01")
        s.add(case)
        s.flush()
        s.scalars(select(Source).where(Source.name == "one")).one().case_id = case.id
    set_case_attribute(p, "P01", "Role", "Owner")


def test_merge_keeps_both_coders_and_loses_nothing(
    pair: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    target, other = pair
    with Project.open(target) as p:
        before, counts = rows(p), p.counts()

    code, out, err = run(capsys, "merge", target, other, "--dry-run", "--json")
    assert code == 0, err
    plan = json.loads(out)
    assert plan["dry_run"] is True
    assert plan["added"] == {"coder": 1, "code": 1, "source": 1, "coding": 3}
    assert plan["changed"] == {"code": 1}
    assert plan["conflicts"] == {"code": 1}
    items = {(i["kind"], i["action"], i["name"]): i for i in plan["items"]}
    assert ("code", "add", "Passing on/Sharing") in items
    assert (
        items[("code", "conflict", "Passing on")]["detail"] == "called 'Spreading' here; name kept"
    )
    assert items[("code", "change", "Bonding/Reacting")]["detail"] == "description filled in"
    assert items[("coding", "add", "one by Sam")]["count"] == 1
    with Project.open(target) as p:  # the dry run wrote nothing
        assert rows(p) == before and p.counts() == counts

    code, out, err = run(capsys, "merge", target, other)
    assert code == 0, err
    assert out.splitlines()[0] == (
        f"added 1 coder, 1 code, 1 source, 3 codings; changed 1 code; 1 conflicts "
        f"(kept as in {target})"
    )
    with Project.open(target) as p:
        after = rows(p)
        assert before <= after  # nothing in PROJECT is lost
        assert after - before == {
            ("one", 0, 35, "Reacting", "Sam"),
            ("two", 0, 43, "Spreading", "Sam"),
            ("three", 0, 18, "Sharing", "Sam"),
        }
        assert find_code(p, "Spreading/Sharing").name == "Sharing"  # under PROJECT's name
        assert find_code(p, "Bonding/Reacting").description == "Replying to fans."
        memo = [r for r in list_codings(p, coders=("Sam",)) if r.source == "two"]
        assert len(memo) == 1
        assert [c.name for c in list_cases(p)] == ["P01"]

    code, out, _ = run(capsys, "merge", target, other, "--json")  # the same file again
    again = json.loads(out)
    assert code == 0 and again["added"] == {} and again["changed"] == {}
    with Project.open(target) as p:
        assert rows(p) == after


def test_merge_a_qdpx_from_another_tool(
    any_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A .qdpx that another tool wrote: fresh GUIDs, codes matched by path, sources by text,
    participants by name, a coding with no user attributed to --coder."""
    with Project.create(any_target) as p:
        base(p)
        one = list_sources(p)[0].id
        apply_code(p, one, 0, 35, find_code(p, "Reacting").id, coder="Ruth")
        before = rows(p)
    g = lambda: str(uuid.uuid4())  # noqa: E731
    reacting, spreading, role = g(), g(), g()
    codes = (
        CodeSpec("Bonding", g(), children=(CodeSpec("Reacting", reacting),)),
        CodeSpec("Spreading", spreading),
    )
    src = RefiSource(g(), "Interview one.txt", ONE,
                     codings=(RefiCoding(g(), reacting, 0, 35, None, memo="agree"),))  # fmt: skip
    fresh = RefiSource(g(), "P02", NEW, codings=(RefiCoding(g(), spreading, 2, 10),))
    cases = (RefiCase(g(), "P02", values=((role, "Label owner"),), source_guids=(fresh.guid,)),)
    proj = RefiProject("NVivo project", codes, (src, fresh), cases,
                       (RefiVariable(role, "Role"),))  # fmt: skip
    path = tmp_path / "nvivo.qdpx"
    path.write_bytes(write_qdpx(proj))

    code, out, err = run(capsys, "merge", any_target, str(path), "--coder", "Kim", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["added"] == {"coder": 1, "attribute": 1, "participant": 1, "source": 1,
                               "coding": 2}  # fmt: skip
    with Project.open(any_target) as p:
        after = rows(p)
        assert before <= after
        assert after - before == {("one", 0, 35, "Reacting", "Kim"), ("P02", 2, 10, "Spreading",
                                  "Kim")}  # fmt: skip
        cases_here = {c.name: c for c in list_cases(p)}
        assert set(cases_here) == {"P02"}
        assert {s.name: s.case_name for s in list_sources(p)}["P02"] == "P02"
        assert len(p.counts()) and p.counts()["codes"] == 3  # no duplicate codes
    code, out, _ = run(capsys, "merge", any_target, str(path), "--coder", "Kim", "--json")
    assert json.loads(out)["added"] == {}


@pytest.mark.postgres
def test_merge_from_a_database_url(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(tmp_path / "mine.coder")
    with Project.create(target) as p:
        base(p)
    with Project.create(pg_url) as p:
        base(p)
        two = next(s.id for s in list_sources(p) if s.name == "two")
        apply_code(p, two, 4, 9, find_code(p, "Spreading").id, coder="Sam")
    code, out, err = run(capsys, "merge", target, pg_url)
    assert code == 0, err
    with Project.open(target) as p:
        assert rows(p) == {("two", 4, 9, "Spreading", "Sam")}
        assert p.counts()["sources"] == 2 and p.counts()["codes"] == 3


def test_merge_bad_other_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = str(tmp_path / "mine.coder")
    with Project.create(target) as p:
        base(p)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a project")
    code, _, err = run(capsys, "merge", target, str(notes))
    assert code == 1
    assert err.strip() == f"coder: {notes}: not a coder project (.coder), a database URL or a .qdpx"
    code, _, err = run(capsys, "merge", target, str(tmp_path / "missing.coder"))
    assert code == 1 and "no such file" in err and "Traceback" not in err


def test_merge_fills_memos_and_exemplars_of_codings_already_here(
    any_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from coder.services.coding.codings import codings_for_source, set_coding_memo, set_exemplar

    with Project.create(any_target) as p:
        base(p)
        one = list_sources(p)[0].id
        apply_code(p, one, 0, 35, find_code(p, "Reacting").id, coder="Ruth", memo="mine")
    other = copy_of(any_target, tmp_path / "copy.coder")
    with Project.open(other) as p:
        c = codings_for_source(p, list_sources(p)[0].id)[0]
        set_coding_memo(p, c.id, "theirs")
        set_exemplar(p, c.id, True)
    for expected in ({"coding": 1}, {}):  # the second merge changes nothing
        code, out, err = run(capsys, "merge", any_target, other, "--json")
        assert code == 0, err
        report = json.loads(out)
        assert report["added"] == {} and report["changed"] == expected
    with Project.open(any_target) as p:
        (c,) = codings_for_source(p, one)
        assert (c.memo, c.exemplar, c.coder) == ("mine\ntheirs", True, "Ruth")


def test_codings_deleted_here_are_not_brought_back(
    any_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """OTHER is a copy taken before PROJECT deleted codings (one removed, two uncoded, one
    under a deleted code, one folded into its twin by a code merge): merging it adds none of
    them again,
    counts them under "skipped_deleted", and still adds OTHER's genuinely new coding. (The
    coding moved off the merged code is still here by its GUID: a conflict, kept as here.)"""
    from coder.services.codebook.codes import delete_code, merge_codes
    from coder.services.coding.codings import remove_coding, uncode_span

    with Project.create(any_target) as p:
        base(p)
        one = list_sources(p)[0].id
        reacting, spreading = find_code(p, "Bonding/Reacting").id, find_code(p, "Spreading").id
        gone = apply_code(p, one, 0, 8, reacting, coder="Ruth")
        apply_code(p, one, 9, 14, reacting, coder="Ruth")
        apply_code(p, one, 15, 20, spreading, coder="Ruth")
        doomed = create_code(p, "Doomed")
        apply_code(p, one, 21, 30, doomed.id, coder="Ruth")
        folded = create_code(p, "Folded")
        apply_code(p, one, 31, 35, folded.id, coder="Ruth")
        apply_code(p, one, 36, 40, folded.id, coder="Ruth")  # folded into its twin below
        kept = apply_code(p, one, 36, 40, spreading, coder="Ruth")
    other = copy_of(any_target, tmp_path / "old.coder")
    with Project.open(other) as p:
        src = min(list_sources(p), key=lambda s: s.name).id
        apply_code(p, src, 0, 14, find_code(p, "Spreading").id, coder="Sam")  # new work
    with Project.open(any_target) as p:
        remove_coding(p, gone.id)
        assert uncode_span(p, one, 9, 20, reacting) == 1
        assert uncode_span(p, one, 15, 16, spreading) == 1
        delete_code(p, doomed.id)
        merge_codes(p, folded.id, spreading)
        before = rows(p)
    assert ("one", 36, 40, "Spreading", "Ruth") in before and kept.start == 36

    code, out, err = run(capsys, "merge", any_target, other, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["skipped_deleted"] == 5
    assert report["added"].get("coding") == 1
    assert report["conflicts"].get("coding") == 1  # the moved one is here, under Spreading
    assert list(report)[:7] == [
        "other", "dry_run", "added", "changed", "conflicts", "items", "warnings"
    ]  # fmt: skip
    with Project.open(any_target) as p:
        assert rows(p) - before == {("one", 0, 14, "Spreading", "Sam")}
        assert before <= rows(p)
    code, out, _ = run(capsys, "merge", any_target, other)
    assert code == 0 and "5 codings deleted in" in out
