"""The bundled sample study: twelve fictional interviews at ten small record labels.

`coder demo` builds it into a fresh project under the user's data folder: the transcripts from
transcripts_sample/, the participants sheet, and the bonding-spreading codebook. The data is
found beside the source tree (a checkout or an editable install) or inside the installed
package.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from coder.errors import UserError
from coder.services.codebook.files import import_codebook_file
from coder.services.project.store import Project
from coder.services.sources.cases import import_cases
from coder.services.sources.transcripts import import_files

SAMPLE_CODEBOOK = "bonding-spreading.yaml"


def _candidates(name: str) -> list[Path]:
    here = Path(__file__).resolve().parents[2]  # coder/
    return [here.parent / name, here / "data" / name]


def data_dir(name: str) -> Path:
    """The folder of bundled data: 'transcripts_sample' or 'codebooks'."""
    for c in _candidates(name):
        if c.is_dir():
            return c
    raise UserError(f"the bundled {name} folder is missing from this installation")


def sample_files() -> list[Path]:
    folder = data_dir("transcripts_sample")
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in (".txt", ".docx", ".vtt") and p.name[:1] == "P"
    )


def default_location() -> Path:
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("coder", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return folder / f"sample-study-{stamp}.coder"


def build_sample_study(path: Path | None = None) -> Path:
    """Build the sample study into a new project file and return its path."""
    target = path or default_location()
    if target.exists():
        raise UserError(f"{target}: already exists; choose another --path")
    with Project.create(target) as project:
        outcomes = import_files(project, sample_files())
        failed = [o for o in outcomes if o.status == "failed"]
        if failed:
            raise UserError(f"sample transcript {failed[0].path}: {failed[0].message}")
        import_cases(project, str(data_dir("transcripts_sample") / "participants.csv"))
        import_codebook_file(project, data_dir("codebooks") / SAMPLE_CODEBOOK)
    return target
