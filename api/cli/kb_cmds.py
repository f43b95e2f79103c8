"""`hotline kb …`: entries, versions, lifecycle, diff, audit."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.panel import Panel

from api.cli.context import ActorOpt, database, unit_of_work
from api.cli.output import JsonOpt, console, emit, table
from kb import audit, lifecycle
from kb.clock import parse_date, today
from kb.content import VersionContent
from kb.diff import diff_contents
from kb.entries import (
    EntryFilter,
    create_entry,
    edit_entry,
    get_entry,
    get_version,
    in_force,
    list_entries,
    live_versions,
    published_version,
    versions_of,
)
from kb.errors import InvalidInput
from kb.views import audit_dict, entry_dict, version_dict

kb_app = typer.Typer(
    help="知识库条目：新建、编辑、审核、发布、归档、版本比较与回滚", no_args_is_help=True
)

DateOpt = typer.Option(None, "--date", help="按哪一天判断有效性（默认今天）")


def _body(body: str | None, body_file: Path | None) -> str | None:
    if body is not None and body_file is not None:
        raise InvalidInput("--body 与 --body-file 只能二选一。")
    if body_file is None:
        return body
    try:
        return body_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"找不到正文文件 {body_file}。") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"正文文件 {body_file} 不是 UTF-8 文本。") from None


def _show_entry(data: dict) -> None:
    live = data.get("live") or data["latest"]
    head = (
        f"[bold]{data['entry']['title']}[/bold]\n"
        f"ID {data['entry']['id']} · {data['entry']['kind_zh']} · {data['entry']['status_zh']} · "
        f"{data['entry']['owner_unit']} · {data['entry']['region']}\n"
        f"当前发布：第 {data['entry']['published_version'] or '—'} 版；最新：第 {data['entry']['latest_version']} 版"
        f"（{data['latest']['status_zh']}）\n"
        f"有效期：{live['effective_from'] or '—'} 至 {live['expires_on'] or '长期'}　"
        f"依据：{live['basis_title'] or '—'} {live['doc_no'] or ''}"
    )
    console.print(Panel(head, expand=False))
    if live["questions"]:
        console.print("相似问法：" + "｜".join(live["questions"]))
    console.print(live["body"])


@kb_app.command("add")
def add(
    kind: str = typer.Option(..., help="类型：policy / script / faq / notice"),
    title: str = typer.Option(..., help="标题（同一地区不可重复）"),
    unit: str = typer.Option(..., help="责任单位（编码或名称）"),
    region: str = typer.Option(..., help="适用地区，如 示例市"),
    body: str | None = typer.Option(None, help="正文 / 答复口径"),
    body_file: Path | None = typer.Option(None, help="从 UTF-8 文本文件读取正文"),
    questions: str | None = typer.Option(None, help="相似问法，用 | 分隔"),
    basis_title: str | None = typer.Option(None, help="依据文件标题"),
    doc_no: str | None = typer.Option(None, help="文号"),
    clause: str | None = typer.Option(None, help="依据条款"),
    issuer: str | None = typer.Option(None, help="发文单位"),
    published_on: str | None = typer.Option(None, help="发布日期"),
    category: str | None = typer.Option(None, help="分类路径，如 社会保障/医疗保险/参保缴费"),
    keywords: str | None = typer.Option(None, help="关键词，用 | 分隔"),
    effective_from: str | None = typer.Option(None, help="生效日期"),
    expires_on: str | None = typer.Option(None, help="失效日期"),
    note: str = typer.Option("新建", help="版本说明"),
    submit: bool = typer.Option(False, "--submit", help="新建后立即提交审核"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """新建条目（第 1 版为草稿）。"""
    content = VersionContent.build(
        title=title,
        body=_body(body, body_file) or "",
        questions=questions,
        basis_title=basis_title,
        doc_no=doc_no,
        basis_clause=clause,
        issuer=issuer,
        published_on=published_on,
        category=category,
        keywords=keywords,
        effective_from=effective_from,
        expires_on=expires_on,
    )
    with unit_of_work(as_user) as (session, actor):
        entry = create_entry(
            session,
            actor,
            kind=kind,
            region=region,
            owner_unit=unit,
            content=content,
            change_note=note,
        )
        if submit:
            lifecycle.submit(session, actor, entry.id)
        data = entry_dict(entry, None, today())
    emit(
        data,
        as_json,
        lambda: console.print(
            f"[green]已新建条目 {data['id']}[/green]「{data['title']}」第 1 版（{data['status_zh']}）"
        ),
    )


@kb_app.command("edit")
def edit(
    entry_id: int = typer.Argument(..., help="条目 ID"),
    note: str = typer.Option(..., help="修改说明（必填）"),
    title: str | None = typer.Option(None),
    body: str | None = typer.Option(None),
    body_file: Path | None = typer.Option(None),
    questions: str | None = typer.Option(None, help="相似问法，用 | 分隔（整体替换）"),
    basis_title: str | None = typer.Option(None),
    doc_no: str | None = typer.Option(None),
    clause: str | None = typer.Option(None),
    issuer: str | None = typer.Option(None),
    published_on: str | None = typer.Option(None),
    category: str | None = typer.Option(None),
    keywords: str | None = typer.Option(None),
    effective_from: str | None = typer.Option(None),
    expires_on: str | None = typer.Option(None),
    submit: bool = typer.Option(False, "--submit", help="编辑后立即提交审核"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """编辑条目：基于最新版本生成新版本（草稿）；未给出的字段沿用原值。"""
    given = {
        "title": title,
        "body": _body(body, body_file),
        "questions": questions,
        "basis_title": basis_title,
        "doc_no": doc_no,
        "basis_clause": clause,
        "issuer": issuer,
        "published_on": published_on,
        "category": category,
        "keywords": keywords,
        "effective_from": effective_from,
        "expires_on": expires_on,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        raise InvalidInput("没有给出任何要修改的字段。")
    with unit_of_work(as_user) as (session, actor):
        latest = get_version(session, entry_id)
        content = VersionContent.of_version(latest).with_changes(**changes)
        version = edit_entry(session, actor, entry_id, content, note)
        if submit:
            lifecycle.submit(session, actor, entry_id, version.version_no)
        data = version_dict(version, body=False)
    emit(
        data,
        as_json,
        lambda: console.print(
            f"[green]已生成条目 {entry_id} 第 {data['version']} 版[/green]（{data['status_zh']}）"
        ),
    )


def _transition(action: str, entry_id: int, as_user: str | None, as_json: bool, **kwargs) -> None:
    with unit_of_work(as_user) as (session, actor):
        fn = getattr(lifecycle, action)
        result = fn(session, actor, entry_id, **kwargs)
        if action == "archive":
            data = entry_dict(result, None, today())
            message = f"条目 {entry_id} 已归档"
        else:
            data = version_dict(result, body=False)
            message = f"条目 {entry_id} 第 {data['version']} 版：{data['status_zh']}"
    emit(data, as_json, lambda: console.print(f"[green]{message}[/green]"))


@kb_app.command("submit")
def submit(
    entry_id: int,
    version: int | None = typer.Option(None, help="版本号（默认最新）"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """提交审核。"""
    _transition("submit", entry_id, as_user, as_json, version_no=version)


@kb_app.command("approve")
def approve(
    entry_id: int,
    note: str = typer.Option("", help="审核意见"),
    hold: bool = typer.Option(False, "--hold", help="只审核通过，暂不发布（之后用 kb publish）"),
    version: int | None = typer.Option(None, help="版本号（默认最新）"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """审核通过（默认同时发布）。作者本人不能审核。"""
    _transition(
        "approve", entry_id, as_user, as_json, note=note, version_no=version, publish_now=not hold
    )


@kb_app.command("reject")
def reject(
    entry_id: int,
    note: str = typer.Option(..., help="退回原因（必填）"),
    version: int | None = typer.Option(None),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """退回修改。"""
    _transition("reject", entry_id, as_user, as_json, note=note, version_no=version)


@kb_app.command("publish")
def publish(
    entry_id: int,
    version: int | None = typer.Option(None, help="版本号（默认最新）"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """发布已审核通过的版本；原发布版本同时退出检索。"""
    _transition("publish", entry_id, as_user, as_json, version_no=version)


@kb_app.command("archive")
def archive(
    entry_id: int,
    reason: str = typer.Option(..., help="归档原因（必填）"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """归档条目（不删除，可追溯）。"""
    _transition("archive", entry_id, as_user, as_json, reason=reason)


@kb_app.command("rollback")
def rollback(
    entry_id: int,
    to: int = typer.Option(..., "--to", help="回滚到第几版"),
    note: str = typer.Option("", help="说明"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """把曾发布过的旧版本内容作为新版本重新发布。"""
    _transition("rollback", entry_id, as_user, as_json, to_version=to, note=note)


@kb_app.command("list")
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
    """列出条目。"""
    day = parse_date(date, "--date") or today()
    with database().session() as session:
        if in_force_only:
            pairs = in_force(session, day)
            rows = [entry_dict(e, v, day) for e, v in pairs]
        else:
            entries = list_entries(
                session,
                EntryFilter(unit=unit, kind=kind, status=status, region=region, text=q, on=day),
            )
            live = live_versions(session, entries)
            rows = [entry_dict(e, live.get(e.id), day) for e in entries]
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


@kb_app.command("show")
def show(
    entry_id: int,
    version: int | None = typer.Option(None, help="查看指定版本"),
    date: str | None = DateOpt,
    as_json: bool = JsonOpt,
) -> None:
    """查看条目（默认显示当前发布版本，没有则显示最新版本）。"""
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
    emit(data, as_json, lambda: _show_entry(data))


@kb_app.command("history")
def history(entry_id: int, as_json: bool = JsonOpt) -> None:
    """版本与操作记录。"""
    with database().session() as session:
        versions = [version_dict(v, body=False) for v in versions_of(session, entry_id)]
        events = [audit_dict(e) for e in audit.events_for(session, entry_id)]
    data = {"versions": versions, "audit": events}

    def render() -> None:
        console.print(
            table(
                f"条目 {entry_id} 的版本",
                ["版本", "状态", "作者", "审核", "发布时间", "说明"],
                (
                    [
                        v["version"],
                        v["status_zh"],
                        v["author"],
                        v["reviewed_by"],
                        v["published_at"] and str(v["published_at"])[:19],
                        v["change_note"],
                    ]
                    for v in versions
                ),
            )
        )
        console.print(
            table(
                "操作记录",
                ["时间", "操作人", "操作", "版本", "状态变化"],
                (
                    [
                        str(e["at"])[:19],
                        e["actor"],
                        e["action"],
                        e["version"],
                        f"{e['from_status'] or ''}→{e['to_status'] or ''}",
                    ]
                    for e in events
                ),
            )
        )

    emit(data, as_json, render)


@kb_app.command("diff")
def diff(
    entry_id: int,
    a: int | None = typer.Argument(None, help="旧版本号（默认：最新版本的上一版）"),
    b: int | None = typer.Argument(None, help="新版本号（默认：最新版本）"),
    as_json: bool = JsonOpt,
) -> None:
    """比较两个版本（按条款/段落）。"""
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


@kb_app.command("audit")
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
                "审计日志",
                ["时间", "操作人", "操作", "条目", "版本", "详情"],
                (
                    [
                        str(r["at"])[:19],
                        r["actor"],
                        r["action"],
                        r["entry_id"],
                        r["version"],
                        "，".join(f"{k}={v}" for k, v in r["detail"].items()),
                    ]
                    for r in rows
                ),
            )
        ),
    )


def register(app: typer.Typer) -> None:
    """Attach these commands to the main app."""
    app.add_typer(kb_app, name="kb")
