"""Opening the configured index once per process, and rebuilding it safely.

Qdrant Edge is in-process and single-owner: the CLI opens it per command (closed at exit),
the API server keeps one open for its lifetime. ``HOTLINE_QDRANT_URL`` switches to a Qdrant
server (``:memory:`` gives qdrant-client's in-process mode, for tests and demos).
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from assistant.index.base import VectorIndex
from assistant.index.edge import EdgeIndex
from assistant.index.manifest import IndexManifest
from kb.errors import ServiceUnavailable
from kb.settings import Settings, get_settings

_lock = threading.RLock()
_open: dict[str, VectorIndex] = {}
_clients: dict[str, object] = {}


def _location(settings: Settings) -> str:
    if settings.qdrant_url:
        return f"qdrant:{settings.qdrant_url}#{settings.qdrant_collection}"
    return f"edge:{Path(settings.index_dir).resolve()}"


def _client(settings: Settings):
    """One qdrant-client per URL per process (``:memory:`` data lives in the client)."""
    from qdrant_client import QdrantClient

    url = settings.qdrant_url or ""
    client = _clients.get(url)
    if client is None:
        try:
            if url == ":memory:":
                client = QdrantClient(":memory:")
            else:
                client = QdrantClient(url=url, api_key=settings.qdrant_api_key, timeout=10)
        except Exception as exc:
            raise ServiceUnavailable(f"无法连接 Qdrant 服务 {url}：{exc}") from exc
        _clients[url] = client
    return client


def index_exists(settings: Settings | None = None) -> bool:
    """True if the configured index has been built (it may still be from another model)."""
    settings = settings or get_settings()
    with _lock:
        if _location(settings) in _open:
            return True
    if settings.qdrant_url:
        from assistant.index.server import QdrantServerIndex

        return QdrantServerIndex.exists(_client(settings), settings.qdrant_collection)
    return EdgeIndex.exists(Path(settings.index_dir))


def open_index(
    wanted: IndexManifest, settings: Settings | None = None, *, create: bool = False
) -> VectorIndex:
    """The configured index, opened once per process; refuses a different build."""
    settings = settings or get_settings()
    key = _location(settings)
    with _lock:
        index = _open.get(key)
        if index is not None:
            index.manifest.require_compatible(wanted, key)
            return index
        if settings.qdrant_url:
            from assistant.index.server import QdrantServerIndex

            index = QdrantServerIndex.open(
                _client(settings), settings.qdrant_collection, wanted, create=create
            )
        else:
            index = EdgeIndex.open(Path(settings.index_dir), wanted, create=create)
        _open[key] = index
        return index


def rebuild_index(
    manifest: IndexManifest,
    fill: Callable[[VectorIndex], None],
    settings: Settings | None = None,
) -> VectorIndex:
    """Build a fresh index with ``fill`` and put it in place of the old one.

    Edge: built in a sibling directory and swapped in only when complete, so a failed
    rebuild leaves the previous index untouched. Server: the collection is recreated.
    """
    settings = settings or get_settings()
    key = _location(settings)
    with _lock:
        old = _open.pop(key, None)
        if old is not None:
            old.close()
        if settings.qdrant_url:
            from assistant.index.server import QdrantServerIndex

            index: VectorIndex = QdrantServerIndex.create(
                _client(settings), settings.qdrant_collection, manifest
            )
            fill(index)
        else:
            target = Path(settings.index_dir)
            if EdgeIndex.exists(target):
                # take the old shard's lock first: never swap an index another process holds
                EdgeIndex._load(target / "shard").close()
            staging = target.with_name(target.name + ".building")
            building = EdgeIndex.create(staging, manifest)
            try:
                fill(building)
                building.optimize()
            finally:
                building.close()
            if target.exists():
                shutil.rmtree(target)
            staging.rename(target)
            index = EdgeIndex.open(target, manifest)
        _open[key] = index
        return index


def close_indexes() -> None:
    """Close every index this process opened (at exit, and between tests)."""
    with _lock:
        for index in _open.values():
            # closing at exit must not mask the error that got us here
            with contextlib.suppress(Exception):
                index.close()
        _open.clear()
        for client in _clients.values():
            with contextlib.suppress(Exception):
                client.close()  # type: ignore[attr-defined]
        _clients.clear()


atexit.register(close_indexes)
