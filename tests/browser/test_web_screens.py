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


def test_fire_call_raises_the_119_alarm(page, live_server) -> None:
    login(page, live_server, "op01", "/desk")
    type_call(page, FIRE)
    alarm = page.locator('.alarm[data-target="119"]')
    alarm.wait_for()
    assert "请立即转接 119" in alarm.inner_text()
    assert "请说：" in alarm.inner_text()
    box = alarm.bounding_box()
    assert box is not None and box["width"] > 1000  # full width: cannot be missed
    screenshot(page, "desk-alarm")
    page.keyboard.press("Alt+N")  # a new call clears the alarm
    page.locator(".alarm").wait_for(state="detached")


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

    login(page, live_server, "gjj_reviewer", "/kb")
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
    login(page, live_server, "qa01", "/qa")
    page.locator("#health-report svg").first.wait_for()
    page.locator("#gaps tbody td").first.wait_for()  # the gap list loaded (empty here)
    page.set_input_files("#call-log", str(log))
    page.click("#coverage-upload")
    chart = page.locator("#coverage-report svg.coverage-by-category")
    chart.wait_for()
    assert chart.locator("g.bar").count() == 2  # 公安政法, 城乡建设
    kpis = page.inner_text("#coverage-report .kpis")
    assert re.search(r"5\s*来电记录", kpis)
    assert page.locator("#coverage-report svg.gap-topics").count() == 1
    assert "路灯" in page.inner_text("#coverage-report table.topics")
    screenshot(page, "qa")
