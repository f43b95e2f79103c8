"""`hotline orders confirm|reject|reassign|close|duplicates|merge|recompute`: what happens
to a work order after it is accepted.

Outcomes and close notes go through assistant.workorders, which masks the free text before it
is stored and audited; what dispatch learns from is the outcome rows written here.
"""

from __future__ import annotations

import typer

from api.cli.context import ActorOpt, unit_of_work
from api.cli.order_cmds import OrderArg, order_dict, orders_app
from api.cli.output import JsonOpt, console, emit, table


def _outcome(
    order_no: str,
    action: str,
    as_user: str | None,
    as_json: bool,
    *,
    reason: str = "",
    to: str | None = None,
    catalog_id: str | None = None,
) -> None:
    from assistant.workorders import record_outcome  # masks the reason before storing
    from kb.orders import OUTCOME_ZH, check_can_record, get_order
    from kb.units import get_unit

    with unit_of_work(as_user) as (session, actor):
        order = get_order(session, order_no)
        check_can_record(actor, order, action)
        record_outcome(
            session,
            order,
            action,
            actor=actor.name,
            reason=reason,
            to_unit=get_unit(session, to) if to else None,
            to_catalog_row_id=catalog_id,
        )
        data = order_dict(order)
    emit(
        data,
        as_json,
        lambda: console.print(
            f"[green]已登记{OUTCOME_ZH[action]}[/green]：{data['order_no']}，"
            f"当前主办 {data['lead_unit_name'] or '—'}。"
        ),
    )


@orders_app.command("confirm")
def confirm_cmd(
    order_no: str = OrderArg, as_user: str | None = ActorOpt, as_json: bool = JsonOpt
) -> None:
    """主办单位签收工单（派单正确，用于派单学习）。"""
    _outcome(order_no, "confirm", as_user, as_json)


@orders_app.command("reject")
def reject_cmd(
    order_no: str = OrderArg,
    reason: str = typer.Option(..., "--reason", help="退单原因，如 不属于本单位职责"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """主办单位退单（写明原因；“不属于本单位职责”会降低相似诉求对该事项的推荐）。"""
    _outcome(order_no, "reject", as_user, as_json, reason=reason)


@orders_app.command("reassign")
def reassign_cmd(
    order_no: str = OrderArg,
    to: str = typer.Option(..., "--to", help="新的主办单位（编码或全称）"),
    reason: str = typer.Option(..., "--reason", help="改派原因"),
    catalog_id: str | None = typer.Option(None, "--catalog-id", help="改派后对应的派单目录事项"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """热线中心审核后改派（原事项计为退单，新事项计为正确派单）。"""
    _outcome(order_no, "reassign", as_user, as_json, reason=reason, to=to, catalog_id=catalog_id)


@orders_app.command("close")
def close_cmd(
    order_no: str = OrderArg,
    note: str = typer.Option("", "--note", help="办结说明（写入审计日志，先脱敏）"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """办结工单。"""
    from assistant.workorders import close_order
    from kb.orders import check_can_register, get_order

    with unit_of_work(as_user) as (session, actor):
        check_can_register(actor)
        order = close_order(session, get_order(session, order_no), actor.name, note=note)
        data = order_dict(order)
    emit(data, as_json, lambda: console.print(f"[green]已办结[/green]：{data['order_no']}"))


@orders_app.command("duplicates")
def duplicates_cmd(
    order_no: str = OrderArg, as_user: str | None = ActorOpt, as_json: bool = JsonOpt
) -> None:
    """查找该工单可能重复的、办理中的工单（建议并单）。"""
    from dataclasses import asdict

    from assistant.duplicates import Appeal, find_duplicates
    from kb.orders import get_order

    with unit_of_work(as_user) as (session, _actor):
        order = get_order(session, order_no)
        found = find_duplicates(
            session,
            Appeal.of_order(order),
            exclude_id=order.id,
        )
        rows = [asdict(d) for d in found]

    def render() -> None:
        if not rows:
            console.print("没有发现重复诉求。")
        for r in rows:
            console.print(f"[yellow]{r['order_no']} {r['title']}[/yellow]：{r['reason']}")

    emit(rows, as_json, render)


@orders_app.command("merge")
def merge_cmd(
    order_no: str = OrderArg,
    into: str = typer.Option(..., "--into", help="并入的目标工单（须办理中）"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """并单：把重复诉求并入办理中的工单。"""
    from kb.orders import check_can_register, get_order, merge_orders

    with unit_of_work(as_user) as (session, actor):
        check_can_register(actor)
        order = merge_orders(
            session, get_order(session, order_no), get_order(session, into), actor.name
        )
        data = order_dict(order) | {"merged_into_no": into}
    emit(data, as_json, lambda: console.print(f"[green]已并单[/green]：{order_no} → {into}"))


@orders_app.command("recompute")
def recompute_cmd(as_user: str | None = ActorOpt, as_json: bool = JsonOpt) -> None:
    """补录日历后，重新计算办理中工单此前仅按推算规则得出的办理时限，并列出变化。"""
    from kb.orders import recompute_due

    with unit_of_work(as_user) as (session, actor):
        changed = recompute_due(session, actor.name)
    emit(
        changed,
        as_json,
        lambda: console.print(
            table(
                f"已重新计算办理时限（{len(changed)} 张工单）",
                ["工单编号", "标题", "原时限（推算）", "新时限"],
                ([c.order_no, c.title, c.old_due_on, c.new_due_on] for c in changed),
            )
            if changed
            else "没有需要重新计算的办理时限（或相关年份的节假日安排仍未收录）。"
        ),
    )
