"""Entries, versions and every lifecycle transition — allowed and refused."""

from __future__ import annotations

import datetime as dt

import pytest

from kb import lifecycle
from kb.actors import Actor
from kb.clock import frozen
from kb.content import VersionContent
from kb.diff import diff_contents
from kb.entries import create_entry, edit_entry, get_entry, get_version, in_force, versions_of
from kb.errors import Conflict, HotlineError, InvalidInput, NotFound, PermissionDenied
from tests.conftest import snapshot

D = dt.date.fromisoformat
TODAY = D("2026-12-02")


@pytest.fixture(autouse=True)
def _today():
    """Every rule that looks at "today" sees the same day, whatever the real date is."""
    with frozen(TODAY):
        yield


def content(
    title: str = "城乡居民医保缴费", body: str = "一、缴费时间\n每年9月至12月缴纳次年费用。", **kw
) -> VersionContent:
    return VersionContent.build(title=title, body=body, **kw)


def new_entry(db, author: str = "yb_editor", unit: str = "SL-YB", **kw) -> int:
    with db.session() as s:
        entry = create_entry(
            s,
            Actor.load(s, author),
            kind="script",
            region="示例市",
            owner_unit=unit,
            content=content(**kw),
        )
        return entry.id


def act(db, who: str, fn, *args, **kwargs):
    with db.session() as s:
        return fn(s, Actor.load(s, who), *args, **kwargs)


def published(db, who_author: str = "yb_editor", reviewer: str = "yb_reviewer", **kw) -> int:
    entry_id = new_entry(db, who_author, **kw)
    act(db, who_author, lifecycle.submit, entry_id)
    act(db, reviewer, lifecycle.approve, entry_id)
    return entry_id


def status(db, entry_id: int) -> tuple[str, list[tuple[int, str]]]:
    with db.session() as s:
        entry = get_entry(s, entry_id)
        return entry.status.value, [
            (v.version_no, v.status.value) for v in versions_of(s, entry_id)
        ]


def test_full_happy_path(sample_db) -> None:
    entry_id = new_entry(sample_db)
    assert status(sample_db, entry_id) == ("draft", [(1, "draft")])
    act(sample_db, "yb_editor", lifecycle.submit, entry_id)
    assert status(sample_db, entry_id) == ("in_review", [(1, "in_review")])
    act(sample_db, "yb_reviewer", lifecycle.approve, entry_id, publish_now=False)
    assert status(sample_db, entry_id) == ("approved", [(1, "approved")])
    act(sample_db, "yb_reviewer", lifecycle.publish, entry_id)
    assert status(sample_db, entry_id) == ("published", [(1, "published")])
    # edit → v2 draft; v1 stays live until v2 is published, then is retired in the same step
    act(
        sample_db,
        "yb_editor",
        edit_entry,
        entry_id,
        content(body="一、缴费时间\n每年9月1日至12月31日缴纳次年费用。"),
        "明确起止日期",
    )
    assert status(sample_db, entry_id) == ("published", [(1, "published"), (2, "draft")])
    with sample_db.session() as s:
        assert [v.version_no for _, v in in_force(s, D("2026-11-22"))] == [1]
    act(sample_db, "yb_editor", lifecycle.submit, entry_id)
    act(sample_db, "center_reviewer", lifecycle.approve, entry_id)  # centre reviewer: any unit
    assert status(sample_db, entry_id) == ("published", [(1, "superseded"), (2, "published")])
    with sample_db.session() as s:
        assert [v.version_no for _, v in in_force(s, D("2026-11-22"))] == [2]
    act(sample_db, "yb_editor", lifecycle.archive, entry_id, "政策调整，改由新条目答复")
    assert status(sample_db, entry_id) == ("archived", [(1, "superseded"), (2, "archived")])
    with sample_db.session() as s:
        assert in_force(s, D("2026-11-22")) == []


def test_reject_sends_back_to_draft(sample_db) -> None:
    entry_id = new_entry(sample_db)
    act(sample_db, "yb_editor", lifecycle.submit, entry_id)
    act(sample_db, "yb_reviewer", lifecycle.reject, entry_id, "缴费标准缺少金额")
    assert status(sample_db, entry_id) == ("draft", [(1, "draft")])
    with sample_db.session() as s:
        assert get_version(s, entry_id).review_note == "缴费标准缺少金额"


def test_a_new_edit_withdraws_open_drafts(sample_db) -> None:
    entry_id = new_entry(sample_db)
    act(sample_db, "yb_editor", lifecycle.submit, entry_id)
    act(sample_db, "yb_editor", edit_entry, entry_id, content(body="改过的正文"), "补充")
    assert status(sample_db, entry_id) == ("draft", [(1, "withdrawn"), (2, "draft")])


