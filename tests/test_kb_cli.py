"""The KB commands people read: Chinese labels, China time, and the upkeep commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kb.clock import frozen
from tests.conftest import SEEDS, snapshot

RS = ("--unit", "SL-RS", "--region", "示例市", "--as", "rs_editor")


@pytest.fixture(autouse=True)
def _today():
    # 21:30 China time is 13:30 UTC: shown times must be the China ones
    with frozen(dt.datetime(2026, 12, 2, 21, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        yield


def add(cli, title: str, *extra: str, body: str | None = None) -> int:
    made = cli("kb", "add", "--kind", "script", "--title", title, "--body",
               body or f"{title}的答复口径。", *RS, *extra, "--json")  # fmt: skip
    assert made.code == 0, made.err
    return made.json()["id"]


def publish(cli, entry_id: int) -> None:
    assert cli("kb", "submit", entry_id, "--as", "rs_editor").code == 0
    assert cli("kb", "approve", entry_id, "--as", "rs_reviewer").code == 0


@pytest.mark.parametrize("name", ["kb", "limits", "calendar", "unit", "user"])
def test_a_bare_group_shows_its_help(cli, sample_db, name: str) -> None:
    result = cli(name)
    assert result.code == 0
    assert "Commands" in result.out and "用法错误" not in result.err


def test_history_and_audit_speak_chinese_in_china_time(cli, sample_db, monkeypatch) -> None:
    from api.cli.output import console

    monkeypatch.setattr(console, "width", 250)  # one table row per line
    entry_id = add(cli, "失业保险金申领")
    publish(cli, entry_id)
    history = cli("kb", "history", entry_id).out
    assert "北京时间（Asia/Shanghai）" in history
    assert "2026-12-02 21:30:00" in history and "13:30:00" not in history
    for label in ("新建", "提交审核", "审核通过", "发布", "草稿 → 待审核", "已审核待发布 → 已发布"):
        assert label in history, label
    for code in ("create", "in_review", "approved→published"):
        assert code not in history, code
    audit = cli("kb", "audit", "--limit", "3").out
    assert "北京时间" in audit and "审核通过" in audit and "approve" not in audit
    events = cli("kb", "history", entry_id, "--json").json()["audit"]
    assert [(e["action"], e["action_zh"]) for e in events][:2] == [
        ("create", "新建"),
        ("submit", "提交审核"),
    ]
    assert events[0]["at"].startswith("2026-12-02T13:30:00")  # JSON keeps UTC


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["投诉", "10", "--region", "示例市", "--basis", "示例市规定"],
         "已设置：示例市投诉类诉求办理时限为 10 个工作日（依据：示例市规定）"),
        (["咨询", "2"], "已设置：全部地区咨询类诉求办理时限为 2 个工作日"),
    ],
)  # fmt: skip
def test_limits_set_prints_a_sentence(cli, sample_db, argv: list[str], line: str) -> None:
    result = cli("limits", "set", *argv)
    assert result.code == 0 and result.out.strip() == line


def test_diff_is_clause_by_clause_within_a_line(cli, sample_db) -> None:
    entry_id = add(cli, "失业金", body="第一条 适用本市。第二条 缴费满一年。第三条 按月发放。")
    edited = cli("kb", "edit", entry_id, "--note", "改第二条",
                 "--body", "第一条 适用本市。第二条 缴费满两年。第三条 按月发放。", "--as", "rs_editor")  # fmt: skip
    assert edited.code == 0, edited.err
    body = cli("kb", "diff", entry_id, "--json").json()["body"]
    assert body == [
        {"op": "replace", "old": ["第二条 缴费满一年。"], "new": ["第二条 缴费满两年。"]}
    ]
    text = cli("kb", "diff", entry_id).out
    assert "- 第二条 缴费满一年。\n+ 第二条 缴费满两年。" in text


def test_supersede_and_abolishes_reach_the_sweep(cli, sample_db) -> None:
    old = add(
        cli, "旧口径", "--basis-title", "示例市失业保险暂行办法", "--doc-no", "示人社发〔2020〕1号"
    )
    new = add(cli, "新口径")
    policy = add(cli, "示例市失业保险办法")
    for entry_id in (old, new, policy):
        publish(cli, entry_id)
    marked = cli("kb", "supersede", old, new, "--as", "rs_editor", "--json")
    assert marked.json() == {"entry_id": old, "superseded_by": new}
    linked = cli("kb", "abolishes", policy, "--doc-no", "示人社发[2020]1号", "--as", "rs_editor")
    assert linked.out.strip() == f"已登记：条目 {policy} 废止 示人社发〔2020〕1号"
    replaced = cli("kb", "abolishes", policy, "--title", "《示例市失业保险暂行办法》",
                   "--replaces", "--as", "rs_editor", "--json").json()  # fmt: skip
    assert (replaced["relation"], replaced["target_title"]) == (
        "replaces",
        "示例市失业保险暂行办法",
    )
    again = cli("kb", "abolishes", policy, "--doc-no", "示人社发（2020）1号", "--as", "rs_editor")
    assert again.code == 1 and "已登记过这条关系" in again.err
    [item] = [i for i in cli("sweep", "--json").json()["items"] if i["entry_id"] == old]
    assert item["issues"] == ["abolished"]
    assert item["reasons"] == [
        f"已被条目 {new} 替代",
        f"依据的示人社发〔2020〕1号已被条目 {policy} 废止",
        f"依据的《示例市失业保险暂行办法》已被条目 {policy} 替代",
    ]
    assert "标记被替代" in cli("kb", "history", old).out


def test_kb_add_intake_closes_the_item(cli, sample_db) -> None:
    item = cli("intake", "add", "--title", "关于调整失业保险金标准的通知",
               "--published-on", "2026-11-30", "--unit", "SL-RS", "--as", "rs_editor", "--json")  # fmt: skip
    item_id = item.json()["id"]
    entry_id = add(cli, "失业保险金标准", "--intake", str(item_id))
    [row] = cli("intake", "--json").json()["items"]
    assert (row["entry_id"], row["state"], row["entered_on"]) == (entry_id, "on_time", "2026-12-02")


def test_sweep_confirm_date_is_checked(cli, sample_db) -> None:
    entry_id = add(cli, "人社口径")
    publish(cli, entry_id)
    before = snapshot(sample_db)
    future = cli("sweep", "confirm", entry_id, "--date", "2027-03-01", "--as", "rs_editor")
    assert future.code == 1 and "巡检日期 2027-03-01 晚于今天（2026-12-02）" in future.err
    earlier = cli("sweep", "confirm", entry_id, "--date", "2026-09-30", "--as", "rs_editor")
    assert earlier.code == 1 and "不在本季度（2026Q4）" in earlier.err
    assert snapshot(sample_db) == before
    done = cli("sweep", "confirm", entry_id, "--as", "rs_editor", "--json").json()
    assert done == {"entry_id": entry_id, "quarter": "2026Q4", "reviewed_by": "rs_editor"}


def test_show_names_the_stored_original(cli, sample_db) -> None:
    from kb.settings import get_settings

    result = cli("ingest", SEEDS / "gansu-2025-69-implementation.txt", "--json")
    assert result.code == 0, result.err
    listed = cli("kb", "list", "--json").json()
    entry_id = listed[0]["id"]
    shown = cli("kb", "show", entry_id, "--json").json()
    original = shown["original"]
    sha = shown["live"]["source_sha256"]
    assert len(sha) == 64 and original["sha256"] == sha and original["exists"] is True
    path = Path(original["path"])
    assert path.parent.parent == get_settings().originals_dir and path.name.startswith(sha)
    human = cli("kb", "show", entry_id).out
    assert f"SHA-256 {sha}" in human and "存档位置：" in human
    typed = add(cli, "手工口径")
    assert cli("kb", "show", typed, "--json").json()["original"] is None


def test_intake_recompute_reports_nothing_to_do(cli, sample_db) -> None:
    result = cli("intake", "recompute", "--json")
    assert result.code == 0 and result.json() == []
    assert "没有需要重新计算的截止日" in cli("intake", "recompute").out
