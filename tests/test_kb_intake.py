"""Intake items: closed by the entry that answers them, and due dates that settle later."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kb import intake, timelimits
from kb.actors import Actor
from kb.audit import recent
from kb.calendar import WorkCalendar
from kb.clock import frozen
from kb.content import VersionContent
from kb.entries import create_entry, edit_entry
from kb.errors import Conflict, NotFound
from kb.models import IntakeItem
from tests.conftest import snapshot

D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def _today():
    with frozen(D("2026-12-02")):
        yield


def act(db, who: str, fn, *args, **kwargs):
    with db.session() as s:
        return fn(s, Actor.load(s, who), *args, **kwargs)


def register(db, doc_no: str | None = "示人社发〔2026〕8号", unit: str = "SL-RS", **kw) -> int:
    who = {"SL-RS": "rs_editor", "SL-YB": "yb_editor"}[unit]
    return act(
        db,
        who,
        intake.register,
        title=kw.pop("title", "关于调整失业保险金标准的通知"),
        published_on=kw.pop("published_on", "2026-11-30"),
        owner_unit=unit,
        doc_no=doc_no,
    ).id


def add_entry(db, intake_id: int | None = None, doc_no: str | None = None) -> int:
    with db.session() as s:
        return create_entry(
            s,
            Actor.load(s, "rs_editor"),
            kind="script",
            region="示例市",
            owner_unit="SL-RS",
            content=VersionContent.build(title="失业金标准", body="口径。", doc_no=doc_no),
            intake_id=intake_id,
        ).id


def item(db, item_id: int) -> tuple[int | None, dt.date | None]:
    with db.session() as s:
        row = s.get(IntakeItem, item_id)
        return row.entry_id, row.entered_on


def test_an_entry_closes_the_item_named_explicitly(sample_db) -> None:
    item_id = register(sample_db, doc_no=None)  # nothing to match on but the id
    entry_id = add_entry(sample_db, intake_id=item_id)
    assert item(sample_db, item_id) == (entry_id, D("2026-12-02"))


def test_adding_the_doc_no_in_an_edit_closes_the_item(sample_db) -> None:
    item_id = register(sample_db)
    entry_id = add_entry(sample_db)  # entered without its 文号
    assert item(sample_db, item_id) == (None, None)
    with frozen(D("2026-12-04")), sample_db.session() as s:
        content = VersionContent.build(
            title="失业金标准", body="口径。", doc_no="示人社发[2026]8号"
        )
        edit_entry(s, Actor.load(s, "rs_editor"), entry_id, content, "补文号")
    assert item(sample_db, item_id) == (entry_id, D("2026-12-04"))  # due 12-03: entered late
    # a second item with the same 文号 is not closed by a later edit of the same entry
    with sample_db.session() as s:
        content = VersionContent.build(
            title="失业金标准", body="口径二。", doc_no="示人社发〔2026〕8号"
        )
        edit_entry(s, Actor.load(s, "rs_editor"), entry_id, content, "改口径")
    with sample_db.session() as s:
        assert [e.action for e in recent(s, 20)].count("intake.close") == 1


@pytest.mark.parametrize(
    ("case", "error", "message"),
    [
        ("unknown", NotFound, "没有编号为 99 的待录入政策"),
        ("taken", Conflict, "已由条目 1 录入"),
        (
            "other_unit",
            Conflict,
            "由“示例市医疗保障局”负责录入，不能由“示例市人力资源和社会保障局”",
        ),
    ],
)
def test_closing_an_item_explicitly_refused(sample_db, case: str, error, message: str) -> None:
    item_id = {
        "unknown": lambda: 99,
        "taken": lambda: register(sample_db, doc_no=None),
        "other_unit": lambda: register(sample_db, unit="SL-YB"),
    }[case]()
    if case == "taken":
        add_entry(sample_db, intake_id=item_id)
    before = snapshot(sample_db)
    with pytest.raises(error, match=message), sample_db.session() as s:
        create_entry(
            s,
            Actor.load(s, "rs_editor"),
            kind="script",
            region="示例市",
            owner_unit="SL-RS",
            content=VersionContent.build(title="另一条口径", body="口径。"),
            intake_id=item_id,
        )
    assert snapshot(sample_db) == before


def _calendar(tmp_path: Path, text: str) -> WorkCalendar:
    path = tmp_path / "overrides.yaml"
    path.write_text(text, encoding="utf-8")
    return WorkCalendar.from_file(path, fallback="weekends")


# 2099/2100: years no holiday package will ship while this code lives, so the test cannot
# turn into a known-year test by itself. Dec 29 2099 is a Tuesday.
KNOWN_2099_2100 = (
    "complete_years: [2099, 2100]\n"
    "days:\n"
    "  - {date: 2099-10-01, kind: holiday, note: 国庆节}\n"
    "  - {date: 2100-01-01, kind: holiday, note: 元旦}\n"
)


def test_assumed_due_dates_settle_once_the_calendar_knows_the_year(
    sample_db, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(intake, "get_calendar", lambda: WorkCalendar(fallback="weekends"))
    with frozen(D("2099-12-30")):
        settles = register(sample_db, doc_no="示人社发〔2099〕1号", published_on="2099-12-29")
        stays = register(sample_db, doc_no="示人社发〔2098〕1号", published_on="2098-12-30")
    with sample_db.session() as s:
        due = {i.id: (i.due_on, i.due_assumed) for i in s.query(IntakeItem)}
    assert due == {settles: (D("2100-01-01"), True), stays: (D("2099-01-02"), True)}

    monkeypatch.setattr(intake, "get_calendar", lambda: _calendar(tmp_path, KNOWN_2099_2100))
    with sample_db.session() as s:
        rep = intake.report(s, D("2099-12-30"))
    rows = {r.id: (r.due_on, r.due_assumed) for r in rep.rows}
    # Jan 1 2100 is now a holiday: Dec 30, Dec 31, Jan 4; 2098 is still unknown
    assert rows == {settles: (D("2100-01-04"), False), stays: (D("2099-01-02"), True)}
    with sample_db.session() as s:
        assert {i.id: i.due_on for i in s.query(IntakeItem)}[settles] == D("2100-01-04")
        [event] = [e for e in recent(s, 5) if e.action == "intake.recompute"]
        assert event.detail == {
            "intake_id": settles,
            "old_due_on": "2100-01-01",
            "due_on": "2100-01-04",
        }
        assert intake.recompute(s) == []  # nothing left to settle: no new audit rows


def test_strict_calendar_leaves_unknown_years_alone(sample_db, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(intake, "get_calendar", lambda: WorkCalendar(fallback="weekends"))
    with frozen(D("2099-12-30")):
        register(sample_db, doc_no="示人社发〔2099〕1号", published_on="2099-12-29")
    monkeypatch.setattr(intake, "get_calendar", lambda: WorkCalendar(fallback="error"))
    before = snapshot(sample_db)
    with sample_db.session() as s:
        assert intake.recompute(s) == []
    assert snapshot(sample_db) == before


@pytest.mark.parametrize(
    ("appeal_type", "region", "limit", "days", "basis"),
    [
        ("表扬", "", None, 0, "本系统默认：表扬类无需办理"),
        ("咨询", "", None, 3, "《四川省12345政务服务便民热线运行管理办法》第四章"),
        ("投诉", "示例市", ("示例市", 10, ""), 10, "管理员设置（示例市）"),
        ("投诉", "示例市", ("示例市", 10, "示例市规定"), 10, "示例市规定"),
    ],
)
def test_time_limit_basis_names_where_it_comes_from(
    sample_db, appeal_type, region, limit, days, basis
) -> None:
    with sample_db.session() as s:
        if limit:
            timelimits.set_limit(s, limit[0], appeal_type, limit[1], limit[2], "admin")
    with sample_db.session() as s:
        due = timelimits.due_date(s, appeal_type, D("2026-11-23"), region=region)
    assert due.working_days == days and due.basis.startswith(basis)
