"""The pre-filled work order (工单草稿) an operator sees during a call."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

#: field → Chinese label, in the order an operator reads the form
FIELD_LABELS = {
    "caller_name": "来电人姓名",
    "phone": "联系电话",
    "id_number": "身份证号",
    "province": "省",
    "city": "市",
    "district": "区县",
    "street": "街道（乡镇）",
    "address_detail": "详细地址",
    "appeal_type": "诉求类型",
    "category_code": "诉求分类",
    "title": "标题",
    "summary": "诉求摘要",
    "urgency": "紧急程度",
    "confidential": "要求保密",
    "due_on": "办理时限",
    "transfer": "转接紧急热线",
    "legal_channel": "法定途径",
}


@dataclass
class DueInfo:
    """The handling deadline and how it was computed."""

    due_on: dt.date | None
    working_days: int
    basis: str
    warning: str | None = None  # the calendar had to assume a year (weekends only)


@dataclass
class WorkOrderDraft:
    """Everything form filling found in a call; ``None`` means the caller did not say it."""

    caller_name: str | None = None
    phone: str | None = None
    id_number: str | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None
    street: str | None = None
    address_detail: str | None = None
    appeal_type: str = "咨询"
    category_code: str | None = None
    category_name: str | None = None  # 城乡建设 / 物业管理 / 物业服务质量
    title: str = ""
    summary: str = ""
    urgency: str = "一般"
    confidential: bool = False
    accepted_on: dt.date | None = None
    due: DueInfo | None = None
    transfer: str | None = None
    legal_channel: str | None = None
    alerts: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    llm_used: bool = False

    @property
    def due_on(self) -> dt.date | None:
        """The due date, if one applies."""
        return self.due.due_on if self.due else None

    def to_dict(self) -> dict:
        """JSON form (dates as ISO strings by the CLI's encoder)."""
        data = asdict(self)
        data["due_on"] = self.due_on
        data["missing_labels"] = [FIELD_LABELS.get(f, f) for f in self.missing]
        return data
