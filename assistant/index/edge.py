"""Qdrant Edge: the real Qdrant engine in-process (HNSW, payload indexes, WAL). The default.

Data lives in ``<dir>/shard`` with the build manifest in ``<dir>/manifest.json``. A shard is
owned by one process at a time (its WAL is locked); a second opener waits briefly and then
gets a clear error naming what to do, rather than blocking forever.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import qdrant_edge as q

from assistant.index.base import (
    DENSE,
    PAYLOAD_INDEXES,
    SPARSE,
    Hit,
    IndexPoint,
    QueryFilter,
    SearchRequest,
    VectorIndex,
    day_int,
    region_scope,
)
from assistant.index.manifest import IndexManifest
from kb.errors import Conflict, ServiceUnavailable

MANIFEST = "manifest.json"
SHARD = "shard"
LOCK_WAIT_SECONDS = 5.0
_UPSERT_BATCH = 256


def edge_filter(flt: QueryFilter | None) -> q.Filter | None:
    """Our filter as a Qdrant Edge filter."""
    if flt is None:
        return None
    must: list = []
    if flt.day is not None:
        today = day_int(flt.day, 0)
        must.append(q.FieldCondition(key="valid_from", range=q.RangeFloat(lte=today)))
        must.append(q.FieldCondition(key="valid_to", range=q.RangeFloat(gte=today)))
    if flt.region:
        must.append(q.FieldCondition(key="region", match=q.MatchAny(any=region_scope(flt.region))))
    if flt.kinds:
        must.append(q.FieldCondition(key="kind", match=q.MatchAny(any=list(flt.kinds))))
    if flt.unit:
        must.append(
            q.Filter(
                should=[
                    q.FieldCondition(key="unit", match=q.MatchValue(flt.unit)),
                    q.FieldCondition(key="unit_name", match=q.MatchValue(flt.unit)),
                ]
            )
        )
    if flt.entry_ids is not None:
        must.append(q.FieldCondition(key="entry_id", match=q.MatchAny(any=list(flt.entry_ids))))
    return q.Filter(must=must) if must else None


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "WouldBlock" in text or "lock" in text.lower()


class EdgeIndex(VectorIndex):
    """A :class:`VectorIndex` on one Qdrant Edge shard."""

    backend = "edge"

    def __init__(self, directory: Path, shard: q.EdgeShard, manifest: IndexManifest) -> None:
        super().__init__(manifest)
        self.directory = directory
        self._shard: q.EdgeShard | None = shard

    # -- opening -----------------------------------------------------------------------
    @staticmethod
    def exists(directory: Path) -> bool:
        """True if a built index is at ``directory``."""
        return (directory / MANIFEST).exists() and (directory / SHARD).is_dir()

    @classmethod
    def open(cls, directory: Path, wanted: IndexManifest, *, create: bool = False) -> EdgeIndex:
        """Open the index at ``directory``; refuse one built with another model."""
        directory = Path(directory)
        if not cls.exists(directory):
            if not create:
                raise Conflict(f"检索索引 {directory} 不存在；请运行 `hotline reindex` 建立索引。")
            return cls.create(directory, wanted)
        stored = IndexManifest.read(directory / MANIFEST)
        assert stored is not None
        stored.require_compatible(wanted, str(directory))
        return cls(directory, cls._load(directory / SHARD), stored)

    @classmethod
    def create(cls, directory: Path, manifest: IndexManifest) -> EdgeIndex:
        """A new, empty index at ``directory`` (replacing whatever was there)."""
        directory = Path(directory)
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
        config = q.EdgeConfig(
            vectors={DENSE: q.EdgeVectorParams(size=manifest.dim, distance=q.Distance.Cosine)},
            sparse_vectors={SPARSE: q.EdgeSparseVectorParams(modifier=q.Modifier.Idf)},
        )
        shard = q.EdgeShard.create(str(directory / SHARD), config)
        for name, kind in PAYLOAD_INDEXES.items():
            schema = q.PayloadSchemaType.Integer if kind == "int" else q.PayloadSchemaType.Keyword
            shard.update(q.UpdateOperation.create_field_index(name, schema))
        # written last: a directory without a manifest is an unfinished build
        manifest.write(directory / MANIFEST)
        return cls(directory, shard, manifest)

    @staticmethod
    def _load(path: Path) -> q.EdgeShard:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                return q.EdgeShard.load(str(path))
            except Exception as exc:
                if not _is_lock_error(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise ServiceUnavailable(
                        f"检索索引 {path.parent} 正被另一个进程使用（例如正在运行的 "
                        "`hotline serve`，或另一条正在执行的命令）。请稍后重试，"
                        "或通过该服务的接口操作；如确认没有其他进程，请重启后再试。"
                    ) from exc
                time.sleep(0.2)

    @property
    def shard(self) -> q.EdgeShard:
        """The open shard (error if closed)."""
        if self._shard is None:
            raise RuntimeError("index is closed")
        return self._shard

    # -- writing -----------------------------------------------------------------------
    def upsert(self, points: Sequence[IndexPoint]) -> None:
        for start in range(0, len(points), _UPSERT_BATCH):
            batch = []
            for point in points[start : start + _UPSERT_BATCH]:
                vector: dict = {DENSE: np.asarray(point.dense, dtype=np.float32).tolist()}
                if point.sparse:
                    vector[SPARSE] = q.SparseVector(
                        indices=list(point.sparse.indices), values=list(point.sparse.values)
                    )
                batch.append(q.Point(id=point.id, vector=vector, payload=point.payload))
            self.shard.update(q.UpdateOperation.upsert_points(batch))

    def delete_entries(self, entry_ids: Sequence[int]) -> None:
        if entry_ids:
            flt = edge_filter(QueryFilter(entry_ids=tuple(entry_ids)))
            self.shard.update(q.UpdateOperation.delete_points_by_filter(flt))

    def delete_points(self, point_ids: Sequence[str]) -> None:
        if point_ids:
            self.shard.update(q.UpdateOperation.delete_points(list(point_ids)))

    def clear(self) -> None:
        self.shard.update(q.UpdateOperation.delete_points_by_filter(q.Filter()))

    def flush(self) -> None:
        self.shard.flush()

    def optimize(self) -> None:
        """Build HNSW and merge segments now (after a bulk load)."""
        self.shard.optimize()

    def close(self) -> None:
        if self._shard is not None:
            self._shard.flush()
            self._shard.close()
            self._shard = None

    # -- reading -----------------------------------------------------------------------
    def _request(self, req: SearchRequest) -> q.QueryRequest:
        flt = edge_filter(req.filter)
        with_vector = [DENSE] if req.with_vectors else None
        sparse = (
            q.SparseVector(indices=list(req.sparse.indices), values=list(req.sparse.values))
            if req.sparse
            else None
        )
        dense = np.asarray(req.dense, dtype=np.float32).tolist() if req.dense is not None else None
        if req.mode == "hybrid":
            return q.QueryRequest(
                limit=req.limit,
                prefetches=[
                    q.Prefetch(
                        limit=req.prefetch_limit,
                        query=q.Query.Nearest(dense, using=DENSE),
                        filter=flt,
                    ),
                    q.Prefetch(
                        limit=req.prefetch_limit,
                        query=q.Query.Nearest(sparse, using=SPARSE),
                        filter=flt,
                    ),
                ],
                query=q.Fusion.Rrf(k=self.RRF_K),
                filter=flt,
                with_payload=True,
                with_vector=with_vector,
            )
        vector, using = (dense, DENSE) if req.mode == "dense" else (sparse, SPARSE)
        return q.QueryRequest(
            limit=req.limit,
            query=q.Query.Nearest(vector, using=using),
            filter=flt,
            with_payload=True,
            with_vector=with_vector,
        )

    def search_batch(self, requests: Sequence[SearchRequest]) -> list[list[Hit]]:
        live = [(i, r) for i, r in enumerate(requests) if r.mode != "none"]
        results: list[list[Hit]] = [[] for _ in requests]
        if not live:
            return results
        batch = q.QueryBatchRequest([self._request(r) for _, r in live])
        for (i, req), points in zip(live, self.shard.query_batch(batch), strict=True):
            results[i] = [
                Hit(
                    id=str(p.id),
                    score=float(p.score),
                    payload=dict(p.payload or {}),
                    dense=np.asarray(p.vector[DENSE], dtype=np.float32)
                    if req.with_vectors and p.vector
                    else None,
                )
                for p in points
            ]
        return results

    def iter_payloads(self, flt: QueryFilter | None = None) -> Iterator[tuple[str, dict]]:
        offset = None
        edge_flt = edge_filter(flt)
        while True:
            records, offset = self.shard.scroll(
                q.ScrollRequest(offset=offset, limit=512, filter=edge_flt, with_payload=True)
            )
            for record in records:
                yield str(record.id), dict(record.payload or {})
            if offset is None:
                return

    def count(self, flt: QueryFilter | None = None) -> int:
        return int(self.shard.count(q.CountRequest(exact=True, filter=edge_filter(flt))))
