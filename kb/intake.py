"""The intake clock: a newly published policy must be in the KB within N working days.

Gansu 甘政办发〔2025〕69号 item (十一): "政策信息自发布之日起，录入时间原则上不超过3个工作日".
Registering a policy starts its clock (due = published_on + N working days, N from
settings, default 3). The item is closed by the first entry created for it — linked
explicitly, or an entry of the same unit with the same 文号 — on the day it was entered
(录入) — or later by an edit that adds the 文号. On-time rate per unit = items entered by
their due date ÷ items that are done or overdue (items still within their deadline are not
counted yet).

A due date counted while the calendar lacked a year (the fallback rule, ``due_assumed``) is
recomputed as soon as the calendar knows that year: :func:`recompute` runs at the start of
every :func:`report`, so the list, the QA numbers and the API never show a stale guess,
and ``hotline intake recompute`` shows what moved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from kb import audit
from kb.actors import Actor, check_can_edit_unit
from kb.calendar import get_calendar
from kb.clock import china_date, require_date, today
from kb.docno import normalize_doc_no
from kb.errors import CalendarRangeError, Conflict, InvalidInput, NotFound
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
    now = today()
    if published > now:
        # the clock runs from publication; a policy not yet published has no deadline yet
        raise InvalidInput(
            f"发布日期 {published} 晚于今天（{now}）；请在政策正式发布后再登记，录入时限从发布日起算。"
        )
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
    """Every intake item's state on day ``on``, and per-unit totals.

    Assumed due dates the calendar can now count for real are recomputed first (and saved,
    audited), so the states below are never based on a stale fallback guess.
    """
    recompute(session)
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


@dataclass(frozen=True)
class Recomputed:
    """One due date that moved (or was confirmed) once the calendar knew the year."""

    id: int
    title: str
    old_due_on: dt.date
    new_due_on: dt.date


def recompute(session: Session, actor: str = "system") -> list[Recomputed]:
    """Recount every due date counted on the calendar fallback that can now be counted.

    An item stays assumed (unchanged) while any year it spans is still unknown, or when the
    calendar is strict and refuses that year. Returns the items settled.
    """
    cal = get_calendar()
    days = get_settings().intake_working_days
    settled: list[Recomputed] = []
    for item in session.scalars(
        select(IntakeItem).where(IntakeItem.due_assumed.is_(True)).order_by(IntakeItem.id)
    ):
        try:
            result = cal.add(item.published_on, days)
        except CalendarRangeError:
            continue
        if result.assumed_years:
            continue
        old = item.due_on
        item.due_on, item.due_assumed = result.value, False
        settled.append(Recomputed(item.id, item.title, old, item.due_on))
        audit.record(
            session,
            actor,
            "intake.recompute",
            intake_id=item.id,
            old_due_on=old.isoformat(),
            due_on=item.due_on.isoformat(),
        )
    if settled:
        session.flush()
    return settled


def has_item(session: Session, entry_id: int) -> bool:
    """True when some intake item is already closed by this entry."""
    return session.scalar(select(IntakeItem.id).where(IntakeItem.entry_id == entry_id)) is not None


def close_for_entry(
    session: Session,
    entry: Entry,
    doc_no: str | None,
    intake_id: int | None,
    actor: str,
) -> IntakeItem | None:
    """Close the intake item ``entry`` answers: given explicitly, or same unit and 文号.

    An explicit item must be open and belong to the entry's unit; without one, the unit's
    open item with the same (canonical) 文号 is closed, if there is one.
    """
    item: IntakeItem | None = None
    if intake_id is not None:
        item = session.get(IntakeItem, intake_id)
        if item is None:
            raise NotFound(f"没有编号为 {intake_id} 的待录入政策，可用 `hotline intake` 查看。")
        if item.entry_id is not None:
            raise Conflict(f"待录入政策 {intake_id} 已由条目 {item.entry_id} 录入。")
        if item.owner_unit_id != entry.owner_unit_id:
            raise Conflict(
                f"待录入政策 {intake_id} 由“{item.owner_unit.name}”负责录入，"
                f"不能由“{entry.owner_unit.name}”的条目关闭。"
            )
    elif doc_no:
        item = session.scalar(
            select(IntakeItem)
            .where(
                IntakeItem.doc_no == normalize_doc_no(doc_no),
                IntakeItem.owner_unit_id == entry.owner_unit_id,
                IntakeItem.entry_id.is_(None),
            )
            .order_by(IntakeItem.id)
        )
    if item is None:
        return None
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
    return item