# Each refused move: (who, operation, expected error, message fragment). The entry is
# prepared in the state named by `setup`.
REFUSED = [
    ("draft", "yb_reviewer", "publish", Conflict, "尚未审核通过"),
    ("draft", "yb_reviewer", "approve", Conflict, "不能审核通过"),
    ("in_review", "yb_editor", "approve", PermissionDenied, "没有审核权限"),
    ("in_review", "rs_reviewer", "approve", PermissionDenied, "不能审核“示例市医疗保障局”"),
    ("in_review", "yb_reviewer", "publish", Conflict, "尚未审核通过"),
    ("in_review", "yb_editor", "submit", Conflict, "不能提交审核"),
    ("in_review", "yb_reviewer", "reject_no_note", InvalidInput, "必须写明原因"),
    ("draft", "rs_editor", "submit", PermissionDenied, "只能维护本单位条目"),
    ("draft", "op01", "submit", PermissionDenied, "没有维护知识库条目的权限"),
    ("draft", "qa01", "archive", PermissionDenied, "没有维护知识库条目的权限"),
    ("draft", "rs_editor", "edit", PermissionDenied, "只能维护本单位条目"),
    ("published", "yb_editor", "rollback", PermissionDenied, "只有审核员或管理员"),
    ("published", "yb_reviewer", "rollback_current", Conflict, "就是当前发布版本"),
    ("archived", "yb_editor", "edit", Conflict, "已归档"),
    ("archived", "yb_editor", "archive", Conflict, "已经归档"),
    ("archived", "yb_editor", "submit", Conflict, "已归档"),
    ("published", "yb_editor", "archive_no_reason", InvalidInput, "必须写明原因"),
    ("published", "yb_editor", "edit_same", InvalidInput, "完全相同"),
    ("published", "yb_editor", "publish_trusted", PermissionDenied, "只有管理员"),
    ("approved", "yb_editor", "publish", PermissionDenied, "只有审核员或管理员可以发布"),
    ("approved", "rs_reviewer", "publish", PermissionDenied, "不能发布“示例市医疗保障局”的条目"),
    ("published_with_draft", "yb_reviewer", "rollback_to_2", Conflict, "第 2 版从未发布过"),
    ("in_review_expired", "yb_reviewer", "approve", Conflict, "失效日期 2026-06-30 已过"),
    (
        "approved_expired",
        "yb_reviewer",
        "publish",
        Conflict,
        "2026-06-30 已过（今天 2026-12-02），不能发布",
    ),
    ("expired_v1_live_v2", "yb_reviewer", "rollback", Conflict, "不能回滚到该版本"),
]


def _prepare(db, state: str) -> int:
    if state == "draft":
        return new_entry(db)
    if state in ("in_review", "in_review_expired"):
        expiry = {"expires_on": "2026-06-30"} if state == "in_review_expired" else {}
        entry_id = new_entry(db, **expiry)
        act(db, "yb_editor", lifecycle.submit, entry_id)
        return entry_id
    if state in ("approved", "approved_expired"):
        with frozen(D("2026-06-01")):  # approved (held) while still valid
            expiry = {"expires_on": "2026-06-30"} if state == "approved_expired" else {}
            entry_id = new_entry(db, **expiry)
            act(db, "yb_editor", lifecycle.submit, entry_id)
            act(db, "yb_reviewer", lifecycle.approve, entry_id, publish_now=False)
        return entry_id
    if state == "expired_v1_live_v2":
        with frozen(D("2026-03-01")):
            entry_id = published(db, expires_on="2026-06-30")
        act(db, "yb_editor", edit_entry, entry_id, content(expires_on="2027-06-30"), "延期")
        act(db, "yb_editor", lifecycle.submit, entry_id)
        act(db, "yb_reviewer", lifecycle.approve, entry_id)
        return entry_id
    entry_id = published(db)
    if state == "published_with_draft":
        act(db, "yb_editor", edit_entry, entry_id, content(body="改过的正文"), "草稿")
    if state == "archived":
        act(db, "yb_editor", lifecycle.archive, entry_id, "测试归档")
    return entry_id


