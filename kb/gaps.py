"""Questions the KB could not answer (KB gaps), and the log of every question asked.

QA works through the gap list: each open gap is either resolved by an entry that now
answers it or dismissed. The ask log is what coverage is measured on (how much of real
call traffic the KB answers).

Questions come from callers and can hold personal data: they are stored ONLY masked
(irreversible placeholders). kb/ knows nothing about masking; callers hand in text that
``assistant.privacy`` has already masked, and the column names say so.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from kb import audit
from kb.actors import Actor
from kb.clock import utcnow
from kb.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from kb.models import Base, Role

GAP_STATUSES = ("open", "resolved", "dismissed")
GAP_STATUS_ZH = {"open": "待处理", "resolved": "已补充", "dismissed": "已忽略"}


class KbGap(Base):
    """One question the KB did not answer with confidence."""

    __tablename__ = "kb_gaps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asked_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    asked_for: Mapped[dt.date] = mapped_column(Date)  # the date the answer was sought for
    question_masked: Mapped[str] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(String(120), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="cli")
    best_score: Mapped[float | None] = mapped_column(Float)
    best_entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"))
    best_version_no: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    resolved_entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"))
    resolved_by: Mapped[str | None] = mapped_column(String(80))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(String(500), default="")


class AskLog(Base):
    """One question asked (masked), and whether and how well it was answered."""

    __tablename__ = "ask_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asked_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    asked_for: Mapped[dt.date] = mapped_column(Date)
    question_masked: Mapped[str] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(String(120), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="cli")
    answered: Mapped[bool] = mapped_column(Boolean, index=True)
    confidence: Mapped[float] = mapped_column(Float)
    top_entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"), index=True)
    top_version_no: Mapped[int | None] = mapped_column(Integer)
    gap_id: Mapped[int | None] = mapped_column(ForeignKey("kb_gaps.id"))


def record_ask(
    session: Session,
    *,
    question_masked: str,
    asked_for: dt.date,
    answered: bool,
    confidence: float,
    region: str | None = None,
    channel: str = "cli",
    top_entry_id: int | None = None,
    top_version_no: int | None = None,
) -> tuple[AskLog, KbGap | None]:
    """Log one question; an unanswered one also opens a KB gap (best guess kept for QA)."""
    gap = None
    if not answered:
        gap = KbGap(
            asked_for=asked_for,
            question_masked=question_masked,
            region=region,
            channel=channel,
            best_score=confidence,
            best_entry_id=top_entry_id,
            best_version_no=top_version_no,
            status="open",
            note="",
        )
        session.add(gap)
        session.flush()
    log = AskLog(
        asked_for=asked_for,
        question_masked=question_masked,
        region=region,
        channel=channel,
        answered=answered,
        confidence=confidence,
        top_entry_id=top_entry_id,
        top_version_no=top_version_no,
        gap_id=gap.id if gap else None,
    )
    session.add(log)
    session.flush()
    return log, gap


def list_gaps(
    session: Session,
    *,
    status: str | None = "open",
    region: str | None = None,
    limit: int = 200,
) -> list[KbGap]:
    """Gaps, newest first; ``status=None`` for every status."""
    stmt = select(KbGap).order_by(KbGap.id.desc()).limit(limit)
    if status is not None:
        if status not in GAP_STATUSES:
            raise InvalidInput(f"状态“{status}”无效，应为 {'、'.join(GAP_STATUSES)} 之一。")
        stmt = stmt.where(KbGap.status == status)
    if region:
        stmt = stmt.where(KbGap.region.startswith(region))
    return list(session.scalars(stmt))


def close_gap(
    session: Session,
    actor: Actor,
    gap_id: int,
    *,
    resolved_entry_id: int | None = None,
    note: str = "",
) -> KbGap:
    """Resolve a gap with the entry that now answers it, or dismiss it (no entry)."""
    if actor.role not in (Role.QA, Role.ADMIN, Role.REVIEWER, Role.MAINTAINER):
        raise PermissionDenied("只有质检员、维护员、审核员或管理员可以处理知识库缺口。")
    gap = session.get(KbGap, gap_id)
    if gap is None:
        raise NotFound(f"没有编号为 {gap_id} 的知识库缺口。")
    if gap.status != "open":
        raise Conflict(f"缺口 {gap_id} 已是“{GAP_STATUS_ZH[gap.status]}”状态。")
    if resolved_entry_id is None and not note.strip():
        raise InvalidInput("忽略缺口必须写明原因（如：不属于热线受理范围）。")
    if resolved_entry_id is not None:
        from kb.entries import get_entry

        get_entry(session, resolved_entry_id)
    gap.status = "resolved" if resolved_entry_id is not None else "dismissed"
    gap.resolved_entry_id = resolved_entry_id
    gap.resolved_by = actor.name
    gap.resolved_at = utcnow()
    gap.note = note.strip()[:500]
    audit.record(
        session,
        actor.name,
        f"gap.{gap.status}",
        entry_id=resolved_entry_id,
        gap_id=gap_id,
        note=gap.note,
    )
    return gap


def gap_dict(gap: KbGap) -> dict:
    """JSON form of a gap."""
    return {
        "id": gap.id,
        "asked_at": gap.asked_at,
        "asked_for": gap.asked_for,
        "question_masked": gap.question_masked,
        "region": gap.region,
        "channel": gap.channel,
        "best_score": gap.best_score,
        "best_entry_id": gap.best_entry_id,
        "best_version": gap.best_version_no,
        "status": gap.status,
        "status_zh": GAP_STATUS_ZH[gap.status],
        "resolved_entry_id": gap.resolved_entry_id,
        "resolved_by": gap.resolved_by,
        "resolved_at": gap.resolved_at,
        "note": gap.note,
    }
