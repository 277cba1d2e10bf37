"""The documented `coder suggest` forms, run through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coder.cli import main
from coder.services.codebook.codes import flat_codes
from coder.services.project.store import Project
from coder.services.sources.transcripts import get_source, list_sources
from coder.services.suggestions import scoring as sg


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_form_prints_a_ranked_json_array(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "We reply to every comment and answer the messages fans send us."
    code, out, _ = run(capsys, "suggest", str(sample), "--text", text, "--top", "3", "--json")
    assert code == 0
    found = json.loads(out)
    assert 1 <= len(found) <= 3
    assert all(set(item) == {"code", "guid", "score", "evidence"} for item in found)
    assert found[0]["code"] == "Reacting"
    assert [f["score"] for f in found] == sorted((f["score"] for f in found), reverse=True)
    assert all(e in text for f in found for e in f["evidence"])
    code, out, _ = run(capsys, "suggest", str(sample), "--text", text)
    assert code == 0 and out.split()[1] == "Reacting"


def test_source_form_lists_each_passage(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "suggest", str(sample), "P09_label_i_president", "--json")
    assert code == 0
    parts = json.loads(out)
    assert parts and all(set(p) == {"start", "end", "text", "suggestions"} for p in parts)
    with Project.open(sample) as project:
        sid = next(s.id for s in list_sources(project) if s.name.startswith("P09"))
        text = get_source(project, sid).text
    assert all(text[p["start"] : p["end"]] == p["text"] for p in parts)
    assert any(s["code"] == "Approaching" for p in parts for s in p["suggestions"])
    code, out, _ = run(capsys, "suggest", str(sample), "P09_label_i_president")
    assert code == 0 and "->" in out


def test_train_and_evaluate_forms(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "suggest", "train", str(sample))
    assert code == 0 and out.startswith("trained")
    code, _, err = run(capsys, "suggest", "evaluate", str(sample))
    assert code == 1 and err.startswith("coder: evaluation needs coded passages")
    with Project.open(sample) as project:
        codes = {c.name: c.id for c in flat_codes(project)}
        for s in list_sources(project)[:4]:
            for found in sg.review_candidates(project, source_id=s.id, limit=6):
                sg.accept(project, s.id, found.start, found.end, codes[found.suggestion.code_name])
    code, out, _ = run(capsys, "suggest", "evaluate", str(sample), "--json", "--folds", "4")
    assert code == 0
    rep = json.loads(out)
    assert rep["split_by"] == "participant" and rep["groups"] == 4
    metric_keys = {"recall_at_1", "recall_at_3", "precision_at_1", "macro_f1", "kappa"}
    assert set(rep["mean"]) == metric_keys and set(rep["baseline"]) == metric_keys
    assert all({"code", "support", "kappa", "f1"} <= set(c) for c in rep["codes"])
    per = rep["codes_per_passage"]
    assert set(per) == {"predicted", "actual"} and per["actual"] >= 1.0
    assert per["predicted"] >= 0.0
    code, out, _ = run(capsys, "suggest", "evaluate", str(sample))
    assert code == 0 and "most frequent" in out and "kappa" in out
    assert "codes per passage:" in out and "predicted" in out and "actual" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["{p}"], "give --text TEXT or a SOURCE"),
        (["train"], "exactly one PROJECT"),
        (["{p}", "P01_label_a_vice_president", "--text", "x"], "either --text or a SOURCE"),
        (["{p}", "no-such-source"], "no source named"),
        (["{p}", "--text", "x", "--top", "0"], "--top must be at least 1"),
    ],
)
def test_mistakes_are_one_line(
    sample: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "suggest", *[a.format(p=sample) for a in argv])
    assert code == 1 and out == ""
    assert err.startswith("coder: ") and message in err and err.count("\n") == 1


def test_help_explains_every_form(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["suggest", "--help"])
    out = capsys.readouterr().out
    for form in (
        "PROJECT --text TEXT",
        "PROJECT SOURCE",
        "train PROJECT",
        "evaluate PROJECT",
        "--json",
        "kappa",
    ):
        assert form in out


def test_options_may_come_before_the_positionals(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "We reply to every comment and answer the messages fans send us."
    code, out, _ = run(capsys, "suggest", "--json", "--top", "2", str(sample), "--text", text)
    assert code == 0 and 1 <= len(json.loads(out)) <= 2
    code, out, _ = run(capsys, "suggest", "--folds", "3", "train", str(sample))
    assert code == 0 and out.startswith("trained")


def test_usage_mistakes_exit_2_with_the_forms(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "suggest")
    assert code == 2 and out == ""
    assert "coder suggest train PROJECT" in err and err.splitlines()[-1].startswith("coder: ")
    code, _, err = run(capsys, "suggest", "x.coder", "--nope")
    assert code == 2 and "--nope" in err.splitlines()[-1]


def test_jsonl_form_writes_one_array_per_line(
    sample: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    texts = [
        "We reply to every comment and answer the messages fans send us.",
        "",
        "We reply to every comment and answer the messages fans send us.",
    ]
    lines = "".join(json.dumps({"text": t}) + "\n" for t in texts) + "\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    code, out, _ = run(capsys, "suggest", str(sample), "--jsonl", "--top", "3")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 3 and rows[1] == [] and rows[0] == rows[2]
    code, single, _ = run(
        capsys, "suggest", str(sample), "--text", texts[0], "--top", "3", "--json"
    )
    assert code == 0 and json.loads(single) == rows[0]


@pytest.mark.parametrize(
    "stdin, message",
    [('{"text": "ok"}\nnot json\n', "stdin line 2: not JSON"), ('{"txt": 1}\n', 'string "text"')],
)
def test_jsonl_bad_line_writes_nothing(
    sample: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stdin: str,
    message: str,
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code, out, err = run(capsys, "suggest", str(sample), "--jsonl")
    assert code == 1 and out == "" and message in err and "Traceback" not in err


COLD = """
import gc, json, sys
from coder.cli import main
full = gc.get_stats()[2]["collections"]
code = main(sys.argv[1:])
heavy = ("textual", "typer", "matplotlib", "docx", "openpyxl", "lxml")
gone = [m for m in heavy if m in sys.modules]
print(json.dumps({"code": code, "full": gc.get_stats()[2]["collections"] - full, "gone": gone}))
"""


def test_a_cold_text_suggestion_loads_only_what_it_needs_without_full_collections(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fresh interpreter (as a script calls it): the same array as in-process, none of the
    TUI, export or spaCy command-line stacks imported, and no full pass of the garbage
    collector over the modules spaCy and SQLAlchemy bring (coder.collector)."""
    import subprocess
    import sys

    text = "We reply to every comment and answer the messages fans send us."
    code, want, _ = run(capsys, "suggest", str(sample), "--text", text, "--json")  # trains once
    assert code == 0
    argv = ["suggest", str(sample), "--text", text, "--json"]
    done = subprocess.run(
        [sys.executable, "-c", COLD, *argv], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    out, _, facts = done.stdout.rpartition("\n{")
    report = json.loads("{" + facts)
    assert json.loads(out) == json.loads(want)
    assert report == {"code": 0, "full": 0, "gone": []}
