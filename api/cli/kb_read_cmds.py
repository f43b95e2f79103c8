"""`hotline kb list|show|history|diff|audit`: reading entries, versions and the audit log.

Attached to the ``kb`` group of :mod:`api.cli.kb_cmds` by :func:`attach`. Times are shown
in China time (Asia/Shanghai); ``--json`` keeps the stored UTC timestamps.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.panel import Panel

from api.cli.context import database
from api.cli.output import JsonOpt, console, emit, local_time, table
from kb import audit
from kb.clock import parse_date, today
from kb.content import VersionContent
from kb.diff import diff_contents
from kb.entries import (
    EntryFilter,
    get_entry,
    get_version,
    published_version,
    versions_of,
)
from kb.labels import STATUS_ZH
from kb.settings import get_settings
from kb.views import audit_dict, entry_dict, entry_rows, version_dict

DateOpt = typer.Option(None, "--date", help="按哪一天判断有效性（默认今天）")
TIME_NOTE = "时间为北京时间（Asia/Shanghai）"


def original_of(version: dict) -> dict | None:
    """Where the stored original of a version that came from a file is, if it did."""
    sha = version.get("source_sha256")
    if not sha:
        return None
    from ingest.originals import original_path  # ingest owns the originals' layout

    suffix = Path(version.get("source_file") or "").suffix
    path = original_path(get_settings().originals_dir, sha, suffix)
    return {
        "sha256": sha,
        "source_file": version.get("source_file"),
        "path": str(path),
        "exists": path.exists(),
    }


def list_cmd(
    unit: str | None = typer.Option(None, help="责任单位"),
    kind: str | None = typer.Option(None, help="类型"),
    status: str | None = typer.Option(
        None, help="状态：draft/in_review/approved/published/archived/expired"
    ),
    region: str | None = typer.Option(None, help="地区（前缀匹配）"),
    q: str | None = typer.Option(None, "--q", help="标题包含"),
    in_force_only: bool = typer.Option(False, "--in-force", help="只列出当天有效、可被检索的条目"),
    date: str | None = DateOpt,
    as_json: bool = JsonOpt,
) -> None:
    """列出条目（标题为当前发布版本的标题；改名待审核的，发布后才显示新标题）。"""
    day = parse_date(date, "--date") or today()
    with database().session() as session:
        flt = EntryFilter(unit=unit, kind=kind, status=status, region=region, text=q, on=day)
        rows = entry_rows(session, day, flt, in_force_only=in_force_only)
    emit(
        rows,
        as_json,
        lambda: console.print(
            table(
                f"知识库条目（{len(rows)}，按 {day} 判断有效性）",
                ["ID", "类型", "标题", "责任单位", "状态", "版本", "有效期至"],
                (
                    [
                        r["id"],
                        r["kind_zh"],
                        r["title"],
                        r["owner_unit"],
                        r["status_zh"],
                        f"{r['published_version'] or '-'}/{r['latest_version']}",
                        r["expires_on"] or "长期",
                    ]
                    for r in rows
                ),
            )
        ),
    )


def _show_entry(data: dict) -> None:
    entry, live, latest = data["entry"], data["live"], data["latest"]
    lines = [
        f"[bold]{entry['title']}[/bold]",
        f"ID {entry['id']} · {entry['kind_zh']} · {entry['status_zh']} · "
        f"{entry['owner_unit']} · {entry['region']}",
        f"当前发布：第 {entry['published_version'] or '—'} 版；"
        f"最新：第 {entry['latest_version']} 版（{latest['status_zh']}）",
    ]
    if latest["title"] != entry["title"]:
        lines.append(f"第 {latest['version']} 版改标题为“{latest['title']}”，发布后生效")
    lines.append(
        f"有效期：{live['effective_from'] or '—'} 至 {live['expires_on'] or '长期'}　"
        f"依据：{live['basis_title'] or '—'} {live['doc_no'] or ''}"
    )
    console.print(Panel("\n".join(lines), expand=False))
    if data["original"]:  # outside the panel: a hash and a path must not be wrapped
        original = data["original"]
        kept = "" if original["exists"] else "（本机未找到）"
        console.print(f"原始文件：{original['source_file'] or '—'}", markup=False)
        console.print(f"SHA-256 {original['sha256']}")
        console.print(f"存档位置：{original['path']}{kept}", markup=False)
    if live["questions"]:
        console.print("相似问法：" + "｜".join(live["questions"]))
    console.print(live["body"])


def show(
    entry_id: int,
    version: int | None = typer.Option(None, help="查看指定版本"),
    date: str | None = DateOpt,
    as_json: bool = JsonOpt,
) -> None:
    """查看条目（默认显示当前发布版本，没有则显示最新版本）及其原始文件。"""
    day = parse_date(date, "--date") or today()
    with database().session() as session:
        entry = get_entry(session, entry_id)
        live = published_version(session, entry)
        latest = get_version(session, entry_id, version)
        shown = latest if version is not None else (live or latest)
        data = {
            "entry": entry_dict(entry, live, day),
            "live": version_dict(shown),
            "latest": version_dict(latest, body=False),
        }
    data["original"] = original_of(data["live"])
    emit(data, as_json, lambda: _show_entry(data))


def _change(event: dict) -> str:
    if not (event["from_status"] or event["to_status"]):
        return ""
    return f"{event['from_status_zh'] or '—'} → {event['to_status_zh'] or '—'}"


def _detail(event: dict) -> str:
    return "，".join(f"{k}={v}" for k, v in event["detail"].items())


def history(entry_id: int, as_json: bool = JsonOpt) -> None:
    """版本与操作记录。"""
    with database().session() as session:
        versions = [version_dict(v, body=False) for v in versions_of(session, entry_id)]
        events = [audit_dict(e) for e in audit.events_for(session, entry_id)]
    data = {"versions": versions, "audit": events}

    def render() -> None:
        console.print(
            table(
                f"条目 {entry_id} 的版本（{TIME_NOTE}）",
                ["版本", "标题", "状态", "作者", "审核", "发布时间", "说明"],
                (
                    [
                        v["version"],
                        v["title"],
                        STATUS_ZH[v["status"]],
                        v["author"],
                        v["reviewed_by"],
                        local_time(v["published_at"]),
                        v["change_note"],
                    ]
                    for v in versions
                ),
            )
        )
        console.print(
            table(
                f"操作记录（{TIME_NOTE}）",
                ["时间", "操作人", "操作", "版本", "状态变化", "详情"],
                (
                    [
                        local_time(e["at"]),
                        e["actor"],
                        e["action_zh"],
                        e["version"],
                        _change(e),
                        _detail(e),
                    ]
                    for e in events
                ),
            )
        )

    emit(data, as_json, render)


def diff(
    entry_id: int,
    a: int | None = typer.Argument(None, help="旧版本号（默认：最新版本的上一版）"),
    b: int | None = typer.Argument(None, help="新版本号（默认：最新版本）"),
    as_json: bool = JsonOpt,
) -> None:
    """比较两个版本：字段变化，正文逐条（按句、分条）比较。"""
    with database().session() as session:
        newer = get_version(session, entry_id, b)
        older_no = a if a is not None else (newer.previous_version_no or newer.version_no)
        older = get_version(session, entry_id, older_no)
        result = diff_contents(
            older.version_no,
            VersionContent.of_version(older),
            newer.version_no,
            VersionContent.of_version(newer),
        )
    emit(result.to_dict(), as_json, lambda: _print_diff(result.to_text()))


def _print_diff(text: str) -> None:
    for line in text.splitlines():
        style = "green" if line.startswith("+ ") else "red" if line.startswith("- ") else None
        console.print(line, style=style, markup=False)


def audit_cmd(
    limit: int = typer.Option(50, help="条数"),
    actor: str | None = typer.Option(None, help="只看某人的操作"),
    as_json: bool = JsonOpt,
) -> None:
    """最近的操作记录（审计日志）。"""
    with database().session() as session:
        rows = [audit_dict(e) for e in audit.recent(session, limit, actor)]
    emit(
        rows,
        as_json,
        lambda: console.print(
            table(
                f"审计日志（{TIME_NOTE}）",
                ["时间", "操作人", "操作", "条目", "版本", "状态变化", "详情"],
                (
                    [
                        local_time(r["at"]),
                        r["actor"],
                        r["action_zh"],
                        r["entry_id"],
                        r["version"],
                        _change(r),
                        _detail(r),
                    ]
                    for r in rows
                ),
            )
        ),
    )


def attach(kb_app: typer.Typer) -> None:
    """Add the reading commands to the ``kb`` group."""
    kb_app.command("list")(list_cmd)
    kb_app.command("show")(show)
    kb_app.command("history")(history)
    kb_app.command("diff")(diff)
    kb_app.command("audit")(audit_cmd)
