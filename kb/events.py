"""Lifecycle events that derived stores (the vector index) follow.

kb/ knows nothing about vectors. The assistant subscribes a listener; lifecycle operations
emit events after the KB rows are flushed and *before* the transaction commits, so a failing
listener rolls the KB change back and the two never silently diverge. (The reverse case —
the index written, then the commit failing — is what ``hotline check``/``reindex`` repair.)

Event kinds:

* ``published`` — ``version`` is now the live version of ``entry`` (older ones retired);
* ``retired`` — ``entry`` is no longer retrievable at all (archived).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from kb.models import Entry, EntryVersion

Listener = Callable[[Session, str, Entry, EntryVersion | None], None]

_listeners: list[Listener] = []


def subscribe(listener: Listener) -> None:
    """Register a listener (idempotent)."""
    if listener not in _listeners:
        _listeners.append(listener)


def unsubscribe(listener: Listener) -> None:
    """Remove a listener if registered."""
    if listener in _listeners:
        _listeners.remove(listener)


def emit(session: Session, kind: str, entry: Entry, version: EntryVersion | None) -> None:
    """Tell every listener; exceptions propagate and abort the caller's transaction."""
    session.flush()
    for listener in list(_listeners):
        listener(session, kind, entry, version)
