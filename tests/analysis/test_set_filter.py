"""Sets as filters (issue 13.15): `--set NAME` keeps the matrix, co-occurrence, queries, word
counts and the codings listing to a source set's sources and a code set's codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from coder.analysis.subset import restrict
from coder.cli.analysis import cooccur, matrix, query
from coder.cli.codes import codings
from coder.db.models import Code, Source
from coder.errors import UserError
from coder.refi.model import RefiSet
from coder.services.analysis.gather import gather
from coder.services.exchange.sets import store_sets
from coder.services.project.store import Project
from tests.analysis.test_gather import code_sample


@pytest.fixture
def with_sets(sample: Path) -> Path:
    code_sample(sample)
    with Project.open(sample) as project, project.transaction() as s:
        sources = list(s.scalars(select(Source).order_by(Source.name)))
        approaching = s.scalar(select(Code.guid).where(Code.name == "Approaching"))
        assert approaching is not None
        store_sets(
            s,
            (
                RefiSet("set-a", "First three", "", tuple(x.guid for x in sources[:3])),
                RefiSet("set-b", "First two", "", tuple(x.guid for x in sources[:2])),
                RefiSet("set-c", "Approach", "", (), (approaching,)),
            ),
        )
    return sample


def run(cmd, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cmd, list(args), catch_exceptions=True)


def test_a_source_set_narrows_the_matrix(with_sets: Path) -> None:
    whole = json.loads(run(matrix, str(with_sets), "--cols", "source", "--json").output)
    out = run(matrix, str(with_sets), "--cols", "source", "--set", "first three", "--json")
    assert out.exit_code == 0, out.output
    part = json.loads(out.output)
    assert len(part["cols"]) == 3 and len(whole["cols"]) == 12
    assert sum(part["totals"]) < sum(whole["totals"])
    both = json.loads(
        run(matrix, str(with_sets), "--set", "First three", "--set", "First two", "--json").output
    )
    assert sum(both["totals"]) <= sum(part["totals"])


def test_a_code_set_narrows_the_rows_and_the_listing(with_sets: Path) -> None:
    part = json.loads(run(matrix, str(with_sets), "--set", "approach", "--json").output)
    assert [r["code"] for r in part["rows"]] == ["Bonding", "Approaching"]
    listed = json.loads(run(codings, str(with_sets), "--set", "Approach", "--json").output)
    everything = json.loads(run(codings, str(with_sets), "--json").output)
    assert listed and len(listed) < len(everything)
    assert {r["code"] for r in listed} == {"Approaching"}
    mixed = run(codings, str(with_sets), "--set", "Approach", "--set", "First two", "--json")
    assert 0 < len(json.loads(mixed.output)) < len(listed)
    co = run(cooccur, str(with_sets), "--set", "Approach", "--json")
    assert co.exit_code == 0 and len(json.loads(co.output)["codes"]) <= 2


def test_query_and_unknown_set(with_sets: Path) -> None:
    hits = json.loads(run(query, str(with_sets), '"Approaching"', "--json").output)
    some = json.loads(
        run(query, str(with_sets), '"Approaching"', "--set", "First two", "--json").output
    )
    assert len(some) < len(hits)
    bad = run(matrix, str(with_sets), "--set", "Wave 9")
    assert bad.exit_code != 0 and isinstance(bad.exception, UserError)
    assert "no set named 'Wave 9' (sets: First three, First two, Approach)" in str(bad.exception)


def test_restrict_keeps_the_themes_above_a_code(with_sets: Path) -> None:
    with Project.open(with_sets) as project:
        corpus = gather(project)
    child = next(c for c in corpus.codes if c.parent is not None)
    narrowed = restrict(corpus, None, [child.id])
    assert {c.id for c in narrowed.codes} == {child.id, child.parent}
    assert all(c.code == child.id for c in narrowed.codings)
    assert restrict(corpus).codings == list(corpus.codings)


def test_exports_take_the_set_too(with_sets: Path, tmp_path: Path) -> None:
    from coder.cli import cli

    out = tmp_path / "m.csv"
    done = CliRunner().invoke(
        cli, ["export", "matrix", str(with_sets), "-o", str(out), "--set", "First two"]
    )
    assert done.exit_code == 0, done.output
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.count("P0") == 2 and "P03" not in header
