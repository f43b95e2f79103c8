"""`hotline calendar …`, `hotline limits …`, `hotline intake …`, `hotline sweep …`."""

from __future__ import annotations

import typer

from api.cli.context import ActorOpt, database, unit_of_work
from api.cli.output import JsonOpt, console, emit, table, warn
from kb import intake, sweep, timelimits
from kb.calendar import get_calendar
from kb.clock import parse_date, require_date, today

calendar_app = typer.Typer(help="工作日历：法定节假日与调休", no_args_is_help=True)
limits_app = typer.Typer(help="办理时限与延期", no_args_is_help=True)
intake_app = typer.Typer(
    help="新政策录入时限（发布后 3 个工作日内入库）", invoke_without_command=True
)
sweep_app = typer.Typer(help="季度巡检", invoke_without_command=True)

DateOpt = typer.Option(None, "--date", help="以哪一天为准（默认今天）")


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
            from kb.errors import PermissionDenied

            raise PermissionDenied("只有管理员可以调整办理时限。")
        row = timelimits.set_limit(session, region, appeal_type, working_days, basis, actor.name)
        data = {
            "region": row.region,
            "appeal_type": row.appeal_type,
            "working_days": row.working_days,
        }
    emit(data, as_json, lambda: console.print(f"[green]已设置[/green]：{data}"))


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


@intake_app.callback()
def intake_main(
    ctx: typer.Context,
    unit: str | None = typer.Option(None, help="只看某单位"),
    date: str | None = DateOpt,
    as_json: bool = JsonOpt,
) -> None:
    """列出待录入、已逾期和已录入的新政策，及各单位按时录入率。"""
    if ctx.invoked_subcommand:
        return
    day = parse_date(date, "--date") or today()
    with database().session() as session:
        rep = intake.report(session, day, unit)
    for message in rep.warnings:
        warn(message)
    data = {
        "on": rep.on,
        "items": rep.rows,
        "warnings": rep.warnings,
        "units": [{**u.__dict__, "on_time_rate": u.on_time_rate} for u in rep.units],
    }

    def render() -> None:
        def left(row: intake.IntakeRow) -> str:
            if row.working_days_left is None:
                return f"{row.entered_on} 录入"
            if row.working_days_left >= 0:
                return f"剩 {row.working_days_left} 个工作日"
            return f"逾期 {-row.working_days_left} 个工作日"

        console.print(
            table(
                f"新政策录入（截至 {day}）",
                ["编号", "政策", "文号", "单位", "发布", "截止", "状态", "进度"],
                (
                    [
                        r.id,
                        r.title,
                        r.doc_no,
                        r.unit,
                        r.published_on,
                        r.due_on,
                        intake.STATE_ZH[r.state],
                        left(r),
                    ]
                    for r in rep.rows
                ),
            )
        )
        console.print(
            table(
                "各单位",
                ["单位", "总数", "按时", "逾期录入", "待录入", "已逾期", "按时率"],
                (
                    [
                        u.unit,
                        u.total,
                        u.on_time,
                        u.late,
                        u.pending,
                        u.overdue,
                        "—" if u.on_time_rate is None else f"{u.on_time_rate:.0%}",
                    ]
                    for u in rep.units
                ),
            )
        )

    emit(data, as_json, render)


