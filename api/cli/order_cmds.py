"""`hotline orders …`: accept calls as work orders, import history, list and show them.

What happens to an order afterwards (签收/退单/改派, 办结, 并单, due dates recounted) is in
api/cli/order_handling_cmds.py, on the same ``orders`` group.

Work-order text is stored masked; callback data only encrypted (see assistant/workorders.py).
`orders show --callback` decrypts it for people allowed to call the citizen back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from api.cli.call_cmds import TextOpt, read_text
from api.cli.context import ActorOpt, unit_of_work
from api.cli.output import JsonOpt, console, emit, table
from kb.clock import CHINA_TZ, as_utc
from kb.errors import InvalidInput

orders_app = typer.Typer(
    help="工单：受理、导入历史、签收/退单/改派、办结、重复诉求并单", no_args_is_help=True
)
OrderArg = typer.Argument(..., help="工单编号（如 GD20261122000001）")


def _local(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return as_utc(value).astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def order_dict(order) -> dict:
    """JSON form of a work order (masked text only; never the callback data)."""
    from kb.orders import ORDER_STATUS_ZH, OUTCOME_ZH

    return {
        "order_no": order.order_no,
        "accepted_at": _local(order.accepted_at),
        "channel": order.channel,
        "appeal_type": order.appeal_type,
        "category_code": order.category_code,
        "district": order.district,
        "street": order.street,
        "title": order.title,
        "summary_masked": order.summary_masked,
        "text_masked": order.text_masked,
        "urgency": order.urgency,
        "confidential": order.confidential,
        "status": order.status,
        "status_zh": ORDER_STATUS_ZH[order.status],
        "lead_unit": order.lead_unit.code if order.lead_unit else None,
        "lead_unit_name": order.lead_unit.name if order.lead_unit else None,
        "co_units": list(order.co_unit_codes or []),
        "catalog_id": order.catalog_row_id,
        "due_on": order.due_on,
        "transfer": (order.meta or {}).get("transfer"),
        "merged_into": order.merged_into_id,
        "has_callback_data": bool(order.vault_sealed),
        "outcomes": [
            {
                "action": o.action,
                "action_zh": OUTCOME_ZH[o.action],
                "unit": o.unit.code if o.unit else None,
                "catalog_id": o.catalog_row_id,
                "to_unit": o.to_unit.code if o.to_unit else None,
                "reason": o.reason,
                "actor": o.actor,
                "at": _local(o.at),
            }
            for o in order.outcomes
        ],
        "meta": order.meta,
    }


def _accepted_at(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    from assistant.order_import import _accepted_at as parse

    try:
        return parse(value)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


@orders_app.command("create")
def create_cmd(
    text: str | None = TextOpt,
    channel: str = typer.Option("电话", "--channel", help="受理渠道"),
    accepted_at: str | None = typer.Option(None, "--accepted-at", help="受理时间（默认现在）"),
    catalog_id: str | None = typer.Option(
        None, "--catalog-id", help="选用建议中的另一个派单目录事项（默认第一项）"
    ),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """受理来电为工单：智能填单 + 派单，文本脱敏存储，并提示可能的重复诉求。"""
    from dataclasses import asdict

    from assistant.call_desk import CallDesk
    from assistant.workorders import create_from_call
    from kb.orders import CHANNELS, check_can_register

    if channel not in CHANNELS:
        raise InvalidInput(f"渠道“{channel}”无效，应为 {'、'.join(CHANNELS)} 之一。")
    transcript = read_text(text)
    with unit_of_work(as_user) as (session, actor):
        check_can_register(actor)
        desk = CallDesk(session=session)
        created = create_from_call(
            session,
            desk,
            transcript,
            actor=actor.name,
            channel=channel,
            accepted_at=_accepted_at(accepted_at),
            catalog_id=catalog_id,
        )
        data = {
            "order": order_dict(created.order),
            "alerts": created.alerts,
            "suggestions": [asdict(s) for s in created.suggestions],
            "duplicates": [asdict(d) for d in created.duplicates],
        }

    def render() -> None:
        o = data["order"]
        console.print(
            f"[green]已受理工单 {o['order_no']}[/green]：{o['title']}（{o['appeal_type']}，{o['urgency']}）"
        )
        if o["transfer"] and not o["lead_unit_name"]:
            console.print(f"已转接 {o['transfer']}，无需派单；工单已办结。")
        else:
            console.print(
                f"主办：{o['lead_unit_name'] or '未派单'}；办理时限：{o['due_on'] or '—'}"
            )
        for alert in data["alerts"]:
            console.print(f"[red]{alert['target']}：{alert['say']}[/red]")
        for dup in data["duplicates"]:
            console.print(
                f"[yellow]可能重复：{dup['order_no']} {dup['title']}（{dup['reason']}）[/yellow]"
            )
        if data["duplicates"]:
            console.print(
                f"如确认重复，请运行 hotline orders merge {o['order_no']} --into <工单编号>"
            )

    emit(data, as_json, render)


@orders_app.command("import")
def import_cmd(
    file: Path = typer.Argument(
        ..., help="历史工单 CSV 或 XLSX（列说明见 hotline orders import --help）"
    ),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """导入历史工单（CSV/XLSX）：逐行校验，任一行有误则全部不导入并列出错误行。

    必填列 accepted_at/受理时间、appeal_type/诉求类型、text/诉求内容；可选 order_no、channel、
    category_code、district、street、title、urgency、status、lead_unit、co_units、catalog_id、
    phone、id_number、address、outcome（签收/退单/改派）、outcome_reason、outcome_to_unit。
    诉求内容脱敏存储；号码、证件号、地址只加密保存并存哈希。
    """
    from assistant.dispatch.catalog import default_catalog_path, load_catalog
    from assistant.jurisdiction import default_directory
    from assistant.order_import import import_orders
    from kb.orders import check_can_register

    with unit_of_work(as_user) as (session, actor):
        check_can_register(actor)
        catalog = load_catalog(default_catalog_path(), default_directory(session))
        result = import_orders(session, file, catalog, actor=actor.name)
    emit(
        result,
        as_json,
        lambda: console.print(
            f"[green]已导入 {result.imported} 张工单[/green]（{result.file}），"
            f"其中 {result.outcomes} 张带派单结果，已用于派单学习。"
        ),
    )


@orders_app.command("list")
def list_cmd(
    status: str | None = typer.Option(None, "--status", help="open / closed / merged"),
    district: str | None = typer.Option(None, "--district", help="区县"),
    limit: int = typer.Option(50, "--limit", min=1, max=10000),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """列出工单（最新在前）。"""
    from kb.orders import list_orders

    with unit_of_work(as_user) as (session, _actor):
        rows = [
            order_dict(o)
            for o in list_orders(session, status=status, district=district, limit=limit)
        ]

    def render() -> None:
        console.print(
            table(
                f"工单（{len(rows)}）",
                ["编号", "受理时间", "类型", "标题", "区县", "主办", "状态", "时限"],
                [
                    [
                        r["order_no"],
                        r["accepted_at"],
                        r["appeal_type"],
                        r["title"],
                        r["district"],
                        r["lead_unit_name"],
                        r["status_zh"],
                        r["due_on"],
                    ]
                    for r in rows
                ],
            )
        )

    emit(rows, as_json, render)


@orders_app.command("show")
def show_cmd(
    order_no: str = OrderArg,
    callback: bool = typer.Option(False, "--callback", help="解密显示回访所需的来电人信息"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """查看一张工单（脱敏文本、派单结果；--callback 显示回访信息，需相应权限）。"""
    from assistant.workorders import callback_data
    from kb import audit
    from kb.orders import check_can_see_callback, get_order

    with unit_of_work(as_user) as (session, actor):
        order = get_order(session, order_no)
        data = order_dict(order)
        if callback:
            check_can_see_callback(actor, order)
            data["callback"] = callback_data(order)
            audit.record(session, actor.name, "order.callback_viewed", order_no=order.order_no)

    def render() -> None:
        console.print(f"[bold]{data['order_no']}[/bold] {data['title']}（{data['status_zh']}）")
        console.print(
            f"受理：{data['accepted_at']} {data['channel']}；{data['appeal_type']}；{data['urgency']}"
        )
        console.print(
            f"属地：{data['district'] or '—'}{data['street'] or ''}；主办：{data['lead_unit_name'] or '—'}；协办：{'、'.join(data['co_units']) or '—'}"
        )
        console.print(f"办理时限：{data['due_on'] or '—'}；派单目录：{data['catalog_id'] or '—'}")
        console.print(f"内容（脱敏）：{data['text_masked']}")
        for o in data["outcomes"]:
            console.print(
                f"  {o['at']} {o['action_zh']} {o['unit'] or ''} {o['reason']}（{o['actor']}）"
            )
        if "callback" in data:
            for key, value in data["callback"].items():
                console.print(f"  回访信息 {key}：{value}")

    emit(data, as_json, render)


def register(app: typer.Typer) -> None:
    """Add `hotline orders` to the CLI (with the handling commands of order_handling_cmds)."""
    import api.cli.order_handling_cmds  # noqa: F401  (registers its commands on orders_app)

    app.add_typer(orders_app, name="orders")
