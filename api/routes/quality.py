"""QA: coverage of an uploaded call log or of the ask log, and the KB health score.

eval/ computes; this module only hands files to it and returns JSON, or — with
``format=html`` — the HTML fragment (SVG charts included) the QA page inserts as is.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from api.auth import Caller, any_user, qa_user
from api.schemas.common import AUTH_ERRORS, MAX_ID, StrictBody, Text, UtcDateTime, errors
from api.state import app_state, unit_of_work
from api.uploads import check_suffix, safe_filename, saved_upload

router = APIRouter(prefix="/api", tags=["质检"], responses=AUTH_ERRORS)

Format = Query("json", description="json，或 html（含 SVG 图表的页面片段）")
HTML_OR_JSON = {200: {"content": {"application/json": {}, "text/html": {}}, "description": "报告"}}
CALL_LOG_TYPES = (".csv", ".xlsx", ".jsonl")
CALL_LOG_HINT = (
    "CSV、XLSX 或 JSONL 格式的话务记录（每行一条来电问题或工单，CSV 用 UTF-8 或 GBK 编码）"
)


def _respond(fmt: str, coverage, health) -> HTMLResponse | JSONResponse:
    from eval.report import render_sections

    if fmt == "html":
        return HTMLResponse(render_sections(coverage, health))
    return JSONResponse(
        jsonable_encoder(
            {
                "coverage": coverage.to_dict() if coverage is not None else None,
                "health": health.to_dict() if health is not None else None,
            }
        )
    )


@router.post(
    "/coverage",
    responses={**HTML_OR_JSON, **errors(503)},
    response_class=JSONResponse,
    response_model=None,
    summary="上传话务记录，计算知识库覆盖率",
)
def coverage_upload(
    request: Request,
    file: UploadFile = File(..., description="CSV / XLSX / JSONL：历史来电问题或工单"),
    skip_invalid: bool = Form(False, description="跳过有问题的行（默认整份拒绝并逐行列出问题）"),
    format: Literal["json", "html"] = Format,
    _caller: Caller = Depends(qa_user),
) -> HTMLResponse | JSONResponse:
    """每条记录都用知识库检索一遍（不写入提问日志），按分类、单位统计覆盖率，未覆盖问题归类为主题，并给出健康分。"""
    from eval.coverage import coverage_from_file, desk_classifier
    from eval.health import health_report

    state = app_state(request)
    state.assistant.get("retrieval")  # 503 with the reason when the KB cannot be searched
    check_suffix(file.filename or "", CALL_LOG_TYPES, "话务记录")
    desk = state.assistant.parts.get("call_desk")
    with saved_upload(file, state.settings.max_upload_mb, CALL_LOG_HINT) as path:
        result = coverage_from_file(
            state.db,
            path,
            skip_invalid=skip_invalid,
            source=safe_filename(file.filename),
            classify=desk_classifier(desk) if desk is not None else None,
        )
    return _respond(format, result, health_report(state.db, coverage=result))


@router.get(
    "/coverage/gaps",
    responses=HTML_OR_JSON,
    response_class=JSONResponse,
    response_model=None,
    summary="按已记录的提问日志与知识库缺口计算覆盖率",
)
def coverage_gaps(
    request: Request, format: Literal["json", "html"] = Format, _caller: Caller = Depends(qa_user)
) -> HTMLResponse | JSONResponse:
    """话务员实际提问（已脱敏记录）的覆盖率与未覆盖问题主题，并给出健康分。"""
    from eval.coverage import coverage_from_gaps
    from eval.health import health_report

    state = app_state(request)
    result = coverage_from_gaps(state.db)
    return _respond(format, result, health_report(state.db, coverage=result))


@router.get(
    "/kb-health",
    responses=HTML_OR_JSON,
    response_class=JSONResponse,
    response_model=None,
    summary="知识库健康分",
)
def health(
    request: Request, format: Literal["json", "html"] = Format, _caller: Caller = Depends(any_user)
) -> HTMLResponse | JSONResponse:
    """准确、好用、及时、巡检四部分的得分率、权重与各单位明细（不含覆盖率时按其余部分折算）。"""
    from eval.health import health_report

    return _respond(format, None, health_report(app_state(request).db))


class GapOut(BaseModel):
    """A question the KB could not answer (stored masked)."""

    id: int
    asked_at: UtcDateTime
    asked_for: dt.date
    question_masked: str
    region: str | None
    channel: str
    best_score: float | None
    best_entry_id: int | None
    best_version: int | None
    status: str
    status_zh: str
    resolved_entry_id: int | None
    resolved_by: str | None
    resolved_at: UtcDateTime | None
    note: str


class GapClose(StrictBody):
    """Resolve a gap with the entry that now answers it, or dismiss it with a reason."""

    resolved_entry_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="已补充的条目 ID"
    )
    note: Text(500) = Field(default="", description="说明；忽略时必填（如：不属于热线受理范围）")


@router.get("/gaps", response_model=list[GapOut], summary="知识库缺口")
def gaps(
    request: Request,
    status: Literal["open", "resolved", "dismissed", "all"] = Query("open"),
    region: str | None = Query(None, max_length=120),
    limit: int = Query(200, ge=1, le=2000),
    _caller: Caller = Depends(any_user),
) -> list[dict]:
    """话务员问到而知识库答不出的问题（已脱敏），最新的在前。"""
    from kb.gaps import gap_dict, list_gaps

    with unit_of_work(request) as session:
        rows = list_gaps(
            session, status=None if status == "all" else status, region=region, limit=limit
        )
        return [gap_dict(g) for g in rows]


@router.post(
    "/gaps/{gap_id}/close",
    response_model=GapOut,
    responses=errors(404, 409),
    summary="处理知识库缺口",
)
def close_gap(
    request: Request,
    body: GapClose,
    gap_id: int = Path(ge=1, le=MAX_ID),
    caller: Caller = Depends(any_user),
) -> dict:
    """给出已补充的条目即“已补充”，否则写明原因“忽略”；质检员、维护员、审核员、管理员可操作。"""
    from kb.gaps import close_gap as close
    from kb.gaps import gap_dict

    with unit_of_work(request) as session:
        gap = close(
            session, caller.actor, gap_id, resolved_entry_id=body.resolved_entry_id, note=body.note
        )
        return gap_dict(gap)
