"""Intake deadlines, time limits and the quarterly sweep."""

from __future__ import annotations

import datetime as dt

import pytest

from kb import intake, lifecycle, sweep, timelimits
from kb.actors import Actor
from kb.clock import frozen
from kb.content import VersionContent
from kb.entries import create_entry
from kb.errors import Conflict, InvalidInput, PermissionDenied
from tests.conftest import snapshot

D = dt.date.fromisoformat
TODAY = D("2026-12-02")
NEXT_QUARTER = D("2027-01-20")


@pytest.fixture(autouse=True)
def _today():
    """Entries are published on TODAY whatever the real date; tests move on with frozen()."""
    with frozen(TODAY):
        yield


def act(db, who: str, fn, *args, **kwargs):
    with db.session() as s:
        return fn(s, Actor.load(s, who), *args, **kwargs)


def make(
    db,
    title: str,
    *,
    unit: str = "SL-RS",
    author: str = "rs_editor",
    reviewer: str = "rs_reviewer",
    publish: bool = True,
    **kw,
) -> int:
    with db.session() as s:
        entry = create_entry(
            s,
            Actor.load(s, author),
            kind=kw.pop("kind", "script"),
            region="示例市",
            owner_unit=unit,
            content=VersionContent.build(
                title=title, body=kw.pop("body", f"{title}的答复口径。"), **kw
            ),
        )
        entry_id = entry.id
    if publish:
        act(db, author, lifecycle.submit, entry_id)
        act(db, reviewer, lifecycle.approve, entry_id)
    return entry_id


# --- intake --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("published_on", "due_on"),
    [
        ("2026-09-29", "2026-10-09"),  # across National Day
        ("2026-02-12", "2026-02-24"),  # Thu: Feb 13, Feb 14 (make-up Sat), then after the festival
        ("2025-06-26", "2025-07-01"),  # 国办函〔2025〕66号
        ("2026-11-20", "2026-11-25"),  # Friday
        ("2026-10-09", "2026-10-13"),  # Friday, then the make-up Saturday counts
    ],
)
def test_intake_due_dates_across_holidays(sample_db, published_on: str, due_on: str) -> None:
    item = act(
        sample_db,
        "rs_editor",
        intake.register,
        title="关于调整失业保险金标准的通知",
        published_on=published_on,
        owner_unit="SL-RS",
        doc_no="示人社发[2026]8号",
    )
    assert item.due_on == D(due_on)
    assert item.doc_no == "示人社发〔2026〕8号"


def test_intake_report_states_and_on_time_rate(sample_db) -> None:
    register = lambda title, doc, day: act(  # noqa: E731
        sample_db,
        "rs_editor",
        intake.register,
        title=title,
        published_on=day,
        owner_unit="SL-RS",
        doc_no=doc,
    )
    register("政策甲", "示人社发〔2026〕1号", "2026-09-29")  # due 10-09
    register("政策乙", "示人社发〔2026〕2号", "2026-09-29")  # due 10-09
    register("政策丙", "示人社发〔2026〕3号", "2026-10-09")  # due 10-13 (10-10 is worked)
    register("政策丁", "示人社发〔2026〕4号", "2026-10-12")  # due 10-15
    # entered on 10-09 (on time, 文号 written differently) and on 10-12 (late)
    with frozen(D("2026-10-09")):
        make(sample_db, "政策甲答复口径", doc_no="示人社发(2026)1号", publish=False)
    with frozen(D("2026-10-12")):
        make(sample_db, "政策乙答复口径", doc_no="示人社发〔2026〕2号", publish=False)
    with sample_db.session() as s:
        rep = intake.report(s, D("2026-10-14"))
    rows = {r.title: (r.state, r.working_days_left, r.entered_on) for r in rep.rows}
    assert rows == {
        "政策甲": ("on_time", None, D("2026-10-09")),
        "政策乙": ("late", None, D("2026-10-12")),
        "政策丙": ("overdue", -1, None),
        "政策丁": ("pending", 1, None),
    }
    [unit] = rep.units
    assert (unit.unit, unit.on_time, unit.late, unit.pending, unit.overdue) == (
        "示例市人力资源和社会保障局",
        1,
        1,
        1,
        1,
    )
    assert unit.on_time_rate == 0.3333
    with sample_db.session() as s:
        later = intake.report(s, D("2026-10-19"))
    assert {r.title: (r.state, r.working_days_left) for r in later.rows if r.entry_id is None} == {
        "政策丙": ("overdue", -4),
        "政策丁": ("overdue", -2),
    }
    assert later.units[0].on_time_rate == 0.25


