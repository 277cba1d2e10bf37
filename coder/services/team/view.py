"""Whose codings the workspace shows: the coders of a project, counts by coder, blind mode.

A team codes one project; each researcher looks at their own codings, a chosen colleague's,
or everyone's. Blind mode (a project setting) keeps everyone to their own codings and counts
until the comparison is made, so that nobody's coding is swayed by a colleague's; the
agreement screen's "reveal" turns it off for everyone.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from coder.db.models import Coder, Coding
from coder.services.codebook.reading import count_codes
from coder.services.project.settings import Key, get_setting, put_setting
from coder.services.project.store import Project
from coder.vocab.dto import CodeCounts


def coder_names(project: Project) -> list[str]:
    """Every coder who has at least one coding, in name order."""
    with project.reading() as s:
        used = select(Coding.coder_id).distinct()
        return list(s.scalars(select(Coder.name).where(Coder.id.in_(used)).order_by(Coder.name)))


def counts_by(
    project: Project, coders: Sequence[str] | None, code_ids: Sequence[int] | None = None
) -> dict[int, CodeCounts]:
    """Codings, participants and sources per code, by the named coders only (None: everyone).

    A coder with no codings yet simply counts nothing.
    """
    with project.reading() as s:
        if coders is None:
            return count_codes(s, code_ids)
        ids = list(s.scalars(select(Coder.id).where(Coder.name.in_(list(coders)))))
        return count_codes(s, code_ids, ids)


def blind_mode(project: Project) -> bool:
    """Whether the project keeps coders blind to each other's codings."""
    return get_setting(project, Key.BLIND_CODING) == "1"


def set_blind_mode(project: Project, on: bool) -> None:
    """Turn blind mode on for everyone, or off (the comparison was made: reveal)."""
    put_setting(project, Key.BLIND_CODING, "1" if on else "")
