"""`coder codes merge|rename|delete|move` and `coder codings`, in their exact forms, through the
real entry point on SQLite and PostgreSQL; `coder codes PROJECT [--json]` still shows the tree."""

from __future__ import annotations

import json

import pytest

from coder.cli import main
from coder.services.codebook.codes import create_code
from coder.services.coding.codings import apply_code
from coder.services.project.store import Project
from tests.team.helpers import add_source

TEXT = "We reply to every fan. The label shares every post. Fans talk to each other."
KEYS = {"guid", "source", "start", "end", "code", "code_guid", "coder", "text"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def team(any_target: str) -> str:
    """Bonding/{Reacting, Approaching}, Spreading/Sharing; Ruth and Sam both coded."""
    with Project.create(any_target) as p:
        sid = add_source(p, TEXT, "interview")
        bonding = create_code(p, "Bonding")
        reacting = create_code(p, "Reacting", bonding.id)
        approaching = create_code(p, "Approaching", bonding.id)
        spreading = create_code(p, "Spreading")
        sharing = create_code(p, "Sharing", spreading.id)
        for who in ("Ruth", "Sam"):
            apply_code(p, sid, 0, 22, reacting.id, coder=who)
        apply_code(p, sid, 0, 22, approaching.id, coder="Ruth")  # Ruth's twin under both
        apply_code(p, sid, 23, 51, approaching.id, coder="Sam")
        apply_code(p, sid, 23, 51, sharing.id, coder="Ruth")
    return any_target


def codings(capsys: pytest.CaptureFixture[str], target: str, *opts: str) -> list[dict]:  # type: ignore[type-arg]
    code, out, err = run(capsys, "codings", target, *opts, "--json")
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def test_codings_lists_every_field_and_filters(
    team: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = codings(capsys, team)
    assert len(rows) == 5 and all(set(r) == KEYS for r in rows)
    first = rows[0]
    assert first["source"] == "interview" and first["text"] == TEXT[first["start"] : first["end"]]
    assert {r["coder"] for r in rows} == {"Ruth", "Sam"}
    assert len(codings(capsys, team, "--coder", "Sam")) == 2
    by_path = codings(capsys, team, "--code", "Bonding/Reacting")
    assert {r["coder"] for r in by_path} == {"Ruth", "Sam"} and len(by_path) == 2
    guid = by_path[0]["code_guid"]
    assert codings(capsys, team, "--code", guid) == by_path
    assert codings(capsys, team, "--code", "Reacting", "--coder", "Ruth")[0]["coder"] == "Ruth"
    assert len(codings(capsys, team, "--source", "interview", "--code", "Sharing")) == 1
    code, out, _ = run(capsys, "codings", team, "--coder", "Sam")
    assert code == 0 and out.count("[Sam]") == 2 and "We reply to every fan." in out
    code, _, err = run(capsys, "codings", team, "--coder", "Nobody")
    assert code == 1 and "no coder named 'Nobody'" in err and "Ruth, Sam" in err


def test_codes_merge_keeps_every_coders_coding(
    team: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("codes", "merge", team, "Bonding/Approaching", "--into", "Reacting")
    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert out.strip() == "merged Approaching into Reacting: 1 coding moved"
    rows = codings(capsys, team, "--code", "Reacting")
    # Ruth's twin folded into her own coding; Sam's second coding moved; nobody's lost.
    assert sorted((r["coder"], r["start"]) for r in rows) == [
        ("Ruth", 0),
        ("Sam", 0),
        ("Sam", 23),
    ]
    tree = json.loads(run(capsys, "codes", team, "--json")[1])
    assert [c["name"] for c in tree[0]["children"]] == ["Reacting"]


def test_codes_rename_move_delete(team: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "codes", "rename", team, "Spreading/Sharing", "Passing on")
    assert code == 0 and out.strip() == "renamed Sharing to Passing on"
    code, out, _ = run(capsys, "codes", "move", team, "Passing on", "--under", "Bonding")
    assert code == 0 and out.strip() == "moved Passing on under Bonding"
    assert codings(capsys, team, "--code", "Bonding/Passing on")[0]["coder"] == "Ruth"
    code, out, _ = run(capsys, "codes", "move", team, "Bonding/Passing on", "--top", "--json")
    assert code == 0 and json.loads(out)["parent"] is None
    tree = json.loads(run(capsys, "codes", team, "--json")[1])
    assert [t["name"] for t in tree] == ["Bonding", "Spreading", "Passing on"]
    code, out, _ = run(capsys, "codes", "delete", team, "Bonding")
    assert code == 0 and out.strip() == "deleted Bonding (4 codings, 2 sub-codes)"
    assert [r["code"] for r in codings(capsys, team)] == ["Passing on"]
    code, out, _ = run(capsys, "codes", team)
    assert code == 0 and out.splitlines() == [
        "Spreading  (0 codings, 0 participants)",
        "Passing on  (1 coding, 0 participants)",
    ]


def test_codes_mistakes_are_one_line(team: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "codes", "move", team, "Reacting")
    assert code == 1 and err.strip() == "coder: give exactly one of --under PARENT or --top"
    code, _, err = run(capsys, "codes", "rename", team, "Reacting", "Approaching")
    assert code == 1 and "already a code 'Approaching'" in err and "Traceback" not in err
    code, _, err = run(capsys, "codes", "merge", team, "Nope", "--into", "Reacting")
    assert code == 1 and err.strip() == "coder: no code named 'Nope'"
    code, _, err = run(capsys, "codes", "merge", team, "Bonding", "--into", "Reacting")
    assert code == 1 and "own sub-codes" in err
    code, _, err = run(capsys, "codes", "merge", team, "Reacting")
    assert code == 2 and "--into" in err
    assert len(codings(capsys, team)) == 5  # nothing changed by the mistakes


def test_codes_help_lists_every_form(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["codes", "--help"])
    out = capsys.readouterr().out
    for form in ("coder codes PROJECT [--json]", "coder codes merge PROJECT CODE --into CODE",
                 "coder codes rename PROJECT CODE NEW", "coder codes delete PROJECT CODE",
                 "coder codes move PROJECT CODE --under PARENT|--top"):  # fmt: skip
        assert form in out
