"""Session-level guards for the KB's promises, enforced on every flush.

* a version's content columns never change after insert;
* audit rows are never updated or deleted;
* entries and versions are never deleted (archive instead).

These are bugs if they ever fire, so they raise a plain RuntimeError (exit code 2).
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from kb.models import VERSION_CONTENT_FIELDS, AuditEvent, Entry, EntryVersion, SweepReview


@event.listens_for(Session, "before_flush")
def _guard(session: Session, _context, _instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, Entry | EntryVersion | AuditEvent | SweepReview):
            raise RuntimeError(f"{type(obj).__name__} rows are never deleted")
    for obj in session.dirty:
        if isinstance(obj, AuditEvent | SweepReview) and session.is_modified(obj):
            raise RuntimeError(f"{type(obj).__name__} rows are append-only")
        if isinstance(obj, EntryVersion):
            state = inspect(obj)
            changed = [
                name for name in VERSION_CONTENT_FIELDS if state.attrs[name].history.has_changes()
            ]
            if changed:
                raise RuntimeError(f"version content is immutable; tried to change {changed}")
