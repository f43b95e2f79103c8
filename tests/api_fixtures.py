"""Fixtures for the HTTP API tests (load with ``pytest_plugins = ("tests.api_fixtures",)``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kb.db import Database
from tests.api_support import Api, issue_tokens


@pytest.fixture
def api(sample_db: Database) -> Iterator[Api]:
    """The app (KB endpoints; no assistant loaded) on a fresh sample KB."""
    from api.app import create_app

    tokens = issue_tokens(sample_db)
    with TestClient(create_app(load_assistant=False)) as client:
        yield Api(client, tokens, sample_db)
