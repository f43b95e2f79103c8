"""Helpers for the HTTP API tests: a client acting as a sample user, tokens, sample entries.

The fixtures themselves are in tests/api_fixtures.py (``pytest_plugins``).
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from fastapi.testclient import TestClient

from kb.db import Database

SAMPLE_USERS = (
    "admin",
    "center_reviewer",
    "op01",
    "qa01",
    "rs_editor",
    "rs_reviewer",
    "yb_editor",
    "yb_reviewer",
    "gjj_editor",
    "gjj_reviewer",
)


@dataclass
class Api:
    """A test client that sends requests as a named sample user."""

    client: TestClient
    tokens: dict[str, str]
    db: Database

    def call(
        self, method: str, path: str, user: str | None = None, **kwargs: object
    ) -> httpx.Response:
        """One request with ``user``'s bearer token (no token when user is None)."""
        headers = dict(kwargs.pop("headers", None) or {})
        if user is not None:
            headers["Authorization"] = f"Bearer {self.tokens[user]}"
        return self.client.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, user: str | None = None, **kwargs: object) -> httpx.Response:
        """GET as ``user``."""
        return self.call("GET", path, user, **kwargs)

    def post(self, path: str, user: str | None = None, **kwargs: object) -> httpx.Response:
        """POST as ``user``."""
        return self.call("POST", path, user, **kwargs)


def issue_tokens(db: Database, users: tuple[str, ...] = SAMPLE_USERS) -> dict[str, str]:
    """A fresh token for each user."""
    from kb.tokens import create_token

    with db.session() as session:
        return {name: create_token(session, "admin", name)[1] for name in users}


def new_script(api: Api, user: str = "yb_editor", **fields: object) -> int:
    """Create a script entry through the API; returns its id."""
    body = {
        "kind": "script",
        "title": "城乡居民医保缴费",
        "owner_unit": "SL-YB",
        "region": "示例市",
        "body": "每年9月至12月缴纳次年费用。",
        **fields,
    }
    resp = api.post("/api/entries", user, json=body)
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


def published_script(api: Api, **fields: object) -> int:
    """A script written by yb_editor and approved (published) by yb_reviewer."""
    entry_id = new_script(api, submit=True, **fields)
    resp = api.post(f"/api/entries/{entry_id}/approve", "yb_reviewer", json={})
    assert resp.status_code == 200, resp.text
    return entry_id
