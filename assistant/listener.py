"""The KB lifecycle listener that keeps the index in step (light to import).

Registered by every entry point that changes the KB (the CLI, the API server) through
:func:`enable_index_sync`. The heavy parts (model, llama-index) are imported only when an
index actually exists and an event arrives.

A process that changes the KB through ``kb.lifecycle`` without calling
:func:`enable_index_sync` first (a plain Python script) does not update the index: the
archived entry stays retrievable until ``hotline reindex``, and ``hotline check`` reports
it. kb/ must not import assistant/, so the fix belongs in ``kb.events``: load listeners
registered under the ``hotline.kb_listeners`` entry-point group (this module's
:func:`on_kb_event`) on the first event (docs/retrieval.md).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kb import events
from kb.models import Entry, EntryVersion


def on_kb_event(session: Session, kind: str, entry: Entry, version: EntryVersion | None) -> None:
    """Apply one lifecycle event to the index, if there is an index."""
    from assistant.index.store import index_exists

    if not index_exists():
        return  # nothing to keep in step; the first `ask` builds it from the KB
    from assistant.sync import apply_event

    apply_event(kind, entry, version)


def enable_index_sync() -> None:
    """Subscribe the index to KB lifecycle events (idempotent)."""
    events.subscribe(on_kb_event)


def disable_index_sync() -> None:
    """Stop following KB events."""
    events.unsubscribe(on_kb_event)
