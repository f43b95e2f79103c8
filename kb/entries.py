"""Creating, editing and reading entries and their versions.

Lifecycle transitions (submit, approve, publish, archive, rollback) are in
:mod:`kb.lifecycle`; this module makes versions and answers "what is in force on date D".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from kb import audit
from kb.actors import Actor, check_can_edit, check_can_edit_unit
from kb.content import VersionContent
from kb.errors import Conflict, InvalidInput, NotFound
from kb.models import (
    Entry,
    EntryKind,
    EntryStatus,
    EntryVersion,
    IntakeItem,
    Unit,
    VersionStatus,
)
from kb.units import get_unit

OPEN_STATUSES = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.APPROVED)

KIND_ZH = {
    EntryKind.POLICY: "政策文件",
    EntryKind.SCRIPT: "答复口径",
    EntryKind.FAQ: "常见问答",
    EntryKind.NOTICE: "通知公告",
}

STATUS_ZH = {
    "draft": "草稿",
    "in_review": "待审核",
    "approved": "已审核待发布",
    "published": "已发布",
    "superseded": "已被新版本替代",
    "withdrawn": "已撤回",
    "archived": "已归档",
    "expired": "已过期",
    "not_yet_effective": "未生效",
}


def parse_kind(kind: str) -> EntryKind:
    """An EntryKind from its code or Chinese name."""
    text = str(kind).strip().lower()
    for member in EntryKind:
        if text in (member.value, KIND_ZH[member]):
            return member
    aliases = {
        "口径": EntryKind.SCRIPT,
        "答复": EntryKind.SCRIPT,
        "政策": EntryKind.POLICY,
        "问答": EntryKind.FAQ,
        "公告": EntryKind.NOTICE,
        "通知": EntryKind.NOTICE,
    }
    if text in aliases:
        return aliases[text]
    raise InvalidInput(f"条目类型“{kind}”无效，应为 policy、script、faq 或 notice。")


def _check_title_free(session: Session, region: str, title: str, entry_id: int | None) -> None:
    stmt = select(Entry).where(Entry.region == region, Entry.title == title)
    if entry_id is not None:
        stmt = stmt.where(Entry.id != entry_id)
    clash = session.scalar(stmt)
    if clash is not None:
        raise Conflict(
            f"地区“{region}”已有同名条目“{title}”（ID {clash.id}，{STATUS_ZH[clash.status.value]}），"
            "同一地区标题不能重复；如是同一事项请编辑原条目。"
        )


def create_entry(
    session: Session,
    actor: Actor,
    *,
    kind: str | EntryKind,
    region: str,
    owner_unit: str | int,
    content: VersionContent,
    change_note: str = "新建",
    source_key: str | None = None,
    source_file: str | None = None,
    source_sha256: str | None = None,
    intake_id: int | None = None,
) -> Entry:
    """A new entry with version 1 as a draft, written by ``actor`` for ``owner_unit``."""
    kind_value = parse_kind(kind) if isinstance(kind, str) else kind
    region = (region or "").strip()
    if not region:
        raise InvalidInput("所属地区不能为空。")
    unit = get_unit(session, owner_unit)
    check_can_edit_unit(actor, unit.id, unit.name)
    _check_title_free(session, region, content.title, None)
    if source_key:
        clash = session.scalar(select(Entry).where(Entry.source_key == source_key))
        if clash is not None:
            raise Conflict(f"来源“{source_key}”已对应条目 ID {clash.id}，请更新该条目。")
    entry = Entry(
        kind=kind_value,
        region=region,
        title=content.title,
        owner_unit_id=unit.id,
        owner_unit=unit,
        maintainer=actor.name,
        status=EntryStatus.DRAFT,
        latest_version_no=1,
        source_key=source_key,
        created_by=actor.name,
    )
    session.add(entry)
    session.flush()
    version = EntryVersion(
        entry_id=entry.id,
        version_no=1,
        change_note=change_note,
        author=actor.name,
        status=VersionStatus.DRAFT,
        source_file=source_file,
        source_sha256=source_sha256,
        **content.as_columns(),
    )
    session.add(version)
    audit.record(
        session,
        actor.name,
        "create",
        entry_id=entry.id,
        version_no=1,
        to_status="draft",
        kind=kind_value.value,
        title=content.title,
        unit=unit.name,
    )
    _close_intake(session, entry, content, intake_id, actor.name)
    session.flush()
    return entry


def _close_intake(
    session: Session,
    entry: Entry,
    content: VersionContent,
    intake_id: int | None,
    actor: str,
) -> None:
    """Close the intake item this entry answers: given explicitly, or same unit and 文号."""
    from kb.clock import today

    item: IntakeItem | None = None
    if intake_id is not None:
        item = session.get(IntakeItem, intake_id)
        if item is None:
            raise NotFound(f"没有编号为 {intake_id} 的待录入政策。")
        if item.entry_id is not None:
            raise Conflict(f"待录入政策 {intake_id} 已由条目 {item.entry_id} 录入。")
    elif content.doc_no:
        item = session.scalar(
            select(IntakeItem).where(
                IntakeItem.doc_no == content.doc_no,
                IntakeItem.owner_unit_id == entry.owner_unit_id,
                IntakeItem.entry_id.is_(None),
            )
        )
    if item is None:
        return
    item.entry_id = entry.id
    item.entered_on = today()
    audit.record(
        session,
        actor,
        "intake.close",
        entry_id=entry.id,
        intake_id=item.id,
        due_on=item.due_on.isoformat(),
        entered_on=item.entered_on.isoformat(),
    )


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


def edit_entry(
    session: Session,
    actor: Actor,
    entry_id: int,
    content: VersionContent,
    change_note: str,
    *,
    source_file: str | None = None,
    source_sha256: str | None = None,
) -> EntryVersion:
    """Make version n+1 as a draft; open drafts of older versions are withdrawn.

    The published version (if any) stays live until the new one is approved and published.
    """
    entry = get_entry(session, entry_id)
    check_can_edit(actor, entry)
    if entry.status is EntryStatus.ARCHIVED:
        raise Conflict(f"条目 {entry_id} 已归档，不能再编辑；如需恢复请新建条目。")
    note = (change_note or "").strip()
    if not note:
        raise InvalidInput("请填写修改说明（本次改了什么、为什么改）。")
    latest = get_version(session, entry_id)
    if latest.content_hash == content.content_hash:
        raise InvalidInput(f"内容与第 {latest.version_no} 版完全相同，未创建新版本。")
    if content.title != entry.title:
        _check_title_free(session, entry.region, content.title, entry.id)
    for old in session.scalars(
        select(EntryVersion).where(
            EntryVersion.entry_id == entry_id, EntryVersion.status.in_(OPEN_STATUSES)
        )
    ):
        audit.record(
            session,
            actor.name,
            "withdraw",
            entry_id=entry_id,
            version_no=old.version_no,
            from_status=old.status.value,
            to_status="withdrawn",
            reason=f"被第 {latest.version_no + 1} 版取代",
        )
        old.status = VersionStatus.WITHDRAWN
        old.retired_at = dt.datetime.now(dt.UTC)
    number = entry.latest_version_no + 1
    version = EntryVersion(
        entry_id=entry_id,
        version_no=number,
        change_note=note,
        previous_version_no=latest.version_no,
        author=actor.name,
        status=VersionStatus.DRAFT,
        source_file=source_file,
        source_sha256=source_sha256,
        **content.as_columns(),
    )
    session.add(version)
    entry.latest_version_no = number
    entry.title = content.title
    entry.maintainer = actor.name
    if entry.published_version_no is None:
        entry.status = EntryStatus.DRAFT
    audit.record(
        session,
        actor.name,
        "edit",
        entry_id=entry_id,
        version_no=number,
        from_version_no=latest.version_no,
        to_status="draft",
        note=note,
    )
    session.flush()
    return version


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


def in_force_clause(day: dt.date):
    """SQL condition: the joined EntryVersion's validity covers ``day``."""
    return and_(
        or_(EntryVersion.effective_from.is_(None), EntryVersion.effective_from <= day),
        or_(EntryVersion.expires_on.is_(None), EntryVersion.expires_on >= day),
    )


