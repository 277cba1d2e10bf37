"""Two coders' codings on the sample study, for the team screens' tests and snapshots."""

from __future__ import annotations

from pathlib import Path

from coder.analysis.segments import sentences
from coder.services.coding.codings import apply_code
from coder.services.coding.workspace import codebook, list_source_entries
from coder.services.project.store import Project


def code_two_coders(path: Path, sources: int = 2, per_source: int = 6) -> dict[str, int]:
    """Code the first sentences of the first `sources` sources as "ann" and "ben": they agree
    on even sentences and differ on odd ones. Returns the code ids used by name."""
    project = Project.open(path)
    try:
        codes = [c for n in codebook(project) for c in n.walk() if c.codable][:3]
        entries = list_source_entries(project)[:sources]
        from coder.services.sources.transcripts import get_source

        for entry in entries:
            text = get_source(project, entry.id).text
            for i, (start, end) in enumerate(sentences(text)[:per_source].tolist()):
                apply_code(project, entry.id, start, end, codes[0].id, coder="ann")
                other = codes[0] if i % 2 == 0 else codes[1]
                apply_code(project, entry.id, start, end, other.id, coder="ben")
                if i == 1:
                    apply_code(
                        project, entry.id, start, end, codes[2].id, coder="ben", memo="Ben: [b]x"
                    )
        return {c.name: c.id for c in codes}
    finally:
        project.close()
