"""Work orders: bodies and views (masked text only; never the callback data)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.common import Required, StrictBody, Text, UtcDateTime


class OutcomeOut(BaseModel):
    """One dispatch outcome on an order."""

    action: str
    action_zh: str
    unit: str | None
    reason: str
    to_unit: str | None
    to_catalog_row_id: str | None
    actor: str
    at: UtcDateTime


class OrderOut(BaseModel):
    """A work order as the API shows it (masked text, no personal data)."""

    order_no: str
    accepted_at: UtcDateTime
    channel: str
    appeal_type: str
    category_code: str | None
    district: str | None
    street: str | None
    title: str
    summary_masked: str
    urgency: str
    confidential: bool
    status: str
    status_zh: str
    lead_unit: str | None
    lead_unit_code: str | None
    co_unit_codes: list[str]
    catalog_row_id: str | None
    due_on: dt.date | None
    transfer: str | None = Field(
        default=None, description="已转接的紧急热线（110/119/120/122）：此类来电不派单"
    )
    legal_channel: str | None = Field(default=None, description="已告知的法定途径")
    merged_into: str | None
    created_by: str
    closed_at: UtcDateTime | None
    outcomes: list[OutcomeOut]


class DuplicateOut(BaseModel):
    """An open work order an appeal may repeat (并单 is the operator's decision)."""

    order_no: str
    order_id: int
    similarity: float = Field(description="诉求文本相似度（0–1）")
    reasons: list[str]
    reason: str = Field(description="理由（一句中文）")
    title: str
    accepted_at: UtcDateTime | None


class CreateOrderBody(StrictBody):
    """Accept the call as a work order."""

    text: Required(20000) = Field(description="通话内容（脱敏后保存）")
    catalog_id: Text(20) | None = Field(
        default=None, description="选定的派单事项（默认第一条建议）"
    )


class CreatedOut(BaseModel):
    """The stored order and the open orders it may repeat."""

    order: OrderOut
    duplicates: list[DuplicateOut]


class OutcomeBody(StrictBody):
    """What the lead unit did with the order."""

    action: Literal["confirm", "reject", "reassign"] = Field(description="签收 / 退单 / 改派")
    reason: Text(500) = Field(default="", description="退单、改派须写明原因")
    to_unit: Text(120) | None = Field(default=None, description="改派的新主办单位（编码或名称）")
    to_catalog_id: Text(20) | None = Field(default=None, description="改派后的派单事项")


class CloseBody(StrictBody):
    """Mark an order as handled."""

    note: Text(500) = Field(default="", description="办结说明（可选）")


class MergeBody(StrictBody):
    """并单: this order becomes part of another open order."""

    into: Required(40) = Field(
        pattern=r"^[A-Za-z0-9_-]+$", description="并入的目标工单编号（须办理中）"
    )


class ImportOut(BaseModel):
    """An imported history file."""

    file: str
    imported: int
    outcomes: int
