"""The intake clock: a newly published policy must be in the KB within N working days.

Gansu 甘政办发〔2025〕69号 item (十一): "政策信息自发布之日起，录入时间原则上不超过3个工作日".
Registering a policy starts its clock (due = published_on + N working days, N from
settings, default 3). The item is closed by the first entry created for it — linked
explicitly, or an entry of the same unit with the same 文号 — on the day it was entered
(录入). On-time rate per unit = items entered by their due date ÷ items that are done or
overdue (items still within their deadline are not counted yet).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from kb import audit
from kb.actors import Actor, check_can_edit_unit
from kb.calendar import get_calendar
from kb.clock import china_date, require_date
from kb.docno import normalize_doc_no
from kb.errors import Conflict, InvalidInput
from kb.models import Entry, EntryVersion, IntakeItem
from kb.settings import get_settings
from kb.units import get_unit

STATE_ZH = {"on_time": "按时录入", "late": "逾期录入", "pending": "待录入", "overdue": "已逾期"}


def register(
    session: Session,
    actor: Actor,
    *,
    title: str,
    published_on: str | dt.date,
    owner_unit: str,
    doc_no: str | None = None,
    issuer: str | None = None,
) -> IntakeItem:
    """Start the entry clock for a newly published policy."""
    title = (title or "").strip()
    if not title:
        raise InvalidInput("请填写政策标题。")
    published = require_date(published_on, "发布日期")
    unit = get_unit(session, owner_unit)
    check_can_edit_unit(actor, unit.id, unit.name)
    canonical = normalize_doc_no(doc_no) if doc_no else None
    if canonical:
        clash = session.scalar(
            select(IntakeItem).where(
                IntakeItem.doc_no == canonical, IntakeItem.owner_unit_id == unit.id
            )
        )
        if clash is not None:
            raise Conflict(f"{canonical} 已登记为待录入政策（编号 {clash.id}）。")
    result = get_calendar().add(published, get_settings().intake_working_days)
    item = IntakeItem(
        title=title,
        doc_no=canonical,
        issuer=(issuer or "").strip() or None,
        published_on=published,
        due_on=result.value,
        due_assumed=bool(result.assumed_years),
        owner_unit_id=unit.id,
        registered_by=actor.name,
    )
    session.add(item)
    session.flush()
    # an entry for it may already exist (entered before the item was registered)
    if canonical:
        existing = session.scalar(
            select(Entry)
            .join(EntryVersion, EntryVersion.entry_id == Entry.id)
            .where(Entry.owner_unit_id == unit.id, EntryVersion.doc_no == canonical)
            .order_by(Entry.id)
        )
        taken = existing is not None and session.scalar(
            select(IntakeItem.id).where(IntakeItem.entry_id == existing.id)
        )
        if existing is not None and not taken:
            item.entry_id = existing.id
            item.entered_on = china_date(existing.created_at)
    audit.record(
        session,
        actor.name,
        "intake.register",
        intake_id=item.id,
        title=title,
        doc_no=canonical,
        due_on=item.due_on.isoformat(),
        unit=unit.name,
    )
    return item


@dataclass
class IntakeRow:
    """One item as the report shows it."""

    id: int
    title: str
    doc_no: str | None
    unit: str
    published_on: dt.date
    due_on: dt.date
    state: str  # on_time | late | pending | overdue
    working_days_left: int | None  # pending: days left (0 = due today); overdue: negative
    entry_id: int | None
    entered_on: dt.date | None
    due_assumed: bool


@dataclass
class UnitIntake:
    """Per-unit totals."""

    unit: str
    total: int = 0
    on_time: int = 0
    late: int = 0
    pending: int = 0
    overdue: int = 0

    @property
    def on_time_rate(self) -> float | None:
        """Entered by the deadline ÷ (done + overdue); None when nothing is countable yet."""
        countable = self.on_time + self.late + self.overdue
        return round(self.on_time / countable, 4) if countable else None


@dataclass
class IntakeReport:
    """The intake list and the per-unit numbers QA uses."""

    on: dt.date
    rows: list[IntakeRow] = field(default_factory=list)
    units: list[UnitIntake] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def report(session: Session, on: dt.date, unit: str | None = None) -> IntakeReport:
    """Every intake item's state on day ``on``, and per-unit totals."""
    cal = get_calendar()
    stmt = select(IntakeItem).options(joinedload(IntakeItem.owner_unit)).order_by(IntakeItem.due_on)
    if unit:
        stmt = stmt.where(IntakeItem.owner_unit_id == get_unit(session, unit).id)
    out = IntakeReport(on=on)
    per_unit: dict[str, UnitIntake] = {}
    for item in session.scalars(stmt):
        left: int | None = None
        if item.entered_on is not None:
            state = "on_time" if item.entered_on <= item.due_on else "late"
        else:
            result = cal.between(on, item.due_on)
            left = int(result.value)
            if result.warning and result.warning not in out.warnings:
                out.warnings.append(result.warning)
            state = "pending" if item.due_on >= on else "overdue"
        name = item.owner_unit.name
        out.rows.append(
            IntakeRow(
                item.id,
                item.title,
                item.doc_no,
                name,
                item.published_on,
                item.due_on,
                state,
                left,
                item.entry_id,
                item.entered_on,
                item.due_assumed,
            )
        )
        totals = per_unit.setdefault(name, UnitIntake(name))
        totals.total += 1
        setattr(totals, state, getattr(totals, state) + 1)
    out.units = sorted(per_unit.values(), key=lambda u: u.unit)
    return out
