"""Small builders shared by the team tests."""

from __future__ import annotations

from coder.ingest import ParsedSource
from coder.services.project.store import Project
from coder.services.sources.transcripts import store_parsed


def add_source(project: Project, text: str, name: str = "s1") -> int:
    """Store a plain text source without turns; returns its id."""
    parsed = ParsedSource(text=text, turns=(), format="txt", encoding="utf-8")
    out = store_parsed(project, parsed, name=name, filename=f"{name}.txt")
    assert out.status == "imported" and out.source_id is not None
    return out.source_id
