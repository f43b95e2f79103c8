"""The intake clock (new policies within 3 working days) and the quarterly sweep."""

from __future__ import annotations

import dataclasses

from fastapi import APIRouter, Depends, Query, Request, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth import Caller, any_user, editor
from api.schemas.common import AUTH_ERRORS, EntryId, WorkDay, errors
from api.schemas.upkeep import (
    IntakeCreate,
    IntakeOut,
    IntakeRowOut,
    SweepArchive,
    SweepConfirm,
    SweepOut,
    SweepReviewOut,
)
from api.state import unit_of_work
from kb import intake, sweep
from kb.clock import today
from kb.entries import STATUS_ZH
from kb.models import EntryVersion, SweepReview, VersionStatus

intake_router = APIRouter(prefix="/api/intake", tags=["录入时限"], responses=AUTH_ERRORS)
sweep_router = APIRouter(prefix="/api/sweep", tags=["季度巡检"], responses=AUTH_ERRORS)

UnitQuery = Query(None, max_length=120, description="只看某单位（编码或名称）")
OnQuery = Query(None, description="以哪一天为准（默认今天）")


def _intake_row(row: intake.IntakeRow) -> dict:
    return {**dataclasses.asdict(row), "state_zh": intake.STATE_ZH[row.state]}


@intake_router.get("", response_model=IntakeOut, responses=errors(404), summary="待录入政策")
def intake_list(
    request: Request,
    unit: str | None = UnitQuery,
    on: WorkDay | None = OnQuery,
    _caller: Caller = Depends(any_user),
) -> dict:
    """待录入、已逾期、已录入的新政策（截止日按工作日倒数），及各单位按时录入率。"""
    with unit_of_work(request) as session:
        rep = intake.report(session, on or today(), unit)
    return {
        "on": rep.on,
        "items": [_intake_row(r) for r in rep.rows],
        "units": [{**dataclasses.asdict(u), "on_time_rate": u.on_time_rate} for u in rep.units],
        "warnings": rep.warnings,
    }


@intake_router.post(
    "",
    response_model=IntakeRowOut,
    status_code=status.HTTP_201_CREATED,
    responses=errors(404, 409),
    summary="登记新政策",
)
def intake_register(request: Request, body: IntakeCreate, caller: Caller = Depends(editor)) -> dict:
    """登记新发布的政策，开始计算录入时限（发布后 N 个工作日，默认 3）。"""
    with unit_of_work(request) as session:
        item = intake.register(
            session,
            caller.actor,
            title=body.title,
            published_on=body.published_on,
            owner_unit=body.owner_unit,
            doc_no=body.doc_no,
            issuer=body.issuer,
        )
        item_id = item.id
    with unit_of_work(request) as session:
        rows = intake.report(session, today()).rows
    return _intake_row(next(r for r in rows if r.id == item_id))


def _sweep_item(item: sweep.SweepItem, pending: dict[int, EntryVersion]) -> dict:
    open_version = pending.get(item.entry_id)
    return {
        **dataclasses.asdict(item),
        "issues_zh": [sweep.ISSUE_ZH[i] for i in item.issues],
        "pending_version": open_version.version_no if open_version else None,
        "pending_status": open_version.status.value if open_version else None,
        "pending_status_zh": STATUS_ZH[open_version.status.value] if open_version else None,
    }


def _pending_versions(session: Session, entry_ids: list[int]) -> dict[int, EntryVersion]:
    """The newest open (draft / in review / approved) version of each entry.

    An edit made from the sweep list counts for the sweep only once it is published; until
    then the list says a change is waiting rather than looking untouched.
    """
    if not entry_ids:
        return {}
    stmt = (
        select(EntryVersion)
        .where(
            EntryVersion.entry_id.in_(entry_ids),
            EntryVersion.status.in_(
                (VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.APPROVED)
            ),
        )
        .order_by(EntryVersion.version_no)
    )
    return {v.entry_id: v for v in session.scalars(stmt)}


@sweep_router.get("", response_model=SweepOut, responses=errors(404), summary="季度巡检清单")
def sweep_list(
    request: Request,
    quarter: str | None = Query(None, pattern=r"^20\d{2}Q[1-4]$", description="季度，如 2026Q4"),
    unit: str | None = UnitQuery,
    on: WorkDay | None = OnQuery,
    _caller: Caller = Depends(any_user),
) -> dict:
    """本季度需确认、更新或归档的条目（已过期、即将到期、未巡检、依据已废止），及各单位完成率。"""
    with unit_of_work(request) as session:
        rep = sweep.report(session, on or today(), quarter=quarter, unit=unit)
        pending = _pending_versions(session, [i.entry_id for i in rep.items])
        items = [_sweep_item(i, pending) for i in rep.items]
    return {
        "quarter": rep.quarter,
        "on": rep.on,
        "items": items,
        "units": [
            {**dataclasses.asdict(u), "completion_rate": u.completion_rate} for u in rep.units
        ],
    }


def _review(row: SweepReview) -> dict:
    return {
        "entry_id": row.entry_id,
        "quarter": row.quarter,
        "action": row.action,
        "note": row.note,
        "reviewed_by": row.reviewed_by,
        "reviewed_on": row.reviewed_on,
    }


@sweep_router.post(
    "/{entry_id}/confirm",
    response_model=SweepReviewOut,
    responses=errors(404, 409),
    summary="巡检确认",
)
def sweep_confirm(
    request: Request,
    entry_id: EntryId,
    body: SweepConfirm | None = None,
    caller: Caller = Depends(editor),
) -> dict:
    """确认本单位条目本季度仍然准确有效。"""
    with unit_of_work(request) as session:
        review = sweep.confirm(
            session, caller.actor, entry_id, today(), (body or SweepConfirm()).note
        )
        return _review(review)


@sweep_router.post(
    "/{entry_id}/archive",
    response_model=SweepReviewOut,
    responses=errors(404, 409),
    summary="巡检归档",
)
def sweep_archive(
    request: Request, entry_id: EntryId, body: SweepArchive, caller: Caller = Depends(editor)
) -> dict:
    """作为巡检结果归档条目（立即退出检索）。"""
    with unit_of_work(request) as session:
        return _review(sweep.archive(session, caller.actor, entry_id, today(), body.reason))
