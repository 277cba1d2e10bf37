"""Issue 13 item 13: faults give one line, never a traceback; read-only projects can be read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coder.cli import main
from coder.errors import UserError
from coder.services.codebook import codes as codes_svc
from coder.services.project.store import Project

REPO = Path(__file__).resolve().parent.parent.parent

# Runs coder with a file size limit: writes past it fail with EFBIG, as on a full disk.
LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from coder.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _limited(limit: int, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LIMITED, str(limit), *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def _one_line(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 1, (run.returncode, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("coder: "), run.stderr
    return lines[0]


def test_full_disk_export_is_one_line(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "t1.docx"
    line = _one_line(_limited(33_000, "export", "table1", str(sample), "-o", str(out)))
    assert str(out) in line
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".t1")]


def _book(tmp_path: Path) -> str:
    book = tmp_path / "new.yaml"
    book.write_text("codes:\n  - name: Brand new theme\n", "utf-8")
    return str(book)


def test_full_disk_write_is_one_line(sample: Path, tmp_path: Path) -> None:
    _one_line(_limited(1024, "codebook", "import", str(sample), _book(tmp_path)))
    with Project.open(sample) as project:
        assert "Brand new theme" not in {c.name for c in codes_svc.flat_codes(project)}


def test_truncated_project_is_one_line(sample: Path, tmp_path: Path) -> None:
    for keep in (100, 4096, 50_000, sample.stat().st_size // 2):
        broken = tmp_path / f"cut-{keep}.coder"
        broken.write_bytes(sample.read_bytes()[:keep])
        for argv in (["info", str(broken)], ["codes", str(broken)], ["check", str(broken)]):
            run = subprocess.run(
                [sys.executable, "-m", "coder.cli", *argv],
                capture_output=True,
                text=True,
                cwd=REPO,
                timeout=120,
            )
            if run.returncode != 0:
                _one_line(run)


def test_file_name_that_is_not_utf8(
    sqlite_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.fsdecode(b"interview-\xff\xfe.txt")
    path = tmp_path / name
    path.write_text("Interviewer: Hello?\nAnna: Hi.\n", "utf-8")
    target = sqlite_project.target
    sqlite_project.close()
    code = main(["import", target, str(path), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0, err
    with Project.open(target) as project:
        assert project.counts()["sources"] == 1


@pytest.mark.postgres
def test_names_too_long_for_postgres(pg_url: str) -> None:
    with Project.create(pg_url) as project:
        with pytest.raises(UserError) as err:
            codes_svc.create_code(project, "x" * 500)
        assert "\n" not in str(err.value)
        assert codes_svc.flat_codes(project) == []


def _read_only_copy(sample: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    """A copy of the sample on a read-only file system (root) or with read-only modes."""
    if os.geteuid() != 0:
        folder = tmp_path / "ro"
        folder.mkdir()
        shutil.copy(sample, folder / "s.coder")
        (folder / "s.coder").chmod(0o444)
        folder.chmod(0o555)
        return folder / "s.coder", []
    folder = tmp_path / "ro-mount"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)]).returncode:
        pytest.skip("cannot mount a read-only file system here")
    shutil.copy(sample, folder / "s.coder")
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    return folder / "s.coder", ["umount", str(folder)]


def test_read_only_project_can_be_read(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, cleanup = _read_only_copy(sample, tmp_path)
    try:
        assert main(["info", str(path)]) == 0
        assert "codes" in capsys.readouterr().out
        assert main(["codes", str(path)]) == 0
        out = tmp_path / "t1.md"
        assert main(["export", "table1", str(path), "-o", str(out)]) == 0
        assert out.read_text("utf-8").startswith("**Table 1.**")
        capsys.readouterr()
        assert main(["codebook", "import", str(path), _book(tmp_path)]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "read-only" in err[0]
    finally:
        if cleanup:
            subprocess.run(cleanup, check=True)
