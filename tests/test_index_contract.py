"""The contract every index engine passes: Qdrant Edge and the Qdrant server (qdrant-client).

One suite, parametrised over both engines (qdrant-client's congruence-test idea): what one
engine returns for a search, filter or deletion, the other must return too.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from qdrant_client import QdrantClient

from assistant.index.base import (
    OPEN_END,
    OPEN_START,
    IndexPoint,
    QueryFilter,
    SearchRequest,
    VectorIndex,
    region_scope,
)
from assistant.index.edge import EdgeIndex
from assistant.index.manifest import IndexManifest
from assistant.index.server import QdrantServerIndex
from assistant.sparse import SparseVec
from kb.errors import Conflict

DIM = 8
MANIFEST = IndexManifest(embed_model="test-model", dim=DIM, sparse_version="test-sparse")


def unit(i: int) -> np.ndarray:
    """Basis vector i: each point's dense vector is orthogonal to the others'."""
    vec = np.zeros(DIM, dtype=np.float32)
    vec[i] = 1.0
    return vec


def pid(entry_id: int, seq: int = 0) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"test/{entry_id}/{seq}"))


# entry_id, dense axis, sparse terms, kind, region, unit, valid_from, valid_to
ROWS = [
    (1, 0, (11, 12), "script", "示例市", "SL-GA", 20260101, OPEN_END),
    (2, 1, (12, 13), "policy", "示例市东湖区", "SL-RS", OPEN_START, 20261122),
    (3, 2, (13, 14), "script", "示例市西山区", "SL-RS", 20261123, OPEN_END),
    (4, 3, (14, 15), "faq", "全国", "SL-YB", OPEN_START, OPEN_END),
    (5, 4, (15, 16), "policy", "甘肃省", "SL-YB", 20250101, 20251231),
]


def make_points() -> list[IndexPoint]:
    points = []
    for entry_id, axis, terms, kind, region, unit_code, start, end in ROWS:
        points.append(
            IndexPoint(
                id=pid(entry_id),
                dense=unit(axis),
                sparse=SparseVec(terms, (1.0,) * len(terms)),
                payload={
                    "entry_id": entry_id,
                    "version": 1,
                    "seq": 0,
                    "kind": kind,
                    "role": "passage",
                    "region": region,
                    "unit": unit_code,
                    "unit_name": f"单位{unit_code}",
                    "category": "010101",
                    "valid_from": start,
                    "valid_to": end,
                    "title": f"条目{entry_id}",
                    "heading_path": ["一、总则", f"（{entry_id}）"],
                },
            )
        )
    return points


class Engine:
    """How to make, and reopen, one engine's index."""

    def __init__(self, name: str, tmp_path: Path) -> None:
        self.name = name
        self.path = tmp_path / "index"
        self.client = QdrantClient(":memory:") if name == "qdrant" else None

    def create(self, manifest: IndexManifest = MANIFEST) -> VectorIndex:
        if self.name == "edge":
            return EdgeIndex.create(self.path, manifest)
        return QdrantServerIndex.create(self.client, "contract", manifest)

    def reopen(self, manifest: IndexManifest) -> VectorIndex:
        if self.name == "edge":
            return EdgeIndex.open(self.path, manifest)
        return QdrantServerIndex.open(self.client, "contract", manifest)


@pytest.fixture(params=["edge", "qdrant"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    return Engine(request.param, tmp_path)


@pytest.fixture
def index(engine: Engine) -> Iterator[VectorIndex]:
    idx = engine.create()
    idx.upsert(make_points())
    yield idx
    idx.close()


def entries(hits) -> list[int]:
    return [h.payload["entry_id"] for h in hits]


def test_count_and_payload_roundtrip(index: VectorIndex) -> None:
    assert index.count() == 5
    payloads = dict(index.iter_payloads())
    assert set(payloads) == {pid(r[0]) for r in ROWS}
    assert payloads[pid(2)]["heading_path"] == ["一、总则", "（2）"]
    assert payloads[pid(2)]["region"] == "示例市东湖区"


@pytest.mark.parametrize(
    ("axis", "expected_first"),
    [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)],
)
def test_dense_search_finds_nearest(index: VectorIndex, axis: int, expected_first: int) -> None:
    hits = index.search(SearchRequest(dense=unit(axis), limit=3))
    assert entries(hits)[0] == expected_first
    assert hits[0].score == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        ((11,), [1]),  # only entry 1 has term 11
        ((16,), [5]),
        ((11, 13), [1, 2, 3]),  # ties broken either way: compare as sets below
    ],
)
def test_sparse_search_matches_terms(index: VectorIndex, terms, expected) -> None:
    hits = index.search(SearchRequest(sparse=SparseVec(terms, (1.0,) * len(terms)), limit=5))
    assert sorted(entries(hits)) == sorted(expected)


