"""Tables of the system of record (SQLAlchemy 2, portable SQL only: SQLite and PostgreSQL).

Design notes
------------
* An :class:`Entry` is the identity of one knowledge item (one policy document, one answer
  script); its content lives in :class:`EntryVersion` rows. The *content* columns of a
  version never change after insert (guarded in :mod:`kb.guards`); only its lifecycle
  columns (status, who reviewed/published it, when) move, and every move is in the audit log.
* Clause chunks are not stored: they are derived from a version's body by the ingest
  splitter whenever the index is built, exactly like the vectors. The body is the truth.
* Nothing is deleted: entries are archived, versions superseded or withdrawn, audit rows are
  append-only.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kb.clock import utcnow


class Base(DeclarativeBase):
    """Declarative base of every KB table."""


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings (native_enum=False) so PostgreSQL and SQLite behave the same
    # and adding a value needs no ALTER TYPE.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        length=20,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class UnitLevel(enum.StrEnum):
    """Administrative level of a handling unit."""

    CITY = "市"
    DISTRICT = "区县"
    STREET = "街道"


class UnitKind(enum.StrEnum):
    """What sort of body a unit is; dispatch never sends a functional matter to a street."""

    DEPARTMENT = "职能部门"
    LOCAL_GOVERNMENT = "属地政府"
    PUBLIC_SERVICE = "公共服务企业"
    HOTLINE_CENTER = "热线管理机构"


class Role(enum.StrEnum):
    """Who a user is for permissions."""

    ADMIN = "admin"
    MAINTAINER = "maintainer"
    REVIEWER = "reviewer"
    OPERATOR = "operator"
    QA = "qa"


class EntryKind(enum.StrEnum):
    """What sort of knowledge an entry holds."""

    POLICY = "policy"
    SCRIPT = "script"
    FAQ = "faq"
    NOTICE = "notice"


class EntryStatus(enum.StrEnum):
    """Lifecycle state of an entry as a whole (``expired`` is derived, never stored)."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class VersionStatus(enum.StrEnum):
    """Lifecycle state of one version."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"  # was published, replaced by a newer published version
    WITHDRAWN = "withdrawn"  # never published, replaced by a newer edit
    ARCHIVED = "archived"  # was published when the entry was archived


class Unit(Base):
    """A handling unit (承办单位)."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    region: Mapped[str] = mapped_column(String(120), index=True)
    level: Mapped[UnitLevel] = mapped_column(_enum(UnitLevel, "unit_level"))
    kind: Mapped[UnitKind] = mapped_column(_enum(UnitKind, "unit_kind"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    """A person acting on the KB; maintainers and reviewers belong to one unit."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(80), default="")
    role: Mapped[Role] = mapped_column(_enum(Role, "user_role"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    unit: Mapped[Unit | None] = relationship()


class Entry(Base):
    """Identity and ownership of one knowledge item; content is in its versions."""

    __tablename__ = "entries"
    __table_args__ = (UniqueConstraint("region", "title", name="uq_entries_region_title"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[EntryKind] = mapped_column(_enum(EntryKind, "entry_kind"), index=True)
    region: Mapped[str] = mapped_column(String(120), index=True)
    # the live (published) version's title; while nothing was ever published, the newest
    # draft's. A pending rename lives in its version and reserves the new title meanwhile
    # (kb.queries.title_holder). Unique per region.
    title: Mapped[str] = mapped_column(String(300))
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    maintainer: Mapped[str] = mapped_column(String(80))
    reviewer: Mapped[str | None] = mapped_column(String(80), nullable=True)
    status: Mapped[EntryStatus] = mapped_column(_enum(EntryStatus, "entry_status"), index=True)
    latest_version_no: Mapped[int] = mapped_column(Integer, default=1)
    published_version_no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # identity of the source document for re-ingest (normalised 文号, or a source key)
    source_key: Mapped[str | None] = mapped_column(String(300), unique=True, nullable=True)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    owner_unit: Mapped[Unit] = relationship()
    versions: Mapped[list[EntryVersion]] = relationship(
        back_populates="entry", order_by="EntryVersion.version_no"
    )


# Columns of EntryVersion that make up its content and may never change after insert.
VERSION_CONTENT_FIELDS = (
    "entry_id",
    "version_no",
    "title",
    "questions",
    "body",
    "basis_title",
    "doc_no",
    "basis_clause",
    "issuer",
    "published_on",
    "category",
    "keywords",
    "effective_from",
    "expires_on",
    "change_note",
    "previous_version_no",
    "author",
    "content_hash",
    "source_file",
    "source_sha256",
    "meta",
    "created_at",
)


class EntryVersion(Base):
    """One immutable version of an entry's content, with its lifecycle stamps."""

    __tablename__ = "entry_versions"
    __table_args__ = (UniqueConstraint("entry_id", "version_no", name="uq_version_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    # content
    title: Mapped[str] = mapped_column(String(300))
    questions: Mapped[list] = mapped_column(JSON, default=list)  # 相似问法
    body: Mapped[str] = mapped_column(Text)
    basis_title: Mapped[str | None] = mapped_column(String(300))
    doc_no: Mapped[str | None] = mapped_column(String(120), index=True)
    basis_clause: Mapped[str | None] = mapped_column(String(300))
    issuer: Mapped[str | None] = mapped_column(String(200))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    category: Mapped[str | None] = mapped_column(String(200))
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    effective_from: Mapped[dt.date | None] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    change_note: Mapped[str] = mapped_column(String(500), default="")
    previous_version_no: Mapped[int | None] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(80))
    content_hash: Mapped[str] = mapped_column(String(64))
    source_file: Mapped[str | None] = mapped_column(String(500))
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # lifecycle
    status: Mapped[VersionStatus] = mapped_column(
        _enum(VersionStatus, "version_status"), index=True
    )
    submitted_by: Mapped[str | None] = mapped_column(String(80))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(String(80))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    review_note: Mapped[str | None] = mapped_column(String(500))
    published_by: Mapped[str | None] = mapped_column(String(80))
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    entry: Mapped[Entry] = relationship(back_populates="versions")


class AuditEvent(Base):
    """Append-only record of every edit and transition."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"), index=True)
    version_no: Mapped[int | None] = mapped_column(Integer)
    from_version_no: Mapped[int | None] = mapped_column(Integer)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class PolicyRelation(Base):
    """A newer policy abolishing or replacing an older one (by 文号 or title).

    The older one may not be in the KB at all; the quarterly sweep flags every entry whose
    basis names it.
    """

    __tablename__ = "policy_relations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), index=True)
    relation: Mapped[str] = mapped_column(String(20))  # abolishes | replaces
    target_title: Mapped[str | None] = mapped_column(String(300))
    target_doc_no: Mapped[str | None] = mapped_column(String(120))
    effective_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TimeLimitProfile(Base):
    """Working days allowed per appeal type, per region ('*' = every region)."""

    __tablename__ = "time_limit_profiles"
    __table_args__ = (UniqueConstraint("region", "appeal_type", name="uq_time_limit"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(120))
    appeal_type: Mapped[str] = mapped_column(String(20))
    working_days: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(String(300), default="")


class Extension(Base):
    """An approved extension of a work order's time limit (延期)."""

    __tablename__ = "extensions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_no: Mapped[str] = mapped_column(String(60), index=True)
    extra_working_days: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(500))
    approved_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IntakeItem(Base):
    """A newly published policy whose entry clock is running (3 working days by default)."""

    __tablename__ = "intake_items"
    __table_args__ = (Index("uq_intake_unit_doc_no", "owner_unit_id", "doc_no", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    doc_no: Mapped[str | None] = mapped_column(String(120), index=True)
    issuer: Mapped[str | None] = mapped_column(String(200))
    published_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    due_assumed: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    registered_by: Mapped[str] = mapped_column(String(80))
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"), nullable=True)
    entered_on: Mapped[dt.date | None] = mapped_column(Date)

    owner_unit: Mapped[Unit] = relationship()


class SweepReview(Base):
    """One unit's quarterly confirmation, update or archive of one entry."""

    __tablename__ = "sweep_reviews"
    __table_args__ = (Index("uq_sweep_review", "entry_id", "quarter", "action", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(7), index=True)  # e.g. 2026Q4
    action: Mapped[str] = mapped_column(String(20))  # confirm | update | archive
    note: Mapped[str] = mapped_column(String(500), default="")
    reviewed_by: Mapped[str] = mapped_column(String(80))
    reviewed_on: Mapped[dt.date] = mapped_column(Date)
    reviewed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
