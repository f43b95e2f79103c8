"""The index follows the KB: only the live published version of each entry is retrievable,
validity is enforced on the query date, and `reindex` / `check` repair and report drift.
Runs on both engines with the fast hashing embedder (the real model is in test_retrieval_e2e).
"""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.index.base import IndexPoint
from assistant.retrieval import Retriever
from assistant.sparse import SparseVec
from assistant.sync import check, live_pairs, reindex
from kb import lifecycle
from kb.actors import Actor
from kb.db import Database
from kb.errors import HotlineError
from tests.retrieval_support import (
    DAY,
    LONG_POLICY,
    NEWBORN,
    NOISE,
    POLICY,
    add_entry,
    entry_ids,
    republish,
    runtime,
)

pytest_plugins = ("tests.retrieval_fixtures",)

pytestmark = pytest.mark.usefixtures("fast_models", "engine")


def build(db: Database) -> None:
    with db.session() as session:
        reindex(session, runtime())


def search(question: str, day: dt.date = DAY, **kwargs) -> list[int]:
    return entry_ids(Retriever(runtime()).search(question, on=day, **kwargs))


def texts(question: str, day: dt.date = DAY) -> list[str]:
    return [c.payload["text"] for c in Retriever(runtime()).search(question, on=day).candidates]


def test_publish_indexes_and_drafts_never_appear(retrieval_db: Database) -> None:
    build(retrieval_db)  # empty KB: an empty index now exists and follows events
    with retrieval_db.session() as session:
        newborn = add_entry(
            session, title="新生儿落户办理", body=NEWBORN, questions=["孩子怎么上户口"]
        )
        draft = add_entry(session, title="夜间施工噪音投诉", body=NOISE, publish=False)
        admin = Actor.load(session, "admin")
        lifecycle.submit(session, admin, draft.id)
        newborn_id, draft_id = newborn.id, draft.id
    assert search("孩子出生怎么上户口") == [newborn_id]
    assert draft_id not in search("夜间施工噪音")
    assert draft_id not in {p["entry_id"] for _, p in runtime().index().iter_payloads()}


@pytest.mark.parametrize(
    ("day", "visible"),
    [
        (dt.date(2026, 11, 22), {"expiring"}),  # last valid day included
        (dt.date(2026, 11, 23), set()),  # gone at midnight, no job needed
        (dt.date(2026, 12, 31), set()),
        (dt.date(2027, 1, 1), {"future"}),  # first day of a not-yet-effective entry
    ],
)
def test_validity_boundaries(retrieval_db: Database, day: dt.date, visible: set[str]) -> None:
    build(retrieval_db)
    with retrieval_db.session() as session:
        ids = {
            "expiring": add_entry(
                session,
                title="2026年度医保缴费",
                body="2026年度城乡居民医保个人缴费每人每年400元。",
                expires_on=dt.date(2026, 11, 22),
            ).id,
            "future": add_entry(
                session,
                title="2027年度医保缴费",
                body="2027年度城乡居民医保个人缴费每人每年420元。",
                effective_from=dt.date(2027, 1, 1),
            ).id,
        }
    found = set(search("城乡居民医保个人缴费每人每年多少元", day))
    assert {name for name, entry_id in ids.items() if entry_id in found} == visible


def test_republish_and_rollback_change_what_is_retrieved(retrieval_db: Database) -> None:
    build(retrieval_db)
    with retrieval_db.session() as session:
        entry_id = add_entry(session, title="新生儿落户办理", body=NEWBORN).id
    new_body = NEWBORN.replace("一个月内", "三个月内")
    with retrieval_db.session() as session:
        republish(session, entry_id, new_body)
    assert texts("新生儿出生登记")[0] == new_body
    stored = {p["version"] for _, p in runtime().index().iter_payloads()}
    assert stored == {2}  # superseded version 1 left no point behind
    with retrieval_db.session() as session:
        lifecycle.rollback(session, Actor.load(session, "admin"), entry_id, 1, "恢复原口径")
    assert texts("新生儿出生登记")[0] == NEWBORN
    assert {p["version"] for _, p in runtime().index().iter_payloads()} == {3}


def test_archive_removes_entry(retrieval_db: Database) -> None:
    build(retrieval_db)
    with retrieval_db.session() as session:
        entry_id = add_entry(session, title="夜间施工噪音投诉", body=NOISE).id
    assert search("夜间施工噪音") == [entry_id]
    with retrieval_db.session() as session:
        lifecycle.archive(session, Actor.load(session, "admin"), entry_id, "政策已废止")
    assert search("夜间施工噪音") == []


