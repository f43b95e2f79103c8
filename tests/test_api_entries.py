"""KB entry endpoints: the whole lifecycle over HTTP, the audit trail, and refusals."""

from __future__ import annotations

import datetime as dt

import pytest

import kb.clock
from tests.api_support import new_script, published_script
from tests.conftest import snapshot

pytest_plugins = ("tests.api_fixtures",)


def test_lifecycle_over_http_is_audited_as_the_token_users(api) -> None:
    entry_id = new_script(api, questions=["医保什么时候交"], doc_no="示医保发〔2026〕3号")
    assert api.get(f"/api/entries/{entry_id}", "op01").json()["entry"]["status"] == "draft"
    assert api.post(f"/api/entries/{entry_id}/submit", "yb_editor").json()["status"] == "in_review"
    approved = api.post(f"/api/entries/{entry_id}/approve", "yb_reviewer", json={"note": "同意"})
    assert approved.json()["status"] == "published"

    edited = api.post(
        f"/api/entries/{entry_id}/versions",
        "yb_editor",
        json={"body": "每年9月1日至12月31日缴纳次年费用。", "note": "明确起止日期", "submit": True},
    )
    assert edited.status_code == 201
    assert (edited.json()["version"], edited.json()["status"], edited.json()["questions"]) == (
        2,
        "in_review",
        ["医保什么时候交"],
    )
    # v1 stays live while v2 waits for review
    detail = api.get(f"/api/entries/{entry_id}", "op01").json()
    assert (detail["live"]["version"], detail["live"]["body"]) == (1, "每年9月至12月缴纳次年费用。")
    queue = api.get("/api/queue", "yb_reviewer").json()
    assert [(q["entry_id"], q["version"], q["can_review"]) for q in queue["in_review"]] == [
        (entry_id, 2, True)
    ]
    assert api.get("/api/queue", "yb_editor").json()["in_review"][0]["can_review"] is False

    assert (
        api.post(f"/api/entries/{entry_id}/approve", "center_reviewer").json()["status"]
        == "published"
    )
    diff = api.get(f"/api/entries/{entry_id}/diff", "qa01").json()
    assert diff == {
        "from_version": 1,
        "to_version": 2,
        "fields": [],
        "body": [
            {
                "op": "replace",
                "old": ["每年9月至12月缴纳次年费用。"],
                "new": ["每年9月1日至12月31日缴纳次年费用。"],
            }
        ],
        "counts": {"added": 0, "removed": 0, "changed": 1},
    }
    rolled = api.post(f"/api/entries/{entry_id}/rollback", "yb_reviewer", json={"to": 1})
    assert (rolled.json()["version"], rolled.json()["status"]) == (3, "published")
    versions = api.get(f"/api/entries/{entry_id}/versions", "op01").json()
    assert [(v["version"], v["status"]) for v in versions] == [
        (1, "superseded"),
        (2, "superseded"),
        (3, "published"),
    ]
    assert (
        api.get(f"/api/entries/{entry_id}/versions/3", "op01").json()["body"]
        == "每年9月至12月缴纳次年费用。"
    )
    archived = api.post(
        f"/api/entries/{entry_id}/archive", "yb_editor", json={"reason": "政策已废止"}
    )
    assert archived.json()["status"] == "archived"

    trail = [
        (a["actor"], a["action"], a["version"])
        for a in api.get(f"/api/entries/{entry_id}/audit", "qa01").json()
    ]
    assert trail == [
        ("yb_editor", "create", 1),
        ("yb_editor", "submit", 1),
        ("yb_reviewer", "approve", 1),
        ("yb_reviewer", "publish", 1),
        ("yb_editor", "edit", 2),
        ("yb_editor", "submit", 2),
        ("center_reviewer", "approve", 2),
        ("center_reviewer", "retire", 1),
        ("center_reviewer", "publish", 2),
        ("yb_reviewer", "rollback", 3),
        ("yb_reviewer", "retire", 2),
        ("yb_reviewer", "publish", 3),
        ("yb_editor", "archive", 3),
    ]


