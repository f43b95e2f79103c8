"""Work orders over HTTP: accepting a call, scope by unit, outcomes, history import, 办结, 并单, transfers."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import snapshot

pytestmark = pytest.mark.slow
pytest_plugins = ("tests.api_fixtures",)

CALL = "市民：你好，我租房住，想问问能不能提取公积金交房租？我叫王小明，电话13912345678。"
HISTORY_HEADER = "受理时间,诉求类型,诉求内容,主办单位,处理结果,处理原因"


@pytest.fixture(scope="module")
def order_no(desk) -> str:
    resp = desk.post("/api/orders", "op01", json={"text": CALL})
    assert resp.status_code == 201, resp.text
    return resp.json()["order"]["order_no"]


def test_accepted_call_is_stored_masked(desk, order_no) -> None:
    order = desk.get(f"/api/orders/{order_no}", "op01").json()
    assert (order["status"], order["lead_unit_code"], order["created_by"]) == (
        "open",
        "SL-GJJ",
        "op01",
    )
    assert "13912345678" not in order["summary_masked"] and "王小明" not in order["summary_masked"]
    assert order_no in [o["order_no"] for o in desk.get("/api/orders", "qa01").json()]


def test_a_repeat_call_is_flagged_for_merging(desk, order_no) -> None:
    again = desk.post("/api/orders", "op01", json={"text": CALL}).json()
    assert order_no in [d["order_no"] for d in again["duplicates"]]


def test_units_see_only_the_orders_they_lead(desk, order_no) -> None:
    assert order_no in [o["order_no"] for o in desk.get("/api/orders", "gjj_editor").json()]
    assert desk.get("/api/orders", "yb_editor").json() == []
    resp = desk.get(f"/api/orders/{order_no}", "yb_editor")
    assert (resp.status_code, resp.json()["error"]) == (404, "not_found")


@pytest.mark.parametrize(
    ("user", "body", "status", "message"),
    [
        ("gjj_editor", {"action": "reject"}, 422, "退单必须写明原因（如：不属于本单位职责）。"),
        (
            "gjj_editor",
            {"action": "reassign", "reason": "职责调整", "to_unit": "SL-RS"},
            403,
            "改派须经热线中心审核：只有热线中心审核员或管理员可以改派。",
        ),
        ("qa01", {"action": "confirm"}, 403, "qa01不是工单 {no} 主办单位的人员，不能签收或退单。"),
        ("gjj_editor", {"action": "archive"}, 422, "请求参数有误，请检查：action。"),
    ],
)
def test_refused_outcomes_change_nothing(desk, order_no, user, body, status, message) -> None:
    before = snapshot(desk.db)
    resp = desk.post(f"/api/orders/{order_no}/outcome", user, json=body)
    assert (resp.status_code, resp.json()["message"]) == (status, message.format(no=order_no))
    assert snapshot(desk.db) == before


def test_a_reject_is_recorded_and_learned(desk) -> None:
    created = desk.post(
        "/api/orders", "op01", json={"text": "市民：公积金租房提取每月能取多少钱？"}
    ).json()
    no = created["order"]["order_no"]
    resp = desk.post(
        f"/api/orders/{no}/outcome",
        "gjj_editor",
        json={"action": "reject", "reason": "不属于本单位职责"},
    )
    assert resp.status_code == 200, resp.text
    [outcome] = resp.json()["outcomes"]
    assert (outcome["action_zh"], outcome["actor"], outcome["reason"]) == (
        "退单",
        "gjj_editor",
        "不属于本单位职责",
    )
    dispatcher = desk.client.app.state.hotline.assistant.get("dispatcher")
    assert any(e.action == "reject" for e in dispatcher.memory.evidence)


def test_reasons_and_notes_over_http_are_masked(desk) -> None:
    """A unit's free text naming the citizen is masked before it is stored and audited."""
    created = desk.post("/api/orders", "op01", json={"text": "市民：公积金贷款额度怎么算？"})
    no = created.json()["order"]["order_no"]
    reason = "来电人柳德华13907316625说明不属于本单位职责"
    resp = desk.post(
        f"/api/orders/{no}/outcome", "gjj_editor", json={"action": "reject", "reason": reason}
    )
    assert resp.status_code == 200, resp.text
    [outcome] = resp.json()["outcomes"]
    assert "13907316625" not in outcome["reason"] and "柳德华" not in outcome["reason"]
    assert "不属于本单位职责" in outcome["reason"]
    note = "已电话告知柳德华（13907316625）办理流程"
    closed = desk.post(f"/api/orders/{no}/close", "center_reviewer", json={"note": note})
    assert closed.status_code == 200, closed.text
    audit = desk.get("/api/audit", "admin", params={"limit": 50}).json()
    texts = [str(e["detail"]) for e in audit if e["detail"].get("order_no") == no]
    assert texts and not any("13907316625" in t or "柳德华" in t for t in texts)


