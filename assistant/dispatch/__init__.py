"""Dispatch suggestions (智能派单) from the dispatch catalog (派单目录).

``Dispatcher.suggest(text, district=None, street=None, on=None)`` → the top 3 matters with
主办/协办 units, catalog row, basis, jurisdiction, score and why.
"""

from __future__ import annotations

import threading

from assistant.dispatch.catalog import Catalog, CatalogRow, default_catalog, load_catalog
from assistant.dispatch.suggest import Dispatcher, DispatchResult, Suggestion

__all__ = [
    "Catalog",
    "CatalogRow",
    "DispatchResult",
    "Dispatcher",
    "Suggestion",
    "default_catalog",
    "default_dispatcher",
    "load_catalog",
    "suggest",
]

_lock = threading.Lock()
_default: Dispatcher | None = None


def default_dispatcher(session=None) -> Dispatcher:
    """The process-wide dispatcher: shipped catalog, the KB's units and past outcomes.

    Built once (the catalog's embeddings are cached); call
    :meth:`Dispatcher.refresh_outcomes` after recording outcomes in a long-lived process.
    """
    global _default
    with _lock:
        if _default is None:
            from assistant.call_desk import default_embedder
            from assistant.dispatch.catalog import default_catalog_path
            from assistant.dispatch.learning import memory_from_session
            from assistant.jurisdiction import default_directory

            catalog = load_catalog(default_catalog_path(), default_directory(session))
            memory = memory_from_session(session) if session is not None else None
            _default = Dispatcher(catalog, embedder=default_embedder(), memory=memory)
    return _default


def suggest(
    text: str,
    district: str | None = None,
    street: str | None = None,
    on=None,
    *,
    category_code: str | None = None,
) -> DispatchResult:
    """The top 3 matters for ``text`` from the process-wide dispatcher (see :class:`Dispatcher`)."""
    return default_dispatcher().suggest(text, district, street, on, category_code=category_code)
