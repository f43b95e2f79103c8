"""Work orders (工单), their dispatch outcomes and merges (并单).

Only masked text is ever stored here: kb/ knows nothing about masking, the caller
(``assistant.workorders``) hands in text ``assistant.privacy`` has already masked, plus the
encrypted callback vault and keyed hashes from :mod:`kb.sealing`. Column names say so.

Statuses: ``open`` → ``closed`` (handled) or ``merged`` (并单 into another open order). A
dispatch outcome — ``confirm`` (the unit accepts), ``reject`` (退单, with a reason),
``reassign`` (改派 to another unit) — is appended per order and never edited: the dispatcher
learns from these rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from kb import audit
from kb.actors import Actor
from kb.clock import CHINA_TZ, china_date, utcnow
from kb.errors import CalendarRangeError, Conflict, InvalidInput, NotFound, PermissionDenied
from kb.models import Base, Role, Unit
from kb.timelimits import due_date

ORDER_STATUSES = ("open", "closed", "merged")
ORDER_STATUS_ZH = {"open": "办理中", "closed": "已办结", "merged": "已并单"}
OUTCOME_ACTIONS = ("confirm", "reject", "reassign")
OUTCOME_ZH = {"confirm": "签收", "reject": "退单", "reassign": "改派"}
CHANNELS = ("电话", "网站", "微信", "APP", "短信", "信件", "导入")
URGENCIES = ("一般", "紧急", "特急")


class WorkOrder(Base):
    """One citizen appeal as accepted by the hotline."""

    __tablename__ = "work_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_no: Mapped[str] = mapped_column(String(40), unique=True)
    accepted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="电话")
    appeal_type: Mapped[str] = mapped_column(String(20), index=True)
    category_code: Mapped[str | None] = mapped_column(String(12), index=True)
    region: Mapped[str] = mapped_column(String(120), default="")
    district: Mapped[str | None] = mapped_column(String(60), index=True)
    street: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(60))
    summary_masked: Mapped[str] = mapped_column(Text, default="")
    text_masked: Mapped[str] = mapped_column(Text, default="")
    urgency: Mapped[str] = mapped_column(String(10), default="一般")
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    co_unit_codes: Mapped[list] = mapped_column(JSON, default=list)
    catalog_row_id: Mapped[str | None] = mapped_column(String(20), index=True)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    due_assumed: Mapped[bool] = mapped_column(Boolean, default=False)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    # callback data: the masking vault, Fernet-encrypted (kb.sealing); never in clear
    vault_sealed: Mapped[str | None] = mapped_column(Text)
    # keyed hashes (HMAC-SHA256) for duplicate detection without plaintext
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    id_number_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    address_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    lead_unit: Mapped[Unit | None] = relationship()
    outcomes: Mapped[list[DispatchOutcome]] = relationship(
        back_populates="order", order_by="DispatchOutcome.id"
    )


class DispatchOutcome(Base):
    """What a unit did with a dispatched order: 签收, 退单 (with reason) or 改派."""

    __tablename__ = "dispatch_outcomes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    action: Mapped[str] = mapped_column(String(20), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    catalog_row_id: Mapped[str | None] = mapped_column(String(20), index=True)
    to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    to_catalog_row_id: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(500), default="")
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    order: Mapped[WorkOrder] = relationship(back_populates="outcomes")
    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    to_unit: Mapped[Unit | None] = relationship(foreign_keys=[to_unit_id])


def _is_center(actor: Actor) -> bool:
    """Admins, operators and hotline-centre reviewers (a reviewer with no unit)."""
    return (
        actor.is_admin
        or actor.role is Role.OPERATOR
        or (actor.role is Role.REVIEWER and actor.unit_id is None)
    )


def check_can_register(actor: Actor) -> None:
    """Accepting, importing, merging and closing orders is the hotline centre's work."""
    if not _is_center(actor):
        raise PermissionDenied(
            f"{actor.name}不能受理或合并工单：需由话务员、热线中心审核员或管理员操作。"
        )


def check_can_record(actor: Actor, order: WorkOrder, action: str) -> None:
    """签收/退单: the lead unit's own people or the centre; 改派 only after the centre's review."""
    if action == "reassign":
        if actor.is_admin or (actor.role is Role.REVIEWER and actor.unit_id is None):
            return
        raise PermissionDenied("改派须经热线中心审核：只有热线中心审核员或管理员可以改派。")
    if _is_center(actor):
        return
    if (
        actor.role in (Role.MAINTAINER, Role.REVIEWER)
        and order.lead_unit_id is not None
        and actor.unit_id == order.lead_unit_id
    ):
        return
    raise PermissionDenied(
        f"{actor.name}不是工单 {order.order_no} 主办单位的人员，不能签收或退单。"
    )


