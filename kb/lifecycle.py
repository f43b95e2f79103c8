"""Lifecycle transitions: 采编 → 审核 → 录入(发布) → 更新 → 归档.

Allowed moves of a version::

    draft ──submit──▶ in_review ──approve──▶ approved ──publish──▶ published
      ▲                   │                                          │
      └──────reject───────┘                       newer published ──▶ superseded
                                                  entry archived  ──▶ archived
    any open version ──(a newer edit)──▶ withdrawn

``approve`` publishes at once unless asked to hold (``publish=False``), since the reviewer is
the gate and an operator should get approved text immediately; a held version is published
later with ``publish``. Publishing retires the previous live version in the same
transaction. ``rollback`` publishes an earlier, once-published body as a new version.
A version already past its expiry date is never approved, published or rolled back to: it
would go live expired (and count as "handled" in the sweep); it needs new dates first.
Every move is audited and refused moves change nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb import audit, events
from kb.actors import Actor, check_can_edit, check_can_review
from kb.clock import today, utcnow
from kb.content import VersionContent
from kb.entries import check_title_free
from kb.errors import Conflict, InvalidInput, PermissionDenied
from kb.labels import STATUS_ZH
from kb.models import Entry, EntryStatus, EntryVersion, Role, VersionStatus
from kb.queries import get_entry, get_version


def _refuse(version: EntryVersion, action_zh: str, needed: str) -> Conflict:
    return Conflict(
        f"第 {version.version_no} 版当前为“{STATUS_ZH[version.status.value]}”，不能{action_zh}"
        f"（需为“{STATUS_ZH[needed]}”）。"
    )


def _not_archived(entry: Entry) -> None:
    if entry.status is EntryStatus.ARCHIVED:
        raise Conflict(f"条目 {entry.id} 已归档，不能再变更状态。")


def _not_expired(version: EntryVersion, action_zh: str) -> None:
    day = today()
    if version.expires_on is not None and version.expires_on < day:
        raise Conflict(
            f"第 {version.version_no} 版的失效日期 {version.expires_on} 已过（今天 {day}），"
            f"不能{action_zh}；请编辑条目填写新的有效期后重新提交审核，或将条目归档。"
        )


def _entry_status_when_unpublished(entry: Entry, status: EntryStatus) -> None:
    if entry.published_version_no is None:
        entry.status = status


def submit(
    session: Session, actor: Actor, entry_id: int, version_no: int | None = None
) -> EntryVersion:
    """Send a draft for review."""
    entry = get_entry(session, entry_id)
    _not_archived(entry)
    check_can_edit(actor, entry)
    version = get_version(session, entry_id, version_no)
    if version.status is not VersionStatus.DRAFT:
        raise _refuse(version, "提交审核", "draft")
    version.status = VersionStatus.IN_REVIEW
    version.submitted_by = actor.name
    version.submitted_at = utcnow()
    _entry_status_when_unpublished(entry, EntryStatus.IN_REVIEW)
    audit.record(
        session,
        actor.name,
        "submit",
        entry_id=entry_id,
        version_no=version.version_no,
        from_status="draft",
        to_status="in_review",
    )
    return version


def reject(
    session: Session, actor: Actor, entry_id: int, note: str, version_no: int | None = None
) -> EntryVersion:
    """Send a version under review back to draft, with the reason."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput("退回修改必须写明原因。")
    entry = get_entry(session, entry_id)
    _not_archived(entry)
    version = get_version(session, entry_id, version_no)
    check_can_review(actor, entry, version)
    if version.status is not VersionStatus.IN_REVIEW:
        raise _refuse(version, "退回", "in_review")
    version.status = VersionStatus.DRAFT
    version.review_note = note
    _entry_status_when_unpublished(entry, EntryStatus.DRAFT)
    audit.record(
        session,
        actor.name,
        "reject",
        entry_id=entry_id,
        version_no=version.version_no,
        from_status="in_review",
        to_status="draft",
        note=note,
    )
    return version


