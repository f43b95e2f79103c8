"""The quarterly sweep (季度巡检): every published entry confirmed, updated or archived.

Gansu 甘政办发〔2025〕69号 item (十一): "按季度开展热线知识库内容全覆盖巡检，督促承办单位清理
过期、失效内容". The report lists, per owner unit, entries that are

* ``expired`` — published but past expires_on;
* ``expiring`` — expiring within N days (settings.expiring_within_days, default 30);
* ``unreviewed`` — not confirmed, updated (a version published) or archived this quarter;
* ``abolished`` — resting on a policy that a newer one abolished or replaced, or marked
  superseded by another entry.

Completion per unit = entries handled this quarter ÷ entries in scope (published now, or
archived during the quarter).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, joinedload

from kb import audit, lifecycle
from kb.actors import Actor, check_can_edit
from kb.clock import china_date, quarter_bounds, quarter_of, utcnow
from kb.entries import get_entry, published_version
from kb.errors import Conflict, InvalidInput
from kb.models import Entry, EntryStatus, EntryVersion, PolicyRelation, SweepReview
from kb.settings import get_settings
from kb.units import get_unit

ISSUE_ZH = {
    "expired": "已过期",
    "expiring": "即将到期",
    "unreviewed": "本季度未巡检",
    "abolished": "依据已废止/被替代",
}


def _norm_title(text: str | None) -> str:
    return re.sub(r"[《》〈〉\s“”\"]", "", text or "")


@dataclass
class SweepItem:
    """One entry that needs its unit's attention, and why."""

    entry_id: int
    title: str
    unit: str
    kind: str
    version_no: int
    expires_on: dt.date | None
    issues: list[str]
    reasons: list[str]
    reviewed_this_quarter: bool


@dataclass
class UnitSweep:
    """Per-unit counts and completion."""

    unit: str
    in_scope: int = 0
    handled: int = 0
    expired: int = 0
    expiring: int = 0
    unreviewed: int = 0
    abolished: int = 0

    @property
    def completion_rate(self) -> float | None:
        """Handled ÷ in scope this quarter."""
        return round(self.handled / self.in_scope, 4) if self.in_scope else None


@dataclass
class SweepReport:
    """The sweep list of one quarter as of one day."""

    quarter: str
    on: dt.date
    items: list[SweepItem] = field(default_factory=list)
    units: list[UnitSweep] = field(default_factory=list)


def abolished_reasons(session: Session, entry: Entry, version: EntryVersion) -> list[str]:
    """Why this entry rests on an abolished or replaced policy (empty if it does not)."""
    reasons: list[str] = []
    if entry.superseded_by_id:
        reasons.append(f"已被条目 {entry.superseded_by_id} 替代")
    titles = {_norm_title(version.title), _norm_title(version.basis_title)} - {""}
    for rel in session.scalars(select(PolicyRelation)):
        if rel.entry_id == entry.id:
            continue
        hit = (rel.target_doc_no and rel.target_doc_no == version.doc_no) or (
            rel.target_title and _norm_title(rel.target_title) in titles
        )
        if hit:
            verb = "废止" if rel.relation == "abolishes" else "替代"
            target = rel.target_doc_no or f"《{rel.target_title}》"
            reasons.append(f"依据的{target}已被条目 {rel.entry_id} {verb}")
    return reasons


