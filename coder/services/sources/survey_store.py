"""Storing a survey in bulk: participants, attribute values, sources and turns as a few
multi-row statements inside the caller's transaction.

A survey of 10,000 respondents makes 10,000 participants, tens of thousands of attribute values
and up to 50,000 sources, each with its turns. Row by row through the ORM (a flush per source,
a SELECT before every value) that took 78 s; here what is already in the project is read once
into sets and maps, and each table gets one Core executemany per chunk. The rules stay those of
the one-row paths: a source whose text is already in the project is a duplicate and not stored,
a taken source name gets " (2)", " (3)"..., and values are typed by
:func:`coder.services.sources.cases.typed_columns`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from coder.db.models import Attribute, AttributeValue, Case, Source, Turn
from coder.ingest.survey import Respondent, SurveySource
from coder.services.analysis.lemma_cache import store_lemmas
from coder.services.sources.cases import typed_columns
from coder.services.sources.transcripts import count_words, text_sha256
from coder.vocab.names import free_name
from coder.vocab.turns import is_interviewer

CHUNK = 2_000  # rows per executemany: bounds the parameter lists held at once
T = TypeVar("T")


def _table(model: type[object]) -> Table:
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def store_cases(s: Session, names: Sequence[str]) -> tuple[dict[str, int], int]:
    """Every named participant's id, creating those not yet in the project.

    Returns:
        (name -> participant id, how many were created).
    """
    ids: dict[str, int] = {name: cid for name, cid in s.execute(select(Case.name, Case.id))}
    new = [name for name in dict.fromkeys(names) if name not in ids]
    table = _table(Case)
    conn = s.connection()
    for chunk in _chunks(new):
        # Ids are read back by the unique name: RETURNING in parameter order would make
        # SQLAlchemy send one INSERT per row on SQLite.
        conn.execute(insert(table), [{"name": n, "description": ""} for n in chunk])
        found = s.execute(select(Case.name, Case.id).where(Case.name.in_(chunk)))
        ids.update({name: cid for name, cid in found})
    return ids, len(new)


def store_values(
    s: Session,
    attributes: Mapping[str, Attribute],
    respondents: Sequence[Respondent],
    case_ids: Mapping[str, int],
) -> None:
    """Set each respondent's closed-column values, typed by their attribute's (final) type:
    new values inserted, a participant's existing value for the attribute replaced."""
    if not attributes:
        return
    wanted = [a.id for a in attributes.values()]
    q = select(AttributeValue.id, AttributeValue.attribute_id, AttributeValue.case_id)
    q = q.where(AttributeValue.attribute_id.in_(wanted), AttributeValue.case_id.is_not(None))
    existing = {(aid, cid): vid for vid, aid, cid in s.execute(q)}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for respondent in respondents:
        cid = case_ids[respondent.id]
        for name, raw in respondent.attributes:
            attr = attributes[name]
            columns = typed_columns(raw, attr.type)
            vid = existing.get((attr.id, cid))
            if vid is None:
                inserts.append({"attribute_id": attr.id, "case_id": cid, **columns})
            else:
                updates.append({"vid": vid, **columns})
    table = _table(AttributeValue)
    conn = s.connection()
    for chunk in _chunks(inserts):
        conn.execute(insert(table), list(chunk))
    if updates:
        change = update(table).where(table.c.id == bindparam("vid"))
        change = change.values({c: bindparam(c) for c in updates[0] if c != "vid"})
        for chunk in _chunks(updates):
            conn.execute(change, list(chunk))


@dataclass(frozen=True, slots=True)
class StoredSources:
    """What :func:`store_sources` did: new source ids in order, and duplicates skipped."""

    ids: tuple[int, ...]
    duplicates: int


def store_sources(
    s: Session, sources: Sequence[SurveySource], filename: str, case_ids: Mapping[str, int]
) -> StoredSources:
    """Store the survey's sources and their turns; a text already in the project (or earlier
    in this survey) is a duplicate and skipped."""
    known = set(s.scalars(select(Source.sha256)))
    taken = {name.lower() for name in s.scalars(select(Source.name))}
    rows: list[dict[str, Any]] = []
    kept: list[SurveySource] = []
    for source in sources:
        text = source.parsed.text
        digest = text_sha256(text)
        if digest in known:
            continue
        known.add(digest)
        kept.append(source)
        rows.append(
            {
                "name": free_name(source.name, taken),
                "filename": filename,
                "format": source.parsed.format,
                "encoding": source.parsed.encoding,
                "text": text,
                "sha256": digest,
                "words": count_words(text),
                "case_id": case_ids[source.respondent],
            }
        )
    conn = s.connection()
    sources_table, turns_table = _table(Source), _table(Turn)
    new_ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        conn.execute(insert(sources_table), chunk)
        q = select(Source.sha256, Source.id).where(Source.sha256.in_([r["sha256"] for r in chunk]))
        by_digest = {digest: sid for digest, sid in s.execute(q)}
        ids = [by_digest[r["sha256"]] for r in chunk]
        turns = [
            {"source_id": sid, "position": i, "speaker": t.speaker, "start_pos": t.start,
             "end_pos": t.end, "timestamp": t.timestamp}
            for sid, source in zip(ids, kept[start : start + CHUNK], strict=True)
            for i, t in enumerate(source.parsed.turns)
        ]  # fmt: skip
        if turns:
            conn.execute(insert(turns_table), turns)
        for sid, row, source in zip(ids, chunk, kept[start : start + CHUNK], strict=True):
            # word frequency's lemma cache, filled at import as every import path does
            spans = [(t.start, t.end, is_interviewer(t.speaker)) for t in source.parsed.turns]
            store_lemmas(s, sid, row["text"], row["sha256"], spans)
        new_ids.extend(ids)
    return StoredSources(tuple(new_ids), len(sources) - len(rows))