def test_intake_closed_by_existing_entry(sample_db) -> None:
    entry_id = make(sample_db, "已先录入的政策", doc_no="示人社发〔2026〕9号", publish=False)
    item = act(
        sample_db,
        "rs_editor",
        intake.register,
        title="已先录入的政策",
        published_on="2026-11-20",
        owner_unit="SL-RS",
        doc_no="示人社发〔2026〕9号",
    )
    assert item.entry_id == entry_id


@pytest.mark.parametrize(
    ("who", "kwargs", "error", "message"),
    [
        ("rs_editor", {"published_on": "2026-13-01"}, InvalidInput, "不是有效日期"),
        ("rs_editor", {"published_on": ""}, InvalidInput, "缺少发布日期"),
        ("rs_editor", {"published_on": "2026-12-03"}, InvalidInput, "晚于今天（2026-12-02）"),
        ("rs_editor", {"title": " "}, InvalidInput, "请填写政策标题"),
        ("rs_editor", {"owner_unit": "不存在的局"}, Exception, "未知承办单位"),
        ("yb_editor", {}, PermissionDenied, "只能维护本单位条目"),
        ("rs_editor", {"doc_no": "示人社发〔2026〕1号"}, Conflict, "已登记"),
    ],
)
def test_intake_bad_input(sample_db, who, kwargs, error, message) -> None:
    act(
        sample_db,
        "rs_editor",
        intake.register,
        title="先登记的",
        published_on="2026-11-02",
        owner_unit="SL-RS",
        doc_no="示人社发〔2026〕1号",
    )
    before = snapshot(sample_db)
    args = {
        "title": "新政策",
        "published_on": "2026-11-20",
        "owner_unit": "SL-RS",
        "doc_no": "示人社发〔2026〕2号",
        **kwargs,
    }
    with pytest.raises(error, match=message):
        act(sample_db, who, intake.register, **args)
    assert snapshot(sample_db) == before


# --- time limits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("appeal_type", "accepted", "due"),
    [
        ("咨询", "2026-09-30", "2026-10-10"),  # 3 days: Oct 8, 9, 10 (make-up Saturday)
        ("求助", "2026-11-23", "2026-12-02"),
        ("意见建议", "2026-11-23", "2026-12-02"),
        ("投诉", "2026-11-23", "2026-12-14"),
        ("举报", "2026-02-10", "2026-03-09"),  # across the Spring Festival and 2 make-up Saturdays
    ],
)
def test_due_dates_by_appeal_type(sample_db, appeal_type: str, accepted: str, due: str) -> None:
    with sample_db.session() as s:
        result = timelimits.due_date(s, appeal_type, D(accepted))
    assert result.due_on == D(due)
    assert "四川省" in result.basis


def test_region_profile_and_extension(sample_db) -> None:
    with sample_db.session() as s:
        timelimits.set_limit(s, "示例市", "投诉", 10, "示例市规定", "admin")
        timelimits.add_extension(s, "GD202611230001", 5, "需多部门会商", "center_reviewer")
    with sample_db.session() as s:
        local = timelimits.due_date(s, "投诉", D("2026-11-23"), region="示例市东湖区")
        other = timelimits.due_date(s, "投诉", D("2026-11-23"), region="别的市")
        extended = timelimits.due_date(
            s, "投诉", D("2026-11-23"), region="示例市", order_no="GD202611230001"
        )
    assert (local.working_days, local.due_on) == (10, D("2026-12-07"))
    assert (other.working_days, other.due_on) == (15, D("2026-12-14"))
    assert (extended.extra_working_days, extended.due_on) == (5, D("2026-12-14"))


@pytest.mark.parametrize("bad", ["催办", "", "投 诉"])
def test_unknown_appeal_type(sample_db, bad: str) -> None:
    with pytest.raises(InvalidInput, match="诉求类型"), sample_db.session() as s:
        timelimits.due_date(s, bad, D("2026-11-23"))


# --- quarterly sweep -----------------------------------------------------------------------


