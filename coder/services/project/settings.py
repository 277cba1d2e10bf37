"""Project settings: the registry of every key coder stores, one read and one upsert.

Settings are small text values in the `settings` table (table layouts, the codebook's title,
the spaCy pipeline, the workspace's quick codes). They used to be written four ways from four
modules; now every key is named here, with what it holds, and every write goes through `write`
(inside a caller's transaction) or `put_setting` (its own), so a key means the same thing
everywhere and a new one is added in one place.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.orm import Session

from coder.db.models import Setting
from coder.db.retry import retry_writes
from coder.services.project.store import Project

__all__ = ["Key", "get_setting", "put_setting", "read", "write"]


class Key(StrEnum):
    """Every setting key coder uses (the value is the key as stored)."""

    CODEBOOK_TITLE = "codebook.title"  # the codebook's title (codebook files, Table 2, .qdpx)
    CODEBOOK_DESCRIPTION = "codebook.description"
    CODEBOOK_REFERENCE = "codebook.reference"  # where the codebook comes from (a citation)
    ORG_LABEL = "cases.organisation_label"  # the participants sheet's organisation heading
    TABLE1 = "export.table1"  # Table 1's columns and caption (JSON)
    TABLE2 = "export.table2"  # Table 2's columns and caption (JSON)
    NLP_MODEL = "nlp.model"  # the spaCy pipeline suggestions use ("" for the built-in one)
    SUGGEST_METHOD = "suggest.method"  # the chosen suggestion method (JSON)
    SUGGEST_QUALITY = "suggest.quality"  # its measured quality (JSON)
    QUICK_CODES = "tui.quick_codes"  # the workspace's number-key codes, comma-separated ids
    LAST_SOURCE = "tui.last_source"  # the source the workspace last showed
    SETS = "refi.sets"  # source and code sets from/for REFI-QDA: JSON list (services/exchange/sets)
    PSEUDONYM_NAMES = "pseudonymise.names"  # names to pseudonymise: JSON {name: pseudonym or ""}
    QUESTION_GROUPS = "survey.question_groups"  # JSON {survey question: its theme's GUID}
    BLIND_CODING = "team.blind"  # "1": everyone sees only their own codings until revealed


def read(s: Session, key: str, default: str = "") -> str:
    """A setting's value inside an open session (`default` when unset)."""
    row = s.get(Setting, str(key))
    return row.value if row is not None else default


def write(s: Session, key: str, value: str) -> None:
    """The one upsert: set a setting inside the caller's transaction."""
    row = s.get(Setting, str(key))
    if row is None:
        s.add(Setting(key=str(key), value=value))
    else:
        row.value = value


def get_setting(project: Project, key: str, default: str = "") -> str:
    """A setting's value, read in its own short session."""
    with project.reading() as s:
        return read(s, key, default)


@retry_writes
def put_setting(project: Project, key: str, value: str) -> None:
    """Set a setting in its own transaction."""
    with project.transaction() as s:
        write(s, key, value)
