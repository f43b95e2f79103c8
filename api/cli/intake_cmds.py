"""`hotline intake …`: the entry clock of newly published policies (3 working days)."""

from __future__ import annotations

import typer

from api.cli.context import ActorOpt, database, unit_of_work
from api.cli.output import JsonOpt, console, emit, table, warn
from kb import intake
from kb.clock import parse_date, today

intake_app = typer.Typer(
    help="新政策录入时限（发布后 3 个工作日内入库）", invoke_without_command=True
)

DateOpt = typer.Option(None, "--date", help="以哪一天为准（默认今天）")


@intake_app.callback()
def intake_main(
    ctx: typer.Context,
    unit: str | None = typer.Option(None, help="只看某单位"),
    date: str | None = DateOpt,
    as_json: bool = JsonOpt,
) -> None:
    """列出待录入、已逾期和已录入的新政策，及各单位按时率。

    仅按周末推算的截止日，在日历补录该年份后自动重新计算（并记入审计日志）。
    """
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
    """登记一份已发布的政策（发布日期不能晚于今天），开始录入计时。"""
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
    if data["due_assumed"]:
        warn("截止日跨入节假日安排尚未收录的年份，仅按周末推算；补录日历后将自动重新计算。")
    emit(
        data,
        as_json,
        lambda: console.print(
            f"[green]已登记[/green]（编号 {data['id']}），应于 [bold]{data['due_on']}[/bold] 前录入知识库"
            + ("（已有对应条目，已自动关闭）" if data["entry_id"] else "")
        ),
    )


@intake_app.command("recompute")
def intake_recompute(as_user: str | None = ActorOpt, as_json: bool = JsonOpt) -> None:
    """补录日历后，重新计算此前仅按周末推算的截止日，并列出变化。"""
    with unit_of_work(as_user) as (session, actor):
        changed = intake.recompute(session, actor.name)
    emit(
        changed,
        as_json,
        lambda: console.print(
            table(
                f"已重新计算截止日（{len(changed)} 项）",
                ["编号", "政策", "原截止日（推算）", "新截止日"],
                ([c.id, c.title, c.old_due_on, c.new_due_on] for c in changed),
            )
            if changed
            else "没有需要重新计算的截止日（或相关年份的节假日安排仍未收录）。"
        ),
    )


def register(app: typer.Typer) -> None:
    """Attach `intake` to the main app."""
    app.add_typer(intake_app, name="intake")
