"""Bad requests get the one JSON error shape, in Chinese, with the right status."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.error_handlers import describe_validation_error
from kb.settings import get_settings
from tests.api_support import issue_tokens
from tests.conftest import snapshot

pytest_plugins = ("tests.api_fixtures",)


@pytest.mark.parametrize(
    ("content", "status", "code", "message"),
    [
        (
            b'{"kind": "script",',
            400,
            "bad_json",
            "请求体不是有效的 JSON，请检查引号、逗号和括号是否配对。",
        ),
        (
            b"{'kind': 'script'}",
            400,
            "bad_json",
            "请求体不是有效的 JSON，请检查引号、逗号和括号是否配对。",
        ),
        (b"[1, 2]", 422, "invalid_input", "请求参数有误，请检查：请求体。"),
        (b'"just a string"', 422, "invalid_input", "请求参数有误，请检查：请求体。"),
    ],
)
def test_malformed_json(api, content, status, code, message) -> None:
    before = snapshot(api.db)
    resp = api.post(
        "/api/entries", "yb_editor", content=content, headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == status
    assert (resp.json()["error"], resp.json()["message"]) == (code, message)
    assert snapshot(api.db) == before


def test_validation_errors_list_every_field_in_chinese(api) -> None:
    resp = api.post(
        "/api/entries",
        "yb_editor",
        json={
            "kind": "memo",
            "title": "",
            "region": "示例市",
            "body": "正文",
            "expires_on": "明年",
            "submit": "maybe",
            "colour": "red",
        },
    )
    assert resp.status_code == 422
    assert resp.json() == {
        "error": "invalid_input",
        "message": "请求参数有误，请检查：title、expires_on、kind、owner_unit、submit、colour。",
        "details": [
            "请求体字段 title：不能为空",
            "请求体字段 expires_on：应为日期，如 2025-06-26",
            "请求体字段 kind：应为以下之一：policy、script、faq、notice",
            "请求体字段 owner_unit：缺少必填字段",
            "请求体字段 submit：应为 true 或 false",
            "请求体字段 colour：不认识的字段（请检查拼写）",
        ],
    }


@pytest.mark.parametrize(
    ("path", "message", "details"),
    [
        (
            "/api/entries/abc",
            "请求参数有误，请检查：entry_id。",
            ["路径参数字段 entry_id：应为整数"],
        ),
        (
            "/api/entries/0",
            "请求参数有误，请检查：entry_id。",
            ["路径参数字段 entry_id：应不小于 1"],
        ),
        (
            "/api/entries?limit=0",
            "请求参数有误，请检查：limit。",
            ["查询参数字段 limit：应不小于 1"],
        ),
        (
            "/api/entries?on=2026-02-30",
            "请求参数有误，请检查：on。",
            ["查询参数字段 on：应为日期，如 2025-06-26"],
        ),
        (
            "/api/sweep?quarter=2026Q5",
            "请求参数有误，请检查：quarter。",
            ["查询参数字段 quarter：格式不对"],
        ),
    ],
)
def test_bad_path_and_query_parameters(api, path, message, details) -> None:
    resp = api.get(path, "op01")
    assert resp.status_code == 422
    assert resp.json() == {"error": "invalid_input", "message": message, "details": details}


@pytest.mark.parametrize(
    ("method", "path", "status", "message"),
    [
        ("GET", "/api/nothing-here", 404, "没有这个地址，请查看 /docs 中的接口列表。"),
        ("DELETE", "/api/entries/1", 405, "该地址不支持此请求方法，请查看 /docs。"),
    ],
)
def test_unknown_paths_and_methods(api, method, path, status, message) -> None:
    resp = api.call(method, path, "admin")
    assert (resp.status_code, resp.json()["message"]) == (status, message)


def test_unexpected_errors_are_500_without_internals(api, monkeypatch, caplog) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internal detail 13800138000")

    monkeypatch.setattr("api.routes.directory.list_units", broken)
    client = TestClient(api.client.app, raise_server_exceptions=False)
    resp = client.get("/api/units", headers={"Authorization": f"Bearer {api.tokens['op01']}"})
    assert resp.status_code == 500
    assert resp.json() == {
        "error": "internal",
        "message": "服务器内部错误，操作未完成；请稍后重试，若持续出现请联系管理员。",
        "details": [],
    }
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "hotline.api")
    assert "RuntimeError on GET /api/units" in logged
    assert "13800138000" not in logged  # the message is logged masked


@pytest.fixture
def tiny_limit_api(sample_db, monkeypatch):
    """The app with a 1 KB request limit."""
    from api.app import create_app

    monkeypatch.setenv("HOTLINE_MAX_UPLOAD_MB", "0.001")
    get_settings.cache_clear()
    tokens = issue_tokens(sample_db, ("yb_editor",))
    with TestClient(create_app(assistant_parts=())) as client:
        yield client, tokens["yb_editor"], sample_db


def test_oversized_body_is_413_and_changes_nothing(tiny_limit_api) -> None:
    client, token, db = tiny_limit_api
    before = snapshot(db)
    body = {
        "kind": "script",
        "title": "长口径",
        "owner_unit": "SL-YB",
        "region": "示例市",
        "body": "很长" * 2000,
    }
    resp = client.post("/api/entries", json=body, headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 413
    assert resp.json() == {
        "error": "payload_too_large",
        "message": "上传内容超过大小上限 0.001 MB（HOTLINE_MAX_UPLOAD_MB），请拆分后重试。",
        "details": [],
    }
    assert snapshot(db) == before


def test_oversized_chunked_body_is_413(tiny_limit_api) -> None:
    client, token, db = tiny_limit_api
    before = snapshot(db)

    def chunks():
        yield b'{"kind": "script", "title": "x", "owner_unit": "SL-YB", "region": "r", "body": "'
        for _ in range(50):
            yield b"a" * 100
        yield b'"}'

    resp = client.post(
        "/api/entries",
        content=chunks(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert resp.status_code == 413
    assert resp.json()["error"] == "payload_too_large"
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("error", "line"),
    [
        ({"type": "missing", "loc": ("body", "title")}, "请求体字段 title：缺少必填字段"),
        (
            {"type": "string_too_long", "loc": ("body", "note"), "ctx": {"max_length": 500}},
            "请求体字段 note：过长（上限 500 字）",
        ),
        (
            {"type": "less_than_equal", "loc": ("query", "limit"), "ctx": {"le": 5000}},
            "查询参数字段 limit：应不大于 5000",
        ),
        ({"type": "something_new", "loc": ("body",), "msg": "odd"}, "请求体：值无效（odd）"),
    ],
)
def test_describe_validation_error(error, line) -> None:
    assert describe_validation_error(error) == line


@pytest.mark.parametrize(
    ("body", "details"),
    [
        (
            {"title": "x", "published_on": 0, "owner_unit": "SL-YB"},
            ["请求体字段 published_on：应为日期，如 2025-06-26"],
        ),
        (
            {"title": "x", "published_on": "0161-02-13", "owner_unit": "SL-YB"},
            ["请求体字段 published_on：应不小于 2000-01-01"],
        ),
        (
            {"title": " \t\u3000", "published_on": "2026-11-20", "owner_unit": "SL-YB"},
            ["请求体字段 title：不能为空"],
        ),
        (
            {"title": "x" * 301, "published_on": "2026-11-20", "owner_unit": "SL-YB"},
            ["请求体字段 title：过长（上限 300 字）"],
        ),
    ],
)
def test_boundary_values_are_refused_before_anything_runs(api, body, details) -> None:
    before = snapshot(api.db)
    resp = api.post("/api/intake", "yb_editor", json=body)
    assert (resp.status_code, resp.json()["details"]) == (422, details)
    assert snapshot(api.db) == before


def test_405_names_every_method_of_the_path(api) -> None:
    resp = api.call("PUT", "/api/intake", "yb_editor", json={})
    assert (resp.status_code, resp.headers["allow"]) == (405, "GET, POST")


def test_unknown_query_parameters_are_refused(api) -> None:
    resp = api.get("/api/entries", "op01", params={"stauts": "draft"})
    assert resp.status_code == 422
    assert resp.json()["message"] == (
        "不认识的查询参数：stauts；此接口支持：in_force、kind、limit、offset、on、q、region、status、unit。"
    )
    assert api.get("/", params={"next": "/kb"}).status_code == 200  # pages keep their own


@pytest.mark.parametrize("unit", ["³", "99999999999999999999", "٣"])
def test_digit_lookalike_units_are_not_found_not_a_crash(api, unit) -> None:
    resp = api.post(
        "/api/intake",
        "admin",
        json={"title": "某政策", "published_on": "2026-11-20", "owner_unit": unit},
    )
    assert (resp.status_code, resp.json()["error"]) == (404, "not_found")


def test_405_on_a_literal_path_ignores_templated_neighbours(api) -> None:
    # /api/orders/import is not /api/orders/{order_no}: only POST is served there
    resp = api.call("PUT", "/api/orders/import", "admin")
    assert (resp.status_code, resp.headers["allow"]) == (405, "POST")


def test_docs_work_offline(api) -> None:
    page = api.client.get("/docs")
    assert page.status_code == 200
    assert '"/docs-static/swagger-ui-bundle.js"' in page.text
    assert "cdn" not in page.text.lower()
    assert api.client.get("/docs-static/swagger-ui-bundle.js").status_code == 200
    assert api.client.get("/openapi.json").json()["info"]["title"] == "Hotline Desk API"


@pytest.mark.parametrize("path", ["/", "/desk", "/kb", "/qa"])
def test_pages_allow_only_their_own_scripts(api, path) -> None:
    resp = api.client.get(path)
    assert resp.status_code == 200
    assert "script-src 'self'" in resp.headers["content-security-policy"]
    assert "<script>" not in resp.text  # no inline script for the policy to have to allow


@pytest.mark.parametrize(
    ("message", "for_http"),
    [
        (
            "导入失败：2 行有错误，未导入任何内容（可用 --skip-invalid 只导入正确的行）。",
            "导入失败：2 行有错误，未导入任何内容（可设 skip_invalid=true 只导入正确的行）。",
        ),
        (
            "只有管理员可以在导入时直接发布（--publish）；请去掉该选项，导入后走审核流程。",
            "只有管理员可以在导入时直接发布（publish=true）；请不要设置 publish，导入后走审核流程。",
        ),
        (
            "未知承办单位“SL-X”，可用 `hotline unit list` 查看已登记的单位。",
            "未知承办单位“SL-X”，可用 GET /api/units 查看已登记的单位。",
        ),
        (
            "没有工单“GD1”，可用 `hotline orders list` 查看。",
            "没有工单“GD1”，可用 GET /api/orders 查看。",
        ),
        (
            "检索索引与当前配置不一致，请运行 `hotline reindex` 按当前配置重建索引。",
            "检索索引与当前配置不一致，请管理员调用 POST /api/reindex 按当前配置重建索引。",
        ),
        ("改派必须指定新的主办单位（--to）。", "改派必须指定新的主办单位（to_unit）。"),
        ("文件 /tmp/hotline-upload-3ou0d9dd/rand.csv：不是文本文件", "文件 rand.csv：不是文本文件"),
        ("“/var/tmp/hotline-ingest-x_1/政策.pdf”超过大小上限", "“政策.pdf”超过大小上限"),
        (
            "访问令牌无效，请管理员用 `hotline token create` 重新签发。",
            "访问令牌无效，请管理员用 `hotline token create` 重新签发。",
        ),
    ],
)
def test_cli_advice_is_rewritten_for_http_clients(message, for_http) -> None:
    from api.error_handlers import for_http as rewrite

    assert rewrite(message) == for_http
