"""KB gaps and the ask log: what an unanswered question leaves behind for QA."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from kb.actors import Actor
from kb.db import Database, alembic_config
from kb.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from kb.gaps import AskLog, KbGap, close_gap, gap_dict, list_gaps, record_ask

DAY = dt.date(2026, 11, 22)


def test_unanswered_question_opens_a_gap(sample_db: Database) -> None:
    with sample_db.session() as session:
        log, gap = record_ask(
            session,
            question_masked="我叫<姓名>，孩子上学的事",
            asked_for=DAY,
            answered=False,
            confidence=0.21,
            region="示例市东湖区",
            channel="api",
        )
        assert gap is not None and log.gap_id == gap.id
        data = gap_dict(gap)
    assert data["question_masked"] == "我叫<姓名>，孩子上学的事"
    assert (data["status"], data["status_zh"], data["best_score"]) == ("open", "待处理", 0.21)
    assert (data["region"], data["channel"], data["asked_for"]) == ("示例市东湖区", "api", DAY)


def test_answered_question_is_logged_without_gap(sample_db: Database) -> None:
    with sample_db.session() as session:
        log, gap = record_ask(
            session, question_masked="医保怎么交", asked_for=DAY, answered=True, confidence=0.9
        )
        assert gap is None and log.gap_id is None
    with sample_db.session() as session:
        assert session.scalars(select(KbGap)).all() == []
        assert [(r.answered, r.confidence) for r in session.scalars(select(AskLog))] == [
            (True, 0.9)
        ]


@pytest.fixture
def three_gaps(sample_db: Database) -> Database:
    with sample_db.session() as session:
        for text, region in [("甲", "示例市东湖区"), ("乙", "示例市西山区"), ("丙", None)]:
            record_ask(
                session,
                question_masked=text,
                asked_for=DAY,
                answered=False,
                confidence=0.1,
                region=region,
            )
    return sample_db


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, ["丙", "乙", "甲"]),
        ({"region": "示例市东湖"}, ["甲"]),
        ({"status": None, "limit": 2}, ["丙", "乙"]),
        ({"status": "resolved"}, []),
    ],
)
def test_list_gaps(three_gaps: Database, kwargs: dict, expected: list[str]) -> None:
    with three_gaps.session() as session:
        assert [g.question_masked for g in list_gaps(session, **kwargs)] == expected


def test_list_gaps_rejects_unknown_status(three_gaps: Database) -> None:
    with three_gaps.session() as session, pytest.raises(InvalidInput, match="状态"):
        list_gaps(session, status="closed")


def _actor(session, name: str) -> Actor:
    return Actor.load(session, name)


def test_close_gap_dismiss_and_refusals(three_gaps: Database) -> None:
    with three_gaps.session() as session:
        qa = _actor(session, "qa01")
        with pytest.raises(InvalidInput, match="原因"):
            close_gap(session, qa, 1)
        with pytest.raises(PermissionDenied):
            close_gap(session, _actor(session, "op01"), 1, note="x")
        with pytest.raises(NotFound):
            close_gap(session, qa, 99, note="x")
        with pytest.raises(NotFound, match="条目"):
            close_gap(session, qa, 1, resolved_entry_id=12345)
        gap = close_gap(session, qa, 1, note="不属于热线受理范围")
        assert (gap.status, gap.resolved_by) == ("dismissed", "qa01")
        with pytest.raises(Conflict, match="已忽略"):
            close_gap(session, qa, 1, note="again")
    with three_gaps.session() as session:
        assert [g.question_masked for g in list_gaps(session)] == ["丙", "乙"]


def test_migration_0002_downgrades_and_upgrades(sample_db: Database) -> None:
    from alembic import command

    cfg = alembic_config(sample_db.url)
    command.downgrade(cfg, "0001")
    assert sample_db.current_revision() == "0001"
    command.upgrade(cfg, "head")
    assert sample_db.current_revision() == sample_db.head_revision()


def test_gaps_cli_list_and_close(three_gaps: Database, cli) -> None:
    listed = cli("gaps", "list", "--json")
    assert listed.code == 0
    assert [g["question_masked"] for g in listed.json()] == ["丙", "乙", "甲"]
    human = cli("gaps", "list")
    assert "知识库缺口（3）" in human.out and "待处理" in human.out
    refused = cli("gaps", "close", "1", "--as", "qa01")
    assert refused.code == 1 and "原因" in refused.err
    closed = cli("gaps", "close", "1", "--note", "不属于受理范围", "--as", "qa01", "--json")
    assert closed.json()["status"] == "dismissed"
    assert [g["id"] for g in cli("gaps", "list", "--status", "dismissed", "--json").json()] == [1]
    assert len(cli("gaps", "list", "--status", "all", "--json").json()) == 3
