"""Reading entries and versions, and the one question retrieval asks: what is in force on D.

The write side (creating and editing versions) is :mod:`kb.entries`; lifecycle moves are
:mod:`kb.lifecycle`. Nothing here changes a row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from kb.errors import InvalidInput, NotFound
from kb.labels import KIND_ZH
from kb.models import Entry, EntryKind, EntryStatus, EntryVersion, Unit, VersionStatus
from kb.units import get_unit

# versions that may still become live: they hold their title against other entries
OPEN_STATUSES = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.APPROVED)

_KIND_ALIASES = {
    "口径": EntryKind.SCRIPT,
    "答复": EntryKind.SCRIPT,
    "政策": EntryKind.POLICY,
    "问答": EntryKind.FAQ,
    "公告": EntryKind.NOTICE,
    "通知": EntryKind.NOTICE,
}


def parse_kind(kind: str) -> EntryKind:
    """An EntryKind from its code or Chinese name."""
    text = str(kind).strip().lower()
    for member in EntryKind:
        if text in (member.value, KIND_ZH[member]):
            return member
    if text in _KIND_ALIASES:
        return _KIND_ALIASES[text]
    raise InvalidInput(f"条目类型“{kind}”无效，应为 policy、script、faq 或 notice。")


def get_entry(session: Session, entry_id: int) -> Entry:
    """An entry by id; a clear error if there is none."""
    entry = session.get(Entry, entry_id, options=[joinedload(Entry.owner_unit)])
    if entry is None:
        raise NotFound(f"没有 ID 为 {entry_id} 的知识库条目。")
    return entry


def get_version(session: Session, entry_id: int, version_no: int | None = None) -> EntryVersion:
    """One version (default: the latest) of an entry."""
    entry = get_entry(session, entry_id)
    number = entry.latest_version_no if version_no is None else version_no
    version = session.scalar(
        select(EntryVersion).where(
            EntryVersion.entry_id == entry_id, EntryVersion.version_no == number
        )
    )
    if version is None:
        raise NotFound(f"条目 {entry_id} 没有第 {number} 版（共 {entry.latest_version_no} 版）。")
    return version


def published_version(session: Session, entry: Entry) -> EntryVersion | None:
    """The live version of an entry, if any."""
    if entry.published_version_no is None:
        return None
    return get_version(session, entry.id, entry.published_version_no)


def versions_of(session: Session, entry_id: int) -> list[EntryVersion]:
    """Every version of an entry, oldest first."""
    get_entry(session, entry_id)
    stmt = (
        select(EntryVersion)
        .where(EntryVersion.entry_id == entry_id)
        .order_by(EntryVersion.version_no)
    )
    return list(session.scalars(stmt))


def title_holder(
    session: Session, region: str, title: str, except_entry: int | None = None
) -> Entry | None:
    """Another entry of ``region`` that holds ``title``, if any.

    An entry holds its own title (the live one, or the draft's while it was never
    published) and the title of every open version: a rename waiting for review reserves
    the new title without giving up the live one until it is published.
    """
    stmt = select(Entry).where(Entry.region == region, Entry.title == title)
    if except_entry is not None:
        stmt = stmt.where(Entry.id != except_entry)
    holder = session.scalar(stmt.order_by(Entry.id))
    if holder is not None:
        return holder
    stmt = (
        select(Entry)
        .join(EntryVersion, EntryVersion.entry_id == Entry.id)
        .where(
            Entry.region == region,
            EntryVersion.title == title,
            EntryVersion.status.in_(OPEN_STATUSES),
        )
    )
    if except_entry is not None:
        stmt = stmt.where(Entry.id != except_entry)
    return session.scalar(stmt.order_by(Entry.id))


@dataclass(frozen=True)
class EntryFilter:
    """Filters for listing entries; None means any."""

    unit: str | None = None
    kind: str | None = None
    status: str | None = None  # an EntryStatus, or "expired"
    region: str | None = None
    text: str | None = None
    on: dt.date | None = None  # for deriving "expired"


def list_entries(session: Session, flt: EntryFilter | None = None) -> list[Entry]:
    """Entries matching the filter, newest first."""
    from kb.clock import today

    flt = flt or EntryFilter()
    stmt = select(Entry).options(joinedload(Entry.owner_unit)).order_by(Entry.id.desc())
    if flt.unit:
        stmt = stmt.where(Entry.owner_unit_id == get_unit(session, flt.unit).id)
    if flt.kind:
        stmt = stmt.where(Entry.kind == parse_kind(flt.kind))
    if flt.region:
        stmt = stmt.where(Entry.region.startswith(flt.region))
    if flt.text:
        stmt = stmt.where(Entry.title.contains(flt.text))
    if flt.status == "expired":
        day = flt.on or today()
        stmt = stmt.join(
            EntryVersion,
            and_(
                EntryVersion.entry_id == Entry.id,
                EntryVersion.version_no == Entry.published_version_no,
            ),
        ).where(Entry.status == EntryStatus.PUBLISHED, EntryVersion.expires_on < day)
    elif flt.status:
        try:
            stmt = stmt.where(Entry.status == EntryStatus(flt.status))
        except ValueError:
            options = "、".join([s.value for s in EntryStatus] + ["expired"])
            raise InvalidInput(f"状态“{flt.status}”无效，应为 {options} 之一。") from None
    return list(session.scalars(stmt).unique())


def in_force_clause(day: dt.date) -> ColumnElement[bool]:
    """SQL condition: the joined EntryVersion's validity covers ``day``."""
    return and_(
        or_(EntryVersion.effective_from.is_(None), EntryVersion.effective_from <= day),
        or_(EntryVersion.expires_on.is_(None), EntryVersion.expires_on >= day),
    )


