"""Bodies and views of KB entries, versions, the audit log and diffs."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from api.schemas.common import MAX_ID, Day, Required, StrictBody, Text, UtcDateTime
from kb.content import MAX_BODY, MAX_TITLE

Kind = Literal["policy", "script", "faq", "notice"]

# the content fields a body may set, in VersionContent.build's names
CONTENT_FIELDS = (
    "title",
    "body",
    "questions",
    "basis_title",
    "doc_no",
    "basis_clause",
    "issuer",
    "published_on",
    "category",
    "keywords",
    "effective_from",
    "expires_on",
)


class ContentFields(StrictBody):
    """Content of a version (all optional here; create requires title and body)."""

    title: Required(MAX_TITLE) | None = Field(default=None, description="标题（同一地区唯一）")
    body: Required(MAX_BODY) | None = Field(default=None, description="答复口径或条文")
    questions: list[Text(300)] | None = Field(
        default=None, max_length=200, description="相似问法（整体替换）"
    )
    basis_title: Text(300) | None = Field(default=None, description="依据文件标题")
    doc_no: Text(120) | None = Field(default=None, description="文号")
    basis_clause: Text(300) | None = Field(default=None, description="依据条款")
    issuer: Text(200) | None = Field(default=None, description="发文单位")
    published_on: Day | None = Field(default=None, description="发布日期")
    category: Text(200) | None = Field(default=None, description="分类")
    keywords: list[Text(100)] | None = Field(default=None, max_length=200, description="关键词")
    effective_from: Day | None = Field(default=None, description="生效日期")
    expires_on: Day | None = Field(default=None, description="失效日期（空为长期）")


class EntryCreate(ContentFields):
    """A new entry; version 1 is a draft (or in review with ``submit``)."""

    kind: Kind = Field(
        description="policy 政策文件 / script 答复口径 / faq 常见问答 / notice 通知公告"
    )
    owner_unit: Required(120) = Field(description="责任单位（编码或名称）")
    region: Required(120) = Field(description="适用地区，如 示例市")
    title: Required(MAX_TITLE)
    body: Required(MAX_BODY)
    note: Text(500) = Field(default="新建", description="版本说明")
    submit: bool = Field(default=False, description="新建后立即提交审核")
    intake_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="对应的待录入政策编号")


class EntryEdit(ContentFields):
    """A new version: fields left out keep the latest version's value; null clears one."""

    note: Required(500) = Field(description="修改说明（必填）")
    submit: bool = Field(default=False, description="编辑后立即提交审核")
    base_version: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        description="基于第几版修改；已有更新版本时拒绝（防止覆盖他人修改）",
    )


class VersionRef(StrictBody):
    """Which version (default: the latest)."""

    version: int | None = Field(default=None, ge=1, le=MAX_ID)


class ApproveBody(VersionRef):
    """Pass review."""

    note: Text(500) = Field(default="", description="审核意见")
    hold: bool = Field(default=False, description="只审核通过，暂不发布")


class RejectBody(VersionRef):
    """Send back to draft."""

    note: Required(500) = Field(description="退回原因（必填）")


class ArchiveBody(StrictBody):
    """Take out of service."""

    reason: Required(500) = Field(description="归档原因（必填）")


class RollbackBody(StrictBody):
    """Republish an earlier version's content."""

    to: int = Field(ge=1, le=MAX_ID, description="回滚到第几版")
    note: Text(500) = ""


class EntryOut(BaseModel):
    """One entry as a list row (kb.views.entry_dict)."""

    id: int
    kind: str
    kind_zh: str
    title: str
    region: str
    owner_unit: str
    owner_unit_code: str
    status: str
    status_zh: str
    latest_version: int
    published_version: int | None
    effective_from: dt.date | None
    expires_on: dt.date | None
    doc_no: str | None
    maintainer: str
    reviewer: str | None
    superseded_by: int | None
    created_at: UtcDateTime
    published_at: UtcDateTime | None
    archived_at: UtcDateTime | None


class VersionOut(BaseModel):
    """One version (kb.views.version_dict); ``body`` only where asked for."""

    entry_id: int
    version: int
    status: str
    status_zh: str
    title: str
    questions: list[str]
    basis_title: str | None
    doc_no: str | None
    basis_clause: str | None
    issuer: str | None
    published_on: dt.date | None
    category: str | None
    keywords: list[str]
    effective_from: dt.date | None
    expires_on: dt.date | None
    change_note: str
    previous_version: int | None
    author: str
    created_at: UtcDateTime
    submitted_by: str | None
    reviewed_by: str | None
    reviewed_at: UtcDateTime | None
    review_note: str | None
    published_by: str | None
    published_at: UtcDateTime | None
    retired_at: UtcDateTime | None
    content_hash: str
    source_file: str | None
    source_sha256: str | None = Field(
        default=None, description="导入原件的 SHA-256（原件保存在 HOME/originals/ 下）"
    )
    meta: dict[str, Any]
    body: str | None = None


class EntryActions(BaseModel):
    """What the caller may do to this entry now (kb.actors' rules, for showing buttons)."""

    edit: bool = Field(description="编辑（生成新版本）")
    submit: bool = Field(description="提交最新的草稿")
    review: bool = Field(description="审核（通过或退回）最新的待审核版本")
    publish: bool = Field(description="发布已审核通过的最新版本")
    archive: bool = Field(description="归档")
    rollback: bool = Field(description="回滚到曾发布的版本")
    review_note: str | None = Field(
        description="最新版本待审核而当前用户不能审核时的原因（如：本人编写）"
    )


class EntryDetail(BaseModel):
    """An entry with its live version, the version asked for, and the latest one."""

    entry: EntryOut
    live: VersionOut | None = Field(description="当前发布版本（含正文）")
    shown: VersionOut = Field(description="所请求的版本（默认最新版本，含正文）")
    latest: VersionOut = Field(description="最新版本（不含正文）")
    can: EntryActions = Field(description="当前用户可做的操作")


class AuditOut(BaseModel):
    """One audit event (kb.views.audit_dict)."""

    id: int
    at: UtcDateTime
    actor: str
    action: str
    action_zh: str
    entry_id: int | None
    version: int | None
    from_version: int | None
    from_status: str | None
    from_status_zh: str | None
    to_status: str | None
    to_status_zh: str | None
    detail: dict[str, Any]


class DiffField(BaseModel):
    """A changed field."""

    field: str
    label: str
    old: Any
    new: Any


class DiffBlock(BaseModel):
    """A changed block of the body (clauses/lines)."""

    op: Literal["insert", "delete", "replace"]
    old: list[str]
    new: list[str]


class DiffOut(BaseModel):
    """kb.diff.VersionDiff.to_dict()."""

    from_version: int
    to_version: int
    fields: list[DiffField]
    body: list[DiffBlock]
    counts: dict[str, int]


class QueueItem(BaseModel):
    """An open version waiting for its author or a reviewer."""

    entry_id: int
    title: str
    kind_zh: str
    owner_unit: str
    version: int
    status: str
    status_zh: str
    author: str
    change_note: str
    created_at: UtcDateTime
    submitted_at: UtcDateTime | None
    review_note: str | None
    published_version: int | None
    can_review: bool = Field(description="当前用户能否审核此版本")
    can_edit: bool = Field(description="当前用户能否编辑/提交此条目")


class QueueOut(BaseModel):
    """Drafts, the review queue and approved-but-unpublished versions."""

    drafts: list[QueueItem]
    in_review: list[QueueItem]
    approved: list[QueueItem]