@intake_app.command("add")
def intake_add(
    title: str = typer.Option(..., help="政策标题"),
    published_on: str = typer.Option(..., help="发布日期"),
    unit: str = typer.Option(..., help="负责录入的单位"),
    doc_no: str | None = typer.Option(None, help="文号"),
    issuer: str | None = typer.Option(None, help="发文单位"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """登记一份新发布的政策，开始录入计时。"""
    with unit_of_work(as_user) as (session, actor):
        item = intake.register(
            session,
            actor,
            title=title,
            published_on=published_on,
            owner_unit=unit,
            doc_no=doc_no,
            issuer=issuer,
        )
        data = {
            "id": item.id,
            "title": item.title,
            "doc_no": item.doc_no,
            "published_on": item.published_on,
            "due_on": item.due_on,
            "entry_id": item.entry_id,
            "due_assumed": item.due_assumed,
        }
    emit(
        data,
        as_json,
        lambda: console.print(
            f"[green]已登记[/green]（编号 {data['id']}），应于 [bold]{data['due_on']}[/bold] 前录入知识库"
            + ("（已有对应条目，已自动关闭）" if data["entry_id"] else "")
        ),
    )


def _sweep_report(day, quarter, unit):
    with database().session() as session:
        return sweep.report(session, day, quarter=quarter, unit=unit)


@sweep_app.callback()
def sweep_main(
    ctx: typer.Context,
    quarter: str | None = typer.Option(None, help="季度，如 2026Q4（默认当前季度）"),
    unit: str | None = typer.Option(None, help="只看某单位"),
    date: str | None = DateOpt,
    as_json: bool = JsonOpt,
) -> None:
    """季度巡检清单：已过期、即将到期、本季度未巡检、依据已废止的条目，及各单位完成率。"""
    if ctx.invoked_subcommand:
        return
    day = parse_date(date, "--date") or today()
    rep = _sweep_report(day, quarter, unit)
    data = {
        "quarter": rep.quarter,
        "on": rep.on,
        "items": rep.items,
        "units": [{**u.__dict__, "completion_rate": u.completion_rate} for u in rep.units],
    }

    def render() -> None:
        console.print(
            table(
                f"{rep.quarter} 季度巡检清单（截至 {day}）",
                ["ID", "标题", "单位", "版本", "有效期至", "问题", "说明"],
                (
                    [
                        i.entry_id,
                        i.title,
                        i.unit,
                        i.version_no,
                        i.expires_on or "长期",
                        "、".join(sweep.ISSUE_ZH[x] for x in i.issues),
                        "；".join(i.reasons),
                    ]
                    for i in rep.items
                ),
            )
        )
        console.print(
            table(
                "各单位",
                ["单位", "应巡检", "已处理", "已过期", "即将到期", "未巡检", "依据废止", "完成率"],
                (
                    [
                        u.unit,
                        u.in_scope,
                        u.handled,
                        u.expired,
                        u.expiring,
                        u.unreviewed,
                        u.abolished,
                        "—" if u.completion_rate is None else f"{u.completion_rate:.0%}",
                    ]
                    for u in rep.units
                ),
            )
        )

    emit(data, as_json, render)


@sweep_app.command("confirm")
def sweep_confirm(
    entry_id: int,
    note: str = typer.Option("", help="巡检说明"),
    date: str | None = DateOpt,
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """确认条目本季度已巡检、内容仍然准确。"""
    day = parse_date(date, "--date") or today()
    with unit_of_work(as_user) as (session, actor):
        review = sweep.confirm(session, actor, entry_id, day, note)
        data = {"entry_id": entry_id, "quarter": review.quarter, "reviewed_by": review.reviewed_by}
    emit(
        data,
        as_json,
        lambda: console.print(f"[green]已确认[/green]：条目 {entry_id}（{data['quarter']}）"),
    )


@sweep_app.command("archive")
def sweep_archive(
    entry_id: int,
    reason: str = typer.Option(..., help="归档原因"),
    date: str | None = DateOpt,
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """巡检中清理：归档过期或失效的条目。"""
    day = parse_date(date, "--date") or today()
    with unit_of_work(as_user) as (session, actor):
        review = sweep.archive(session, actor, entry_id, day, reason)
        data = {"entry_id": entry_id, "quarter": review.quarter, "action": "archive"}
    emit(data, as_json, lambda: console.print(f"[green]已归档[/green]：条目 {entry_id}"))


def register(app: typer.Typer) -> None:
    """Attach these commands to the main app."""
    app.add_typer(calendar_app, name="calendar")
    app.add_typer(limits_app, name="limits")
    app.add_typer(intake_app, name="intake")
    app.add_typer(sweep_app, name="sweep")
