"""The project's tables, as SQLAlchemy 2 typed models.

One module so the whole schema reads top to bottom. Offsets (`start`, `end`) are Unicode code
points into `Source.text`, the unit REFI-QDA uses, so exports need no conversion. Every table the
researcher's work lives in has a stable GUID for interchange. The same models run on SQLite and
PostgreSQL: only portable types are used.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ATTRIBUTE_TYPES = ("text", "integer", "number", "date")

# Ids are never reused on SQLite (AUTOINCREMENT), so an id a stale window still holds can
# never name someone else's new row. PostgreSQL sequences never reuse ids anyway.
SQLITE_IDS = {"sqlite_autoincrement": True}
CODING_KEY = "uq_codings_span_code_coder"
CODE_NAME_KEY = "uq_codes_sibling_name"
# COALESCE makes top-level codes (parent NULL) siblings of each other on both backends
# (PostgreSQL 15's NULLS NOT DISTINCT has no SQLite counterpart).
CODE_NAME_EXPRESSIONS = (text("coalesce(parent_id, 0)"), text("lower(name)"))


def new_guid() -> str:
    """A fresh GUID in the 8-4-4-4-12 lowercase form REFI-QDA expects."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Timezone-aware now, stored as UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Coder(Base):
    """A person who codes: every coding and memo says who made it."""

    __tablename__ = "coders"
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Organisation(Base):
    """A group of participants, such as a record label where two people were interviewed."""

    __tablename__ = "organisations"
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    cases: Mapped[list[Case]] = relationship(back_populates="organisation")


class Case(Base):
    """A participant. REFI-QDA calls these cases."""

    __tablename__ = "cases"
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    organisation: Mapped[Organisation | None] = relationship(back_populates="cases")


class Attribute(Base):
    """A typed attribute (REFI-QDA variable) of participants or of organisations."""

    __tablename__ = "attributes"
    __table_args__ = (
        UniqueConstraint("scope", "name"),
        CheckConstraint("type IN ('text','integer','number','date')", name="type"),
        CheckConstraint("scope IN ('case','organisation')", name="scope"),
        SQLITE_IDS,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(16), default="text")
    scope: Mapped[str] = mapped_column(String(16), default="case")
    position: Mapped[int] = mapped_column(Integer, default=0)