def test_hybrid_fuses_both_lists(index: VectorIndex) -> None:
    # dense points at entry 4, sparse at entry 1 only: RRF puts both on top, nothing else
    # shares the sparse term, and entry 1 scores in both lists when dense is entry 1's axis.
    hits = index.search(
        SearchRequest(dense=unit(0), sparse=SparseVec((11,), (1.0,)), limit=5, prefetch_limit=5)
    )
    assert entries(hits)[0] == 1
    assert set(entries(hits)) == {1, 2, 3, 4, 5}
    assert hits[0].score > hits[1].score


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 12, 31), {2, 4, 5}),  # entry 5's last valid day is included
        (dt.date(2026, 1, 1), {1, 2, 4}),  # entry 5 gone the next day; entry 1 starts
        (dt.date(2026, 11, 22), {1, 2, 4}),  # entry 2's last day
        (dt.date(2026, 11, 23), {1, 3, 4}),  # entry 2 expired at midnight, entry 3 begins
    ],
)
def test_validity_filter_on_query_date(index: VectorIndex, day: dt.date, expected) -> None:
    flt = QueryFilter(day=day)
    for request in (
        SearchRequest(dense=unit(0), limit=10, filter=flt),
        SearchRequest(sparse=SparseVec((11, 12, 13, 14, 15, 16), (1.0,) * 6), limit=10, filter=flt),
        SearchRequest(dense=unit(0), sparse=SparseVec((12,), (1.0,)), limit=10, filter=flt),
    ):
        assert set(entries(index.search(request))) <= expected
    assert (
        set(entries(index.search(SearchRequest(dense=unit(0), limit=10, filter=flt)))) == expected
    )
    assert index.count(flt) == len(expected)


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (QueryFilter(region="示例市东湖区"), {1, 2, 4}),  # city-wide + own district + 全国
        (QueryFilter(region="示例市"), {1, 4}),
        (QueryFilter(region="甘肃省"), {4, 5}),
        (QueryFilter(kinds=("script",)), {1, 3}),
        (QueryFilter(kinds=("script", "faq")), {1, 3, 4}),
        (QueryFilter(unit="SL-RS"), {2, 3}),
        (QueryFilter(unit="单位SL-YB"), {4, 5}),
        (QueryFilter(entry_ids=(2, 5)), {2, 5}),
        (QueryFilter(day=dt.date(2026, 11, 22), region="示例市东湖区", kinds=("policy",)), {2}),
    ],
)
def test_payload_filters(index: VectorIndex, flt: QueryFilter, expected) -> None:
    got = set(entries(index.search(SearchRequest(dense=unit(0), limit=10, filter=flt))))
    assert got == expected
    assert {p["entry_id"] for _, p in index.iter_payloads(flt)} == expected


def test_region_scope() -> None:
    assert region_scope("示例市东湖区") == [
        "示",
        "示例",
        "示例市",
        "示例市东",
        "示例市东湖",
        "示例市东湖区",
        "全国",
    ]


def test_delete_entries_and_points(index: VectorIndex) -> None:
    index.delete_entries([1, 3])
    assert {p["entry_id"] for _, p in index.iter_payloads()} == {2, 4, 5}
    index.delete_points([pid(2)])
    assert {p["entry_id"] for _, p in index.iter_payloads()} == {4, 5}
    assert 1 not in entries(index.search(SearchRequest(dense=unit(0), limit=10)))
    index.clear()
    assert index.count() == 0


def test_upsert_replaces_same_id(index: VectorIndex) -> None:
    point = make_points()[0]
    point.payload = {**point.payload, "version": 2, "title": "新标题"}
    index.upsert([point])
    assert index.count() == 5
    assert dict(index.iter_payloads())[pid(1)]["title"] == "新标题"


def test_with_vectors_returns_dense(index: VectorIndex) -> None:
    hit = index.search(SearchRequest(dense=unit(2), limit=1, with_vectors=True))[0]
    assert hit.dense is not None
    assert np.allclose(hit.dense, unit(2), atol=1e-5)


def test_batch_keeps_order_and_skips_empty(index: VectorIndex) -> None:
    results = index.search_batch(
        [
            SearchRequest(dense=unit(3), limit=1),
            SearchRequest(sparse=SparseVec((), ()), limit=1),  # nothing to search with
            SearchRequest(dense=unit(1), limit=1),
        ]
    )
    assert [entries(r) for r in results] == [[4], [], [2]]


ReopenCase = Callable[[IndexManifest], IndexManifest]


@pytest.mark.parametrize(
    "change",
    [
        {"embed_model": "another-model"},
        {"dim": 16},
        {"sparse_version": "another-dictionary"},
        {"schema_version": 99},
        {"chunking": "other-chunking"},
    ],
)
def test_refuses_index_built_differently(engine: Engine, change: dict) -> None:
    idx = engine.create()
    idx.upsert(make_points())
    idx.close()
    wanted = IndexManifest(**{**MANIFEST.to_dict(), **change})
    with pytest.raises(Conflict, match="hotline reindex"):
        engine.reopen(wanted)
    same = engine.reopen(MANIFEST)  # the matching build opens, data intact
    assert same.count() == 5
    same.close()
