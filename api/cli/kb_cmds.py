"""`hotline kb …` that change the KB: add, edit, lifecycle moves, supersede, abolishes.

Reading commands (list, show, history, diff, audit) are in :mod:`api.cli.kb_read_cmds` and
attached to the same ``kb`` group.
"""

from __future__ import annotations

from pathlib import Path

import typer

from api.cli import kb_read_cmds
from api.cli.context import ActorOpt, unit_of_work
from api.cli.output import JsonOpt, console, emit, group
from kb import lifecycle, sweep
from kb.clock import parse_date, today
from kb.content import VersionContent
from kb.entries import create_entry, edit_entry, get_version, set_superseded_by
from kb.errors import InvalidInput
from kb.views import entry_dict, version_dict

kb_app = group("知识库条目：新建、编辑、审核、发布、归档、版本比较与回滚")


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


@kb_app.command("add")
def add(
    kind: str = typer.Option(..., help="类型：policy / script / faq / notice"),
    title: str = typer.Option(..., help="标题（同一地区不可重复）"),
    unit: str = typer.Option(..., help="责任单位（编码或名称）"),
    region: str = typer.Option(
        ..., help="适用地区：全国，或已登记单位所在的地区（如 示例市、示例市东湖区）"
    ),
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
    intake_id: int | None = typer.Option(
        None, "--intake", help="本条目录入的待录入政策编号（见 hotline intake），录入即关闭"
    ),
    submit: bool = typer.Option(False, "--submit", help="新建后立即提交审核"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """新建条目（第 1 版为草稿）；同单位、同文号的待录入政策自动关闭。"""
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
            intake_id=intake_id,
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
    """编辑条目：基于最新版本生成新版本（草稿）；未给出的字段沿用原值。

    改标题时，新标题在发布前即被占用，原标题仍是对外显示的标题，直到新版本发布。
    """
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


@kb_app.command("supersede")
def supersede(
    old: int = typer.Argument(..., help="被替代的旧条目 ID"),
    new: int = typer.Argument(..., help="替代它的新条目 ID"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """标记旧条目已被新条目替代；新条目发布生效后，季度巡检即提示清理旧条目。"""
    with unit_of_work(as_user) as (session, actor):
        entry = set_superseded_by(session, actor, old, new)
        data = {"entry_id": entry.id, "superseded_by": entry.superseded_by_id}
    emit(
        data,
        as_json,
        lambda: console.print(f"[green]已标记[/green]：条目 {old} 已被条目 {new} 替代"),
    )


@kb_app.command("abolishes")
def abolishes(
    entry_id: int = typer.Argument(..., help="新政策的条目 ID"),
    title: str | None = typer.Option(None, "--title", help="被废止（或替代）文件的标题"),
    doc_no: str | None = typer.Option(None, "--doc-no", help="被废止（或替代）文件的文号"),
    replaces: bool = typer.Option(
        False, "--replaces", help="是“替代”而不是“废止”（如新办法取代暂行办法）"
    ),
    effective_on: str | None = typer.Option(
        None, "--effective-on", help="自哪一天起废止/替代（默认新政策生效即起）"
    ),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """登记本条目废止（或替代）了哪份文件；本条目发布生效后，依据该文件的条目在季度巡检中被提示。"""
    relation = "replaces" if replaces else "abolishes"
    day = parse_date(effective_on, "--effective-on")
    with unit_of_work(as_user) as (session, actor):
        rel = sweep.add_relation(
            session,
            actor,
            entry_id,
            relation,
            target_title=title,
            target_doc_no=doc_no,
            effective_on=day,
        )
        data = {
            "id": rel.id,
            "entry_id": entry_id,
            "relation": relation,
            "target_title": rel.target_title,
            "target_doc_no": rel.target_doc_no,
            "effective_on": rel.effective_on,
        }
    verb = "替代" if replaces else "废止"
    target = " ".join(x for x in (data["target_title"] and f"《{data['target_title']}》",
                                  data["target_doc_no"]) if x)  # fmt: skip
    emit(
        data,
        as_json,
        lambda: console.print(f"[green]已登记[/green]：条目 {entry_id} {verb} {target}"),
    )


kb_read_cmds.attach(kb_app)


def register(app: typer.Typer) -> None:
    """Attach these commands to the main app."""
    app.add_typer(kb_app, name="kb")
