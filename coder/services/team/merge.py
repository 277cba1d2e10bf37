"""`coder merge`: bring a colleague's work into this project without losing anything.

OTHER may be another coder project (a `.coder` file or a database URL) or a REFI-QDA `.qdpx`
from any tool. Either is first read into the same plain records a .qdpx import uses
(`RefiProject`, via `gather_project` or `read_qdpx`), so there is one merger for all of them.
Sources are matched by the hash of their text, codes by GUID and then by name under their
(matched) parent, participants by name, coders by name. Who coded is kept. What this project
lacks is added or filled in; where both differ, this project's version stays and the
difference is reported as a conflict. Codings already here (by GUID, or the same coder's same
span and code) are not added again, so merging the same file twice adds nothing, and codings
deleted here are not brought back.

The steps live beside this module: merge_codebook (coders, codes), merge_cases (attributes,
participants), merge_work (sources, codings, memos), merge_report (what is said). The whole
merge is one transaction. A dry run performs exactly the same steps and rolls them back, so
what it reports is what the merge would do, and it writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from coder.db.engine import is_url
from coder.db.retry import retry_writes
from coder.errors import UserError
from coder.refi.model import RefiProject
from coder.refi.plan import normalise
from coder.refi.qdpx_read import read_qdpx
from coder.services.exchange.refi_project import gather_project
from coder.services.project.store import Project
from coder.services.team.merge_cases import CaseMerger
from coder.services.team.merge_codebook import CodeMerger, CoderMatcher
from coder.services.team.merge_report import MergeItem, MergeLog, MergeReport
from coder.services.team.merge_work import WorkMerger

__all__ = ["MergeError", "MergeItem", "MergeReport", "merge_project", "read_other"]


class MergeError(UserError):
    """OTHER cannot be merged (one line naming it)."""


class _DryRun(Exception):  # noqa: N818 - control flow, never seen by the user
    def __init__(self, report: MergeReport) -> None:
        self.report = report


def read_other(other: str) -> RefiProject:
    """OTHER as plain records: a .qdpx read in full, or another project gathered."""
    if is_url(other):
        with Project.open(other) as p:
            return gather_project(p)
    path = Path(other)
    if not path.is_file():
        raise MergeError(f"{other}: no such file")
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(b"PK"):
        return read_qdpx(path)
    if head.startswith(b"SQLite format 3"):
        with Project.open(path) as p:
            return gather_project(p)
    raise MergeError(f"{other}: not a coder project (.coder), a database URL or a .qdpx")


@retry_writes
def _merge_records(
    project: Project, proj: RefiProject, other: str, *, dry_run: bool, coder: str | None
) -> MergeReport:
    try:
        with project.transaction() as s:
            log = MergeLog()
            coders = CoderMatcher(s, project, proj, coder, log)
            codes = CodeMerger(s, proj, log)
            codes.codes()
            cases = CaseMerger(s, proj, log.note)
            cases.attributes()
            cases.cases()
            work = WorkMerger(s, proj, log, coders, codes)
            work.sources(cases.case_ids)
            work.codings()
            work.memos()
            s.flush()
            report = log.report(other, dry_run, proj.warnings)
            if dry_run:
                raise _DryRun(report)  # rolls the transaction back: nothing is written
    except _DryRun as done:
        return done.report
    return report


def merge_project(
    project: Project, other: str, *, dry_run: bool = False, coder: str | None = None
) -> MergeReport:
    """Merge OTHER (a .coder file, a database URL or a .qdpx) into `project`, in one
    transaction; with `dry_run`, report what would change and write nothing.

    Args:
        project: The open project that receives the work.
        other: Where the colleague's work is.
        dry_run: Report only.
        coder: Who coded what OTHER does not attribute to anyone (default: the current coder).
    """
    proj = normalise(read_other(other))
    return _merge_records(project, proj, other, dry_run=dry_run, coder=coder)
