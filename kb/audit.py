"""Writing and reading the append-only audit log."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.models import AuditEvent


def record(
    session: Session,
    actor: str,
    action: str,
    *,
    entry_id: int | None = None,
    version_no: int | None = None,
    from_version_no: int | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    **detail: object,
) -> AuditEvent:
    """Append one audit event in the caller's transaction."""
    event = AuditEvent(
        actor=actor,
        action=action,
        entry_id=entry_id,
        version_no=version_no,
        from_version_no=from_version_no,
        from_status=from_status,
        to_status=to_status,
        detail={k: v for k, v in detail.items() if v is not None},
    )
    session.add(event)
    return event


def events_for(session: Session, entry_id: int) -> list[AuditEvent]:
    """Every audit event of one entry, oldest first."""
    stmt = select(AuditEvent).where(AuditEvent.entry_id == entry_id).order_by(AuditEvent.id)
    return list(session.scalars(stmt))


def recent(session: Session, limit: int = 100, actor: str | None = None) -> list[AuditEvent]:
    """The newest audit events, optionally of one actor."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if actor:
        stmt = stmt.where(AuditEvent.actor == actor)
    return list(session.scalars(stmt))