def test_list_filters(api) -> None:
    live = published_script(api)
    draft = new_script(api, title="门诊慢特病申请")
    other = new_script(api, "rs_editor", title="失业金申领", owner_unit="SL-RS")
    rows = api.get("/api/entries", "op01").json()
    assert [r["id"] for r in rows] == [other, draft, live]
    by_unit = api.get("/api/entries", "op01", params={"unit": "SL-YB", "status": "draft"}).json()
    assert [r["id"] for r in by_unit] == [draft]
    in_force = api.get("/api/entries", "op01", params={"in_force": "true"}).json()
    assert [(r["id"], r["status"]) for r in in_force] == [(live, "published")]
    titled = api.get("/api/entries", "op01", params={"q": "失业"}).json()
    assert [r["title"] for r in titled] == ["失业金申领"]


def test_expired_is_derived_on_the_asked_day(api) -> None:
    # published while in force (an expired version is never approved), whatever today is
    with kb.clock.frozen(dt.date(2026, 6, 1)):
        entry_id = published_script(api, effective_from="2026-01-01", expires_on="2026-12-31")
    on_last_day = api.get("/api/entries", "op01", params={"status": "expired", "on": "2026-12-31"})
    assert on_last_day.json() == []
    next_day = api.get(
        "/api/entries", "op01", params={"status": "expired", "on": "2027-01-01"}
    ).json()
    assert [(r["id"], r["status_zh"]) for r in next_day] == [(entry_id, "已过期")]


# each case: (user, method, path-template, json, status, error code, message)
REFUSALS = [
    (
        "yb_reviewer",
        "POST",
        "/api/entries/{id}/approve",
        {},
        409,
        "conflict",
        "第 1 版当前为“草稿”，不能审核通过（需为“待审核”）。",
    ),
    (
        "yb_editor",
        "POST",
        "/api/entries/{id}/reject",
        {"note": "  "},
        422,
        "invalid_input",
        "请求参数有误，请检查：note。",
    ),
    (
        "yb_editor",
        "POST",
        "/api/entries/{id}/versions",
        {"body": "每年9月至12月缴纳次年费用。", "note": "无变化"},
        422,
        "invalid_input",
        "内容与第 1 版完全相同，未创建新版本。",
    ),
    (
        "yb_editor",
        "POST",
        "/api/entries/{id}/versions",
        {"body": "新口径", "note": "并发修改", "base_version": 2},
        409,
        "conflict",
        "条目 {id} 已有第 1 版（yb_editor 修改），你是基于第 2 版编辑的；请刷新后在最新版本上修改。",
    ),
    (
        "yb_editor",
        "POST",
        "/api/entries/{id}/versions",
        {"effective_from": "2027-01-01", "expires_on": "2026-01-01", "note": "日期"},
        422,
        "invalid_input",
        "失效日期 2026-01-01 早于生效日期 2027-01-01，请核对有效期。",
    ),
    (
        "yb_editor",
        "POST",
        "/api/entries",
        {
            "kind": "script",
            "title": "城乡居民医保缴费",
            "owner_unit": "SL-YB",
            "region": "示例市",
            "body": "重复",
        },
        409,
        "conflict",
        "地区“示例市”已有同名条目“城乡居民医保缴费”（ID {id}，草稿），同一地区标题不能重复；如是同一事项请编辑原条目。",
    ),
    (
        "yb_editor",
        "POST",
        "/api/entries",
        {
            "kind": "script",
            "title": "新条目",
            "owner_unit": "SL-NOPE",
            "region": "示例市",
            "body": "x",
        },
        404,
        "not_found",
        "未知承办单位“SL-NOPE”，可用 GET /api/units 查看已登记的单位。",
    ),
    ("op01", "GET", "/api/entries/999", None, 404, "not_found", "没有 ID 为 999 的知识库条目。"),
    (
        "op01",
        "GET",
        "/api/entries/{id}/versions/7",
        None,
        404,
        "not_found",
        "条目 {id} 没有第 7 版（共 1 版）。",
    ),
    (
        "yb_editor",
        "POST",
        "/api/entries/{id}/rollback",
        {"to": 1},
        403,
        "forbidden",
        "只有审核员或管理员可以回滚已发布内容。",
    ),
    (
        "yb_editor",
        "POST",
        "/api/entries/{id}/publish",
        {},
        409,
        "conflict",
        "第 1 版尚未审核通过（当前“草稿”），不能发布；请先提交审核并由他人审核通过。",
    ),
    (
        "op01",
        "GET",
        "/api/entries",
        None,
        None,
        None,
        None,
    ),
]


