"""Administration while the server runs: index rebuild and consistency check, the audit log.

The server process owns the embedded Qdrant Edge index (one writer), so ``hotline reindex``
and ``hotline check`` cannot open it while ``hotline serve`` is up; these endpoints run the
same functions (assistant.sync) on the index the server already has open. A rebuild swaps
the new index in only when it is complete; searches wait for it meanwhile.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from api.auth import Caller, qa_user, require_roles
from api.schemas.common import AUTH_ERRORS, WorkDay, errors
from api.schemas.entries import AuditOut
from api.state import app_state, unit_of_work
from kb import audit
from kb.clock import today
from kb.models import Role
from kb.views import audit_dict

router = APIRouter(prefix="/api", tags=["运维与审计"], responses={**AUTH_ERRORS, **errors(503)})
admin_only = require_roles(Role.ADMIN)
log = logging.getLogger("hotline.api")


class DifferenceOut(BaseModel):
    """One way the index differs from the KB."""

    kind: str
    kind_zh: str
    entry_id: int | None
    detail: str


class CheckOut(BaseModel):
    """The index compared with the KB (what ``hotline check`` prints)."""

    ok: bool = Field(description="索引与知识库完全一致")
    day: dt.date
    kb_entries: int = Field(description="知识库中发布中的条目数")
    index_entries: int
    index_points: int
    in_force_kb: int = Field(description="当日有效（知识库）")
    in_force_index: int = Field(description="当日有效（索引）")
    differences: list[DifferenceOut]
    advice: str | None = Field(description="不一致时怎么办")


class ReindexOut(BaseModel):
    """What a rebuild did (what ``hotline reindex`` prints)."""

    entries: int
    points: int
    embedded: int = Field(description="新计算向量的文本数（其余取自缓存）")
    seconds: float
    index: dict[str, Any] = Field(description="索引的构建信息（模型、维度、分块版本）")


@router.get("/check", response_model=CheckOut, summary="核对知识库与检索索引")
def check(
    request: Request,
    on: WorkDay | None = Query(None, description="按哪一天核对有效性（默认今天）"),
    _caller: Caller = Depends(admin_only),
) -> dict:
    """逐条核对：索引缺失、版本过旧、多余条目、内容不一致、当日有效性差异（仅管理员）。"""
    from assistant.sync import check as compare

    runtime = app_state(request).assistant.get("retrieval")
    with unit_of_work(request) as session:
        report = compare(session, on or today(), runtime)
    return {
        "ok": report.ok,
        "day": report.day,
        "kb_entries": report.kb_entries,
        "index_entries": report.index_entries,
        "index_points": report.index_points,
        "in_force_kb": report.in_force_kb,
        "in_force_index": report.in_force_index,
        "differences": [
            {"kind": d.kind, "kind_zh": d.kind_zh, "entry_id": d.entry_id, "detail": d.detail}
            for d in report.differences
        ],
        "advice": None if report.ok else "请用 POST /api/reindex 按知识库重建索引。",
    }


@router.post("/reindex", response_model=ReindexOut, summary="重建检索索引")
def reindex(request: Request, caller: Caller = Depends(admin_only)) -> dict:
    """按知识库重建检索索引（只收录已发布且未归档条目的现行版本）；完成后才替换旧索引（仅管理员）。"""
    from assistant.sync import reindex as rebuild

    runtime = app_state(request).assistant.get("retrieval")
    with unit_of_work(request) as session:
        stats = rebuild(session, runtime)
        audit.record(
            session,
            caller.actor.name,
            "index.rebuild",
            entries=stats.entries,
            points=stats.points,
            embedded=stats.embedded,
        )
    log.info(
        "index rebuilt by %s: %s entries, %s points", caller.actor.name, stats.entries, stats.points
    )
    return {**dataclasses.asdict(stats), "index": runtime.manifest.to_dict()}


@router.get("/audit", response_model=list[AuditOut], summary="审计日志")
def audit_log(
    request: Request,
    limit: int = Query(100, ge=1, le=2000, description="条数（最新的在前）"),
    actor: str | None = Query(None, max_length=80, description="只看某人的操作"),
    _caller: Caller = Depends(qa_user),
) -> list[dict]:
    """全部写操作的记录（条目、工单、令牌、巡检……），最新的在前（管理员、质检员）。"""
    with unit_of_work(request) as session:
        return [audit_dict(e) for e in audit.recent(session, limit, actor)]