def report(
    session: Session, on: dt.date, *, quarter: str | None = None, unit: str | None = None
) -> SweepReport:
    """The sweep list for ``quarter`` (default: the quarter of ``on``)."""
    quarter = quarter or quarter_of(on)
    q_start, q_end = quarter_bounds(quarter)
    horizon = on + dt.timedelta(days=get_settings().expiring_within_days)
    reviewed = {
        row.entry_id: row
        for row in session.scalars(select(SweepReview).where(SweepReview.quarter == quarter))
    }
    stmt = (
        select(Entry)
        .options(joinedload(Entry.owner_unit))
        .where(
            (Entry.status == EntryStatus.PUBLISHED)
            | and_(Entry.status == EntryStatus.ARCHIVED, Entry.archived_at.is_not(None))
        )
        .order_by(Entry.id)
    )
    if unit:
        stmt = stmt.where(Entry.owner_unit_id == get_unit(session, unit).id)
    out = SweepReport(quarter=quarter, on=on)
    per_unit: dict[str, UnitSweep] = {}
    for entry in session.scalars(stmt).unique():
        totals = per_unit.setdefault(entry.owner_unit.name, UnitSweep(entry.owner_unit.name))
        if entry.status is EntryStatus.ARCHIVED:
            # archived during the quarter, or archived as this quarter's sweep outcome
            archived_day = china_date(entry.archived_at) if entry.archived_at else None
            if entry.id in reviewed or (archived_day and q_start <= archived_day <= q_end):
                totals.in_scope += 1
                totals.handled += 1
            continue
        version = published_version(session, entry)
        if version is None:
            continue
        totals.in_scope += 1
        published_day = china_date(version.published_at) if version.published_at else None
        handled = entry.id in reviewed or bool(published_day and q_start <= published_day <= q_end)
        totals.handled += handled
        issues, reasons = [], []
        if version.expires_on and version.expires_on < on:
            issues.append("expired")
            reasons.append(f"已于 {version.expires_on} 到期")
        elif version.expires_on and version.expires_on <= horizon:
            issues.append("expiring")
            reasons.append(f"将于 {version.expires_on} 到期")
        if not handled:
            issues.append("unreviewed")
        abolished = abolished_reasons(session, entry, version)
        if abolished:
            issues.append("abolished")
            reasons.extend(abolished)
        for issue in issues:
            setattr(totals, issue, getattr(totals, issue) + 1)
        if issues:
            out.items.append(
                SweepItem(
                    entry.id,
                    entry.title,
                    entry.owner_unit.name,
                    entry.kind.value,
                    version.version_no,
                    version.expires_on,
                    issues,
                    reasons,
                    handled,
                )
            )
    out.units = sorted(per_unit.values(), key=lambda u: u.unit)
    return out


def confirm(
    session: Session, actor: Actor, entry_id: int, on: dt.date, note: str = ""
) -> SweepReview:
    """Record that the owner unit checked this entry this quarter and it is still right."""
    entry = get_entry(session, entry_id)
    check_can_edit(actor, entry)
    if entry.status is not EntryStatus.PUBLISHED:
        raise Conflict(f"条目 {entry_id} 不是已发布状态，无需巡检确认。")
    version = published_version(session, entry)
    if version is not None and version.expires_on and version.expires_on < on:
        raise Conflict(
            f"条目 {entry_id} 已于 {version.expires_on} 到期，不能直接确认；请更新有效期后重新发布，或归档。"
        )
    quarter = quarter_of(on)
    existing = session.scalar(
        select(SweepReview).where(SweepReview.entry_id == entry_id, SweepReview.quarter == quarter)
    )
    if existing is not None:
        raise Conflict(
            f"条目 {entry_id} 在 {quarter} 已由{existing.reviewed_by}于 {existing.reviewed_on} 巡检。"
        )
    review = SweepReview(
        entry_id=entry_id,
        quarter=quarter,
        action="confirm",
        note=(note or "").strip(),
        reviewed_by=actor.name,
        reviewed_on=on,
    )
    session.add(review)
    audit.record(
        session,
        actor.name,
        "sweep.confirm",
        entry_id=entry_id,
        version_no=entry.published_version_no,
        quarter=quarter,
        note=note or None,
    )
    return review


def archive(session: Session, actor: Actor, entry_id: int, on: dt.date, reason: str) -> SweepReview:
    """Archive an entry as the outcome of the sweep."""
    if not (reason or "").strip():
        raise InvalidInput("归档必须写明原因。")
    lifecycle.archive(session, actor, entry_id, reason)
    review = SweepReview(
        entry_id=entry_id,
        quarter=quarter_of(on),
        action="archive",
        note=reason.strip(),
        reviewed_by=actor.name,
        reviewed_on=on,
        reviewed_at=utcnow(),
    )
    session.add(review)
    return review


def add_relation(
    session: Session,
    actor: Actor,
    entry_id: int,
    relation: str,
    *,
    target_title: str | None = None,
    target_doc_no: str | None = None,
    effective_on: dt.date | None = None,
) -> PolicyRelation:
    """Record that entry ``entry_id`` abolishes or replaces another policy."""
    if relation not in ("abolishes", "replaces"):
        raise InvalidInput("关系应为 abolishes（废止）或 replaces（替代）。")
    if not (target_title or target_doc_no):
        raise InvalidInput("请给出被废止/替代文件的标题或文号。")
    entry = get_entry(session, entry_id)
    check_can_edit(actor, entry)
    rel = PolicyRelation(
        entry_id=entry_id,
        relation=relation,
        target_title=_norm_title(target_title) or None,
        target_doc_no=target_doc_no,
        effective_on=effective_on,
    )
    session.add(rel)
    audit.record(
        session,
        actor.name,
        f"policy.{relation}",
        entry_id=entry_id,
        target_title=rel.target_title,
        target_doc_no=target_doc_no,
    )
    return rel
