"""Intake clock and quarterly sweep: bodies and views."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.schemas.common import Required, StrictBody, Text, WorkDay


class IntakeCreate(StrictBody):
    """Register a newly published policy; its entry clock starts."""

    title: Required(300) = Field(description="政策标题")
    published_on: WorkDay = Field(description="发布日期")
    owner_unit: Required(120) = Field(description="负责录入的单位（编码或名称）")
    doc_no: Text(120) | None = Field(default=None, description="文号")
    issuer: Text(200) | None = Field(default=None, description="发文单位")


class IntakeRowOut(BaseModel):
    """One intake item and its state."""

    id: int
    title: str
    doc_no: str | None
    unit: str
    published_on: dt.date
    due_on: dt.date
    state: str = Field(
        description="on_time 按时录入 / late 逾期录入 / pending 待录入 / overdue 已逾期"
    )
    state_zh: str
    working_days_left: int | None = Field(
        description="待录入：剩余工作日（0 为今天到期）；已逾期：负数"
    )
    entry_id: int | None
    entered_on: dt.date | None
    due_assumed: bool = Field(description="截止日是否按周末推算（节假日数据未覆盖该年）")


class UnitIntakeOut(BaseModel):
    """Per-unit intake totals."""

    unit: str
    total: int
    on_time: int
    late: int
    pending: int
    overdue: int
    on_time_rate: float | None


class IntakeOut(BaseModel):
    """The intake list on one day."""

    on: dt.date
    items: list[IntakeRowOut]
    units: list[UnitIntakeOut]
    warnings: list[str]


class SweepItemOut(BaseModel):
    """An entry that needs its unit's attention this quarter."""

    entry_id: int
    title: str
    unit: str
    kind: str
    version_no: int
    expires_on: dt.date | None
    issues: list[str]
    issues_zh: list[str]
    reasons: list[str]
    reviewed_this_quarter: bool
    pending_version: int | None = Field(
        description="尚未发布的修改版本号（草稿、待审核或已审核待发布）；发布后才计入巡检"
    )
    pending_status: str | None
    pending_status_zh: str | None


class UnitSweepOut(BaseModel):
    """Per-unit sweep counts."""

    unit: str
    in_scope: int
    handled: int
    expired: int
    expiring: int
    unreviewed: int
    abolished: int
    completion_rate: float | None


class SweepOut(BaseModel):
    """The sweep list of one quarter."""

    quarter: str
    on: dt.date
    items: list[SweepItemOut]
    units: list[UnitSweepOut]


class SweepConfirm(StrictBody):
    """Confirm an entry is still right this quarter."""

    note: Text(500) = Field(default="", description="说明（可选）")


class SweepArchive(StrictBody):
    """Archive an entry as the sweep's outcome."""

    reason: Required(500) = Field(description="归档原因（必填）")


class SweepReviewOut(BaseModel):
    """A recorded sweep action."""

    entry_id: int
    quarter: str
    action: str
    note: str
    reviewed_by: str
    reviewed_on: dt.date
