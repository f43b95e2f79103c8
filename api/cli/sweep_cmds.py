"""`hotline sweep …`: the quarterly sweep list, confirmations and clean-up."""

from __future__ import annotations

import datetime as dt

import typer

from api.cli.context import ActorOpt, database, unit_of_work
from api.cli.output import JsonOpt, console, emit, table
from kb import sweep
from kb.clock import parse_date, today

sweep_app = typer.Typer(help="季度巡检", invoke_without_command=True)

DateOpt = typer.Option(None, "--date", help="以哪一天为准（默认今天）")


def _sweep_report(day: dt.date, quarter: str | None, unit: str | None) -> sweep.SweepReport:
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
    date: str | None = typer.Option(
        None, "--date", help="巡检日期（默认今天；须在本季度内，补录以往季度仅限管理员）"
    ),
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
    """Attach `sweep` to the main app."""
    app.add_typer(sweep_app, name="sweep")
