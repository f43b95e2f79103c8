"""The three screens in a real browser: operator desk, KB maintenance, QA dashboard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]
pytest_plugins = ("tests.api_fixtures",)

NEWBORN = "坐席：您好，12345。\n市民：你好，我家孩子刚出生，怎么给他上户口啊？我住东湖区湖滨街道。"
FIRE = "市民：喂，我们楼下着火了，烟好大！"


def type_call(page, text: str) -> None:
    """Type into the conversation box the way an operator does (keystroke by keystroke)."""
    page.click("#conversation")
    page.keyboard.type(text, delay=15)


def test_operator_types_a_question_and_sees_the_answer_and_source(page, live_server) -> None:
    login(page, live_server, "op01", "/desk")
    type_call(page, NEWBORN)
    answer = page.locator("#answers li").first
    answer.wait_for()
    assert answer.locator(".answer-text").inner_text().startswith("新生儿出生后一个月内")
    source = answer.locator(".source").inner_text()
    assert "新生儿落户办理" in source and "示例市公安局" in source and "有效期至：长期" in source
    # the pre-filled order shows what the caller said and flags what is still missing
    assert page.locator('#order dd[data-field="district"]').inner_text() == "东湖区"
    assert page.locator('#order dd[data-field="caller_name"]').get_attribute("class") == "missing"
    assert "还需询问" in page.inner_text("#missing")
    screenshot(page, "desk")
    # Alt+1 copies the first answer (the toast confirms it)
    page.keyboard.press("Alt+1")
    page.locator("#toast .msg", has_text="已复制第 1 条").wait_for()


def test_fire_call_raises_the_119_alarm_and_is_not_dispatched(page, live_server) -> None:
    failed = []
    page.on("requestfailed", lambda r: failed.append(f"{r.method} {r.url} {r.failure}"))
    login(page, live_server, "op01", "/desk")
    type_call(page, FIRE)
    alarm = page.locator('.alarm[data-target="119"]')
    alarm.wait_for()
    assert "请立即转接 119" in alarm.inner_text()
    assert "请说：" in alarm.inner_text()
    box = alarm.bounding_box()
    assert box is not None and box["width"] > 1000  # full width: cannot be missed
    # no unit to dispatch to: the desk says so, and folds the suggestions away (recoverably)
    note = page.locator('#dispatch .transfer-note[data-transfer="119"]')
    note.wait_for()
    assert "已转 119，无需派单" in note.inner_text()
    assert page.locator("#dispatch .dispatch-item").count() == 0
    assert page.locator("#answers li").count() == 0
    assert "已收起" in page.inner_text("#answer-status")
    screenshot(page, "desk-alarm")
    page.locator("#dispatch button.unfold").click()
    page.locator("#dispatch .dispatch-item").first.wait_for()
    page.keyboard.press("Alt+S")  # accepting records the transfer, nothing is dispatched
    page.locator("#toast .msg", has_text="已转 119，无需派单，工单已办结").wait_for()
    page.keyboard.press("Alt+N")  # a new call clears the alarm
    page.locator(".alarm").wait_for(state="detached")
    page.wait_for_load_state("networkidle")  # the call's final (logging) request completed
    assert failed == []


def test_a_repeat_call_is_merged_from_the_desk(page, live_server) -> None:
    call = "市民：我家楼下的路灯坏了一个星期了，我住东湖区湖滨街道，电话13800002222。"
    login(page, live_server, "op01", "/desk")
    for _ in range(2):
        page.keyboard.press("Alt+N")
        type_call(page, call)
        page.locator("#dispatch .dispatch-item").first.wait_for()
        page.keyboard.press("Alt+S")
        page.locator("#toast .msg", has_text="已受理工单").last.wait_for()
    merge = page.locator("#duplicates button.merge").first
    merge.wait_for()
    into = merge.get_attribute("data-into")
    page.keyboard.press("Alt+M")
    page.locator("#duplicates", has_text=f"已并入 {into}").wait_for()


def test_maintainer_edits_reviewer_approves_operator_gets_new_text(page, live_server) -> None:
    new_text = "自2026年12月起，租房提取公积金每月最高1800元，网上大厅即时到账。（测试口径）"
    login(page, live_server, "gjj_editor", "/kb")
    page.locator("#entries tr", has_text="住房公积金租房提取").click()
    page.locator("#detail-title", has_text="住房公积金租房提取").wait_for()
    page.click('[data-act="edit"]')
    page.fill('#edit-form textarea[name="body"]', new_text)
    page.fill('#edit-form input[name="note"]', "提取额度调整")
    page.click('#edit-form button[type="submit"]')
    page.locator("#toast .msg", has_text="已生成第 2 版（待审核）").wait_for()
    page.locator("#versions tr", has_text="提取额度调整").wait_for()
    # a maintainer is offered only what they may do: no review buttons, a note instead
    page.locator("#actions [data-note]", has_text="第 2 版待审核").wait_for()
    assert page.locator('#actions [data-act="approve"], #actions [data-act="reject"]').count() == 0

    login(page, live_server, "gjj_reviewer", "/kb")
    page.locator("#entries tr", has_text="住房公积金租房提取").click()
    page.locator('#actions [data-act="approve"]').wait_for()  # the reviewer may approve
    page.click('[data-tab="queue"]')
    row = page.locator("#queue-review tr", has_text="住房公积金租房提取")
    row.locator("button", has_text="通过").click()
    page.locator("#toast .msg", has_text="已审核通过并发布").wait_for()
    page.locator("#queue-review", has_text="没有待审核的版本").wait_for()
    page.click('[data-tab="entries"]')
    page.locator("#entries tr", has_text="住房公积金租房提取").click()
    page.locator("#versions tr", has_text="提取额度调整").wait_for()
    page.click("#diff-button")
    page.locator("#diff h3", has_text="第 1 版 → 第 2 版").wait_for()
    assert "1800元" in page.inner_text("#diff .ins")
    screenshot(page, "kb")

    login(page, live_server, "op01", "/desk")
    type_call(page, "市民：我租房住，能不能取公积金交房租？")
    first = page.locator("#answers li").first
    first.wait_for()
    assert first.locator(".answer-text").inner_text() == new_text


def test_qa_page_shows_a_chart_for_an_uploaded_log(page, live_server, tmp_path: Path) -> None:
    log = tmp_path / "calls.csv"
    log.write_text(
        "来电内容,分类,承办单位\n"
        "孩子刚出生怎么上户口,公安政法,示例市公安局\n"
        "租房能提取公积金吗,城乡建设,示例市住房公积金管理中心\n"
        "家里一股煤气味怎么办,城乡建设,示例市燃气有限公司\n"
        "小区门口路灯坏了好几天,城乡建设,示例市东湖区人民政府\n"
        "我们小区的路灯一直不亮,城乡建设,示例市东湖区人民政府\n",
        encoding="utf-8",
    )
    _finish_a_call(live_server, "市民：孩子刚出生怎么上户口？")  # the ask log has a question
    login(page, live_server, "qa01", "/qa")
    page.locator("#health-report svg").first.wait_for()
    # first load: coverage of what operators were asked, without uploading anything
    page.locator("#coverage-status", has_text="已按提问日志统计").wait_for()
    assert page.locator("#coverage-report .kpis").count() == 1
    assert page.locator("h2", has_text="知识库健康度").count() == 1
    assert page.inner_text("#call-log-button") == "选择文件"  # not the browser's "Choose File"
    page.locator("#gaps tbody td").first.wait_for()  # the gap list loaded (empty here)
    page.set_input_files("#call-log", str(log))
    assert page.inner_text("#call-log-name") == "calls.csv"
    page.click("#coverage-upload")
    page.locator("#coverage-status", has_text="已分析 calls.csv").wait_for()
    chart = page.locator("#coverage-report svg.coverage-by-category")
    assert chart.locator("g.bar").count() == 2  # 公安政法, 城乡建设
    kpis = page.inner_text("#coverage-report .kpis")
    assert re.search(r"5\s*来电记录", kpis)
    assert page.locator("#coverage-report svg.gap-topics").count() == 1
    assert "路灯" in page.inner_text("#coverage-report table.topics")
    screenshot(page, "qa")


def test_kb_screen_offers_actions_by_role(page, live_server) -> None:
    login(page, live_server, "op01", "/desk")
    page.goto(live_server.url + "/kb")
    page.locator("#entries tr", has_text="新生儿落户办理").click()
    page.locator("#detail-title", has_text="新生儿落户办理").wait_for()
    assert page.locator("#actions button").count() == 0  # operators read only
    assert "只读" in page.inner_text("#actions")
    assert not page.is_visible("#new-entry")


def test_an_intake_item_without_doc_no_is_entered_from_its_row(page, live_server) -> None:
    title = "示例市住房公积金缴存基数调整通知"
    login(page, live_server, "gjj_editor", "/kb")
    page.click('[data-tab="intake"]')
    page.click("#intake-register summary")
    page.fill('#intake-form input[name="title"]', title)
    page.fill('#intake-form input[name="published_on"]', _yesterday())
    page.click('#intake-form button[type="submit"]')
    row = page.locator("#intake tr", has_text=title)
    row.locator("button", has_text="录入").click()
    form = page.locator("#new-form")
    assert form.locator('input[name="title"]').input_value() == title
    assert "录入待录入政策" in page.inner_text("#intake-note")
    form.locator('textarea[name="body"]').fill(
        "自本年度起缴存基数按上年度月平均工资核定。（测试口径）"
    )
    form.locator('button[type="submit"]').click()
    page.locator("#toast .msg", has_text="待录入政策已记为录入").wait_for()
    row.locator("a", has_text="条目").wait_for()  # the row now points at its entry
    assert "按时录入" in row.inner_text()


def _yesterday() -> str:
    import datetime as dt

    from kb.clock import today

    return (today() - dt.timedelta(days=1)).isoformat()


def _finish_a_call(server, text: str) -> None:
    """What the desk sends when an operator closes a call (the question is logged, masked)."""
    import json
    import urllib.request

    request = urllib.request.Request(
        server.url + "/api/assist",
        data=json.dumps({"text": text, "final": True}).encode(),
        headers={
            "Authorization": f"Bearer {server.tokens['op01']}",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as resp:
        assert resp.status == 200


def test_no_page_requests_anything_missing(page, live_server) -> None:
    missing = []
    page.on(
        "response", lambda r: missing.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    login(page, live_server, "admin", "/desk")
    for path in ("/kb", "/qa", "/desk"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    assert missing == []  # favicon included: every page links its own icon
