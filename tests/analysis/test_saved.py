"""Saved queries live in the project and run again; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from coder.errors import UserError
from coder.services.analysis.saved import (
    SavedQuery,
    delete_query,
    save_query,
    saved_queries,
    saved_query,
)


def test_save_list_replace_delete(project) -> None:  # type: ignore[no-untyped-def]
    q = SavedQuery("angry rockers", '"Anger" AND NOT "Calm"', ("Genre(s) contains Rock",), "all")
    assert save_query(project, q) == q
    save_query(project, SavedQuery("near_50%", '"A" NEAR/3 "B"', coders=("ana",)))
    assert [x.name for x in saved_queries(project)] == ["angry rockers", "near_50%"]
    assert saved_query(project, "angry rockers") == q
    save_query(project, SavedQuery("angry rockers", '"Anger"'))
    assert saved_query(project, " angry rockers ").expr == '"Anger"'
    delete_query(project, "angry rockers")
    assert [x.name for x in saved_queries(project)] == ["near_50%"]
    with pytest.raises(UserError, match="no saved query named 'angry rockers'"):
        saved_query(project, "angry rockers")


def test_bad_queries_are_not_saved(project) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError, match="position"):
        save_query(project, SavedQuery("x", '"A" AND'))
    with pytest.raises(UserError, match="ATTRIBUTE OP VALUE"):
        save_query(project, SavedQuery("x", '"A"', ("Age",)))
    with pytest.raises(UserError, match="one-line name"):
        save_query(project, SavedQuery(" ", '"A"'))
    assert saved_queries(project) == ()
