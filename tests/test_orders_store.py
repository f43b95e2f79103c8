"""Work-order tables: migration matches the models, sealing, numbering, outcomes, merges."""

from __future__ import annotations

import datetime as dt
import stat

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

import kb.tables  # noqa: F401 - registers every table
from kb import orders
from kb.errors import Conflict, HotlineError, InvalidInput, NotFound
from kb.models import AuditEvent, Base
from kb.orders import WorkOrder
from kb.sealing import Sealer, get_sealer, master_key
from kb.settings import Settings
from kb.units import get_unit

UTC = dt.UTC


def test_migrations_match_models(sample_db) -> None:
    with sample_db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # only this module's tables: other helpers' tables may be mid-flight in the shared tree
    mine = {"work_orders", "dispatch_outcomes"}
    assert [d for d in diff if mine & set(repr(d).replace("'", " ").split())] == []
    assert mine <= set(Base.metadata.tables)
    assert sample_db.current_revision() == sample_db.head_revision()


def test_sealer_round_trip_and_hashes() -> None:
    sealer = Sealer("k" * 40)
    token = sealer.seal({"〔手机号1〕": "13912345678", "〔姓名1〕": "王建国"})
    assert "13912345678" not in token and "王建国" not in token
    assert sealer.unseal(token) == {"〔手机号1〕": "13912345678", "〔姓名1〕": "王建国"}
    assert sealer.keyed_hash("phone", "139 1234 5678") == sealer.keyed_hash("phone", "13912345678")
    assert sealer.keyed_hash("phone", "13912345678") != sealer.keyed_hash("id", "13912345678")
    assert Sealer("j" * 40).keyed_hash("phone", "1") != sealer.keyed_hash("phone", "1")
    assert "k" not in repr(sealer).replace("key", "")


def test_wrong_key_cannot_unseal() -> None:
    token = Sealer("a" * 40).seal({"x": "y"})
    with pytest.raises(HotlineError, match="密钥"):
        Sealer("b" * 40).unseal(token)


def test_key_file_created_once_private(hotline_home) -> None:
    settings = Settings(home=hotline_home)
    first = master_key(settings)
    assert len(first) >= 32
    assert master_key(settings) == first
    mode = (hotline_home / "secret.key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    assert master_key(Settings(home=hotline_home, secret_key="s" * 32)) == "s" * 32


def _order(**kw) -> WorkOrder:
    base = {
        "accepted_at": dt.datetime(2026, 11, 20, 2, 0, tzinfo=UTC),  # 10:00 China time
        "appeal_type": "投诉",
        "title": "夜间施工噪声",
        "text_masked": "〔姓名1〕反映湖滨街道工地夜间施工",
        "summary_masked": "反映工地夜间施工",
    }
    base.update(kw)
    return WorkOrder(**base)


def test_order_numbers_follow_accepted_day(sample_db) -> None:
    with sample_db.session() as session:
        a = orders.add_order(session, _order(), "admin")
        b = orders.add_order(session, _order(), "admin")
        # 2026-11-20 23:30 UTC is already 11-21 in China
        c = orders.add_order(
            session, _order(accepted_at=dt.datetime(2026, 11, 20, 23, 30, tzinfo=UTC)), "admin"
        )
        assert [a.order_no, b.order_no, c.order_no] == [
            "GD20261120000001",
            "GD20261120000002",
            "GD20261121000001",
        ]
        with pytest.raises(Conflict, match="已存在"):
            orders.add_order(session, _order(order_no="GD20261120000001"), "admin")
        with pytest.raises(InvalidInput, match="紧急程度"):
            orders.add_order(session, _order(urgency="很急"), "admin")


def test_outcomes_and_merge(sample_db) -> None:
    with sample_db.session() as session:
        cg = get_unit(session, "SL-DH-CG")
        sj = get_unit(session, "SL-DH-SJ")
        first = orders.add_order(session, _order(lead_unit_id=cg.id, catalog_row_id="PD-001"), "a")
        second = orders.add_order(session, _order(), "a")
        with pytest.raises(InvalidInput, match="原因"):
            orders.record_outcome(session, first, "reject", actor="cg_editor")
        with pytest.raises(InvalidInput, match="新的主办单位"):
            orders.record_outcome(session, first, "reassign", actor="a", reason="职责不符")
        orders.record_outcome(
            session, first, "reject", actor="cg_editor", reason="不属于本单位职责"
        )
        orders.record_outcome(
            session,
            first,
            "reassign",
            actor="center",
            reason="经审核改派市场监管",
            to_unit=sj,
            to_catalog_row_id="PD-040",
        )
        assert first.lead_unit_id == sj.id and first.catalog_row_id == "PD-040"
        rows = [(o.action, o.catalog_row_id, o.unit_id) for o in first.outcomes]
        assert rows == [("reject", "PD-001", cg.id), ("reassign", "PD-001", cg.id)]
        orders.merge_orders(session, second, first, "center")
        assert (second.status, second.merged_into_id) == ("merged", first.id)
        with pytest.raises(Conflict, match="已并单"):
            orders.merge_orders(session, second, first, "center")
        with pytest.raises(Conflict, match="不能再登记"):
            orders.record_outcome(session, second, "confirm", actor="a")
        with pytest.raises(InvalidInput, match="它自己"):
            orders.merge_orders(session, first, first, "center")
        orders.close_order(session, first, "center")
        with pytest.raises(Conflict, match="已办结"):
            orders.close_order(session, first, "center")
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.startswith("order."))
            .order_by(AuditEvent.id)
        ).all()
        assert actions == [
            "order.add",
            "order.add",
            "order.reject",
            "order.reassign",
            "order.merge",
            "order.close",
        ]


