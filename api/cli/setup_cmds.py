"""`hotline init`, `hotline unit …`, `hotline user …`."""

from __future__ import annotations

import typer

from api.cli.context import ActorOpt, database, unit_of_work
from api.cli.output import JsonOpt, console, emit, group, table
from kb.bootstrap import initialise
from kb.models import Unit, User
from kb.units import add_unit, add_user, list_units, list_users

unit_app = group("承办单位：登记与查看")
user_app = group("用户：登记与查看")


def unit_dict(unit: Unit) -> dict:
    """JSON form of a unit."""
    return {
        "id": unit.id,
        "code": unit.code,
        "name": unit.name,
        "region": unit.region,
        "level": unit.level.value,
        "kind": unit.kind.value,
    }


def user_dict(user: User) -> dict:
    """JSON form of a user."""
    return {
        "name": user.name,
        "display_name": user.display_name,
        "role": user.role.value,
        "unit": user.unit.name if user.unit else None,
    }


def init(
    sample: bool = typer.Option(False, "--sample", help="同时载入示例市（虚构）的承办单位和用户"),
    as_json: bool = JsonOpt,
) -> None:
    """初始化或升级知识库（可重复运行，已有数据不受影响）。"""
    result = initialise(sample=sample)

    def render() -> None:
        console.print(
            f"[green]知识库已就绪[/green]：{result.database}（结构版本 {result.revision}）"
        )
        console.print(
            f"新增单位 {result.units_added} 个，用户 {result.users_added} 个，"
            f"办理时限 {result.time_limits_added} 条。"
        )

    emit(result, as_json, render)


@unit_app.command("add")
def unit_add(
    code: str = typer.Option(..., help="单位编码，如 SL-RS"),
    name: str = typer.Option(..., help="单位全称"),
    region: str = typer.Option(..., help="所属地区，如 示例市东湖区"),
    level: str = typer.Option(..., help="层级：市 / 区县 / 街道"),
    kind: str = typer.Option(
        "职能部门", help="类型：职能部门 / 属地政府 / 公共服务企业 / 热线管理机构"
    ),
    parent: str | None = typer.Option(None, help="上级单位（编码或名称）"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """登记承办单位。"""
    with unit_of_work(as_user) as (session, actor):
        if not actor.is_admin:
            from kb.errors import PermissionDenied

            raise PermissionDenied("只有管理员可以登记承办单位。")
        unit = add_unit(
            session,
            code=code,
            name=name,
            region=region,
            level=level,
            kind=kind,
            parent=parent,
            actor=actor.name,
        )
        data = unit_dict(unit)
    emit(
        data,
        as_json,
        lambda: console.print(f"[green]已登记[/green]：{data['name']}（{data['code']}）"),
    )


@unit_app.command("list")
def unit_list(
    region: str | None = typer.Option(None, help="只看某地区（前缀匹配）"),
    as_json: bool = JsonOpt,
) -> None:
    """列出承办单位。"""
    with database().session() as session:
        rows = [unit_dict(u) for u in list_units(session, region)]
    emit(
        rows,
        as_json,
        lambda: console.print(
            table(
                f"承办单位（{len(rows)}）",
                ["编码", "名称", "地区", "层级", "类型"],
                ([r["code"], r["name"], r["region"], r["level"], r["kind"]] for r in rows),
            )
        ),
    )


@user_app.command("add")
def user_add(
    name: str = typer.Argument(..., help="用户名"),
    role: str = typer.Option(..., help="角色：admin / maintainer / reviewer / operator / qa"),
    unit: str | None = typer.Option(None, help="所属单位（维护员必填）"),
    display_name: str = typer.Option("", help="显示名"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """登记用户。"""
    with unit_of_work(as_user) as (session, actor):
        if not actor.is_admin:
            from kb.errors import PermissionDenied

            raise PermissionDenied("只有管理员可以登记用户。")
        data = user_dict(
            add_user(
                session,
                name=name,
                role=role,
                unit=unit,
                display_name=display_name,
                actor=actor.name,
            )
        )
    emit(
        data,
        as_json,
        lambda: console.print(f"[green]已登记用户[/green]：{data['name']}（{data['role']}）"),
    )


@user_app.command("list")
def user_list(as_json: bool = JsonOpt) -> None:
    """列出用户。"""
    with database().session() as session:
        rows = [user_dict(u) for u in list_users(session)]
    emit(
        rows,
        as_json,
        lambda: console.print(
            table(
                f"用户（{len(rows)}）",
                ["用户名", "显示名", "角色", "单位"],
                ([r["name"], r["display_name"], r["role"], r["unit"]] for r in rows),
            )
        ),
    )


def register(app: typer.Typer) -> None:
    """Attach these commands to the main app."""
    app.command("init")(init)
    app.add_typer(unit_app, name="unit")
    app.add_typer(user_app, name="user")
