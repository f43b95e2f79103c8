"""Fixtures for the retrieval tests (loaded with ``pytest_plugins``): the index following a
sample KB, on either engine, with the fast hashing embedder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.listener import disable_index_sync, enable_index_sync
from assistant.runtime import reset_runtimes
from kb.db import Database
from kb.settings import get_settings


@pytest.fixture(params=["edge", "qdrant"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test on Qdrant Edge and on qdrant-client's in-process server mode."""
    if request.param == "qdrant":
        monkeypatch.setenv("HOTLINE_QDRANT_URL", ":memory:")
    else:
        monkeypatch.delenv("HOTLINE_QDRANT_URL", raising=False)
    return request.param


@pytest.fixture
def fast_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """The deterministic hashing embedder (never calibrated: the lexical decision decides)."""
    monkeypatch.setenv("HOTLINE_EMBED_MODEL", "hashing")
    monkeypatch.delenv("HOTLINE_ANSWER_THRESHOLD", raising=False)


@pytest.fixture
def retrieval_db(sample_db: Database, hotline_home: Path) -> Iterator[Database]:
    """The sample KB with the index following lifecycle events; runtimes reset around it."""
    from assistant.listener import on_kb_event
    from kb import events

    was_following = on_kb_event in events._listeners  # leave the process as we found it
    get_settings.cache_clear()
    reset_runtimes()
    enable_index_sync()
    yield sample_db
    if not was_following:
        disable_index_sync()
    reset_runtimes()
