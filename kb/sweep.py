"""The quarterly sweep (季度巡检): every published entry confirmed, updated or archived.

Gansu 甘政办发〔2025〕69号 item (十一): "按季度开展热线知识库内容全覆盖巡检，督促承办单位清理
过期、失效内容". The report lists, per owner unit, entries that are

* ``expired`` — published but past expires_on;
* ``expiring`` — expiring within N days (settings.expiring_within_days, default 30);
* ``unreviewed`` — not confirmed, updated (a version published) or archived this quarter;
* ``abolished`` — resting on a policy that a newer one abolished or replaced, or marked
  superseded by another entry. Only a newer entry that is itself live (a published version
  in force on the report day, since the relation's effective date) counts: a draft that
  says it abolishes something changes nothing until it is published.

Completion per unit = entries handled this quarter ÷ entries in scope (published now, or
archived during the quarter). An entry that is expired on the report day is never handled:
it still needs an update or an archive, whatever happened earlier in the quarter.

A confirmation is dated: units confirm in the current quarter (only admins record one for
an earlier quarter, e.g. from a paper sweep), never in the future and never before the
entry was first published.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, joinedload

from kb import audit, lifecycle
from kb.actors import Actor, check_can_edit
from kb.clock import china_date, quarter_bounds, quarter_of, today, utcnow
from kb.docno import normalize_doc_no
from kb.errors import Conflict, InvalidInput
from kb.models import Entry, EntryStatus, EntryVersion, PolicyRelation, SweepReview
from kb.queries import get_entry, in_force, live_versions, published_version
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


@dataclass(frozen=True)
class LiveRelations:
    """The abolish/replace relations and supersessions that are in effect on one day.

    Loaded once per report: relations whose abolishing entry is live that day (and whose
    effective date has come), and the ids of live entries (for ``superseded_by``).
    """

    relations: list[PolicyRelation]
    live_ids: frozenset[int]

    @classmethod
    def load(cls, session: Session, on: dt.date) -> LiveRelations:
        """Everything :func:`abolished_reasons` needs for day ``on``, in two queries."""
        live_ids = frozenset(entry.id for entry, _ in in_force(session, on))
        relations = [
            rel
            for rel in session.scalars(select(PolicyRelation).order_by(PolicyRelation.id))
            if rel.entry_id in live_ids and (rel.effective_on is None or rel.effective_on <= on)
        ]
        return cls(relations, live_ids)


def abolished_reasons(
    session: Session,
    entry: Entry,
    version: EntryVersion,
    *,
    live: LiveRelations | None = None,
) -> list[str]:
    """Why this entry rests on an abolished or replaced policy (empty if it does not).

    ``live`` is what is in effect (default: loaded for today); a report loads it once.
    """
    live = live or LiveRelations.load(session, today())
    reasons: list[str] = []
    if entry.superseded_by_id and entry.superseded_by_id in live.live_ids:
        reasons.append(f"已被条目 {entry.superseded_by_id} 替代")
    titles = {_norm_title(version.title), _norm_title(version.basis_title)} - {""}
    for rel in live.relations:
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
    entries = list(session.scalars(stmt).unique())
    live = live_versions(session, entries)
    relations = LiveRelations.load(session, on)
    for entry in entries:
        totals = per_unit.setdefault(entry.owner_unit.name, UnitSweep(entry.owner_unit.name))
        if entry.status is EntryStatus.ARCHIVED:
            # archived during the quarter, or archived as this quarter's sweep outcome
            archived_day = china_date(entry.archived_at) if entry.archived_at else None
            if entry.id in reviewed or (archived_day and q_start <= archived_day <= q_end):
                totals.in_scope += 1
                totals.handled += 1
            continue
        version = live.get(entry.id)
        if version is None:
            continue
        totals.in_scope += 1
        published_day = china_date(version.published_at) if version.published_at else None
        expired = bool(version.expires_on and version.expires_on < on)
        handled = not expired and (
            entry.id in reviewed or bool(published_day and q_start <= published_day <= q_end)
        )
        totals.handled += handled
        issues, reasons = [], []
        if expired:
            issues.append("expired")
            reasons.append(f"已于 {version.expires_on} 到期")
        elif version.expires_on and version.expires_on <= horizon:
            issues.append("expiring")
            reasons.append(f"将于 {version.expires_on} 到期")
        if not handled:
            issues.append("unreviewed")
        abolished = abolished_reasons(session, entry, version, live=relations)
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
    """Record that the owner unit checked this entry on day ``on`` and it is still right.

    ``on`` must not be in the future nor before the entry was first published; outside
    the current quarter only an admin may record it (a sweep done on paper, entered late).
    """
    entry = get_entry(session, entry_id)
    check_can_edit(actor, entry)
    if entry.status is not EntryStatus.PUBLISHED:
        raise Conflict(f"条目 {entry_id} 不是已发布状态，无需巡检确认。")
    _check_review_day(session, actor, entry, on)
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


def _check_review_day(session: Session, actor: Actor, entry: Entry, on: dt.date) -> None:
    now = today()
    if on > now:
        raise InvalidInput(f"巡检日期 {on} 晚于今天（{now}），不能预先确认。")
    if quarter_of(on) != quarter_of(now) and not actor.is_admin:
        raise InvalidInput(
            f"巡检日期 {on} 不在本季度（{quarter_of(now)}）；只能确认本季度的巡检，"
            "补录以往季度请联系管理员。"
        )
    first = session.scalar(
        select(EntryVersion.published_at)
        .where(EntryVersion.entry_id == entry.id, EntryVersion.published_at.is_not(None))
        .order_by(EntryVersion.published_at)
        .limit(1)
    )
    if first is not None and on < china_date(first):
        raise InvalidInput(
            f"条目 {entry.id} 于 {china_date(first)} 首次发布，不能确认此前（{on}）的巡检。"
        )


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
    if entry.status is EntryStatus.ARCHIVED:
        raise Conflict(f"条目 {entry_id} 已归档，不能再登记废止/替代关系。")
    title = _norm_title(target_title) or None
    # the same canonical form versions store, so 示人社发[2026]8号 meets 示人社发〔2026〕8号
    doc_no = normalize_doc_no(target_doc_no)
    if title is None and doc_no is None:
        raise InvalidInput("请给出被废止/替代文件的标题或文号。")
    same = session.scalar(
        select(PolicyRelation).where(
            PolicyRelation.entry_id == entry_id,
            PolicyRelation.relation == relation,
            PolicyRelation.target_title.is_(None)
            if title is None
            else PolicyRelation.target_title == title,
            PolicyRelation.target_doc_no.is_(None)
            if doc_no is None
            else PolicyRelation.target_doc_no == doc_no,
        )
    )
    if same is not None:
        raise Conflict(f"条目 {entry_id} 已登记过这条关系（编号 {same.id}）。")
    rel = PolicyRelation(
        entry_id=entry_id,
        relation=relation,
        target_title=title,
        target_doc_no=doc_no,
        effective_on=effective_on,
    )
    session.add(rel)
    audit.record(
        session,
        actor.name,
        f"policy.{relation}",
        entry_id=entry_id,
        target_title=title,
        target_doc_no=doc_no,
        effective_on=effective_on.isoformat() if effective_on else None,
    )
    return rel