def check_can_see_callback(actor: Actor, order: WorkOrder) -> None:
    """Callback data: the centre; the lead unit too unless the caller asked for confidentiality."""
    if _is_center(actor):
        return
    if (
        not order.confidential
        and actor.role in (Role.MAINTAINER, Role.REVIEWER)
        and order.lead_unit_id is not None
        and actor.unit_id == order.lead_unit_id
    ):
        return
    raise PermissionDenied(
        "无权查看来电人回访信息"
        + ("（来电人要求保密，仅热线中心可见）。" if order.confidential else "。")
    )


def next_order_no(session: Session, accepted_at: dt.datetime) -> str:
    """``GD`` + accepted date (China time) + a 6-digit daily sequence, e.g. GD20261122000001."""
    day = accepted_at.astimezone(CHINA_TZ).strftime("%Y%m%d")
    prefix = f"GD{day}"
    last = session.scalar(
        select(func.max(WorkOrder.order_no)).where(WorkOrder.order_no.startswith(prefix))
    )
    seq = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{seq:06d}"


def add_order(session: Session, order: WorkOrder, actor: str) -> WorkOrder:
    """Insert a prepared order (text already masked); assigns its number if empty."""
    if order.appeal_type is None or not order.title:
        raise InvalidInput("工单缺少诉求类型或标题。")
    order.urgency = order.urgency or "一般"
    if order.urgency not in URGENCIES:
        raise InvalidInput(f"紧急程度“{order.urgency}”无效，应为 {'、'.join(URGENCIES)} 之一。")
    if not order.order_no:
        order.order_no = next_order_no(session, order.accepted_at)
    elif session.scalar(select(WorkOrder.id).where(WorkOrder.order_no == order.order_no)):
        raise Conflict(f"工单编号 {order.order_no} 已存在。")
    order.created_by = actor
    order.status = order.status or "open"
    session.add(order)
    session.flush()
    audit.record(session, actor, "order.add", order_no=order.order_no)
    return order


def get_order(session: Session, key: str | int) -> WorkOrder:
    """An order by number or id; a clear error if there is none."""
    text = str(key).strip()
    stmt = select(WorkOrder).where(WorkOrder.order_no == text)
    order = session.scalar(stmt)
    if order is None and text.isdigit():
        order = session.get(WorkOrder, int(text))
    if order is None:
        raise NotFound(f"没有工单“{text}”，可用 `hotline orders list` 查看。")
    return order


def list_orders(
    session: Session,
    *,
    status: str | None = None,
    district: str | None = None,
    since: dt.datetime | None = None,
    limit: int = 100,
) -> list[WorkOrder]:
    """Orders newest first, optionally filtered."""
    if status is not None and status not in ORDER_STATUSES:
        raise InvalidInput(f"工单状态“{status}”无效，应为 {'、'.join(ORDER_STATUSES)} 之一。")
    stmt = select(WorkOrder).order_by(WorkOrder.accepted_at.desc(), WorkOrder.id.desc())
    if status:
        stmt = stmt.where(WorkOrder.status == status)
    if district:
        stmt = stmt.where(WorkOrder.district == district)
    if since is not None:
        stmt = stmt.where(WorkOrder.accepted_at >= since)
    return list(session.scalars(stmt.limit(limit)))


def record_outcome(
    session: Session,
    order: WorkOrder,
    action: str,
    *,
    actor: str,
    unit: Unit | None = None,
    reason: str = "",
    to_unit: Unit | None = None,
    to_catalog_row_id: str | None = None,
) -> DispatchOutcome:
    """Append a dispatch outcome; 改派 moves the order's lead unit (and catalog row)."""
    if action not in OUTCOME_ACTIONS:
        raise InvalidInput(f"处理结果“{action}”无效，应为 {'、'.join(OUTCOME_ACTIONS)} 之一。")
    if order.status != "open":
        raise Conflict(
            f"工单 {order.order_no} 当前为“{ORDER_STATUS_ZH[order.status]}”，不能再登记派单结果。"
        )
    reason = reason.strip()
    if action in ("reject", "reassign") and not reason:
        raise InvalidInput(f"{OUTCOME_ZH[action]}必须写明原因（如：不属于本单位职责）。")
    if action == "reassign" and to_unit is None:
        raise InvalidInput("改派必须指定新的主办单位（--to）。")
    unit = unit or order.lead_unit
    outcome = DispatchOutcome(
        order_id=order.id,
        action=action,
        unit_id=unit.id if unit else None,
        catalog_row_id=order.catalog_row_id,
        to_unit_id=to_unit.id if to_unit else None,
        to_catalog_row_id=to_catalog_row_id,
        reason=reason,
        actor=actor,
    )
    session.add(outcome)
    if action == "reassign" and to_unit is not None:
        order.lead_unit_id = to_unit.id
        order.lead_unit = to_unit
        if to_catalog_row_id:
            order.catalog_row_id = to_catalog_row_id
    session.flush()
    audit.record(
        session,
        actor,
        f"order.{action}",
        order_no=order.order_no,
        unit=unit.code if unit else None,
        to_unit=to_unit.code if to_unit else None,
        reason=reason or None,
    )
    return outcome