def _do(db, who: str, op: str, entry_id: int) -> None:
    ops = {
        "publish": lambda: act(db, who, lifecycle.publish, entry_id),
        "approve": lambda: act(db, who, lifecycle.approve, entry_id),
        "submit": lambda: act(db, who, lifecycle.submit, entry_id),
        "reject_no_note": lambda: act(db, who, lifecycle.reject, entry_id, "  "),
        "archive": lambda: act(db, who, lifecycle.archive, entry_id, "不再需要"),
        "archive_no_reason": lambda: act(db, who, lifecycle.archive, entry_id, ""),
        "edit": lambda: act(db, who, edit_entry, entry_id, content(body="新正文"), "改"),
        "edit_same": lambda: act(db, who, edit_entry, entry_id, content(), "没改"),
        "rollback": lambda: act(db, who, lifecycle.rollback, entry_id, 1),
        "rollback_current": lambda: act(db, who, lifecycle.rollback, entry_id, 1),
        "rollback_to_2": lambda: act(db, who, lifecycle.rollback, entry_id, 2),
        "publish_trusted": lambda: act(db, who, lifecycle.publish_trusted, entry_id, "迁移"),
    }
    ops[op]()


@pytest.mark.parametrize(("state", "who", "op", "error", "message"), REFUSED)
def test_refused_transitions_change_nothing(sample_db, state, who, op, error, message) -> None:
    entry_id = _prepare(sample_db, state)
    before = snapshot(sample_db)
    with pytest.raises(error, match=message):
        _do(sample_db, who, op, entry_id)
    assert snapshot(sample_db) == before


def test_author_cannot_approve_own_version(sample_db) -> None:
    entry_id = new_entry(sample_db, author="yb_reviewer")  # a reviewer drafting
    act(sample_db, "yb_reviewer", lifecycle.submit, entry_id)
    before = snapshot(sample_db)
    with pytest.raises(PermissionDenied, match="不能自己审核"):
        act(sample_db, "yb_reviewer", lifecycle.approve, entry_id)
    with pytest.raises(PermissionDenied, match="不能自己审核"):
        act(sample_db, "yb_reviewer", lifecycle.reject, entry_id, "自己退回")
    assert snapshot(sample_db) == before
    # admins are bound by the same rule when they wrote the version
    admin_entry = new_entry(sample_db, author="admin", title="管理员写的条目")
    act(sample_db, "admin", lifecycle.submit, admin_entry)
    with pytest.raises(PermissionDenied, match="不能自己审核"):
        act(sample_db, "admin", lifecycle.approve, admin_entry)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"unit": "SL-NOPE"}, NotFound, "未知承办单位“SL-NOPE”"),
        (
            {"effective_from": "2026-07-01", "expires_on": "2026-06-30"},
            InvalidInput,
            "早于生效日期",
        ),
        ({"expires_on": "2026-02-30"}, InvalidInput, "失效日期“2026-02-30”不是有效日期"),
        ({"published_on": "下周一"}, InvalidInput, "发布日期“下周一”不是有效日期"),
        ({"title": "   "}, InvalidInput, "标题不能为空"),
        ({"body": ""}, InvalidInput, "正文（答复口径或条文）不能为空"),
        ({"kind": "video"}, InvalidInput, "条目类型“video”无效"),
        ({"region": ""}, InvalidInput, "所属地区不能为空"),
    ],
)
def test_bad_entry_input_changes_nothing(sample_db, kwargs, error, message) -> None:
    before = snapshot(sample_db)
    unit = kwargs.pop("unit", "SL-YB")
    kind = kwargs.pop("kind", "script")
    region = kwargs.pop("region", "示例市")
    with pytest.raises(error, match=message), sample_db.session() as s:
        create_entry(
            s,
            Actor.load(s, "yb_editor"),
            kind=kind,
            region=region,
            owner_unit=unit,
            content=content(**kwargs),
        )
    assert snapshot(sample_db) == before


def test_duplicate_title_in_same_region_refused_other_region_allowed(sample_db) -> None:
    new_entry(sample_db)
    before = snapshot(sample_db)
    with pytest.raises(Conflict, match="已有同名条目"), sample_db.session() as s:
        create_entry(
            s,
            Actor.load(s, "yb_editor"),
            kind="script",
            region="示例市",
            owner_unit="SL-YB",
            content=content(),
        )
    assert snapshot(sample_db) == before
    with sample_db.session() as s:
        create_entry(
            s,
            Actor.load(s, "admin"),
            kind="script",
            region="示例市东湖区",
            owner_unit="SL-YB",
            content=content(),
        )


def test_unknown_user_refused(sample_db) -> None:
    with pytest.raises(NotFound, match="未知用户“ghost”"), sample_db.session() as s:
        Actor.load(s, "ghost")


