"""The operator's endpoints: ask, triage, fill, dispatch, and ``assist`` — all of them at once.

``assist`` is what the desk page calls on every pause in typing: one round trip returns the
triage alarms, suggested answers, the pre-filled work order, the dispatch suggestion and a
duplicate hint. Nothing is written while a call is in progress; the question goes into the
(masked) ask log once, when the operator closes the call (``final``).

Citizen text is never logged here: the access log has paths only, and errors carry no
request text.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.encoders import jsonable_encoder

from api.assistant_runtime import PART_ZH, Assistant
from api.auth import Caller, any_user, desk_user
from api.schemas.common import AUTH_ERRORS, errors
from api.schemas.desk import (
    MAX_QUESTION,
    AskBody,
    AskOut,
    AssistBody,
    AssistOut,
    DispatchBody,
    DispatchOut,
    DraftOut,
    FillBody,
    TextBody,
    TriageOut,
)
from api.state import app_state

router = APIRouter(prefix="/api", tags=["坐席辅助"], responses={**AUTH_ERRORS, **errors(503)})

# the caller must have said at least this much before the KB is searched
MIN_QUESTION_CHARS = 4
DEFAULT_CITY = "示例市"


def _assistant(request: Request) -> Assistant:
    return app_state(request).assistant


def triage_dict(report: Any) -> dict:
    """JSON form of a triage report."""
    return {
        "alerts": [dataclasses.asdict(a) for a in report.alerts],
        "transfer": report.transfer,
        "legal_channel": report.legal_channel,
    }


def ask_dict(result: Any, alerts: list[dict] | None = None) -> dict:
    """JSON form of an ask result (with each suggestion's kind in Chinese)."""
    data = dataclasses.asdict(result)
    for out, suggestion in zip(data["suggestions"], result.suggestions, strict=True):
        out["kind_zh"] = suggestion.kind_zh
    if alerts is not None and not data.get("triage"):
        data["triage"] = alerts
    return data


def draft_dict(draft: Any) -> dict:
    """JSON form of a work-order draft."""
    return draft.to_dict()


def dispatch_dict(result: Any) -> dict:
    """JSON form of a dispatch result."""
    return dataclasses.asdict(result)


def _ask(assistant: Assistant, question: str, **kwargs: Any) -> Any:
    from assistant.answer import ask

    return ask(question, runtime=assistant.get("retrieval"), **kwargs)


@router.post("/ask", response_model=AskOut, summary="智能问答")
def ask_endpoint(request: Request, body: AskBody, _caller: Caller = Depends(any_user)) -> dict:
    """按问题检索已发布且当天有效的答复口径与政策条款；答不出时（脱敏后）记为知识库缺口。"""
    assistant = _assistant(request)
    result = _ask(
        assistant,
        body.question,
        on=body.on,
        region=body.region,
        top_k=body.top_k,
        record=body.record,
        channel="api",
    )
    alerts = None
    if assistant.has("triage"):
        alerts = triage_dict(assistant.get("triage")(body.question))["alerts"]
    return jsonable_encoder(ask_dict(result, alerts))


@router.post("/triage", response_model=TriageOut, summary="紧急分流")
def triage_endpoint(request: Request, body: TextBody, _caller: Caller = Depends(desk_user)) -> dict:
    """判断是否需立即转接 110/119/120/122、告知法定途径或向来电人说明。"""
    return triage_dict(_assistant(request).get("triage")(body.text))


@router.post("/fill", response_model=DraftOut, summary="智能填单")
def fill_endpoint(request: Request, body: FillBody, _caller: Caller = Depends(desk_user)) -> dict:
    """只按来电人所说填写工单；未说到的字段留空并列入 missing。"""
    filler = _assistant(request).get("filler")
    result = filler.fill(body.text, accepted_on=body.accepted_on, region=body.region)
    return jsonable_encoder(draft_dict(result.draft))


@router.post("/dispatch", response_model=DispatchOut, summary="智能派单")
def dispatch_endpoint(
    request: Request, body: DispatchBody, _caller: Caller = Depends(desk_user)
) -> dict:
    """按派单目录给出前三个事项及主办、协办单位、依据与理由；职能部门事项不派街道。"""
    dispatcher = _assistant(request).get("dispatcher")
    result = dispatcher.suggest(
        body.text, body.district, body.street, body.on, category_code=body.category_code
    )
    return jsonable_encoder(dispatch_dict(result))


def _region(body_region: str | None, district: str | None) -> str:
    region = (body_region or "").strip() or DEFAULT_CITY
    if district and region == DEFAULT_CITY:
        return region + district  # entries of other districts do not apply to this caller
    return region


def _duplicates(request: Request, find: Callable[..., list], filled: Any) -> list[dict]:
    """Open orders this call may repeat: masked text and keyed hashes only, no plaintext."""
    from assistant.duplicates import Appeal
    from assistant.workorders import hashes
    from kb.sealing import get_sealer

    draft = filled.draft
    appeal = Appeal(
        filled.text_masked,
        **hashes(
            get_sealer(),
            phone=draft.phone,
            id_number=draft.id_number,
            district=draft.district,
            street=draft.street,
            address_detail=draft.address_detail,
        ),
        district=draft.district,
        street=draft.street,
        category_code=draft.category_code,
    )
    with app_state(request).db.session() as session:
        return [
            {**dataclasses.asdict(c), "reason": "；".join(c.reasons)} for c in find(session, appeal)
        ]


@router.post("/assist", response_model=AssistOut, summary="坐席辅助（一次返回全部）")
def assist_endpoint(
    request: Request, body: AssistBody, _caller: Caller = Depends(desk_user)
) -> dict:
    """一次往返返回：紧急分流、推荐答复、预填工单、派单建议、重复诉求提示。"""
    assistant = _assistant(request)
    took: dict[str, float] = {}
    started = time.perf_counter()

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        try:
            return fn()
        finally:
            took[name] = round((time.perf_counter() - t0) * 1000, 1)

    out: dict[str, Any] = {
        "triage": None,
        "answers": None,
        "order": None,
        "dispatch": None,
        "duplicates": None,
        "unavailable": [
            f"{PART_ZH[name]}（{reason}）" for name, reason in assistant.missing.items()
        ],
    }
    if assistant.has("triage"):
        out["triage"] = triage_dict(timed("triage", lambda: assistant.get("triage")(body.text)))

    from assistant.transcript import parse_transcript

    caller_text = parse_transcript(body.text).caller_text
    filled = dispatched = None
    if caller_text.strip() and assistant.has("filler") and assistant.has("dispatcher"):
        # one pass: the form's place and category steer dispatch, the words embedded once
        call = timed(
            "fill_dispatch",
            lambda: assistant.get("call_desk").handle(body.text, accepted_on=body.on),
        )
        filled, dispatched = call.fill, call.dispatch
    elif assistant.has("filler"):
        # only the operator has spoken so far (the greeting): a form, nothing to dispatch yet
        filled = timed(
            "fill_dispatch",
            lambda: assistant.get("filler").fill(body.text, accepted_on=body.on),
        )
    if filled is not None:
        out["order"] = draft_dict(filled.draft)
    if dispatched is not None:
        out["dispatch"] = dispatch_dict(dispatched)
    district = filled.draft.district if filled else None

    question = " ".join(caller_text.split())[-MAX_QUESTION:]
    if assistant.has("retrieval") and len(question) >= MIN_QUESTION_CHARS:
        result = timed(
            "ask",
            lambda: _ask(
                assistant,
                question,
                on=body.on,
                region=_region(body.region, district),
                record=body.final,
                channel="desk",
            ),
        )
        out["answers"] = ask_dict(result, out["triage"]["alerts"] if out["triage"] else None)

    if assistant.has("duplicates") and filled is not None:
        out["duplicates"] = timed(
            "duplicates", lambda: _duplicates(request, assistant.get("duplicates"), filled)
        )
    took["total"] = round((time.perf_counter() - started) * 1000, 1)
    out["took_ms"] = took
    return jsonable_encoder(out)
