"""The operator's endpoints: ask, triage, fill, dispatch and the combined assist call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import Required, StrictBody, Text, WorkDay
from api.schemas.orders import DuplicateOut

MAX_QUESTION = 1000
MAX_TRANSCRIPT = 20000


class AskBody(StrictBody):
    """One caller question."""

    question: Required(MAX_QUESTION) = Field(description="来电人的问题")
    on: WorkDay | None = Field(default=None, description="按哪一天判断有效性（默认今天）")
    region: Text(120) | None = Field(default=None, description="地区，如 示例市东湖区")
    top_k: int = Field(default=5, ge=1, le=20)
    record: bool = Field(default=True, description="记入提问日志（脱敏）；答不出时登记为知识库缺口")


class SuggestionOut(BaseModel):
    """One suggested answer: the approved text verbatim with its source and validity."""

    entry_id: int
    version: int
    kind: str
    kind_zh: str
    title: str
    text: str
    heading_path: list[str]
    basis_title: str | None
    doc_no: str | None
    owner_unit: str
    effective_from: str | None
    expires_on: str | None
    score: float
    answers: bool
    matched_question: str | None = None


class AlertOut(BaseModel):
    """Something the operator must act on now."""

    kind: str = Field(description="emergency 紧急转接 / legal_channel 法定途径 / explain 需说明")
    target: str = Field(description="119/110/120/122，或法定途径、需说明的事项")
    reason: str
    say: str = Field(description="建议话务员对来电人说的话")
    matched: list[str]
    rule: str


class TriageOut(BaseModel):
    """Alerts in order of urgency."""

    alerts: list[AlertOut]
    transfer: str | None = Field(description="应立即转接的紧急热线")
    legal_channel: str | None


class AskOut(BaseModel):
    """What ``ask`` found."""

    question: str
    on: dt.date
    region: str | None
    answered: bool
    confidence: float
    triage: list[AlertOut] = Field(default_factory=list)
    suggestions: list[SuggestionOut]
    gap_id: int | None
    took_ms: float


class TextBody(StrictBody):
    """A call's text: free text or 坐席：/市民： turns."""

    text: Required(MAX_TRANSCRIPT) = Field(description="通话内容或诉求描述")


class FillBody(TextBody):
    """Fill a work order from a call."""

    accepted_on: WorkDay | None = Field(default=None, description="受理日期（默认今天）")
    region: Text(120) | None = None


class DraftOut(BaseModel):
    """The pre-filled work order (fields the caller did not say are null and in ``missing``)."""

    model_config = ConfigDict(extra="allow")

    caller_name: str | None = None
    phone: str | None = None
    id_number: str | None = None
    district: str | None = None
    street: str | None = None
    address_detail: str | None = None
    appeal_type: str | None = None
    category_code: str | None = None
    category_name: str | None = None
    title: str | None = None
    summary: str | None = None
    urgency: str | None = None
    confidential: bool | None = None
    due_on: dt.date | None = None
    transfer: str | None = None
    legal_channel: str | None = None
    missing: list[str] = Field(default_factory=list)
    missing_labels: list[str] = Field(default_factory=list)


class DispatchBody(TextBody):
    """Where should this appeal go."""

    district: Text(60) | None = Field(default=None, description="事发区县，如 东湖区")
    street: Text(60) | None = Field(default=None, description="事发街道（乡镇）")
    on: WorkDay | None = None
    category_code: Text(12) | None = Field(default=None, description="诉求分类编码")


class DispatchOut(BaseModel):
    """Top matters with 主办/协办 units and the jurisdiction used."""

    model_config = ConfigDict(extra="allow")

    jurisdiction: dict[str, Any]
    suggestions: list[dict[str, Any]]
    on: dt.date


class AssistBody(StrictBody):
    """The live-call panel: the conversation so far."""

    text: Required(MAX_TRANSCRIPT) = Field(description="通话内容（随通话增长）")
    region: Text(120) | None = Field(default=None, description="地区（默认 示例市）")
    on: WorkDay | None = Field(default=None, description="按哪一天判断（默认今天）")
    final: bool = Field(
        default=False,
        description="通话结束时为 true：问题记入提问日志（脱敏）。通话中的逐次分析不记录。",
    )


class AssistOut(BaseModel):
    """Everything the desk shows, in one round trip."""

    triage: TriageOut | None
    answers: AskOut | None = Field(description="推荐答复（来电人说的话太少时为空）")
    order: DraftOut | None
    dispatch: DispatchOut | None
    duplicates: list[DuplicateOut] | None
    unavailable: list[str] = Field(description="未启用或加载失败的部分（中文名及原因）")
    took_ms: dict[str, float]