def test_failing_index_rolls_the_kb_change_back(
    retrieval_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(retrieval_db)

    def broken(*args, **kwargs):
        raise HotlineError("索引写入失败")

    monkeypatch.setattr("assistant.sync.apply_event", broken)
    with pytest.raises(HotlineError, match="索引写入失败"), retrieval_db.session() as session:
        add_entry(session, title="夜间施工噪音投诉", body=NOISE)
    with retrieval_db.session() as session:
        assert live_pairs(session) == []


def test_without_an_index_publishing_costs_nothing(retrieval_db: Database) -> None:
    with retrieval_db.session() as session:
        add_entry(session, title="新生儿落户办理", body=NEWBORN)
    assert not runtime().index_exists()


def test_region_and_kind_filters(retrieval_db: Database) -> None:
    build(retrieval_db)
    with retrieval_db.session() as session:
        city = add_entry(
            session, title="路灯故障报修（全市）", body="路灯不亮可拨打示例市城管热线报修。"
        )
        east = add_entry(
            session,
            title="路灯故障报修（东湖区）",
            body="东湖区路灯不亮请联系东湖区城管局报修。",
            region="示例市东湖区",
        )
        west = add_entry(
            session,
            title="路灯故障报修（西山区）",
            body="西山区路灯不亮请联系西山区城管局报修。",
            region="示例市西山区",
        )
        policy = add_entry(session, title="城市照明管理办法", body=POLICY, kind="policy")
        ids = (city.id, east.id, west.id, policy.id)
    found = set(search("路灯不亮报修", region="示例市东湖区"))
    assert ids[0] in found and ids[1] in found and ids[2] not in found
    assert set(search("路灯不亮报修", kinds=["policy"])) == {ids[3]}


def test_check_reports_every_kind_of_drift_and_reindex_repairs(retrieval_db: Database) -> None:
    with retrieval_db.session() as session:
        newborn = add_entry(
            session, title="新生儿落户办理", body=NEWBORN, questions=["孩子怎么上户口"]
        )
        noise = add_entry(session, title="夜间施工噪音投诉", body=NOISE)
        policy = add_entry(session, title="热线知识库管理办法", body=LONG_POLICY, kind="policy")
        expired = add_entry(
            session,
            title="过期口径",
            body="这条口径已经过期。",
            questions=["旧问题"],
            expires_on=dt.date(2026, 1, 1),
        )
        ids = newborn.id, noise.id, policy.id, expired.id
    build(retrieval_db)
    with retrieval_db.session() as session:
        report = check(session, DAY, runtime())
    assert report.ok, report.differences
    assert (report.kb_entries, report.index_entries, report.in_force_kb) == (4, 4, 3)

    index = runtime().index()
    index.delete_entries([ids[0]])  # missing
    payloads = dict(index.iter_payloads())
    dense = runtime().embedder.embed_stored(["x"])[0]
    # every point of the noise script claims it expired last year: wrong payload
    index.upsert(
        [
            IndexPoint(pid, dense, SparseVec((), ()), {**p, "valid_to": 20251231})
            for pid, p in payloads.items()
            if p["entry_id"] == ids[1]
        ]
    )
    some_point = next(pid for pid, p in payloads.items() if p["entry_id"] == ids[1])
    index.upsert(  # a point of an entry the KB does not have
        [
            IndexPoint(
                "00000000-0000-0000-0000-000000000001",
                dense,
                SparseVec((), ()),
                {**payloads[some_point], "entry_id": 999, "seq": 0},
            )
        ]
    )
    clauses = sorted((p["seq"], pid) for pid, p in payloads.items() if p["entry_id"] == ids[2])
    assert len(clauses) >= 2
    index.delete_points([clauses[-1][1]])  # one clause of a policy missing
    with retrieval_db.session() as session:
        report = check(session, DAY, runtime())
    kinds = {(d.kind, d.entry_id) for d in report.differences}
    assert kinds == {
        ("missing", ids[0]),
        ("in_force", ids[0]),
        ("payload", ids[1]),
        ("in_force", ids[1]),
        ("missing_point", ids[2]),
        ("orphan", 999),
        ("in_force", 999),
    }
    build(retrieval_db)
    with retrieval_db.session() as session:
        assert check(session, DAY, runtime()).ok


def test_stale_version_is_reported(retrieval_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    with retrieval_db.session() as session:
        entry_id = add_entry(session, title="新生儿落户办理", body=NEWBORN).id
    build(retrieval_db)
    monkeypatch.setattr("assistant.sync.apply_event", lambda *a, **k: None)  # index misses it
    with retrieval_db.session() as session:
        republish(session, entry_id, NEWBORN + "补充说明。")
        report = check(session, DAY, runtime())
    assert [(d.kind, d.entry_id) for d in report.differences] == [("stale", entry_id)]
    assert "第 1 版" in report.differences[0].detail and "第 2 版" in report.differences[0].detail
