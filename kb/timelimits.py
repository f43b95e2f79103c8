"""Time limits per appeal type (办理时限) and their extensions (延期).

Defaults come from the Sichuan measures (sichuan-2025 第四章): 咨询 3, 求助 7, 意见建议 7,
投诉 15, 举报 15 working days. The measures set no limit for 表扬 (praise needs no handling):
closing it on the day it is recorded (0 days) is this system's own default, and says so.
A region may override any of them; the most specific region prefix wins (示例市东湖区 over
示例市 over ``*``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb import audit
from kb.calendar import get_calendar
from kb.errors import InvalidInput
from kb.models import Extension, TimeLimitProfile

SICHUAN_BASIS = "《四川省12345政务服务便民热线运行管理办法》第四章"
DEFAULT_LIMITS = {"咨询": 3, "求助": 7, "意见建议": 7, "投诉": 15, "举报": 15}
# 表扬 needs no handling; it is closed on the day it is recorded. Not from the measures.
APPEAL_TYPES = (*DEFAULT_LIMITS, "表扬")
PRAISE_BASIS = "本系统默认：表扬类无需办理，受理当日办结（《四川省12345政务服务便民热线运行管理办法》未规定表扬时限）"


def seed_defaults(session: Session) -> int:
    """Insert the national defaults (region ``*``) where missing; returns rows added."""
    added = 0
    for appeal_type, days in DEFAULT_LIMITS.items():
        exists = session.scalar(
            select(TimeLimitProfile).where(
                TimeLimitProfile.region == "*", TimeLimitProfile.appeal_type == appeal_type
            )
        )
        if exists is None:
            session.add(
                TimeLimitProfile(
                    region="*", appeal_type=appeal_type, working_days=days, basis=SICHUAN_BASIS
                )
            )
            added += 1
    return added


def check_appeal_type(appeal_type: str) -> str:
    """The appeal type if known, else a clear error."""
    value = (appeal_type or "").strip()
    if value not in APPEAL_TYPES:
        raise InvalidInput(f"诉求类型“{appeal_type}”无效，应为 {'、'.join(APPEAL_TYPES)} 之一。")
    return value


def set_limit(
    session: Session, region: str, appeal_type: str, working_days: int, basis: str, actor: str
) -> TimeLimitProfile:
    """Set a region's limit for one appeal type."""
    appeal_type = check_appeal_type(appeal_type)
    if not 1 <= working_days <= 365:
        raise InvalidInput("办理时限应在 1–365 个工作日之间。")
    region = region.strip() or "*"
    row = session.scalar(
        select(TimeLimitProfile).where(
            TimeLimitProfile.region == region, TimeLimitProfile.appeal_type == appeal_type
        )
    )
    if row is None:
        row = TimeLimitProfile(
            region=region, appeal_type=appeal_type, working_days=working_days, basis=basis
        )
        session.add(row)
    else:
        row.working_days, row.basis = working_days, basis
    audit.record(
        session,
        actor,
        "time_limit.set",
        region=region,
        appeal_type=appeal_type,
        working_days=working_days,
    )
    return row


def limit_for(session: Session, appeal_type: str, region: str = "") -> TimeLimitProfile | None:
    """The profile row that applies: the longest matching region prefix, then ``*``."""
    appeal_type = check_appeal_type(appeal_type)
    rows = session.scalars(
        select(TimeLimitProfile).where(TimeLimitProfile.appeal_type == appeal_type)
    ).all()
    candidates = [r for r in rows if r.region == "*" or (region and region.startswith(r.region))]
    if not candidates:
        return None
    return max(candidates, key=lambda r: -1 if r.region == "*" else len(r.region))


def _region_zh(region: str) -> str:
    return "全部地区" if region == "*" else region


def list_limits(session: Session) -> list[TimeLimitProfile]:
    """Every profile row."""
    stmt = select(TimeLimitProfile).order_by(TimeLimitProfile.region, TimeLimitProfile.appeal_type)
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class DueDate:
    """When a work order must be finished, and how that was worked out."""

    due_on: dt.date
    working_days: int
    extra_working_days: int
    basis: str
    warning: str | None = None


def add_extension(
    session: Session, order_no: str, extra_working_days: int, reason: str, approved_by: str
) -> Extension:
    """Record an approved extension of one work order's limit."""
    if not order_no.strip():
        raise InvalidInput("请填写工单编号。")
    if not 1 <= extra_working_days <= 60:
        raise InvalidInput("延期天数应在 1–60 个工作日之间。")
    if not reason.strip():
        raise InvalidInput("延期必须写明原因（如：情况复杂需多部门会商）。")
    ext = Extension(
        order_no=order_no.strip(),
        extra_working_days=extra_working_days,
        reason=reason.strip(),
        approved_by=approved_by,
    )
    session.add(ext)
    audit.record(
        session,
        approved_by,
        "extension.add",
        order_no=order_no,
        extra_working_days=extra_working_days,
        reason=reason.strip(),
    )
    return ext


def extensions_of(session: Session, order_no: str) -> list[Extension]:
    """Every extension of one work order."""
    stmt = select(Extension).where(Extension.order_no == order_no).order_by(Extension.id)
    return list(session.scalars(stmt))


def due_date(
    session: Session,
    appeal_type: str,
    accepted_on: dt.date,
    *,
    region: str = "",
    order_no: str | None = None,
) -> DueDate:
    """Accepted date + the type's working days (+ approved extensions)."""
    profile = limit_for(session, appeal_type, region)
    if profile is None and appeal_type not in DEFAULT_LIMITS:
        days, basis = 0, PRAISE_BASIS
    elif profile is None:
        days, basis = DEFAULT_LIMITS[appeal_type], SICHUAN_BASIS
    else:
        # a row set without a basis is local, never the measures' (unless it is their value)
        unchanged = (
            profile.region == "*" and DEFAULT_LIMITS.get(appeal_type) == profile.working_days
        )
        fallback = SICHUAN_BASIS if unchanged else f"管理员设置（{_region_zh(profile.region)}）"
        days, basis = profile.working_days, profile.basis or fallback
    extra = sum(e.extra_working_days for e in extensions_of(session, order_no)) if order_no else 0
    result = get_calendar().add(accepted_on, days + extra)
    return DueDate(result.value, days, extra, basis, result.warning)  # type: ignore[arg-type]
