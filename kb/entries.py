"""Creating and editing entries: every change is a new immutable version.

Reading (get, list, "in force on date D") is :mod:`kb.queries`, re-exported here so callers
have one place to import entries from; lifecycle transitions (submit, approve, publish,
archive, rollback) are :mod:`kb.lifecycle`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb import audit, intake
from kb.actors import Actor, check_can_edit, check_can_edit_unit
from kb.clock import utcnow
from kb.content import VersionContent
from kb.errors import Conflict, InvalidInput
from kb.labels import KIND_ZH, STATUS_ZH
from kb.models import Entry, EntryKind, EntryStatus, EntryVersion, VersionStatus
from kb.queries import (
    OPEN_STATUSES,
    EntryFilter,
    count_by_unit,
    display_status,
    find_by_source,
    get_entry,
    get_version,
    in_force,
    in_force_clause,
    list_entries,
    live_versions,
    parse_kind,
    published_version,
    title_holder,
    versions_of,
)
from kb.units import check_entry_region, get_unit

__all__ = [
    "KIND_ZH",
    "OPEN_STATUSES",
    "STATUS_ZH",
    "EntryFilter",
    "check_title_free",
    "count_by_unit",
    "create_entry",
    "display_status",
    "edit_entry",
    "find_by_source",
    "get_entry",
    "get_version",
    "in_force",
    "in_force_clause",
    "list_entries",
    "live_versions",
    "parse_kind",
    "published_version",
    "set_superseded_by",
    "versions_of",
]


def check_title_free(session: Session, region: str, title: str, entry_id: int | None) -> None:
    """Refuse ``title`` if another entry of ``region`` holds it (live or in an open version)."""
    clash = title_holder(session, region, title, entry_id)
    if clash is not None:
        pending = "" if clash.title == title else "（其待审核的新版本使用了该标题）"
        raise Conflict(
            f"地区“{region}”已有同名条目“{title}”（ID {clash.id}，{STATUS_ZH[clash.status.value]}）"
            f"{pending}，同一地区标题不能重复；如是同一事项请编辑原条目。"
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
    """A new entry with version 1 as a draft, written by ``actor`` for ``owner_unit``.

    A typed region must be 全国 or a region of the units table. An entry made from a
    source document (``source_sha256``) keeps the region the document names (its issuer:
    a ministry's 全国, a province), which this city's units table does not list.
    """
    kind_value = parse_kind(kind) if isinstance(kind, str) else kind
    region = (region or "").strip()
    if not region:
        raise InvalidInput("所属地区不能为空。")
    unit = get_unit(session, owner_unit)
    check_can_edit_unit(actor, unit.id, unit.name)
    if source_sha256 is None:
        region = check_entry_region(session, region)
    check_title_free(session, region, content.title, None)
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
    intake.close_for_entry(session, entry, content.doc_no, intake_id, actor.name)
    session.flush()
    return entry


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

    The published version (if any) stays live — and keeps the entry's title — until the
    new one is approved and published; a new title is reserved meanwhile. A 文号 added by
    the edit closes the unit's open intake item for it, as creating the entry would have.
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
    check_title_free(session, entry.region, content.title, entry.id)
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
        old.retired_at = utcnow()
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
    if entry.published_version_no is None:
        # nothing is live: the entry is known by its newest draft
        entry.title = content.title
        entry.status = EntryStatus.DRAFT
    entry.maintainer = actor.name
    audit.record(
        session,
        actor.name,
        "edit",
        entry_id=entry_id,
        version_no=number,
        from_version_no=latest.version_no,
        to_status="draft",
        note=note,
        title=content.title if content.title != latest.title else None,
    )
    if content.doc_no and not intake.has_item(session, entry.id):
        intake.close_for_entry(session, entry, content.doc_no, None, actor.name)
    session.flush()
    return version


def set_superseded_by(session: Session, actor: Actor, old_id: int, new_id: int) -> Entry:
    """Mark ``old_id`` as replaced by ``new_id``; the sweep flags it once ``new_id`` is live."""
    old, new = get_entry(session, old_id), get_entry(session, new_id)
    check_can_edit(actor, old)
    if old.id == new.id:
        raise InvalidInput("条目不能被自身替代。")
    if new.status is EntryStatus.ARCHIVED:
        raise Conflict(f"条目 {new.id} 已归档，不能作为替代条目。")
    if new.superseded_by_id == old.id:
        raise Conflict(f"条目 {new.id} 已标记为被条目 {old.id} 替代，不能互相替代。")
    if old.superseded_by_id == new.id:
        raise Conflict(f"条目 {old.id} 已标记为被条目 {new.id} 替代。")
    previous = old.superseded_by_id
    old.superseded_by_id = new.id
    audit.record(
        session,
        actor.name,
        "supersede",
        entry_id=old.id,
        superseded_by=new.id,
        previously_superseded_by=previous,
    )
    return old