def in_force(
    session: Session, day: dt.date, *, entry_ids: list[int] | None = None
) -> list[tuple[Entry, EntryVersion]]:
    """Every entry retrieval may show on ``day``: its published version, valid that day.

    This is the one query retrieval is built on: drafts, versions under review, superseded
    and archived versions, and published versions outside their validity are all excluded.
    """
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
            in_force_clause(day),
        )
        .order_by(Entry.id)
    )
    if entry_ids is not None:
        stmt = stmt.where(Entry.id.in_(entry_ids))
    return [(e, v) for e, v in session.execute(stmt).unique()]


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


def set_superseded_by(session: Session, actor: Actor, old_id: int, new_id: int) -> None:
    """Mark ``old_id`` as replaced by ``new_id`` (the sweep then flags it)."""
    old, new = get_entry(session, old_id), get_entry(session, new_id)
    check_can_edit(actor, old)
    if old.id == new.id:
        raise InvalidInput("条目不能被自身替代。")
    old.superseded_by_id = new.id
    audit.record(session, actor.name, "supersede", entry_id=old.id, superseded_by=new.id)


def live_versions(session: Session, entries: list[Entry]) -> dict[int, EntryVersion]:
    """The published version of each entry that has one, in one query."""
    pairs = [(e.id, e.published_version_no) for e in entries if e.published_version_no]
    if not pairs:
        return {}
    ids = [entry_id for entry_id, _ in pairs]
    wanted = set(pairs)
    rows = session.scalars(select(EntryVersion).where(EntryVersion.entry_id.in_(ids)))
    return {v.entry_id: v for v in rows if (v.entry_id, v.version_no) in wanted}
