"""`coder pseudonymise` as a researcher types it: review, exclusions, names list, mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coder.cli import main
from coder.services.project.sample import build_sample_study


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sample(tmp_path: Path) -> str:
    return str(build_sample_study(tmp_path / "sample.coder"))


def test_review_lists_each_replacement_and_writes_nothing(
    sample: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "pseudonymise", sample, "--dry-run", "--out", str(tmp_path / "x"))
    assert code == 0
    assert "P01_label_a_vice_president:216\tHelen -> P01\t(speaker)" in out
    assert out.splitlines()[-1].startswith("would replace ")
    assert not (tmp_path / "x").exists()
    code, out, _ = run(capsys, "pseudonymise", sample, "--review", "--json")
    rows = json.loads(out)
    assert set(rows[0]) == {"source", "offset", "original", "pseudonym", "reason"}
    assert {r["original"] for r in rows} >= {"Helen", "Grace Lindqvist", "Grace"}


def test_exclusions_by_name_by_file_and_by_place(
    sample: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = tmp_path / "keep.txt"
    listed.write_text("# names we may show\nNoor\n", encoding="utf-8")
    args = ["pseudonymise", sample, "--dry-run", "--json", "--keep", "helen",
            "--exclusions", str(listed), "--keep-at", "P07_label_g_president:0"]  # fmt: skip
    rows = json.loads(run(capsys, *args)[1])
    originals = {r["original"] for r in rows}
    assert "Helen" not in originals and "Noor" not in originals
    assert ("P07_label_g_president", 0) not in {(r["source"], r["offset"]) for r in rows}
    assert "Priya" in originals


def test_names_list_is_kept_in_the_project(sample: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "pseudonymise", sample, "--add-name", "Dennis",
               "--add-name", "Kilo Verse=the artist")[0] == 0  # fmt: skip
    code, out, _ = run(capsys, "pseudonymise", sample, "--list-names", "--json")
    assert json.loads(out) == {"Dennis": "", "Kilo Verse": "the artist"}
    rows = json.loads(run(capsys, "pseudonymise", sample, "--dry-run", "--json")[1])
    assert {"Dennis": "Name 1", "Kilo Verse": "the artist"}.items() <= {
        r["original"]: r["pseudonym"] for r in rows
    }.items()
    assert run(capsys, "pseudonymise", sample, "--remove-name", "Dennis")[0] == 0
    code, _, err = run(capsys, "pseudonymise", sample, "--remove-name", "Dennis")
    assert code == 1 and err.startswith("coder: 'Dennis' is not in the names list")


def test_writes_the_copy_and_its_key_apart(
    sample: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, key = tmp_path / "shared.coder", tmp_path / "apart" / "key.csv"
    key.parent.mkdir()
    code, text, _ = run(capsys, "pseudonymise", sample, "--out", str(out), "--key", str(key))
    assert code == 0 and f"the key is in {key}" in text
    assert key.read_text(encoding="utf-8-sig").startswith("name,pseudonym,reason,occurrences")
    assert b"Helen" not in out.read_bytes()
    assert run(capsys, "check", str(out))[0] == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ((), "coder: give --out NEW.coder (or --dry-run to review)"),
        (("--out", "{sample}"), "must not overwrite"),
        (("--out", "{tmp}/n.coder", "--key", "{sample}"), "must not overwrite"),
        (("--dry-run", "--keep-at", "P01"), "coder: --keep-at 'P01': give SOURCE:OFFSET"),
        (("--out", "{tmp}/none/n.coder"), "no such folder"),
    ],
)
def test_mistakes_are_one_line(
    sample: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: tuple[str, ...],
    message: str,
) -> None:
    argv = [x.format(sample=sample, tmp=tmp_path) for x in extra]
    code, _, err = run(capsys, "pseudonymise", sample, *argv)
    assert code == 1
    assert message in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sample.coder"]


def test_sigterm_while_writing_becomes_a_clean_exit() -> None:
    """Stopped with SIGTERM, the write unwinds like Ctrl-C (its finally removes the working
    copy); the previous handler is back afterwards."""
    import os
    import signal

    from coder.cli.pseudonymise import _cleanup_on_terminate

    before = signal.getsignal(signal.SIGTERM)
    unwound = []
    with pytest.raises(SystemExit) as info, _cleanup_on_terminate():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            signal.pthread_sigmask(signal.SIG_BLOCK, [])  # let the handler run here
        finally:
            unwound.append(True)
    assert info.value.code == 128 + signal.SIGTERM and unwound == [True]
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_keep_at_that_matches_nothing_is_said(
    sample: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped --keep-at kept nothing and said nothing."""
    args = ["pseudonymise", sample, "--dry-run", "--keep-at", "P01_label_a_vice_president:216",
            "--keep-at", "P01_label_a_vice_presidnt:216"]  # fmt: skip
    code, out, err = run(capsys, *args)
    assert code == 0 and "P01_label_a_vice_president:216\t" not in out
    assert "P01_label_a_vice_president:432\tHelen -> P01" in out
    assert err.splitlines() == [
        "coder: --keep-at P01_label_a_vice_presidnt:216: no replacement there, nothing kept "
        "(--dry-run lists each as SOURCE:OFFSET)"
    ]


def test_survey_question_turns_are_a_role_not_a_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every survey source has "Question" turns; the review listed each as a name to replace
    by "Speaker 1" (110 lines for the demo's 20 respondents)."""
    study = str(build_sample_study(tmp_path / "survey.coder", survey=True))
    rows = json.loads(run(capsys, "pseudonymise", study, "--dry-run", "--json")[1])
    assert rows and not [r for r in rows if r["original"] in ("Question", "Answer")]
