"""Work orders over HTTP: accepting a call, scope by unit, outcomes, history import."""

from __future__ import annotations

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