def test_diff_and_rollback(sample_db) -> None:
    body1 = "一、缴费时间\n每年9月至12月缴纳。\n二、缴费标准\n每人每年380元。"
    body2 = "一、缴费时间\n每年9月至12月缴纳。\n二、缴费标准\n每人每年400元。\n三、缴费渠道\n可通过银行App缴纳。"
    entry_id = published(sample_db, body=body1)
    act(
        sample_db,
        "yb_editor",
        edit_entry,
        entry_id,
        content(body=body2, expires_on="2027-12-31"),
        "2027年度标准",
    )
    act(sample_db, "yb_editor", lifecycle.submit, entry_id)
    act(sample_db, "yb_reviewer", lifecycle.approve, entry_id)
    with sample_db.session() as s:
        v1, v2 = get_version(s, entry_id, 1), get_version(s, entry_id, 2)
        diff = diff_contents(1, VersionContent.of_version(v1), 2, VersionContent.of_version(v2))
    data = diff.to_dict()
    assert data["fields"] == [
        {"field": "expires_on", "label": "失效日期", "old": None, "new": "2027-12-31"}
    ]
    assert data["body"] == [
        {
            "op": "replace",
            "old": ["每人每年380元。"],
            "new": ["每人每年400元。", "三、缴费渠道", "可通过银行App缴纳。"],
        },
    ]
    assert "- 每人每年380元。" in diff.to_text() and "+ 每人每年400元。" in diff.to_text()
    # roll back to v1: a new v3 with v1's body goes live at once, v2 retires
    act(sample_db, "yb_reviewer", lifecycle.rollback, entry_id, 1)
    assert status(sample_db, entry_id) == (
        "published",
        [(1, "superseded"), (2, "superseded"), (3, "published")],
    )
    with sample_db.session() as s:
        v3 = get_version(s, entry_id, 3)
        assert v3.body == body1 and v3.previous_version_no == 2
        assert "回滚至第 1 版" in v3.review_note
        assert [v.body for _, v in in_force(s, D("2026-11-22"))] == [body1]


@pytest.mark.parametrize(
    ("day", "visible"),
    [("2025-12-31", False), ("2026-01-01", True), ("2026-06-30", True), ("2026-07-01", False)],
)
def test_validity_boundaries(sample_db, day: str, visible: bool) -> None:
    with frozen(D("2026-01-01")):
        entry_id = published(sample_db, effective_from="2026-01-01", expires_on="2026-06-30")
    with sample_db.session() as s:
        ids = [e.id for e, _ in in_force(s, D(day))]
    assert (entry_id in ids) is visible


def test_published_past_expiry_counts_as_expired_without_a_job(sample_db) -> None:
    from kb.entries import EntryFilter, display_status, list_entries, published_version

    with frozen(D("2026-06-01")):
        entry_id = published(sample_db, expires_on="2026-06-30")
    with sample_db.session() as s:
        entry = get_entry(s, entry_id)
        live = published_version(s, entry)
        assert display_status(entry, live, D("2026-06-30")) == "published"
        assert display_status(entry, live, D("2026-07-01")) == "expired"
        assert [
            e.id for e in list_entries(s, EntryFilter(status="expired", on=D("2026-07-01")))
        ] == [entry_id]
        assert list_entries(s, EntryFilter(status="expired", on=D("2026-06-30"))) == []


def test_drafts_never_in_force(sample_db) -> None:
    entry_id = new_entry(sample_db)
    act(sample_db, "yb_editor", lifecycle.submit, entry_id)
    with sample_db.session() as s:
        assert in_force(s, D("2026-11-22")) == []


def test_audit_log_records_every_move(sample_db) -> None:
    from kb.audit import events_for

    entry_id = published(sample_db)
    with sample_db.session() as s:
        moves = [
            (e.actor, e.action, e.version_no, e.from_status, e.to_status)
            for e in events_for(s, entry_id)
        ]
    assert moves == [
        ("yb_editor", "create", 1, None, "draft"),
        ("yb_editor", "submit", 1, "draft", "in_review"),
        ("yb_reviewer", "approve", 1, "in_review", "approved"),
        ("yb_reviewer", "publish", 1, "approved", "published"),
    ]


def test_guards_keep_versions_immutable_and_audit_append_only(sample_db) -> None:
    from kb.models import AuditEvent

    entry_id = published(sample_db)
    with pytest.raises(RuntimeError, match="immutable"), sample_db.session() as s:
        get_version(s, entry_id, 1).body = "偷偷改正文"
    with pytest.raises(RuntimeError, match="append-only"), sample_db.session() as s:
        s.query(AuditEvent).first().actor = "someone else"
    with pytest.raises(RuntimeError, match="never deleted"), sample_db.session() as s:
        s.delete(get_entry(s, entry_id))


def test_errors_are_hotline_errors_with_chinese_messages() -> None:
    err = Conflict("测试")
    assert isinstance(err, HotlineError) and err.to_dict() == {
        "error": "conflict",
        "message": "测试",
    }