def live_pairs(
    session: Session, entry_ids: list[int] | None = None, *, on: dt.date | None = None
) -> list[tuple[Entry, EntryVersion]]:
    """Every published, not archived entry with its live version — only those valid on
    ``on`` when a day is given (:func:`in_force`), whatever their dates otherwise (what the
    index sync compares against, since validity is also filtered at query time)."""
    stmt = (
        select(Entry, EntryVersion)
        .join(
            EntryVersion,
            and_(
                EntryVersion.entry_id == Entry.id,
                EntryVersion.version_no == Entry.published_version_no,
            ),
        )
        .options(joinedload(Entry.owner_unit))
        .where(
            Entry.status == EntryStatus.PUBLISHED,
            EntryVersion.status == VersionStatus.PUBLISHED,
        )
        .order_by(Entry.id)
    )
    if on is not None:
        stmt = stmt.where(in_force_clause(on))
    if entry_ids is not None:
        stmt = stmt.where(Entry.id.in_(entry_ids))
    return [(e, v) for e, v in session.execute(stmt).unique()]


def in_force(
    session: Session, day: dt.date, *, entry_ids: list[int] | None = None
) -> list[tuple[Entry, EntryVersion]]:
    """Every entry retrieval may show on ``day``: its published version, valid that day.

    This is the one query retrieval is built on: drafts, versions under review, superseded
    and archived versions, and published versions outside their validity are all excluded.
    """
    return live_pairs(session, entry_ids, on=day)


def display_status(entry: Entry, version: EntryVersion | None, day: dt.date) -> str:
    """The status a person sees: stored status, or expired / not yet effective."""
    if entry.status is EntryStatus.PUBLISHED and version is not None:
        if version.expires_on and version.expires_on < day:
            return "expired"
        if version.effective_from and version.effective_from > day:
            return "not_yet_effective"
    return entry.status.value


def count_by_unit(session: Session) -> dict[str, int]:
    """How many entries each unit owns (archived included)."""
    stmt = (
        select(Unit.name, func.count(Entry.id))
        .join(Entry, Entry.owner_unit_id == Unit.id)
        .group_by(Unit.name)
    )
    return dict(session.execute(stmt).all())


def find_by_source(session: Session, source_key: str) -> Entry | None:
    """The entry ingested from this source identity, if any."""
    return session.scalar(select(Entry).where(Entry.source_key == source_key))


def live_versions(session: Session, entries: list[Entry]) -> dict[int, EntryVersion]:
    """The published version of each entry that has one, in one query."""
    pairs = [(e.id, e.published_version_no) for e in entries if e.published_version_no]
    if not pairs:
        return {}
    ids = [entry_id for entry_id, _ in pairs]
    wanted = set(pairs)
    rows = session.scalars(select(EntryVersion).where(EntryVersion.entry_id.in_(ids)))
    return {v.entry_id: v for v in rows if (v.entry_id, v.version_no) in wanted}