def approve(
    session: Session,
    actor: Actor,
    entry_id: int,
    *,
    note: str = "",
    version_no: int | None = None,
    publish_now: bool = True,
) -> EntryVersion:
    """Pass review; publish at once unless ``publish_now`` is False."""
    entry = get_entry(session, entry_id)
    _not_archived(entry)
    version = get_version(session, entry_id, version_no)
    check_can_review(actor, entry, version)
    if version.status is not VersionStatus.IN_REVIEW:
        raise _refuse(version, "审核通过", "in_review")
    _not_expired(version, "审核通过")
    version.status = VersionStatus.APPROVED
    version.reviewed_by = actor.name
    version.reviewed_at = utcnow()
    version.review_note = note.strip() or None
    entry.reviewer = actor.name
    entry.reviewed_at = version.reviewed_at
    _entry_status_when_unpublished(entry, EntryStatus.APPROVED)
    audit.record(
        session,
        actor.name,
        "approve",
        entry_id=entry_id,
        version_no=version.version_no,
        from_status="in_review",
        to_status="approved",
        note=note.strip() or None,
    )
    if publish_now:
        return publish(session, actor, entry_id, version.version_no)
    return version


def _make_live(
    session: Session, actor: Actor, entry: Entry, version: EntryVersion, action: str
) -> None:
    """Retire the previous live version and make ``version`` live, then tell listeners."""
    now = utcnow()
    previous_no = entry.published_version_no
    if previous_no is not None and previous_no != version.version_no:
        previous = get_version(session, entry.id, previous_no)
        previous.status = VersionStatus.SUPERSEDED
        previous.retired_at = now
        audit.record(
            session,
            actor.name,
            "retire",
            entry_id=entry.id,
            version_no=previous_no,
            from_status="published",
            to_status="superseded",
            replaced_by=version.version_no,
        )
    from_status = version.status.value
    version.status = VersionStatus.PUBLISHED
    version.published_by = actor.name
    version.published_at = now
    entry.published_version_no = version.version_no
    entry.status = EntryStatus.PUBLISHED
    entry.published_at = now
    entry.title = version.title
    audit.record(
        session,
        actor.name,
        action,
        entry_id=entry.id,
        version_no=version.version_no,
        from_version_no=previous_no,
        from_status=from_status,
        to_status="published",
    )
    events.emit(session, "published", entry, version)


def publish(
    session: Session, actor: Actor, entry_id: int, version_no: int | None = None
) -> EntryVersion:
    """Make an approved version live; the previous live version is retired with it."""
    entry = get_entry(session, entry_id)
    _not_archived(entry)
    version = get_version(session, entry_id, version_no)
    if version.status is not VersionStatus.APPROVED:
        if version.status in (VersionStatus.DRAFT, VersionStatus.IN_REVIEW):
            raise Conflict(
                f"第 {version.version_no} 版尚未审核通过（当前“{STATUS_ZH[version.status.value]}”），"
                "不能发布；请先提交审核并由他人审核通过。"
            )
        raise _refuse(version, "发布", "approved")
    if actor.role not in (Role.REVIEWER, Role.ADMIN):
        raise PermissionDenied("只有审核员或管理员可以发布条目。")
    check_can_review_scope(actor, entry)
    _not_expired(version, "发布")
    _make_live(session, actor, entry, version, "publish")
    return version


def check_can_review_scope(actor: Actor, entry: Entry) -> None:
    """Reviewer unit scope without the not-author rule (publishing an approved version)."""
    if actor.role is Role.REVIEWER and actor.unit_id not in (None, entry.owner_unit_id):
        raise PermissionDenied(
            f"审核员{actor.name}属于“{actor.unit_name}”，不能发布“{entry.owner_unit.name}”的条目。"
        )


