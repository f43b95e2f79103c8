"""Plain-dict views of KB rows, shared by the CLI's ``--json`` and the HTTP API."""

from __future__ import annotations

import datetime as dt

from kb.labels import KIND_ZH, STATUS_ZH, action_zh, status_zh
from kb.models import AuditEvent, Entry, EntryVersion
from kb.queries import EntryFilter, display_status, in_force, list_entries, live_versions


def version_dict(version: EntryVersion, *, body: bool = True) -> dict:
    """One version: content, validity, and lifecycle stamps."""
    out = {
        "entry_id": version.entry_id,
        "version": version.version_no,
        "status": version.status.value,
        "status_zh": STATUS_ZH[version.status.value],
        "title": version.title,
        "questions": list(version.questions or []),
        "basis_title": version.basis_title,
        "doc_no": version.doc_no,
        "basis_clause": version.basis_clause,
        "issuer": version.issuer,
        "published_on": version.published_on,
        "category": version.category,
        "keywords": list(version.keywords or []),
        "effective_from": version.effective_from,
        "expires_on": version.expires_on,
        "change_note": version.change_note,
        "previous_version": version.previous_version_no,
        "author": version.author,
        "created_at": version.created_at,
        "submitted_by": version.submitted_by,
        "reviewed_by": version.reviewed_by,
        "reviewed_at": version.reviewed_at,
        "review_note": version.review_note,
        "published_by": version.published_by,
        "published_at": version.published_at,
        "retired_at": version.retired_at,
        "content_hash": version.content_hash,
        "source_file": version.source_file,
        "source_sha256": version.source_sha256,
        "meta": dict(version.meta or {}),
    }
    if body:
        out["body"] = version.body
    return out


def entry_dict(entry: Entry, live: EntryVersion | None, day: dt.date) -> dict:
    """One entry as a list row: identity, owner, state on ``day`` and live validity."""
    status = display_status(entry, live, day)
    return {
        "id": entry.id,
        "kind": entry.kind.value,
        "kind_zh": KIND_ZH[entry.kind],
        "title": entry.title,
        "region": entry.region,
        "owner_unit": entry.owner_unit.name,
        "owner_unit_code": entry.owner_unit.code,
        "status": status,
        "status_zh": STATUS_ZH[status],
        "latest_version": entry.latest_version_no,
        "published_version": entry.published_version_no,
        "effective_from": live.effective_from if live else None,
        "expires_on": live.expires_on if live else None,
        "doc_no": live.doc_no if live else None,
        "maintainer": entry.maintainer,
        "reviewer": entry.reviewer,
        "superseded_by": entry.superseded_by_id,
        "created_at": entry.created_at,
        "published_at": entry.published_at,
        "archived_at": entry.archived_at,
    }


def entry_rows(session, day: dt.date, flt: EntryFilter, *, in_force_only: bool) -> list[dict]:
    """The entry list as CLI and API show it: every entry in force on ``day`` (the filters
    do not apply then), or the entries matching ``flt``, newest first, each with its live
    version's validity judged on ``day``."""
    if in_force_only:
        return [entry_dict(e, v, day) for e, v in in_force(session, day)]
    entries = list_entries(session, flt)
    live = live_versions(session, entries)
    return [entry_dict(e, live.get(e.id), day) for e in entries]


def audit_dict(event: AuditEvent) -> dict:
    """One audit event."""
    return {
        "id": event.id,
        "at": event.at,
        "actor": event.actor,
        "action": event.action,
        "action_zh": action_zh(event.action),
        "entry_id": event.entry_id,
        "version": event.version_no,
        "from_version": event.from_version_no,
        "from_status": event.from_status,
        "from_status_zh": status_zh(event.from_status),
        "to_status": event.to_status,
        "to_status_zh": status_zh(event.to_status),
        "detail": dict(event.detail or {}),
    }
