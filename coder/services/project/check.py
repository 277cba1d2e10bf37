"""`coder check`: verify the invariants a researcher's data depends on.

The central one: every coding's stored snippet equals the source text at its offsets. Also:
offsets inside the text, speaker turns ordered and inside the text, text normalised (NFC, no
CR), hashes and word counts current, the code tree free of cycles, and typed attribute values
present in their typed columns. Sources are read one at a time so a large project checks in
bounded memory.
"""

from __future__ import annotations

import unicodedata
import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from coder.db.models import Attribute, AttributeValue, Code, Coding, Source, Turn
from coder.services.project.integrity import damaged, first_line, storage_problems
from coder.services.project.store import Project
from coder.services.sources.transcripts import count_words, text_sha256
from coder.vocab.dto import CheckProblem, CheckReport


def check_project(project: Project) -> CheckReport:
    """Check the storage, then every invariant; returns all problems found (empty when healthy).

    Raises:
        ProjectError: In one line, when the database itself is damaged.
    """
    problems = storage_problems(project)
    try:
        return _check_rows(project, problems)
    except SQLAlchemyError as exc:
        raise damaged(project, first_line(exc)) from exc


def _check_rows(project: Project, problems: list[CheckProblem]) -> CheckReport:

    def bad(kind: str, detail: str) -> None:
        problems.append(CheckProblem(kind, detail))

    with project.reading() as s:
        source_ids = list(s.scalars(select(Source.id).order_by(Source.id)))
        for sid in source_ids:
            src = s.get(Source, sid)
            assert src is not None
            text = src.text
            if "\r" in text or unicodedata.normalize("NFC", text) != text:
                bad("text", f"source {src.name!r}: text is not NFC with \\n line endings")
            if text_sha256(text) != src.sha256:
                bad("hash", f"source {src.name!r}: sha256 does not match its text")
            if count_words(text) != src.words:
                bad("words", f"source {src.name!r}: word count {src.words} is stale")
            last_end = 0
            for t in s.scalars(select(Turn).where(Turn.source_id == sid).order_by(Turn.position)):
                if not (0 <= t.start < t.end <= len(text)) or t.start < last_end:
                    bad(
                        "turn",
                        f"source {src.name!r}: turn {t.position} at {t.start}-{t.end} "
                        "is outside the text or overlaps the previous one",
                    )
                last_end = max(last_end, t.end)
            for c in s.scalars(select(Coding).where(Coding.source_id == sid)):
                if not (0 <= c.start < c.end <= len(text)):
                    bad(
                        "offsets",
                        f"coding {c.guid} in {src.name!r}: span {c.start}-{c.end} "
                        f"is outside the text (length {len(text)})",
                    )
                elif text[c.start : c.end] != c.snippet:
                    bad(
                        "snippet",
                        f"coding {c.guid} in {src.name!r}: stored snippet differs "
                        f"from the text at {c.start}-{c.end}",
                    )
            s.expunge_all()
        codes = {c.id: c for c in s.scalars(select(Code))}
        for code in codes.values():
            seen = {code.id}
            parent = code.parent_id
            while parent is not None:
                if parent in seen or parent not in codes:
                    bad("codes", f"code {code.name!r}: its parents form a cycle or are missing")
                    break
                seen.add(parent)
                parent = codes[parent].parent_id
            try:
                uuid.UUID(code.guid)
            except ValueError:
                bad("guid", f"code {code.name!r}: guid {code.guid!r} is not a GUID")
        uncodable = {cid for cid, c in codes.items() if not c.codable}
        if uncodable:
            n = s.scalar(
                select(func.count()).select_from(Coding).where(Coding.code_id.in_(uncodable))
            )
            if n:
                bad("codes", f"{n} codings use codes marked as not codable")
        attrs = {a.id: a for a in s.scalars(select(Attribute))}
        for v in s.scalars(select(AttributeValue)):
            a = attrs[v.attribute_id]
            typed = {"integer": v.value_int, "number": v.value_num, "date": v.value_date}
            if a.type in typed and v.value_text is not None and typed[a.type] is None:
                bad("attribute", f"attribute {a.name!r}: value {v.value_text!r} is not {a.type}")
        n_codings = s.scalar(select(func.count()).select_from(Coding)) or 0
    return CheckReport(tuple(problems), len(source_ids), int(n_codings), len(codes))