def test_sweep_report(sample_db) -> None:
    expired = make(sample_db, "去年的缴费口径", expires_on="2026-12-31")
    expiring = make(sample_db, "快到期的口径", expires_on="2027-02-10")
    fine = make(sample_db, "长期有效的口径")
    new_policy = make(sample_db, "示例市就业促进办法", kind="policy")
    resting = make(sample_db, "按暂行办法答复的口径", basis_title="《示例市就业促进暂行办法》")
    other_unit = make(
        sample_db, "医保口径", unit="SL-YB", author="yb_editor", reviewer="yb_reviewer"
    )
    act(
        sample_db,
        "rs_editor",
        sweep.add_relation,
        new_policy,
        "abolishes",
        target_title="示例市就业促进暂行办法",
    )
    day = NEXT_QUARTER  # nothing has been swept yet this quarter
    with frozen(day), sample_db.session() as s:
        sweep.confirm(s, Actor.load(s, "rs_editor"), fine, day, "核对无误")
    with sample_db.session() as s:
        rep = sweep.report(s, day)
    assert rep.quarter == "2027Q1"
    items = {i.entry_id: (i.issues, i.reasons) for i in rep.items}
    assert items == {
        expired: (["expired", "unreviewed"], ["已于 2026-12-31 到期"]),
        expiring: (["expiring", "unreviewed"], ["将于 2027-02-10 到期"]),
        new_policy: (["unreviewed"], []),
        resting: (
            ["unreviewed", "abolished"],
            [f"依据的《示例市就业促进暂行办法》已被条目 {new_policy} 废止"],
        ),
        other_unit: (["unreviewed"], []),
    }
    units = {
        u.unit: (
            u.in_scope,
            u.handled,
            u.expired,
            u.expiring,
            u.unreviewed,
            u.abolished,
            u.completion_rate,
        )
        for u in rep.units
    }
    assert units == {
        "示例市人力资源和社会保障局": (5, 1, 1, 1, 4, 1, 0.2),
        "示例市医疗保障局": (1, 0, 0, 0, 1, 0, 0.0),
    }
    # archiving through the sweep counts as handled and takes it off the list
    with frozen(day):
        act(sample_db, "rs_editor", sweep.archive, resting, day, "依据已废止")
    with sample_db.session() as s:
        rep = sweep.report(s, day, unit="SL-RS")
    assert resting not in {i.entry_id for i in rep.items}
    assert rep.units[0].handled == 2 and rep.units[0].in_scope == 5


def test_sweep_current_quarter_counts_fresh_publications(sample_db) -> None:
    entry_id = make(sample_db, "刚发布的口径")
    from kb.clock import today

    with sample_db.session() as s:
        rep = sweep.report(s, today())
    assert entry_id not in {i.entry_id for i in rep.items}
    assert rep.units[0].completion_rate == 1.0


@pytest.mark.parametrize(
    ("setup", "who", "on", "message"),
    [
        ("expired", "rs_editor", NEXT_QUARTER, "已于 2026-12-31 到期，不能直接确认"),
        ("twice", "rs_editor", NEXT_QUARTER, "已由rs_editor于 2027-01-20 巡检"),
        ("fine", "yb_editor", NEXT_QUARTER, "只能维护本单位条目"),
        ("draft", "rs_editor", NEXT_QUARTER, "不是已发布状态"),
        ("fine", "rs_editor", D("2027-01-21"), "巡检日期 2027-01-21 晚于今天（2027-01-20）"),
        ("fine", "admin", D("2027-04-01"), "晚于今天"),  # not even an admin: no future quarter
        ("fine", "rs_editor", D("2026-12-31"), "不在本季度（2027Q1）；只能确认本季度的巡检"),
        ("fine", "admin", D("2026-12-01"), "于 2026-12-02 首次发布，不能确认此前（2026-12-01）"),
    ],
)
def test_sweep_confirm_refusals(sample_db, setup: str, who: str, on, message: str) -> None:
    entry_id = {
        "expired": lambda: make(sample_db, "过期口径", expires_on="2026-12-31"),
        "twice": lambda: make(sample_db, "已巡检口径"),
        "fine": lambda: make(sample_db, "人社口径"),
        "draft": lambda: make(sample_db, "草稿口径", publish=False),
    }[setup]()
    with frozen(NEXT_QUARTER):
        if setup == "twice":
            act(sample_db, "rs_editor", sweep.confirm, entry_id, NEXT_QUARTER)
        before = snapshot(sample_db)
        with pytest.raises((Conflict, PermissionDenied, InvalidInput), match=message):
            act(sample_db, who, sweep.confirm, entry_id, on)
    assert snapshot(sample_db) == before


def test_admin_may_record_an_earlier_quarter(sample_db) -> None:
    entry_id = make(sample_db, "人社口径")
    with frozen(NEXT_QUARTER):
        review = act(sample_db, "admin", sweep.confirm, entry_id, D("2026-12-20"), "纸质巡检补录")
        assert review.quarter == "2026Q4"
    with sample_db.session() as s:
        assert entry_id not in {i.entry_id for i in sweep.report(s, D("2026-12-31")).items}


