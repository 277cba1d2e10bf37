"""REFI-QDA projects (.qdpx): exporting a project, and importing one.

Export gathers everything the standard can carry (coder.services.exchange.refi_gather) and
writes it. Import reads a .qdpx first, entirely, so a hostile or broken file is refused before
the project is touched; then it stores the whole project in one transaction into a new or
empty project (coder.services.exchange.refi_store), keeping every GUID (codes, sources,
codings, participants, attributes, memos, coders), the code tree, descriptions and colours.
Speaker turns are found again in each imported text, as when a transcript file is imported.
What coder cannot hold (pictures, audio, PDF areas) is reported.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

from coder.collector import paused
from coder.db.bulk import bulk_cache, written_once
from coder.db.engine import is_url
from coder.errors import UserError
from coder.refi.model import RefiImportSummary, RefiProject, memos_text
from coder.refi.plan import normalise
from coder.refi.qdpx_read import read_qdpx
from coder.refi.qdpx_zip import QdpxLimits
from coder.services.exchange.refi_store import Importer
from coder.services.exchange.sets import store_sets
from coder.services.project.settings import Key, write
from coder.services.project.store import Project

__all__ = ["ProjectNotEmpty", "export_qdpx", "gather_project", "import_project", "import_qdpx"]


def gather_project(project: Project) -> RefiProject:
    """Everything the standard can carry, from `project` (coder.services.exchange.refi_gather,
    imported here on use: it brings the report stack an import does not need)."""
    from coder.services.exchange.refi_gather import gather_project as gather

    return gather(project)


def export_qdpx(project: Project, path: str | Path) -> RefiProject:
    """Write the project to a .qdpx file (atomically); returns what was written."""
    from coder.services.exchange.refi_gather import export_qdpx as export

    return export(project, path)


class ProjectNotEmpty(UserError):
    """Importing a .qdpx into a project that already has data (one line)."""


def import_project(
    project: Project, proj: RefiProject, coder: str | None = None
) -> RefiImportSummary:
    """Store `proj` into an empty project, in one transaction (nothing is kept on failure).

    Codings the file attributes to nobody are `coder`'s (default: the current coder)."""
    counts = project.counts()
    if any(counts[k] for k in ("sources", "codes", "cases", "codings")):
        raise ProjectNotEmpty(
            f"{project.target}: already has sources, codes or participants; "
            "import a .qdpx into a new or empty project"
        )
    proj = normalise(proj)
    with project.transaction() as s, bulk_cache(s):
        imp = Importer(s, project, proj, coder)
        imp.coders()
        for i, spec in enumerate(proj.codes):
            imp.code(spec, None, i)
        n_codings = imp.sources(imp.cases())
        imp.memos()
        n_sets = store_sets(s, proj.sets)
        memos = memos_text([n for n in proj.notes if n.kind == "project"])
        description = "" if proj.description == memos else proj.description
        named = ((Key.CODEBOOK_TITLE, proj.name), (Key.CODEBOOK_DESCRIPTION, description))
        for key, value in named:
            if value:
                write(s, key, value)
    return RefiImportSummary(
        len(proj.sources),
        len(imp.code_ids),
        n_codings,
        len(proj.cases),
        len(proj.notes),
        proj.warnings,
        n_sets,
    )


def import_qdpx(
    target: str, path: str | Path, limits: QdpxLimits | None = None, coder: str | None = None
) -> RefiImportSummary:
    """Read a .qdpx and import it into `target` (created when it does not exist yet).

    The file is read and checked completely before the project is opened; if the import
    then fails, a project file this call created is removed again. A file this call created
    is filled through a rollback journal (coder.db.bulk.written_once): no one else has it
    open yet, and its pages are then written once instead of twice.
    """
    with paused():  # a million records read and stored, none of them garbage (coder.collector)
        proj = read_qdpx(path, limits)
        created = not is_url(target) and not Path(target).exists()
        project = Project.open(target, create=True)  # a new file, or an empty database
        try:
            with project, written_once(project.engine) if created else nullcontext():
                return import_project(project, proj, coder)
        except BaseException:
            if created:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{target}{suffix}").unlink(missing_ok=True)
            raise
