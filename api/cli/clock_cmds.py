"""`hotline calendar …` and `hotline limits …`: working days and time limits.

The other clocks have their own modules, registered from here: `hotline intake …`
(:mod:`api.cli.intake_cmds`) and `hotline sweep …` (:mod:`api.cli.sweep_cmds`).
"""

from __future__ import annotations

import typer

from api.cli import intake_cmds, sweep_cmds
from api.cli.context import ActorOpt, database, unit_of_work
from api.cli.output import JsonOpt, console, emit, group, table, warn
from kb import timelimits
from kb.calendar import get_calendar
from kb.clock import require_date
from kb.errors import PermissionDenied

calendar_app = group("工作日历：法定节假日与调休")
limits_app = group("办理时限与延期")


@calendar_app.command("add")
def calendar_add(
    date: str = typer.Argument(..., help="起始日期"),
    n: int = typer.Argument(..., help="工作日数"),
    as_json: bool = JsonOpt,
) -> None:
    """起始日期之后第 N 个工作日（起始日当天不计）。"""
    start = require_date(date, "起始日期")
    result = get_calendar().add(start, n)
    data = {
        "start": start,
        "working_days": n,
        "date": result.value,
        "weekday": "一二三四五六日"[result.value.weekday()],
        "assumed_years": list(result.assumed_years),
        "warning": result.warning,
    }
    if result.warning:
        warn(result.warning)
    emit(
        data,
        as_json,
        lambda: console.print(
            f"{start} 之后第 {n} 个工作日：[bold]{data['date']}[/bold]（星期{data['weekday']}）"
        ),
    )


@calendar_app.command("between")
def calendar_between(
    a: str = typer.Argument(..., help="开始日期（不计入）"),
    b: str = typer.Argument(..., help="结束日期（计入）"),
    as_json: bool = JsonOpt,
) -> None:
    """两日期之间的工作日数（不含开始日，含结束日）。"""
    start, end = require_date(a, "开始日期"), require_date(b, "结束日期")
    result = get_calendar().between(start, end)
    data = {
        "start": start,
        "end": end,
        "working_days": result.value,
        "assumed_years": list(result.assumed_years),
        "warning": result.warning,
    }
    if result.warning:
        warn(result.warning)
    emit(
        data,
        as_json,
        lambda: console.print(
            f"{start} 至 {end}：[bold]{result.value}[/bold] 个工作日（不含 {start}，含 {end}）"
        ),
    )


@calendar_app.command("day")
def calendar_day(date: str = typer.Argument(...), as_json: bool = JsonOpt) -> None:
    """某一天是否上班，以及原因。"""
    info = get_calendar().info(require_date(date))
    data = {
        "date": info.day,
        "workday": info.workday,
        "reason": info.reason,
        "assumed": info.assumed,
    }
    emit(
        data,
        as_json,
        lambda: console.print(f"{info.day}：{'上班' if info.workday else '休息'}（{info.reason}）"),
    )


@limits_app.command("list")
def limits_list(as_json: bool = JsonOpt) -> None:
    """各地区、各诉求类型的办理时限。"""
    with database().session() as session:
        rows = [
            {
                "region": r.region,
                "appeal_type": r.appeal_type,
                "working_days": r.working_days,
                "basis": r.basis,
            }
            for r in timelimits.list_limits(session)
        ]
    emit(
        rows,
        as_json,
        lambda: console.print(
            table(
                "办理时限（工作日）",
                ["地区", "诉求类型", "时限", "依据"],
                (
                    [
                        ("全部" if r["region"] == "*" else r["region"]),
                        r["appeal_type"],
                        r["working_days"],
                        r["basis"],
                    ]
                    for r in rows
                ),
            )
        ),
    )


@limits_app.command("set")
def limits_set(
    appeal_type: str = typer.Argument(..., help="咨询/求助/意见建议/投诉/举报"),
    working_days: int = typer.Argument(...),
    region: str = typer.Option("*", help="地区（* 表示全部）"),
    basis: str = typer.Option("", help="依据"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """设置某地区某类诉求的办理时限。"""
    with unit_of_work(as_user) as (session, actor):
        if not actor.is_admin:
            raise PermissionDenied("只有管理员可以调整办理时限。")
        row = timelimits.set_limit(session, region, appeal_type, working_days, basis, actor.name)
        data = {
            "region": row.region,
            "appeal_type": row.appeal_type,
            "working_days": row.working_days,
            "basis": row.basis,
        }
    where = "全部地区" if data["region"] == "*" else data["region"]
    basis_zh = f"（依据：{data['basis']}）" if data["basis"] else ""
    emit(
        data,
        as_json,
        lambda: console.print(
            f"[green]已设置[/green]：{where}{data['appeal_type']}类诉求办理时限为 "
            f"{data['working_days']} 个工作日{basis_zh}"
        ),
    )


@limits_app.command("due")
def limits_due(
    appeal_type: str = typer.Argument(...),
    accepted_on: str = typer.Argument(..., help="受理日期"),
    region: str = typer.Option("", help="地区"),
    order_no: str | None = typer.Option(None, help="工单编号（计入已批准的延期）"),
    as_json: bool = JsonOpt,
) -> None:
    """计算办结期限。"""
    with database().session() as session:
        due = timelimits.due_date(
            session,
            appeal_type,
            require_date(accepted_on, "受理日期"),
            region=region,
            order_no=order_no,
        )
    if due.warning:
        warn(due.warning)
    emit(
        due,
        as_json,
        lambda: console.print(
            f"{appeal_type}类诉求 {accepted_on} 受理，{due.working_days}"
            f"{f'+{due.extra_working_days}（延期）' if due.extra_working_days else ''} 个工作日，"
            f"应于 [bold]{due.due_on}[/bold] 前办结（依据：{due.basis}）"
        ),
    )


@limits_app.command("extend")
def limits_extend(
    order_no: str = typer.Argument(...),
    days: int = typer.Argument(..., help="延长的工作日数"),
    reason: str = typer.Option(..., help="延期原因"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """记录一次经批准的延期。"""
    with unit_of_work(as_user) as (session, actor):
        ext = timelimits.add_extension(session, order_no, days, reason, actor.name)
        data = {
            "order_no": ext.order_no,
            "extra_working_days": ext.extra_working_days,
            "reason": ext.reason,
            "approved_by": ext.approved_by,
        }
    emit(
        data,
        as_json,
        lambda: console.print(f"[green]已记录延期[/green]：{order_no} +{days} 个工作日"),
    )


def register(app: typer.Typer) -> None:
    """Attach these commands (and the intake and sweep groups) to the main app."""
    app.add_typer(calendar_app, name="calendar")
    app.add_typer(limits_app, name="limits")
    intake_cmds.register(app)
    sweep_cmds.register(app)
