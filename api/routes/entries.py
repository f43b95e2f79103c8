"""KB entries: list, show, versions, diff, audit, create, edit and every lifecycle move.

Every write goes through kb (entries / lifecycle) as the token's user, so kb.actors decides
unit scope and "not your own review", and the audit log names the user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request, status

from api.auth import Caller, any_user, editor
from api.schemas.common import AUTH_ERRORS, MAX_ID, EntryId, VersionNo, WorkDay, errors
from api.schemas.entries import (
    CONTENT_FIELDS,
    ApproveBody,
    ArchiveBody,
    AuditOut,
    DiffOut,
    EntryActions,
    EntryCreate,
    EntryDetail,
    EntryEdit,
    EntryOut,
    RejectBody,
    RollbackBody,
    VersionOut,
    VersionRef,
)
from api.state import unit_of_work
from kb import audit, lifecycle
from kb.actors import Actor, check_can_edit, check_can_review
from kb.clock import today
from kb.content import VersionContent
from kb.diff import diff_contents
from kb.entries import (
    EntryFilter,
    create_entry,
    edit_entry,
    get_entry,
    get_version,
    published_version,
    versions_of,
)
from kb.errors import Conflict, PermissionDenied
from kb.models import Entry, EntryStatus, EntryVersion, Role, VersionStatus
from kb.views import audit_dict, entry_dict, entry_rows, version_dict

router = APIRouter(prefix="/api/entries", tags=["知识库条目"], responses=AUTH_ERRORS)
ENTRY_ERRORS = errors(404, 409)

OnQuery = Query(None, description="按哪一天判断有效性（默认今天）")


@router.get("", response_model=list[EntryOut], responses=errors(404), summary="列出条目")
def list_(
    request: Request,
    unit: str | None = Query(None, max_length=120, description="责任单位（编码或名称）"),
    kind: Literal["policy", "script", "faq", "notice"] | None = Query(None, description="类型"),
    status_: Literal["draft", "in_review", "approved", "published", "archived", "expired"]
    | None = Query(None, alias="status", description="状态；expired 为已发布但已过期"),
    region: str | None = Query(None, max_length=120, description="地区（前缀匹配）"),
    q: str | None = Query(None, max_length=200, description="标题包含"),
    in_force_only: bool = Query(False, alias="in_force", description="只列出当天有效的已发布条目"),
    on: WorkDay | None = OnQuery,
    limit: int = Query(500, ge=1, le=5000),
    offset: int = Query(0, ge=0),
    _caller: Caller = Depends(any_user),
) -> list[dict]:
    """条目列表（最新的在前），含状态与当前发布版本的有效期。"""
    day = on or today()
    with unit_of_work(request) as session:
        flt = EntryFilter(unit=unit, kind=kind, status=status_, region=region, text=q, on=day)
        rows = entry_rows(session, day, flt, in_force_only=in_force_only)
    return rows[offset : offset + limit]


@router.get("/{entry_id}", response_model=EntryDetail, responses=ENTRY_ERRORS, summary="查看条目")
def show(
    request: Request,
    entry_id: EntryId,
    version: int | None = Query(None, ge=1, le=MAX_ID, description="查看指定版本（默认最新）"),
    on: WorkDay | None = OnQuery,
    caller: Caller = Depends(any_user),
) -> dict:
    """条目、当前发布版本（含正文）、所请求版本（含正文）、最新版本，及当前用户可做的操作。"""
    day = on or today()
    with unit_of_work(request) as session:
        entry = get_entry(session, entry_id)
        live = published_version(session, entry)
        shown = get_version(session, entry_id, version)
        latest = get_version(session, entry_id)
        return {
            "entry": entry_dict(entry, live, day),
            "live": version_dict(live) if live else None,
            "shown": version_dict(shown),
            "latest": version_dict(latest, body=False),
            "can": entry_actions(caller.actor, entry, latest),
        }


def _refusal(check: Callable[..., None], *args: object) -> str | None:
    try:
        check(*args)
    except PermissionDenied as exc:
        return exc.message
    return None


def entry_actions(actor: Actor, entry: Entry, latest: EntryVersion) -> dict:
    """Which lifecycle moves ``actor`` may make on ``entry`` now.

    The same checks kb.lifecycle runs (kb.actors), asked in advance so the page shows only
    the buttons that will work; kb still decides when the button is pressed.
    """
    if entry.status is EntryStatus.ARCHIVED:
        return dict.fromkeys(EntryActions.model_fields, False) | {"review_note": None}
    edit = _refusal(check_can_edit, actor, entry) is None
    reviewer = actor.role in (Role.REVIEWER, Role.ADMIN)
    scope = reviewer and _refusal(lifecycle.check_can_review_scope, actor, entry) is None
    review_refusal = None
    if latest.status is VersionStatus.IN_REVIEW:
        review_refusal = _refusal(check_can_review, actor, entry, latest)
    return {
        "edit": edit,
        "submit": edit and latest.status is VersionStatus.DRAFT,
        "review": latest.status is VersionStatus.IN_REVIEW and review_refusal is None,
        "publish": scope and latest.status is VersionStatus.APPROVED,
        "archive": edit,
        "rollback": scope,
        "review_note": review_refusal,
    }


@router.get(
    "/{entry_id}/versions",
    response_model=list[VersionOut],
    responses=ENTRY_ERRORS,
    summary="版本列表",
)
def versions(
    request: Request, entry_id: EntryId, _caller: Caller = Depends(any_user)
) -> list[dict]:
    """全部版本（旧的在前，不含正文）。"""
    with unit_of_work(request) as session:
        return [version_dict(v, body=False) for v in versions_of(session, entry_id)]


@router.get(
    "/{entry_id}/versions/{version_no}",
    response_model=VersionOut,
    responses=ENTRY_ERRORS,
    summary="查看某一版本",
)
def version(
    request: Request, entry_id: EntryId, version_no: VersionNo, _caller: Caller = Depends(any_user)
) -> dict:
    """某一版本的全部内容（含正文）。"""
    with unit_of_work(request) as session:
        return version_dict(get_version(session, entry_id, version_no))


@router.get(
    "/{entry_id}/diff", response_model=DiffOut, responses=ENTRY_ERRORS, summary="比较两个版本"
)
def diff(
    request: Request,
    entry_id: EntryId,
    a: int | None = Query(None, ge=1, le=MAX_ID, description="旧版本号（默认：新版本的上一版）"),
    b: int | None = Query(None, ge=1, le=MAX_ID, description="新版本号（默认：最新版本）"),
    _caller: Caller = Depends(any_user),
) -> dict:
    """按条款/段落比较两个版本，并列出变化的字段。"""
    with unit_of_work(request) as session:
        newer = get_version(session, entry_id, b)
        older_no = a if a is not None else (newer.previous_version_no or newer.version_no)
        older = get_version(session, entry_id, older_no)
        result = diff_contents(
            older.version_no,
            VersionContent.of_version(older),
            newer.version_no,
            VersionContent.of_version(newer),
        )
    return result.to_dict()


@router.get(
    "/{entry_id}/audit", response_model=list[AuditOut], responses=ENTRY_ERRORS, summary="操作记录"
)
def audit_log(
    request: Request, entry_id: EntryId, _caller: Caller = Depends(any_user)
) -> list[dict]:
    """该条目的全部操作记录（旧的在前）。"""
    with unit_of_work(request) as session:
        get_entry(session, entry_id)
        return [audit_dict(e) for e in audit.events_for(session, entry_id)]


@router.post(
    "",
    response_model=EntryOut,
    status_code=status.HTTP_201_CREATED,
    responses=errors(404, 409),
    summary="新建条目（草稿）",
)
def create(request: Request, body: EntryCreate, caller: Caller = Depends(editor)) -> dict:
    """新建条目，第 1 版为草稿；``submit`` 为真时同时提交审核。只能为本单位新建。"""
    content = VersionContent.build(**{f: getattr(body, f) for f in CONTENT_FIELDS})
    with unit_of_work(request) as session:
        entry = create_entry(
            session,
            caller.actor,
            kind=body.kind,
            region=body.region,
            owner_unit=body.owner_unit,
            content=content,
            change_note=body.note or "新建",
            intake_id=body.intake_id,
        )
        if body.submit:
            lifecycle.submit(session, caller.actor, entry.id)
        return entry_dict(entry, None, today())


@router.post(
    "/{entry_id}/versions",
    response_model=VersionOut,
    status_code=status.HTTP_201_CREATED,
    responses=ENTRY_ERRORS,
    summary="编辑（生成新版本）",
)
def edit(
    request: Request, entry_id: EntryId, body: EntryEdit, caller: Caller = Depends(editor)
) -> dict:
    """基于最新版本生成新版本（草稿）：未给出的字段沿用原值，给出 null 则清空。"""
    changes = {f: getattr(body, f) for f in CONTENT_FIELDS if f in body.model_fields_set}
    with unit_of_work(request) as session:
        latest = get_version(session, entry_id)
        if body.base_version is not None and body.base_version != latest.version_no:
            raise Conflict(
                f"条目 {entry_id} 已有第 {latest.version_no} 版（{latest.author} 修改），"
                f"你是基于第 {body.base_version} 版编辑的；请刷新后在最新版本上修改。"
            )
        content = VersionContent.of_version(latest).with_changes(**changes)
        new = edit_entry(session, caller.actor, entry_id, content, body.note)
        if body.submit:
            lifecycle.submit(session, caller.actor, entry_id, new.version_no)
        return version_dict(new)


def _move(request: Request, caller: Caller, action: str, entry_id: int, **kwargs) -> dict:
    with unit_of_work(request) as session:
        result = getattr(lifecycle, action)(session, caller.actor, entry_id, **kwargs)
        return version_dict(result, body=False)


@router.post(
    "/{entry_id}/submit", response_model=VersionOut, responses=ENTRY_ERRORS, summary="提交审核"
)
def submit(
    request: Request,
    entry_id: EntryId,
    body: VersionRef | None = None,
    caller: Caller = Depends(editor),
) -> dict:
    """草稿 → 待审核。"""
    return _move(request, caller, "submit", entry_id, version_no=(body or VersionRef()).version)


@router.post(
    "/{entry_id}/approve", response_model=VersionOut, responses=ENTRY_ERRORS, summary="审核通过"
)
def approve(
    request: Request,
    entry_id: EntryId,
    body: ApproveBody | None = None,
    caller: Caller = Depends(editor),
) -> dict:
    """待审核 → 通过，默认同时发布（``hold`` 为真则暂不发布）。作者本人不能审核。"""
    body = body or ApproveBody()
    return _move(
        request,
        caller,
        "approve",
        entry_id,
        note=body.note,
        version_no=body.version,
        publish_now=not body.hold,
    )


@router.post(
    "/{entry_id}/reject", response_model=VersionOut, responses=ENTRY_ERRORS, summary="退回修改"
)
def reject(
    request: Request, entry_id: EntryId, body: RejectBody, caller: Caller = Depends(editor)
) -> dict:
    """待审核 → 草稿，须写明原因。"""
    return _move(request, caller, "reject", entry_id, note=body.note, version_no=body.version)


@router.post(
    "/{entry_id}/publish", response_model=VersionOut, responses=ENTRY_ERRORS, summary="发布"
)
def publish(
    request: Request,
    entry_id: EntryId,
    body: VersionRef | None = None,
    caller: Caller = Depends(editor),
) -> dict:
    """发布已审核通过的版本；原发布版本同时退出检索。"""
    return _move(request, caller, "publish", entry_id, version_no=(body or VersionRef()).version)


@router.post(
    "/{entry_id}/rollback", response_model=VersionOut, responses=ENTRY_ERRORS, summary="回滚"
)
def rollback(
    request: Request, entry_id: EntryId, body: RollbackBody, caller: Caller = Depends(editor)
) -> dict:
    """把曾发布过的旧版本内容作为新版本重新发布（审核员或管理员）。"""
    return _move(request, caller, "rollback", entry_id, to_version=body.to, note=body.note)


@router.post("/{entry_id}/archive", response_model=EntryOut, responses=ENTRY_ERRORS, summary="归档")
def archive(
    request: Request, entry_id: EntryId, body: ArchiveBody, caller: Caller = Depends(editor)
) -> dict:
    """归档条目（不删除，可追溯），立即退出检索。"""
    with unit_of_work(request) as session:
        entry = lifecycle.archive(session, caller.actor, entry_id, body.reason)
        return entry_dict(entry, None, today())