def merge_orders(session: Session, order: WorkOrder, into: WorkOrder, actor: str) -> WorkOrder:
    """并单: ``order`` becomes part of the open order ``into``."""
    if order.id == into.id:
        raise InvalidInput("不能把工单并入它自己。")
    if order.status != "open":
        raise Conflict(f"工单 {order.order_no} 当前为“{ORDER_STATUS_ZH[order.status]}”，不能并单。")
    if into.status != "open":
        raise Conflict(
            f"目标工单 {into.order_no} 当前为“{ORDER_STATUS_ZH[into.status]}”，只能并入办理中的工单。"
        )
    order.status = "merged"
    order.merged_into_id = into.id
    order.closed_at = utcnow()
    session.flush()
    audit.record(session, actor, "order.merge", order_no=order.order_no, into=into.order_no)
    return order


def close_order(session: Session, order: WorkOrder, actor: str, note: str = "") -> WorkOrder:
    """Mark an open order as handled (办结)."""
    if order.status != "open":
        raise Conflict(f"工单 {order.order_no} 当前为“{ORDER_STATUS_ZH[order.status]}”，不能办结。")
    order.status = "closed"
    order.closed_at = utcnow()
    session.flush()
    audit.record(session, actor, "order.close", order_no=order.order_no, note=note or None)
    return order


@dataclass(frozen=True)
class RecountedDue:
    """One open order whose due date was counted on the calendar fallback and is now settled."""

    order_no: str
    title: str
    old_due_on: dt.date | None
    new_due_on: dt.date | None


def recompute_due(session: Session, actor: str = "system") -> list[RecountedDue]:
    """Recount every open order's due date that was counted while the calendar lacked a year.

    The same rule as :func:`kb.intake.recompute`: an order stays assumed (unchanged) while any
    year its time limit spans is still unknown, or the calendar is strict and refuses the year.
    The time limit is the order's region profile plus approved extensions, counted from the
    day it was accepted (China time). Returns the orders settled; each is audited.
    """
    settled: list[RecountedDue] = []
    stmt = (
        select(WorkOrder)
        .where(WorkOrder.status == "open", WorkOrder.due_assumed.is_(True))
        .order_by(WorkOrder.id)
    )
    for order in session.scalars(stmt):
        accepted_on = china_date(order.accepted_at)
        try:
            due = due_date(
                session,
                order.appeal_type,
                accepted_on,
                region=order.region or "",
                order_no=order.order_no,
            )
        except CalendarRangeError:
            continue
        if due.warning:
            continue
        old = order.due_on
        order.due_on, order.due_assumed = due.due_on, False
        settled.append(RecountedDue(order.order_no, order.title, old, order.due_on))
        audit.record(
            session,
            actor,
            "order.recompute_due",
            order_no=order.order_no,
            old_due_on=old.isoformat() if old else None,
            due_on=order.due_on.isoformat() if order.due_on else None,
        )
    if settled:
        session.flush()
    return settled


def open_orders_since(session: Session, since: dt.datetime) -> list[WorkOrder]:
    """Open orders accepted at or after ``since`` (the duplicate-detection window)."""
    stmt = (
        select(WorkOrder)
        .where(WorkOrder.status == "open", WorkOrder.accepted_at >= since)
        .order_by(WorkOrder.accepted_at.desc())
    )
    return list(session.scalars(stmt))


def outcomes_with_orders(session: Session) -> list[tuple[DispatchOutcome, WorkOrder]]:
    """Every dispatch outcome with its order, oldest first (what the dispatcher learns from)."""
    stmt = (
        select(DispatchOutcome, WorkOrder)
        .join(WorkOrder, DispatchOutcome.order_id == WorkOrder.id)
        .order_by(DispatchOutcome.id)
    )
    return [(o, w) for o, w in session.execute(stmt)]