@pytest.mark.parametrize(("user", "method", "path", "body", "status", "code", "message"), REFUSALS)
def test_refusals_are_clear_and_change_nothing(
    api, user, method, path, body, status, code, message
) -> None:
    entry_id = new_script(api)
    before = snapshot(api.db)
    resp = api.call(method, path.format(id=entry_id), user, json=body)
    if status is None:  # a read, for contrast: answers and changes nothing either
        assert resp.status_code == 200
    else:
        assert resp.status_code == status, resp.text
        assert resp.json()["error"] == code
        assert resp.json()["message"] == message.format(id=entry_id)
    assert snapshot(api.db) == before


def test_approving_ones_own_version_is_refused(api) -> None:
    entry_id = new_script(api, "yb_reviewer", submit=True)
    before = snapshot(api.db)
    resp = api.post(f"/api/entries/{entry_id}/approve", "yb_reviewer")
    assert resp.status_code == 403
    assert (
        resp.json()["message"] == "第 1 版由yb_reviewer本人编写，不能自己审核，请交由其他审核员。"
    )
    assert snapshot(api.db) == before


def test_edit_can_clear_a_field_with_null(api) -> None:
    entry_id = new_script(api, expires_on="2027-12-31", keywords=["医保"])
    resp = api.post(
        f"/api/entries/{entry_id}/versions",
        "yb_editor",
        json={"expires_on": None, "note": "改为长期有效"},
    )
    assert (resp.json()["expires_on"], resp.json()["keywords"]) == (None, ["医保"])


NO_ACTIONS = dict.fromkeys(("edit", "submit", "review", "publish", "archive", "rollback"), False)


@pytest.mark.parametrize(
    ("user", "allowed", "note"),
    [
        ("yb_editor", {"edit", "archive"}, "维护员yb_editor没有审核权限，需由审核员审核。"),
        ("yb_reviewer", {"edit", "archive", "review", "rollback"}, None),
        ("admin", {"edit", "archive", "review", "rollback"}, None),
        ("center_reviewer", {"review", "rollback"}, None),
        (
            "rs_reviewer",
            set(),
            "审核员rs_reviewer属于“示例市人力资源和社会保障局”，不能审核“示例市医疗保障局”的条目。",
        ),
        ("op01", set(), "话务员op01没有审核权限，需由审核员审核。"),
    ],
)
def test_entry_says_which_actions_the_caller_may_take(api, user, allowed, note) -> None:
    entry_id = published_script(api)
    api.post(
        f"/api/entries/{entry_id}/versions",
        "yb_editor",
        json={"body": "每年9月至12月缴纳。", "note": "改写", "submit": True},
    )
    can = api.get(f"/api/entries/{entry_id}", user).json()["can"]
    assert can == NO_ACTIONS | dict.fromkeys(allowed, True) | {"review_note": note}
    # what the page offers is what the server then accepts
    resp = api.post(f"/api/entries/{entry_id}/approve", user, json={})
    assert resp.status_code == (200 if can["review"] else 403), resp.text


def test_an_archived_entry_offers_nothing(api) -> None:
    entry_id = published_script(api)
    api.post(f"/api/entries/{entry_id}/archive", "yb_editor", json={"reason": "政策废止"})
    can = api.get(f"/api/entries/{entry_id}", "admin").json()["can"]
    assert can == NO_ACTIONS | {"review_note": None}