def test_get_order_errors(sample_db) -> None:
    with sample_db.session() as session, pytest.raises(NotFound, match="GD1"):
        orders.get_order(session, "GD1")


def test_process_sealer_uses_settings(hotline_home, monkeypatch) -> None:
    monkeypatch.setenv("HOTLINE_SECRET_KEY", "z" * 40)
    from kb.settings import get_settings

    get_settings.cache_clear()
    assert get_sealer().unseal(Sealer("z" * 40).seal({"a": "b"})) == {"a": "b"}
    assert not (hotline_home / "secret.key").exists()


# 2099/2100: years no holiday package will ship while this code lives. Dec 29 2099 is a Tuesday.
KNOWN_2099_2100 = (
    "complete_years: [2099, 2100]\n"
    "days:\n"
    "  - {date: 2099-10-01, kind: holiday, note: 国庆节}\n"
    "  - {date: 2100-01-01, kind: holiday, note: 元旦}\n"
)


def test_assumed_due_dates_of_open_orders_settle_once_the_calendar_knows_the_year(
    sample_db, tmp_path, monkeypatch
) -> None:
    from kb import timelimits
    from kb.calendar import WorkCalendar

    weekends = WorkCalendar(fallback="weekends")
    accepted = dt.datetime(2099, 12, 29, 2, 0, tzinfo=UTC)  # Tue 10:00 China time
    with sample_db.session() as session:
        due = weekends.add(dt.date(2099, 12, 29), 3)  # 咨询: 3 working days
        assert (due.value, bool(due.warning)) == (dt.date(2100, 1, 1), True)
        kw = {"appeal_type": "咨询", "accepted_at": accepted, "due_assumed": True}
        settles = orders.add_order(session, _order(due_on=due.value, **kw), "admin")
        closed = orders.add_order(session, _order(due_on=due.value, **kw), "admin")
        orders.close_order(session, closed, "admin")
        older = orders.add_order(
            session,
            _order(
                due_on=dt.date(2099, 1, 2),
                appeal_type="咨询",
                accepted_at=dt.datetime(2098, 12, 30, 2, 0, tzinfo=UTC),
                due_assumed=True,
            ),
            "admin",
        )
        numbers = settles.order_no, closed.order_no, older.order_no

    path = tmp_path / "overrides.yaml"
    path.write_text(KNOWN_2099_2100, encoding="utf-8")
    monkeypatch.setattr(timelimits, "get_calendar", lambda: WorkCalendar.from_file(path))
    with sample_db.session() as session:
        [moved] = orders.recompute_due(session, "admin")
        # Jan 1 2100 is a holiday now: Dec 30, Dec 31, Jan 4; 2098 is still unknown
        assert (moved.order_no, moved.old_due_on, moved.new_due_on) == (
            numbers[0],
            dt.date(2100, 1, 1),
            dt.date(2100, 1, 4),
        )
        rows = {
            o.order_no: (o.due_on, o.due_assumed)
            for o in session.scalars(select(WorkOrder).where(WorkOrder.order_no.in_(numbers)))
        }
        assert rows == {
            numbers[0]: (dt.date(2100, 1, 4), False),
            numbers[1]: (dt.date(2100, 1, 1), True),  # closed: its deadline no longer matters
            numbers[2]: (dt.date(2099, 1, 2), True),
        }
        [event] = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "order.recompute_due")
        ).all()
        assert event.detail == {
            "order_no": numbers[0],
            "old_due_on": "2100-01-01",
            "due_on": "2100-01-04",
        }
        assert orders.recompute_due(session, "admin") == []

    monkeypatch.setattr(timelimits, "get_calendar", lambda: WorkCalendar(fallback="error"))
    with sample_db.session() as session:
        assert orders.recompute_due(session, "admin") == []  # strict: unknown years left alone
