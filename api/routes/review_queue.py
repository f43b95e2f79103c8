"""Drafts and the review queue: open versions, scoped to the caller's unit.

An entry that is already published keeps ``entries.status = published`` while its next
version is in review, so the queue is built from version statuses, not entry statuses.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from api.auth import Caller, any_user
from api.schemas.common import AUTH_ERRORS, errors
from api.schemas.entries import QueueOut
from api.state import unit_of_work
from kb.actors import Actor, check_can_edit, check_can_review
from kb.entries import KIND_ZH, STATUS_ZH
from kb.errors import PermissionDenied
from kb.models import Entry, EntryStatus, EntryVersion, VersionStatus
from kb.units import get_unit

router = APIRouter(prefix="/api/queue", tags=["知识库条目"], responses=AUTH_ERRORS)


def _allowed(check, *args) -> bool:
    try:
        check(*args)
    except PermissionDenied:
        return False
    return True


def _item(actor: Actor, entry: Entry, version: EntryVersion) -> dict:
    return {
        "entry_id": entry.id,
        "title": version.title,
        "kind_zh": KIND_ZH[entry.kind],
        "owner_unit": entry.owner_unit.name,
        "version": version.version_no,
        "status": version.status.value,
        "status_zh": STATUS_ZH[version.status.value],
        "author": version.author,
        "change_note": version.change_note,
        "created_at": version.created_at,
        "submitted_at": version.submitted_at,
        "review_note": version.review_note,
        "published_version": entry.published_version_no,
        "can_review": _allowed(check_can_review, actor, entry, version),
        "can_edit": _allowed(check_can_edit, actor, entry),
    }


@router.get("", response_model=QueueOut, responses=errors(404), summary="草稿与待审核")
def queue(
    request: Request,
    unit: str | None = Query(
        None, max_length=120, description="只看某单位（默认：维护员/审核员看本单位，其他人看全部）"
    ),
    caller: Caller = Depends(any_user),
) -> dict:
    """草稿、待审核、已审核待发布的版本。"""
    actor = caller.actor
    with unit_of_work(request) as session:
        unit_id = get_unit(session, unit).id if unit else actor.unit_id
        stmt = (
            select(EntryVersion, Entry)
            .join(Entry, Entry.id == EntryVersion.entry_id)
            .options(joinedload(Entry.owner_unit))
            .where(
                EntryVersion.status.in_(
                    (VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.APPROVED)
                ),
                Entry.status != EntryStatus.ARCHIVED,
            )
            .order_by(EntryVersion.submitted_at, EntryVersion.created_at)
        )
        if unit_id is not None:
            stmt = stmt.where(Entry.owner_unit_id == unit_id)
        out: dict[str, list] = {"drafts": [], "in_review": [], "approved": []}
        key = {"draft": "drafts", "in_review": "in_review", "approved": "approved"}
        for version, entry in session.execute(stmt).unique():
            out[key[version.status.value]].append(_item(actor, entry, version))
        return out
