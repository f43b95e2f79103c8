"""Administration while the server holds the index: check, reindex, and the global audit log."""

from __future__ import annotations

import pytest

from tests.api_support import published_script

pytest_plugins = ("tests.api_fixtures",)


def test_the_audit_log_lists_every_write_newest_first(api) -> None:
    entry_id = published_script(api)
    api.post(f"/api/entries/{entry_id}/archive", "yb_editor", json={"reason": "政策废止"})
    events = api.get("/api/audit", "qa01", params={"limit": 3}).json()
    assert [(e["action"], e["actor"], e["entry_id"]) for e in events][:1] == [
        ("archive", "yb_editor", entry_id)
    ]
    assert len(events) == 3
    latest = events[0]
    assert (latest["action_zh"], latest["from_status_zh"], latest["to_status_zh"]) == (
        "归档",
        "已发布",
        "已归档",
    )
    assert [e["id"] for e in events] == sorted((e["id"] for e in events), reverse=True)
    mine = api.get("/api/audit", "admin", params={"actor": "yb_reviewer"}).json()
    assert mine and {e["actor"] for e in mine} == {"yb_reviewer"}
    assert any(e["action"] == "approve" and e["entry_id"] == entry_id for e in mine)


@pytest.mark.parametrize(
    ("user", "method", "path", "status"),
    [
        ("op01", "GET", "/api/audit", 403),
        ("yb_reviewer", "GET", "/api/audit", 403),
        ("qa01", "GET", "/api/check", 403),
        ("yb_reviewer", "POST", "/api/reindex", 403),
        (None, "POST", "/api/reindex", 401),
        ("admin", "GET", "/api/check", 503),  # this app was started without the retrieval part
        ("admin", "POST", "/api/reindex", 503),
    ],
)
def test_admin_routes_are_refused_to_others(api, user, method, path, status) -> None:
    assert api.call(method, path, user).status_code == status


@pytest.mark.slow
def test_check_finds_a_damaged_index_and_reindex_repairs_it(desk) -> None:
    ok = desk.get("/api/check", "admin").json()
    assert (ok["ok"], ok["differences"], ok["advice"]) == (True, [], None)
    assert ok["kb_entries"] == ok["index_entries"] > 0

    entry = desk.get("/api/entries", "op01", params={"q": "新生儿落户办理"}).json()[0]
    runtime = desk.client.app.state.hotline.assistant.get("retrieval")
    runtime.index().delete_entries([entry["id"]])  # what a crash between KB and index leaves
    damaged = desk.get("/api/check", "admin").json()
    assert damaged["ok"] is False
    assert {(d["kind"], d["entry_id"]) for d in damaged["differences"]} >= {
        ("missing", entry["id"])
    }
    assert damaged["advice"] == "请用 POST /api/reindex 按知识库重建索引。"

    rebuilt = desk.post("/api/reindex", "admin")
    assert rebuilt.status_code == 200, rebuilt.text
    assert rebuilt.json()["entries"] == ok["kb_entries"]
    assert rebuilt.json()["index"]["dim"] == 384
    assert desk.get("/api/check", "admin").json()["ok"] is True
    answer = desk.post(
        "/api/ask", "op01", json={"question": "孩子刚出生怎么上户口", "record": False}
    ).json()
    assert answer["suggestions"][0]["entry_id"] == entry["id"]
    [event] = [e for e in desk.get("/api/audit", "qa01").json() if e["action"] == "index.rebuild"]
    assert (event["actor"], event["detail"]["entries"]) == ("admin", ok["kb_entries"])
