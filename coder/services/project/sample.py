"""The bundled sample study: twelve fictional interviews at ten small record labels.

`coder demo` builds it into a fresh project under the user's data folder: the transcripts from
transcripts_sample/, the participants sheet, and the bonding-spreading codebook; for the demo
also a second coder (two fictional coders, Ruth and Sam, coded P01 and P04 independently, from
double_coding.csv, so agreement and the disagreement review have something to show) and the
bundled open-ended survey (respondents S01-S20). The test fixtures build the plain study (no
codings, no survey) that their snapshots and counts are written against. The data is found
beside the source tree (a checkout or an editable install) or inside the installed package.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from coder.errors import UserError
from coder.services.codebook.files import import_codebook_file
from coder.services.codebook.reading import find_code
from coder.services.coding.codings import apply_code_in
from coder.services.project.store import Project
from coder.services.sources.cases import import_cases
from coder.services.sources.survey import import_survey
from coder.services.sources.transcripts import find_source, get_source, import_files

SAMPLE_CODEBOOK = "bonding-spreading.yaml"
DOUBLE_CODING = "double_coding.csv"
SURVEY = "survey_fans_social_media.csv"
SURVEY_QUESTIONS = (
    "How do fans first find your releases?",
    "Which social media platform matters most to your label, and why?",
    "What has changed in how you talk to fans since streaming?",
)


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


def build_sample_study(
    path: Path | None = None, *, second_coder: bool = False, survey: bool = False
) -> Path:
    """Build the sample study into a new project file and return its path.

    Args:
        path: Where (default: a new file in the user's data folder).
        second_coder: Also apply double_coding.csv: Ruth's and Sam's independent codings.
        survey: Also import the bundled survey (participants S01-S20, one source each).
    """
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
        if second_coder:
            apply_double_coding(project, data_dir("transcripts_sample") / DOUBLE_CODING)
        if survey:
            import_survey(
                project,
                data_dir("transcripts_sample") / SURVEY,
                id_column="respondent",
                open_columns=SURVEY_QUESTIONS,
            )
            _survey_table1(project)
    return target


def _survey_table1(project: Project) -> None:
    """Remember a Table 1 layout that suits interviewees and survey respondents together: the
    participant's id first (respondents have no label to be grouped under), then every
    attribute, the survey's lower-case headers capitalised."""
    from coder.export.columns import TableConfig
    from coder.services.reports.tables import save_config, table1_columns

    survey_attrs = ("role", "staff", "founded", "country")
    columns = [
        (c.key, c.label.capitalize() if c.label in survey_attrs else c.label)
        for c in table1_columns(project)
        if c.key != "sources"
    ]
    caption = "Table 1. Participants: interviewees (P01-P12) and survey respondents (S01-S20)"
    save_config(project, "table1", TableConfig(columns=tuple(columns), caption=caption))


def apply_double_coding(project: Project, sheet: Path) -> int:
    """Apply each row of `sheet` (Source, Coder, Code, Quote) as a coding by that coder of the
    quote's one occurrence in the source, in one transaction; returns the codings applied.

    A quote that is not in its source exactly once is a bug in the bundled data: it raises.
    """
    with sheet.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    sources = {r["Source"]: find_source(project, r["Source"]) for r in rows}
    texts = {ref: get_source(project, info.id).text for ref, info in sources.items()}
    codes = {r["Code"]: find_code(project, r["Code"]).id for r in rows}
    with project.transaction() as s:
        for n, row in enumerate(rows, 2):
            text, quote = texts[row["Source"]], row["Quote"]
            at = text.find(quote)
            if at < 0 or text.find(quote, at + 1) >= 0:
                how = "not found" if at < 0 else "found more than once"
                raise ValueError(f"{sheet.name} row {n}: quote {how} in {row['Source']}")
            source_id = sources[row["Source"]].id
            code_id = codes[row["Code"]]
            apply_code_in(project, s, source_id, at, at + len(quote), code_id, row["Coder"])
    return len(rows)
