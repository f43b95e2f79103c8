"""Work orders: accept a call, list and show, import history, outcomes, close, 并单.

Orders hold masked text only; the callback data stays sealed (never in these answers) and
phone/ID/address exist only as keyed hashes. Who may do what is kb.orders' rule
(check_can_register / check_can_record), the same the CLI applies; a unit's maintainers and
reviewers see only the orders their unit leads. A recorded outcome (签收/退单/改派) is what
dispatch learns from, so the running dispatcher's memory is refreshed right after it is
written.

A call the triage transfers to 110/119/120/122 is not dispatched: accepting it stores the
order with no lead unit and no due date and closes it at once, noting the transfer
(assistant.workorders.create_from_call, shared with the CLI). Outcome reasons and close
notes go through assistant.workorders too, which masks them before they are stored.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Path, Query, Request, UploadFile, status
from fastapi.encoders import jsonable_encoder
from sqlalchemy.orm import object_session

from api.auth import Caller, any_user
from api.schemas.common import AUTH_ERRORS, errors
from api.schemas.orders import (
    CloseBody,
    CreatedOut,
    CreateOrderBody,
    DuplicateOut,
    ImportOut,
    MergeBody,
    OrderOut,
    OutcomeBody,
)
from api.state import app_state, unit_of_work
from api.uploads import check_suffix, saved_upload
from kb.actors import Actor
from kb.errors import NotFound
from kb.models import Role

router = APIRouter(
    prefix="/api/orders", tags=["工单"], responses={**AUTH_ERRORS, **errors(404, 409, 503)}
)

OrderNo = Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$", description="工单编号")
ORDER_FILE_TYPES = (".csv", ".xlsx")
ORDER_FILE_HINT = "CSV 或 XLSX 格式的历史工单表（CSV 用 UTF-8 或 GBK 编码）"


def order_dict(order: Any) -> dict:
    """JSON form of an order: masked text and recognised fields only."""
    from kb.orders import ORDER_STATUS_ZH, OUTCOME_ZH

    merged = None
    if order.merged_into_id is not None:
        merged = object_session(order).get(type(order), order.merged_into_id).order_no
    return {
        "order_no": order.order_no,
        "accepted_at": order.accepted_at,
        "channel": order.channel,
        "appeal_type": order.appeal_type,
        "category_code": order.category_code,
        "district": order.district,
        "street": order.street,
        "title": order.title,
        "summary_masked": order.summary_masked,
        "urgency": order.urgency,
        "confidential": order.confidential,
        "status": order.status,
        "status_zh": ORDER_STATUS_ZH[order.status],
        "lead_unit": order.lead_unit.name if order.lead_unit else None,
        "lead_unit_code": order.lead_unit.code if order.lead_unit else None,
        "co_unit_codes": list(order.co_unit_codes or []),
        "catalog_row_id": order.catalog_row_id,
        "due_on": order.due_on,
        "transfer": (order.meta or {}).get("transfer"),
        "legal_channel": (order.meta or {}).get("legal_channel"),
        "merged_into": merged,
        "created_by": order.created_by,
        "closed_at": order.closed_at,
        "outcomes": [
            {
                "action": o.action,
                "action_zh": OUTCOME_ZH[o.action],
                "unit": o.unit.name if o.unit else None,
                "reason": o.reason,
                "to_unit": o.to_unit.name if o.to_unit else None,
                "to_catalog_row_id": o.to_catalog_row_id,
                "actor": o.actor,
                "at": o.at,
            }
            for o in order.outcomes
        ],
    }


def _unit_scoped(actor: Actor) -> bool:
    return actor.role in (Role.MAINTAINER, Role.REVIEWER) and actor.unit_id is not None


def _visible(actor: Actor, order: Any) -> None:
    if _unit_scoped(actor) and order.lead_unit_id != actor.unit_id:
        # not 403: whether an order of another unit exists is not theirs to learn
        raise NotFound(f"没有工单“{order.order_no}”，可用工单列表查看本单位工单。")


@router.get("", response_model=list[OrderOut], summary="工单列表")
def list_(
    request: Request,
    status_: Literal["open", "closed", "merged"] | None = Query(None, alias="status"),
    district: str | None = Query(None, max_length=60, description="区县，如 东湖区"),
    limit: int = Query(100, ge=1, le=1000),
    caller: Caller = Depends(any_user),
) -> list[dict]:
    """最新的在前；维护员、审核员只看到本单位主办的工单。"""
    from sqlalchemy import select

    from kb.orders import WorkOrder, list_orders

    with unit_of_work(request) as session:
        if _unit_scoped(caller.actor):
            stmt = (
                select(WorkOrder)
                .where(WorkOrder.lead_unit_id == caller.actor.unit_id)
                .order_by(WorkOrder.accepted_at.desc(), WorkOrder.id.desc())
                .limit(limit)
            )
            if status_:
                stmt = stmt.where(WorkOrder.status == status_)
            if district:
                stmt = stmt.where(WorkOrder.district == district)
            orders = list(session.scalars(stmt))
        else:
            orders = list_orders(session, status=status_, district=district, limit=limit)
        return jsonable_encoder([order_dict(o) for o in orders])


@router.get("/{order_no}", response_model=OrderOut, summary="查看工单")
def show(request: Request, order_no: str = OrderNo, caller: Caller = Depends(any_user)) -> dict:
    """工单（脱敏文本）与派单结果记录；不含来电人回访信息。"""
    from kb.orders import get_order

    with unit_of_work(request) as session:
        order = get_order(session, order_no)
        _visible(caller.actor, order)
        return jsonable_encoder(order_dict(order))


@router.post(
    "", response_model=CreatedOut, status_code=status.HTTP_201_CREATED, summary="受理为工单"
)
def create(request: Request, body: CreateOrderBody, caller: Caller = Depends(any_user)) -> dict:
    """智能填单并按派单建议（或选定事项）生成工单；文本脱敏保存，回访信息加密保存。

    须转接 110/119/120/122 的来电不派单：工单记下转接去向后即办结（除非选定了派单事项）。
    """
    from assistant.workorders import create_from_call
    from kb.orders import check_can_register

    desk = app_state(request).assistant.get("call_desk")
    check_can_register(caller.actor)
    with unit_of_work(request) as session:
        created = create_from_call(
            session, desk, body.text, actor=caller.actor.name, catalog_id=body.catalog_id
        )
        return jsonable_encoder(
            {
                "order": order_dict(created.order),
                "duplicates": [dataclasses.asdict(d) for d in created.duplicates],
            }
        )


@router.post("/import", response_model=ImportOut, summary="导入历史工单（CSV/XLSX）")
def import_history(
    request: Request,
    file: UploadFile = File(
        ..., description="列见 docs/calls.md；受理时间、诉求类型、诉求内容必填"
    ),
    caller: Caller = Depends(any_user),
) -> dict:
    """整表原子导入：有一行错误就不导入任何工单，并逐行列出错误；文本脱敏保存。"""
    from assistant.order_import import import_orders
    from kb.orders import check_can_register

    state = app_state(request)
    desk = state.assistant.get("call_desk")
    check_can_register(caller.actor)
    check_suffix(file.filename or "", ORDER_FILE_TYPES, "工单导入")
    with (
        saved_upload(file, state.settings.max_upload_mb, ORDER_FILE_HINT) as path,
        unit_of_work(request) as session,
    ):
        result = import_orders(session, path, desk.catalog, actor=caller.actor.name)
    _refresh_learning(request)
    return dataclasses.asdict(result)


@router.post("/{order_no}/outcome", response_model=OrderOut, summary="登记派单结果")
def outcome(
    request: Request,
    body: OutcomeBody,
    order_no: str = OrderNo,
    caller: Caller = Depends(any_user),
) -> dict:
    """签收、退单（须写原因）或改派（须经热线中心，写明原因和新单位）；派单建议随之调整。"""
    from assistant.workorders import record_outcome  # masks the reason before storing
    from kb.orders import check_can_record, get_order
    from kb.units import get_unit

    with unit_of_work(request) as session:
        order = get_order(session, order_no)
        _visible(caller.actor, order)
        check_can_record(caller.actor, order, body.action)
        to_unit = get_unit(session, body.to_unit) if body.to_unit else None
        record_outcome(
            session,
            order,
            body.action,
            actor=caller.actor.name,
            reason=body.reason,
            to_unit=to_unit,
            to_catalog_row_id=body.to_catalog_id,
        )
        data = jsonable_encoder(order_dict(order))
    _refresh_learning(request)
    return data


def _refresh_learning(request: Request) -> None:
    """Give the running dispatcher every outcome recorded so far."""
    assistant = app_state(request).assistant
    if not assistant.has("dispatcher"):
        return
    from assistant.dispatch.learning import memory_from_session

    with unit_of_work(request) as session:
        assistant.get("dispatcher").memory = memory_from_session(session)


@router.post("/{order_no}/close", response_model=OrderOut, summary="办结工单")
def close(
    request: Request,
    body: CloseBody | None = None,
    order_no: str = OrderNo,
    caller: Caller = Depends(any_user),
) -> dict:
    """办结办理中的工单（话务员、热线中心审核员、管理员）。"""
    from assistant.workorders import close_order  # masks the note before auditing
    from kb.orders import check_can_register, get_order

    check_can_register(caller.actor)
    with unit_of_work(request) as session:
        order = close_order(
            session, get_order(session, order_no), caller.actor.name, (body or CloseBody()).note
        )
        return jsonable_encoder(order_dict(order))


@router.post("/{order_no}/merge", response_model=OrderOut, summary="并单")
def merge(
    request: Request, body: MergeBody, order_no: str = OrderNo, caller: Caller = Depends(any_user)
) -> dict:
    """把重复诉求并入办理中的工单（话务员、热线中心审核员、管理员）；本工单状态变为“已并单”。"""
    from kb.orders import check_can_register, get_order, merge_orders

    check_can_register(caller.actor)
    with unit_of_work(request) as session:
        order = merge_orders(
            session, get_order(session, order_no), get_order(session, body.into), caller.actor.name
        )
        return jsonable_encoder(order_dict(order))


@router.get("/{order_no}/duplicates", response_model=list[DuplicateOut], summary="可能重复的工单")
def duplicates(
    request: Request, order_no: str = OrderNo, caller: Caller = Depends(any_user)
) -> list:
    """该工单可能重复的、办理中的工单（按脱敏文本与哈希比较），最相似的在前。

    维护员、审核员只看到本单位主办的工单（与工单列表相同）。
    """
    from assistant.duplicates import Appeal, find_duplicates
    from kb.orders import WorkOrder, get_order

    with unit_of_work(request) as session:
        order = get_order(session, order_no)
        _visible(caller.actor, order)
        found = find_duplicates(
            session,
            Appeal.of_order(order),
            exclude_id=order.id,
        )
        if _unit_scoped(caller.actor):
            found = [
                d
                for d in found
                if session.get(WorkOrder, d.order_id).lead_unit_id == caller.actor.unit_id
            ]
        return jsonable_encoder([dataclasses.asdict(d) for d in found])