def archive(session: Session, actor: Actor, entry_id: int, reason: str) -> Entry:
    """Take an entry out of service for good (nothing is deleted)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("归档必须写明原因（如：政策已废止、已被新条目替代）。")
    entry = get_entry(session, entry_id)
    check_can_edit(actor, entry)
    if entry.status is EntryStatus.ARCHIVED:
        raise Conflict(f"条目 {entry_id} 已经归档。")
    now = utcnow()
    from_status = entry.status.value
    for version in session.scalars(select(EntryVersion).where(EntryVersion.entry_id == entry_id)):
        if version.status is VersionStatus.PUBLISHED:
            version.status = VersionStatus.ARCHIVED
            version.retired_at = now
        elif version.status in (
            VersionStatus.DRAFT,
            VersionStatus.IN_REVIEW,
            VersionStatus.APPROVED,
        ):
            version.status = VersionStatus.WITHDRAWN
            version.retired_at = now
    entry.status = EntryStatus.ARCHIVED
    entry.archived_at = now
    audit.record(
        session,
        actor.name,
        "archive",
        entry_id=entry_id,
        version_no=entry.published_version_no,
        from_status=from_status,
        to_status="archived",
        reason=reason,
    )
    events.emit(session, "retired", entry, None)
    return entry


ONCE_PUBLISHED = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED, VersionStatus.ARCHIVED)


def rollback(
    session: Session, actor: Actor, entry_id: int, to_version: int, note: str = ""
) -> EntryVersion:
    """Publish the body of an earlier, once-published version as a new version.

    Only reviewers (of the unit, or the centre) and admins may roll back; the old body was
    reviewed when it was first published, so the new version is published at once and the
    audit log names both the rollback and the original reviewer.
    """
    entry = get_entry(session, entry_id)
    _not_archived(entry)
    if actor.role not in (Role.REVIEWER, Role.ADMIN):
        raise PermissionDenied("只有审核员或管理员可以回滚已发布内容。")
    check_can_review_scope(actor, entry)
    target = get_version(session, entry_id, to_version)
    if target.status not in ONCE_PUBLISHED:
        raise Conflict(
            f"第 {to_version} 版从未发布过（{STATUS_ZH[target.status.value]}），不能回滚到该版本。"
        )
    if entry.published_version_no == to_version:
        raise Conflict(f"第 {to_version} 版就是当前发布版本，无需回滚。")
    _not_expired(target, "回滚到该版本")
    check_title_free(session, entry.region, target.title, entry.id)
    content = VersionContent.of_version(target)
    number = entry.latest_version_no + 1
    for old in session.scalars(
        select(EntryVersion).where(
            EntryVersion.entry_id == entry_id,
            EntryVersion.status.in_(
                (VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.APPROVED)
            ),
        )
    ):
        old.status = VersionStatus.WITHDRAWN
        old.retired_at = utcnow()
        audit.record(
            session,
            actor.name,
            "withdraw",
            entry_id=entry_id,
            version_no=old.version_no,
            to_status="withdrawn",
            reason=f"回滚至第 {to_version} 版",
        )
    change_note = note.strip() or f"回滚至第 {to_version} 版"
    version = EntryVersion(
        entry_id=entry_id,
        version_no=number,
        change_note=change_note,
        previous_version_no=entry.latest_version_no,
        author=actor.name,
        status=VersionStatus.APPROVED,
        reviewed_by=actor.name,
        reviewed_at=utcnow(),
        review_note=f"回滚至第 {to_version} 版（原审核人：{target.reviewed_by or '未知'}）",
        source_file=target.source_file,
        source_sha256=target.source_sha256,
        **content.as_columns(),
    )
    session.add(version)
    entry.latest_version_no = number
    audit.record(
        session,
        actor.name,
        "rollback",
        entry_id=entry_id,
        version_no=number,
        from_version_no=entry.published_version_no,
        to_status="approved",
        restored_from=to_version,
        note=change_note,
    )
    _make_live(session, actor, entry, version, "publish")
    return version


def publish_trusted(session: Session, actor: Actor, entry_id: int, reason: str) -> EntryVersion:
    """Publish the latest version at once, for bulk loads of already-approved content.

    A centre migrating its existing, already reviewed KB (or loading the shipped samples)
    has no second person to approve ten thousand entries one by one. This path is the one
    exception to "a reviewer who is not the author approves": only admins may use it, a
    reason is required, and the audit log records it as ``publish_trusted`` so QA can find
    every entry that went live this way.
    """
    if not actor.is_admin:
        raise PermissionDenied("只有管理员可以批量直接发布（跳过审核）。")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("直接发布必须写明原因（如：示例数据、存量知识库迁移）。")
    entry = get_entry(session, entry_id)
    _not_archived(entry)
    version = get_version(session, entry_id)
    if version.status is VersionStatus.PUBLISHED:
        return version
    if version.status not in (VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.APPROVED):
        raise _refuse(version, "发布", "draft")
    version.reviewed_by = actor.name
    version.reviewed_at = utcnow()
    version.review_note = f"管理员直接发布：{reason}"
    entry.reviewer = actor.name
    entry.reviewed_at = version.reviewed_at
    audit.record(
        session,
        actor.name,
        "publish_trusted",
        entry_id=entry_id,
        version_no=version.version_no,
        from_status=version.status.value,
        to_status="approved",
        reason=reason,
    )
    _make_live(session, actor, entry, version, "publish")
    return version
