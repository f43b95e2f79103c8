"""Tokens: issuing, hashing, revoking, expiry — and the 401/403 answers of the API."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from kb.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from kb.tokens import ApiToken, authenticate, create_token, hash_token, revoke_token
from tests.api_support import new_script
from tests.conftest import snapshot

pytest_plugins = ("tests.api_fixtures",)


def test_only_the_hash_is_stored(sample_db) -> None:
    with sample_db.session() as s:
        token, raw = create_token(s, "admin", "op01", expires_days=30, label="坐席 3 号机")
    assert raw.startswith("hd_") and len(raw) > 40
    with sample_db.session() as s:
        row = s.scalar(select(ApiToken).where(ApiToken.id == token.id))
        assert row.token_hash == hash_token(raw)
        assert raw not in {row.token_hash, row.hint, row.label}
        assert row.hint == raw[:10]
        assert authenticate(s, raw)[1].name == "op01"


@pytest.mark.parametrize(
    ("user", "days", "error", "message"),
    [
        ("nobody", None, NotFound, "未知用户“nobody”"),
        ("op01", 0, InvalidInput, "有效天数应在 1 到 3650 之间"),
        ("op01", 3651, InvalidInput, "有效天数应在 1 到 3650 之间"),
    ],
)
def test_create_refused(sample_db, user, days, error, message) -> None:
    before = snapshot(sample_db)
    with pytest.raises(error, match=message), sample_db.session() as s:
        create_token(s, "admin", user, expires_days=days)
    assert snapshot(sample_db) == before


def test_revoke_twice_is_a_conflict(sample_db) -> None:
    with sample_db.session() as s:
        token, raw = create_token(s, "admin", "op01")
    with sample_db.session() as s:
        revoke_token(s, "admin", token.id)
    with pytest.raises(Conflict, match="已于"), sample_db.session() as s:
        revoke_token(s, "admin", token.id)
    with pytest.raises(Unauthenticated, match="已被吊销"), sample_db.session() as s:
        authenticate(s, raw)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "缺少访问令牌：请在请求头中携带 Authorization: Bearer <令牌>。"),
        ("Bearer ", "缺少访问令牌：请在请求头中携带 Authorization: Bearer <令牌>。"),
        ("Basic YWRtaW46YWRtaW4=", "缺少访问令牌：请在请求头中携带 Authorization: Bearer <令牌>。"),
        (
            "Bearer hd_not-a-real-token",
            "访问令牌无效，请核对后重试，或请管理员用 `hotline token create` 重新签发。",
        ),
    ],
)
def test_missing_or_wrong_token_is_401(api, header, message) -> None:
    headers = {"Authorization": header} if header else {}
    resp = api.client.get("/api/entries", headers=headers)
    assert (resp.status_code, resp.headers["www-authenticate"]) == (401, "Bearer")
    assert resp.json() == {"error": "unauthenticated", "message": message, "details": []}


def test_revoked_and_expired_tokens_are_401(api, monkeypatch) -> None:
    with api.db.session() as s:
        revoked, revoked_raw = create_token(s, "admin", "op01")
        _, short_raw = create_token(s, "admin", "op01", expires_days=1)
    assert (
        api.client.get("/api/me", headers={"Authorization": f"Bearer {short_raw}"}).status_code
        == 200
    )
    with api.db.session() as s:
        revoke_token(s, "admin", revoked.id)
    resp = api.client.get("/api/me", headers={"Authorization": f"Bearer {revoked_raw}"})
    assert (resp.status_code, resp.json()["message"]) == (
        401,
        "访问令牌已被吊销，请向管理员申请新的令牌。",
    )
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1, minutes=1)
    monkeypatch.setattr("kb.tokens.utcnow", lambda: later)
    resp = api.client.get("/api/me", headers={"Authorization": f"Bearer {short_raw}"})
    assert (resp.status_code, resp.json()["message"]) == (
        401,
        "访问令牌已过期，请向管理员申请新的令牌。",
    )


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("op01", {"name": "op01", "role": "operator", "role_zh": "话务员", "unit": None}),
        ("qa01", {"name": "qa01", "role": "qa", "role_zh": "质检员", "unit": None}),
        (
            "yb_editor",
            {
                "name": "yb_editor",
                "role": "maintainer",
                "role_zh": "维护员",
                "unit": "示例市医疗保障局",
            },
        ),
        (
            "rs_reviewer",
            {
                "name": "rs_reviewer",
                "role": "reviewer",
                "role_zh": "审核员",
                "unit": "示例市人力资源和社会保障局",
            },
        ),
        ("admin", {"name": "admin", "role": "admin", "role_zh": "管理员", "unit": None}),
    ],
)
def test_me_is_the_token_user(api, user, expected) -> None:
    body = api.get("/api/me", user).json()
    assert {k: body[k] for k in expected} == expected


# (user, method, path, json) → status; entry 1 is yb_editor's draft (unit SL-YB)
ROLE_RULES = [
    ("op01", "GET", "/api/entries", None, 200),
    ("qa01", "GET", "/api/entries/1", None, 200),
    ("op01", "POST", "/api/entries/1/submit", {}, 403),
    ("qa01", "POST", "/api/entries/1/submit", {}, 403),
    ("rs_editor", "POST", "/api/entries/1/submit", {}, 403),
    ("rs_reviewer", "POST", "/api/entries/1/submit", {}, 403),
    ("yb_reviewer", "POST", "/api/entries/1/submit", {}, 200),
    ("op01", "POST", "/api/entries/1/archive", {"reason": "测试"}, 403),
    ("rs_editor", "POST", "/api/entries/1/archive", {"reason": "测试"}, 403),
    (
        "op01",
        "POST",
        "/api/intake",
        {"title": "某政策", "published_on": "2026-11-20", "owner_unit": "SL-YB"},
        403,
    ),
    (
        "rs_editor",
        "POST",
        "/api/intake",
        {"title": "某政策", "published_on": "2026-11-20", "owner_unit": "SL-YB"},
        403,
    ),
    (
        "yb_editor",
        "POST",
        "/api/intake",
        {"title": "某政策", "published_on": "2026-11-20", "owner_unit": "SL-YB"},
        201,
    ),
    ("op01", "GET", "/api/intake", None, 200),
    ("qa01", "GET", "/api/sweep", None, 200),
    ("op01", "POST", "/api/sweep/1/confirm", {}, 403),
]


@pytest.mark.parametrize(("user", "method", "path", "body", "status"), ROLE_RULES)
def test_role_rules(api, user, method, path, body, status) -> None:
    assert new_script(api) == 1
    before = snapshot(api.db)
    resp = api.call(method, path, user, json=body)
    assert resp.status_code == status, resp.text
    if status == 403:
        assert resp.json()["error"] == "forbidden"
        assert snapshot(api.db) == before


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ("op01", "此操作仅限管理员、维护员、审核员；当前令牌属于话务员op01。"),
        ("qa01", "此操作仅限管理员、维护员、审核员；当前令牌属于质检员qa01。"),
        (
            "rs_editor",
            "rs_editor属于“示例市人力资源和社会保障局”，不能维护“示例市医疗保障局”的条目（谁录入、谁负责：只能维护本单位条目）。",
        ),
    ],
)
def test_maintainer_cannot_reach_another_units_entry(api, user, message) -> None:
    entry_id = new_script(api)
    before = snapshot(api.db)
    resp = api.post(
        f"/api/entries/{entry_id}/versions", user, json={"body": "改写的口径。", "note": "越权修改"}
    )
    assert resp.status_code == 403
    assert resp.json() == {"error": "forbidden", "message": message, "details": []}
    assert snapshot(api.db) == before


def test_token_cli_create_list_revoke(sample_db, cli) -> None:
    created = cli("token", "create", "--user", "op01", "--expires", "7", "--json")
    assert created.code == 0, created.err
    data = created.json()
    assert (data["user"], data["role"], data["state"]) == ("op01", "operator", "active")
    listed = cli("token", "list", "--json").json()
    assert [(r["id"], r["user"], r["state"]) for r in listed] == [(data["id"], "op01", "active")]
    assert data["token"] not in cli("token", "list").out
    assert cli("token", "revoke", str(data["id"]), "--json").json()["state"] == "revoked"
    refused = cli("token", "create", "--user", "op01", "--as", "yb_editor")
    assert (refused.code, "只有管理员可以签发" in refused.err) == (1, True)
    with sample_db.session() as s, pytest.raises(Unauthenticated):
        authenticate(s, data["token"])