class AttributeValue(Base):
    """One attribute's value for one participant or one organisation, in its typed column."""

    __tablename__ = "attribute_values"
    __table_args__ = (
        UniqueConstraint("attribute_id", "case_id", "organisation_id"),
        CheckConstraint("(case_id IS NULL) <> (organisation_id IS NULL)", name="one_owner"),
        SQLITE_IDS,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    attribute_id: Mapped[int] = mapped_column(
        ForeignKey("attributes.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    value_text: Mapped[str | None] = mapped_column(Text)
    value_int: Mapped[int | None] = mapped_column(Integer)
    value_num: Mapped[float | None] = mapped_column(Float)
    value_date: Mapped[date | None] = mapped_column(Date)


class Source(Base):
    """A transcript: its normalised text and where it came from."""

    __tablename__ = "sources"
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    name: Mapped[str] = mapped_column(String(400), unique=True)
    filename: Mapped[str] = mapped_column(String(400))
    format: Mapped[str] = mapped_column(String(16))
    encoding: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    words: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    turns: Mapped[list[Turn]] = relationship(
        back_populates="source", cascade="all, delete-orphan", order_by="Turn.position"
    )


class Turn(Base):
    """A speaker turn: who spoke, where in the text, and when in the recording."""

    __tablename__ = "turns"
    __table_args__ = (CheckConstraint("start_pos < end_pos", name="span"), SQLITE_IDS)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(String(200))
    start: Mapped[int] = mapped_column("start_pos", Integer)
    end: Mapped[int] = mapped_column("end_pos", Integer)
    timestamp: Mapped[float | None] = mapped_column(Float)
    source: Mapped[Source] = relationship(back_populates="turns")


class Code(Base):
    """A theme or sub-theme in the codebook tree."""

    __tablename__ = "codes"
    __table_args__ = (
        # Sibling names are unique, case-insensitively; top-level codes (no parent) included.
        Index(CODE_NAME_KEY, *CODE_NAME_EXPRESSIONS, unique=True),
        SQLITE_IDS,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("codes.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(400))
    description: Mapped[str] = mapped_column(Text, default="")
    inclusion: Mapped[str] = mapped_column(Text, default="")
    exclusion: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    examples: Mapped[list[str]] = mapped_column(JSON, default=list)
    color: Mapped[str] = mapped_column(String(16), default="#888888")
    position: Mapped[int] = mapped_column(Integer, default=0)
    codable: Mapped[bool] = mapped_column(Boolean, default=True)


class Coding(Base):
    """A code applied to a span of a source. `snippet` always equals text[start:end]."""

    __tablename__ = "codings"
    __table_args__ = (
        CheckConstraint("start_pos >= 0 AND start_pos < end_pos", name="span"),
        Index("ix_codings_source_span", "source_id", "start_pos"),
        Index("ix_codings_code_source", "code_id", "source_id"),
        # Each coder's codings are their own; one coder cannot code the same span twice.
        UniqueConstraint(
            "source_id", "start_pos", "end_pos", "code_id", "coder_id", name=CODING_KEY
        ),
        SQLITE_IDS,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column("start_pos", Integer)
    end: Mapped[int] = mapped_column("end_pos", Integer)
    snippet: Mapped[str] = mapped_column(Text)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    memo: Mapped[str] = mapped_column(Text, default="")
    exemplar: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Memo(Base):
    """A memo on a code, a source or the project (coding memos live on the coding)."""

    __tablename__ = "memos"
    __table_args__ = (
        CheckConstraint("kind IN ('code','source','project')", name="kind"),
        SQLITE_IDS,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True, default=new_guid)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(400), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    code_id: Mapped[int | None] = mapped_column(
        ForeignKey("codes.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), index=True
    )
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Setting(Base):
    """Project-level settings (table layouts, the spaCy pipeline to use, ...)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class SuggestionDecision(Base):
    """A researcher's accept or reject of a suggested code: training data for suggestions."""

    __tablename__ = "suggestion_decisions"
    __table_args__ = (
        CheckConstraint("decision IN ('accept','reject','seen')", name="decision"),
        Index("ix_suggestion_decisions_source", "source_id", "start_pos"),
        SQLITE_IDS,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    code_id: Mapped[int | None] = mapped_column(
        ForeignKey("codes.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column("start_pos", Integer)
    end: Mapped[int] = mapped_column("end_pos", Integer)
    decision: Mapped[str] = mapped_column(String(8))
    score: Mapped[float | None] = mapped_column(Float)
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ModelBlob(Base):
    """A trained suggestion model stored with the project, so it survives a restart."""

    __tablename__ = "model_blobs"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    meta: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FrameworkCell(Base):
    """The framework matrix (issue 12): the researcher's summary of what one participant
    said about one theme, kept with the project."""

    __tablename__ = "framework_cells"
    __table_args__ = (UniqueConstraint("case_id", "code_id"), SQLITE_IDS)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LemmaCache(Base):
    """Each source's words and lemmas, computed once for word frequency and kept until the
    text changes (`text_sha256`). `data` is coder.services.analysis.lemma_cache's format."""

    __tablename__ = "lemma_cache"
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
    )
    text_sha256: Mapped[str] = mapped_column(String(64))
    words: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SourceMedia(Base):
    """The recording a transcript was made from (issue 15): at most one per source. `path` is
    relative to the project file's folder when the recording lies inside it (so the folder
    can move), absolute otherwise. `duration` is in seconds, None when it could not be read."""

    __tablename__ = "source_media"
    __table_args__ = (CheckConstraint("kind IN ('audio', 'video')", name="kind"),)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
    )
    path: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(8))
    mime: Mapped[str] = mapped_column(String(100), default="")
    duration: Mapped[float | None] = mapped_column(Float)
    attached_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