def test_history_import_is_all_or_nothing(desk) -> None:
    before = snapshot(desk.db)
    bad = "\n".join(
        [
            HISTORY_HEADER,
            "2026-10-08 09:30,咨询,公积金怎么提取,SL-GJJ,,",
            "2026-13-01,投票,路灯坏了,SL-NOPE,,",
        ]
    )
    resp = desk.post(
        "/api/orders/import", "admin", files={"file": ("orders.csv", bad.encode(), "text/csv")}
    )
    assert resp.status_code == 422
    assert resp.json()["details"] and all(d.startswith("第 3 行") for d in resp.json()["details"])
    assert snapshot(desk.db) == before
    good = "\n".join(
        [
            HISTORY_HEADER,
            "2026-10-08 09:30,咨询,公积金怎么提取,SL-GJJ,签收,",
            "2026-10-09,投诉,路灯坏了没人修,SL-GJJ,退单,不属于本单位职责",
        ]
    )
    resp = desk.post(
        "/api/orders/import", "admin", files={"file": ("orders.csv", good.encode(), "text/csv")}
    )
    assert (resp.status_code, resp.json()) == (
        200,
        {"file": "orders.csv", "imported": 2, "outcomes": 2},
    )
    refused = desk.post(
        "/api/orders/import", "yb_editor", files={"file": ("orders.csv", good.encode(), "text/csv")}
    )
    assert refused.status_code == 403


STREETLIGHT = (
    "市民：我家楼下的路灯坏了一个星期了，晚上黑漆漆的。我住东湖区湖滨街道翠湖小区，"
    "电话13800001111。"
)
FIRE = "市民：喂，12345吗？我们楼下着火了，好大的烟，我在西山区，你们快点！"


def _accept(desk, text: str) -> dict:
    resp = desk.post("/api/orders", "op01", json={"text": text})
    assert resp.status_code == 201, resp.text
    return resp.json()


def _utc(stamp: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    assert value.utcoffset() == dt.timedelta(0), stamp
    return value


def test_a_repeat_is_merged_into_the_open_order(desk) -> None:
    first = _accept(desk, STREETLIGHT)["order"]["order_no"]
    second = _accept(desk, STREETLIGHT)
    no = second["order"]["order_no"]
    [hint] = [d for d in second["duplicates"] if d["order_no"] == first]
    assert "同一来电号码" in hint["reasons"]
    _utc(hint["accepted_at"])  # timestamps carry their zone, like every other one
    listed = desk.get(f"/api/orders/{no}/duplicates", "op01").json()
    assert first in [d["order_no"] for d in listed]
    assert all(_utc(d["accepted_at"]) for d in listed)

    before = snapshot(desk.db)
    for user in ("gjj_editor", "qa01"):
        refused = desk.post(f"/api/orders/{no}/merge", user, json={"into": first})
        assert refused.status_code == 403, refused.text
    assert desk.post(f"/api/orders/{no}/merge", "op01", json={"into": no}).status_code == 422
    assert snapshot(desk.db) == before

    merged = desk.post(f"/api/orders/{no}/merge", "op01", json={"into": first})
    assert merged.status_code == 200, merged.text
    assert (merged.json()["status"], merged.json()["merged_into"]) == ("merged", first)
    _utc(merged.json()["closed_at"])
    again = desk.post(f"/api/orders/{no}/merge", "op01", json={"into": first})
    assert (again.status_code, again.json()["message"]) == (
        409,
        f"工单 {no} 当前为“已并单”，不能并单。",
    )
    # a merged order is no longer a candidate for the next repeat
    third = _accept(desk, STREETLIGHT)
    assert no not in [d["order_no"] for d in third["duplicates"]]
    assert first in [d["order_no"] for d in third["duplicates"]]


def test_duplicates_follow_the_order_scope(desk, order_no) -> None:
    resp = desk.get(f"/api/orders/{order_no}/duplicates", "yb_editor")
    assert (resp.status_code, resp.json()["error"]) == (404, "not_found")
    missing = desk.get("/api/orders/GD19990101000001/duplicates", "op01")
    assert missing.json()["message"] == "没有工单“GD19990101000001”，可用 GET /api/orders 查看。"


def test_closing_an_order(desk) -> None:
    no = _accept(desk, "市民：我想问一下公积金贷款最多能贷多少？")["order"]["order_no"]
    before = snapshot(desk.db)
    assert desk.post(f"/api/orders/{no}/close", "gjj_editor", json={}).status_code == 403
    assert snapshot(desk.db) == before
    closed = desk.post(f"/api/orders/{no}/close", "center_reviewer", json={"note": "已答复"})
    assert closed.status_code == 200, closed.text
    assert (closed.json()["status"], closed.json()["status_zh"]) == ("closed", "已办结")
    _utc(closed.json()["closed_at"])
    assert desk.post(f"/api/orders/{no}/close", "op01").status_code == 409
    late = desk.post(f"/api/orders/{no}/outcome", "gjj_editor", json={"action": "confirm"})
    assert late.status_code == 409
    [event] = [
        e
        for e in desk.get("/api/audit", "qa01", params={"actor": "center_reviewer"}).json()
        if e["action"] == "order.close" and e["detail"]["order_no"] == no
    ]
    assert event["detail"] == {"order_no": no, "note": "已答复"}


def test_a_transferred_call_is_recorded_not_dispatched(desk) -> None:
    created = _accept(desk, FIRE)
    order = created["order"]
    assert (order["transfer"], order["lead_unit"], order["catalog_row_id"]) == ("119", None, None)
    assert (order["status"], created["duplicates"]) == ("closed", [])
    assert order["due_on"] is None  # no unit has a time limit on a call the 119 took
    [event] = [
        e
        for e in desk.get("/api/audit", "admin", params={"limit": 20}).json()
        if e["action"] == "order.close" and e["detail"]["order_no"] == order["order_no"]
    ]
    assert event["detail"]["note"] == "已转接 119，无需派单"
    assert order["order_no"] not in [
        o["order_no"] for o in desk.get("/api/orders", "op01", params={"status": "open"}).json()
    ]
