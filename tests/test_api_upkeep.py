"""Intake and the quarterly sweep over HTTP: what each action changes, not only status codes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from kb.clock import quarter_of, today
from kb.models import Entry, EntryVersion
from tests.api_support import published_script
from tests.conftest import snapshot

pytest_plugins = ("tests.api_fixtures",)


def _published_last_quarter(api, title: str) -> int:
    """A YB script published 200 days ago: this quarter's sweep must deal with it."""
    entry_id = published_script(api, title=title)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=200)
    with api.db.session() as s:
        s.execute(
            update(EntryVersion)
            .where(EntryVersion.entry_id == entry_id)
            .values(published_at=long_ago)
        )
        s.execute(update(Entry).where(Entry.id == entry_id).values(published_at=long_ago))
    return entry_id


def _item(api, entry_id: int, user: str = "yb_editor") -> dict | None:
    items = api.get("/api/sweep", user, params={"unit": "SL-YB"}).json()["items"]
    return next((i for i in items if i["entry_id"] == entry_id), None)


def _yb(api) -> dict:
    units = api.get("/api/sweep", "qa01", params={"unit": "SL-YB"}).json()["units"]
    return next(u for u in units if u["unit"] == "示例市医疗保障局")


def test_confirm_counts_the_entry_as_swept_this_quarter(api) -> None:
    entry_id = _published_last_quarter(api, "医保卡补办")
    before = _item(api, entry_id)
    assert (before["issues"], before["reviewed_this_quarter"]) == (["unreviewed"], False)
    assert _yb(api)["handled"] == 0

    resp = api.post(f"/api/sweep/{entry_id}/confirm", "yb_editor", json={"note": "核对无误"})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {
        "entry_id": entry_id,
        "quarter": quarter_of(today()),
        "action": "confirm",
        "note": "核对无误",
        "reviewed_by": "yb_editor",
        "reviewed_on": today().isoformat(),
    }
    assert _item(api, entry_id) is None  # nothing left to do for it this quarter
    assert (_yb(api)["handled"], _yb(api)["completion_rate"]) == (1, 1.0)
    [event] = [e for e in api.get("/api/audit", "qa01").json() if e["action"] == "sweep.confirm"]
    assert (event["actor"], event["entry_id"]) == ("yb_editor", entry_id)

    again = api.post(f"/api/sweep/{entry_id}/confirm", "yb_editor", json={})
    assert (again.status_code, again.json()["error"]) == (409, "conflict")


def test_archive_takes_the_entry_out_and_counts_as_handled(api) -> None:
    entry_id = _published_last_quarter(api, "旧版医保报销比例")
    resp = api.post(f"/api/sweep/{entry_id}/archive", "yb_reviewer", json={"reason": "政策已废止"})
    assert resp.status_code == 200, resp.text
    assert (resp.json()["action"], resp.json()["note"], resp.json()["reviewed_by"]) == (
        "archive",
        "政策已废止",
        "yb_reviewer",
    )
    entry = api.get(f"/api/entries/{entry_id}", "op01").json()["entry"]
    assert (entry["status"], entry["status_zh"]) == ("archived", "已归档")
    assert api.get("/api/entries", "op01", params={"in_force": "true"}).json() == []
    assert _item(api, entry_id) is None
    assert _yb(api)["handled"] == 1


@pytest.mark.parametrize(
    ("user", "path", "body", "status"),
    [
        ("rs_editor", "confirm", {}, 403),  # another unit's entry
        ("qa01", "confirm", {}, 403),
        ("yb_editor", "archive", {"reason": " "}, 422),
        ("rs_editor", "archive", {"reason": "不需要了"}, 403),
    ],
)
def test_refused_sweep_actions_change_nothing(api, user, path, body, status) -> None:
    entry_id = _published_last_quarter(api, "医保卡补办")
    before = snapshot(api.db)
    resp = api.post(f"/api/sweep/{entry_id}/{path}", user, json=body)
    assert resp.status_code == status, resp.text
    assert snapshot(api.db) == before


def test_an_edit_from_the_sweep_list_shows_as_waiting_for_review(api) -> None:
    entry_id = _published_last_quarter(api, "医保卡补办")
    assert _item(api, entry_id)["pending_version"] is None
    resp = api.post(
        f"/api/entries/{entry_id}/versions",
        "yb_editor",
        json={"body": "医保卡可在各服务网点当场补办。", "note": "巡检：补办方式更新"},
    )
    assert resp.status_code == 201, resp.text
    draft = _item(api, entry_id)
    assert (draft["pending_version"], draft["pending_status_zh"]) == (2, "草稿")
    api.post(f"/api/entries/{entry_id}/submit", "yb_editor", json={})
    waiting = _item(api, entry_id)
    assert (waiting["pending_version"], waiting["pending_status"]) == (2, "in_review")
    assert "unreviewed" in waiting["issues"]  # it counts once the new version is published
    api.post(f"/api/entries/{entry_id}/approve", "yb_reviewer", json={})
    assert _item(api, entry_id) is None


def test_an_intake_item_without_doc_no_is_closed_by_the_entry_made_for_it(api) -> None:
    published_on = today() - dt.timedelta(days=1)
    item = api.post(
        "/api/intake",
        "yb_editor",
        json={
            "title": "门诊慢特病病种调整",
            "published_on": published_on.isoformat(),
            "owner_unit": "SL-YB",
        },
    ).json()
    assert (item["state"], item["doc_no"]) == ("pending", None)
    resp = api.post(
        "/api/entries",
        "yb_editor",
        json={
            "kind": "policy",
            "title": "门诊慢特病病种调整",
            "owner_unit": "示例市医疗保障局",
            "region": "示例市",
            "body": "新增门诊慢特病病种三种。",
            "intake_id": item["id"],
        },
    )
    assert resp.status_code == 201, resp.text
    [row] = [
        r for r in api.get("/api/intake", "yb_editor").json()["items"] if r["id"] == item["id"]
    ]
    assert (row["entry_id"], row["state"], row["entered_on"]) == (
        resp.json()["id"],
        "on_time",
        today().isoformat(),
    )
