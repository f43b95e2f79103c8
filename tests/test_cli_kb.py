"""The `hotline` CLI for the KB: exit codes, --json, Chinese errors, nothing changed on error."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.clock import frozen
from tests.conftest import snapshot


@pytest.fixture(autouse=True)
def _today():
    """The CLI runs in-process: every "today" below is 2026-12-02, whatever the real date."""
    with frozen(dt.date(2026, 12, 2)):
        yield


def test_not_initialised_is_a_clear_user_error(cli, hotline_home) -> None:
    result = cli("kb", "list")
    assert result.code == 1
    assert "尚未初始化，请先运行 `hotline init`" in result.err


def test_init_is_idempotent(cli, hotline_home) -> None:
    first = cli("init", "--sample", "--json").json()
    second = cli("init", "--sample", "--json").json()
    assert first["units_added"] == 81 and first["users_added"] == 26
    assert second["units_added"] == 0 and second["users_added"] == 0
    assert second["revision"] == first["revision"]


def test_kb_workflow_through_the_cli(cli, sample_db) -> None:
    made = cli(
        "kb",
        "add",
        "--kind",
        "script",
        "--title",
        "失业保险金申领",
        "--unit",
        "SL-RS",
        "--region",
        "示例市",
        "--body",
        "一、申领条件\n非因本人意愿中断就业。",
        "--questions",
        "失业金怎么领|失业了能领钱吗",
        "--expires-on",
        "2027-12-31",
        "--as",
        "rs_editor",
        "--json",
    )
    assert made.code == 0, made.err
    entry_id = made.json()["id"]
    assert cli("kb", "submit", entry_id, "--as", "rs_editor").code == 0
    approved = cli("kb", "approve", entry_id, "--as", "rs_reviewer", "--json")
    assert approved.json()["status"] == "published"
    edited = cli(
        "kb",
        "edit",
        entry_id,
        "--note",
        "补充材料",
        "--body",
        "一、申领条件\n非因本人意愿中断就业。\n二、所需材料\n身份证、社保卡。",
        "--submit",
        "--as",
        "rs_editor",
        "--json",
    )
    assert edited.json()["version"] == 2 and edited.json()["status"] == "in_review"
    cli("kb", "approve", entry_id, "--as", "rs_reviewer")
    diff = cli("kb", "diff", entry_id, "1", "2")
    assert "+ 二、所需材料" in diff.out and "+ 身份证、社保卡。" in diff.out
    shown = cli("kb", "show", entry_id, "--json").json()
    assert shown["entry"]["published_version"] == 2
    assert shown["live"]["questions"] == ["失业金怎么领", "失业了能领钱吗"]
    history = cli("kb", "history", entry_id, "--json").json()
    assert [v["status"] for v in history["versions"]] == ["superseded", "published"]
    assert [e["action"] for e in history["audit"]][-2:] == ["retire", "publish"]
    listed = cli("kb", "list", "--in-force", "--date", "2027-12-31", "--json").json()
    assert [r["id"] for r in listed] == [entry_id]
    assert cli("kb", "list", "--in-force", "--date", "2028-01-01", "--json").json() == []
    assert cli("kb", "rollback", entry_id, "--to", "1", "--as", "rs_reviewer").code == 0
    rolled = cli("kb", "show", entry_id, "--json").json()
    assert (rolled["entry"]["published_version"], rolled["live"]["version"]) == (3, 3)
    assert rolled["live"]["body"] == "一、申领条件\n非因本人意愿中断就业。"  # v1's, not v2's
    assert "所需材料" not in cli("kb", "show", entry_id).out
    human = cli("kb", "list")
    assert "失业保险金申领" in human.out and "已发布" in human.out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            [
                "kb",
                "add",
                "--kind",
                "script",
                "--title",
                "X",
                "--unit",
                "SL-NOPE",
                "--region",
                "示例市",
                "--body",
                "b",
                "--as",
                "admin",
            ],
            "未知承办单位“SL-NOPE”",
        ),
        (
            [
                "kb",
                "add",
                "--kind",
                "script",
                "--title",
                "X",
                "--unit",
                "SL-RS",
                "--region",
                "示例市",
                "--body",
                "b",
                "--effective-from",
                "2026-05-01",
                "--expires-on",
                "2026-04-30",
                "--as",
                "admin",
            ],
            "早于生效日期",
        ),
        (
            [
                "kb",
                "add",
                "--kind",
                "script",
                "--title",
                "X",
                "--unit",
                "SL-RS",
                "--region",
                "示例市",
                "--body",
                "b",
                "--expires-on",
                "明年",
                "--as",
                "admin",
            ],
            "失效日期“明年”不是有效日期",
        ),
        (
            [
                "kb",
                "add",
                "--kind",
                "script",
                "--title",
                "X",
                "--unit",
                "SL-RS",
                "--region",
                "示例市",
                "--body",
                "b",
                "--as",
                "yb_editor",
            ],
            "只能维护本单位条目",
        ),
        (
            [
                "kb",
                "add",
                "--kind",
                "script",
                "--title",
                "X",
                "--unit",
                "SL-RS",
                "--region",
                "示例市",
                "--body",
                "b",
                "--as",
                "nobody",
            ],
            "未知用户“nobody”",
        ),
        (["kb", "publish", "1", "--as", "rs_reviewer"], "尚未审核通过"),
        (["kb", "submit", "99", "--as", "rs_editor"], "没有 ID 为 99 的知识库条目"),
        (["kb", "approve", "1", "--as", "rs_editor"], "没有审核权限"),
        (["kb", "list", "--status", "lost"], "状态“lost”无效"),
        (["kb", "list", "--date", "2026-02-30"], "不是有效日期"),
        (["kb", "show", "abc"], "参数 entry_id 的值无效"),
        (["kb", "nosuch"], "没有命令“nosuch”"),
        (["kb", "add", "--kind", "script"], "缺少必填选项"),
        (
            [
                "unit",
                "add",
                "--code",
                "SL-X",
                "--name",
                "新单位",
                "--region",
                "示例市",
                "--level",
                "省",
                "--as",
                "admin",
            ],
            "单位层级“省”无效",
        ),
        (
            [
                "unit",
                "add",
                "--code",
                "SL-RS",
                "--name",
                "重名",
                "--region",
                "示例市",
                "--level",
                "市",
                "--as",
                "admin",
            ],
            "已存在",
        ),
        (
            [
                "unit",
                "add",
                "--code",
                "SL-X",
                "--name",
                "新单位",
                "--region",
                "示例市",
                "--level",
                "市",
                "--as",
                "rs_editor",
            ],
            "只有管理员",
        ),
        (
            [
                "intake",
                "add",
                "--title",
                "新政",
                "--published-on",
                "2026/13/1",
                "--unit",
                "SL-RS",
                "--as",
                "rs_editor",
            ],
            "不是有效日期",
        ),
        (["sweep", "confirm", "1", "--as", "rs_editor"], "不是已发布状态"),
        (
            [
                "kb",
                "add",
                "--kind",
                "script",
                "--title",
                "X",
                "--unit",
                "SL-RS",
                "--region",
                "火星市",
                "--body",
                "b",
                "--as",
                "rs_editor",
            ],
            "地区“火星市”不是已登记承办单位所在的地区",
        ),
        (
            [
                "kb",
                "add",
                "--kind",
                "script",
                "--title",
                "X",
                "--unit",
                "SL-RS",
                "--region",
                "示例市",
                "--body",
                "b",
                "--intake",
                "99",
                "--as",
                "rs_editor",
            ],
            "没有编号为 99 的待录入政策",
        ),
        (
            [
                "intake",
                "add",
                "--title",
                "新政",
                "--published-on",
                "2030-01-01",
                "--unit",
                "SL-RS",
                "--as",
                "rs_editor",
            ],
            "发布日期 2030-01-01 晚于今天（2026-12-02）",
        ),
        (["kb", "abolishes", "1", "--as", "rs_editor"], "请给出被废止/替代文件的标题或文号"),
        (["kb", "abolishes", "1", "--title", "x", "--effective-on", "下月"], "不是有效日期"),
        (["kb", "supersede", "1", "1", "--as", "rs_editor"], "条目不能被自身替代"),
        (["kb", "supersede", "1", "42", "--as", "rs_editor"], "没有 ID 为 42 的知识库条目"),
        (["limits", "set", "投诉", "10", "--as", "rs_editor"], "只有管理员可以调整办理时限"),
        (["limits", "due", "催办", "2026-11-23"], "诉求类型“催办”无效"),
    ],
)
def test_bad_input_exit_1_chinese_message_nothing_changed(cli, sample_db, argv, message) -> None:
    cli(
        "kb",
        "add",
        "--kind",
        "script",
        "--title",
        "已有条目",
        "--unit",
        "SL-RS",
        "--region",
        "示例市",
        "--body",
        "正文",
        "--as",
        "rs_editor",
    )
    before = snapshot(sample_db)
    result = cli(*argv)
    assert result.code == 1
    assert message in result.err
    assert snapshot(sample_db) == before


def test_json_errors_are_machine_readable(cli, sample_db) -> None:
    result = cli("kb", "submit", "42", "--as", "rs_editor", "--json")
    assert result.code == 1
    assert result.json() == {"error": "not_found", "message": "没有 ID 为 42 的知识库条目。"}


def test_intake_and_sweep_commands(cli, sample_db) -> None:
    added = cli(
        "intake",
        "add",
        "--title",
        "关于做好冬季供暖的通知",
        "--published-on",
        "2026-09-29",
        "--unit",
        "SL-ZJ",
        "--doc-no",
        "示建发（2026）30号",
        "--as",
        "zj_editor",
        "--json",
    )
    assert added.json()["due_on"] == "2026-10-09"
    report = cli("intake", "--date", "2026-10-12", "--json").json()
    assert report["items"][0]["state"] == "overdue"
    assert report["units"][0]["on_time_rate"] == 0.0
    assert "已逾期" in cli("intake", "--date", "2026-10-12").out
    sweep = cli("sweep", "--json").json()
    assert sweep["items"] == [] and sweep["units"] == []


def test_unit_and_user_listing(cli, sample_db) -> None:
    units = cli("unit", "list", "--region", "示例市东湖区", "--json").json()
    assert {u["name"] for u in units} >= {"示例市东湖区城市管理局", "示例市东湖区湖滨街道办事处"}
    assert all(u["region"].startswith("示例市东湖区") for u in units)
    users = {u["name"]: u for u in cli("user", "list", "--json").json()}
    assert users["rs_editor"]["unit"] == "示例市人力资源和社会保障局"
    assert users["center_reviewer"]["unit"] is None