def test_an_expired_entry_is_never_handled(sample_db) -> None:
    # published (and so "updated") this quarter, but expired by the report day
    entry_id = make(sample_db, "月中到期的口径", expires_on="2026-12-10")
    with sample_db.session() as s:
        rep = sweep.report(s, D("2026-12-15"))
    [item] = rep.items
    assert (item.entry_id, item.issues, item.reviewed_this_quarter) == (
        entry_id,
        ["expired", "unreviewed"],
        False,
    )
    assert (rep.units[0].handled, rep.units[0].completion_rate) == (0, 0.0)


def _abolished(db, day) -> dict[int, list[str]]:
    with db.session() as s:
        rep = sweep.report(s, day)
    return {i.entry_id: i.reasons for i in rep.items if "abolished" in i.issues}


@pytest.mark.parametrize(
    ("target", "basis"),
    [
        ({"target_title": "《示例市失业保险办法》"}, {"basis_title": "示例市失业保险办法"}),
        ({"target_doc_no": "示人社发[2025]3号"}, {"doc_no": "示人社发〔2025〕3号"}),
        ({"target_doc_no": "示人社发 （2025） 第3号"}, {"doc_no": "示人社发(2025)3号"}),
    ],
)
def test_only_a_live_abolishing_entry_drives_the_sweep(sample_db, target, basis) -> None:
    resting = make(sample_db, "失业金口径", **basis)
    policy = make(sample_db, "示例市失业保险条例", kind="policy", publish=False)
    act(sample_db, "rs_editor", sweep.add_relation, policy, "abolishes", **target)
    assert _abolished(sample_db, TODAY) == {}  # a draft abolishes nothing yet
    act(sample_db, "rs_editor", lifecycle.submit, policy)
    act(sample_db, "rs_reviewer", lifecycle.approve, policy)
    shown = target.get("target_doc_no") and "示人社发〔2025〕3号"
    what = shown or "《示例市失业保险办法》"
    assert _abolished(sample_db, TODAY) == {resting: [f"依据的{what}已被条目 {policy} 废止"]}


def test_a_relation_counts_from_its_effective_date(sample_db) -> None:
    resting = make(sample_db, "失业金口径", basis_title="示例市失业保险办法")
    policy = make(sample_db, "示例市失业保险条例", kind="policy")
    act(
        sample_db,
        "rs_editor",
        sweep.add_relation,
        policy,
        "replaces",
        target_title="示例市失业保险办法",
        effective_on=D("2026-12-20"),
    )
    assert _abolished(sample_db, D("2026-12-19")) == {}
    assert _abolished(sample_db, D("2026-12-20")) == {
        resting: [f"依据的《示例市失业保险办法》已被条目 {policy} 替代"]
    }


def test_superseded_counts_once_the_new_entry_is_live(sample_db) -> None:
    from kb.entries import set_superseded_by

    old = make(sample_db, "旧口径")
    new = make(sample_db, "新口径", publish=False)
    act(sample_db, "rs_editor", set_superseded_by, old, new)
    assert _abolished(sample_db, TODAY) == {}
    act(sample_db, "rs_editor", lifecycle.submit, new)
    act(sample_db, "rs_reviewer", lifecycle.approve, new)
    assert _abolished(sample_db, TODAY) == {old: [f"已被条目 {new} 替代"]}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"relation": "cancels", "target_title": "某办法"}, InvalidInput, "abolishes（废止）"),
        ({"relation": "abolishes"}, InvalidInput, "请给出被废止/替代文件的标题或文号"),
        ({"relation": "abolishes", "target_title": "《》"}, InvalidInput, "标题或文号"),
        (
            {"relation": "abolishes", "target_title": "示例市就业促进暂行办法"},
            Conflict,
            "已登记过这条关系",
        ),
    ],
)
def test_add_relation_refusals(sample_db, kwargs, error, message) -> None:
    policy = make(sample_db, "示例市就业促进办法", kind="policy")
    act(sample_db, "rs_editor", sweep.add_relation, policy, "abolishes",
        target_title="《示例市就业促进暂行办法》")  # fmt: skip
    before = snapshot(sample_db)
    relation = kwargs.pop("relation")
    with pytest.raises(error, match=message):
        act(sample_db, "rs_editor", sweep.add_relation, policy, relation, **kwargs)
    assert snapshot(sample_db) == before
