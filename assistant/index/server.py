"""A Qdrant server or cluster through qdrant-client (when ``HOTLINE_QDRANT_URL`` is set).

Same data model as the Edge engine: named dense vector, sparse vector with the IDF modifier,
payload indexes, RRF fusion. The build manifest is stored in the collection's metadata.
Tests run this backend against ``QdrantClient(":memory:")``.

qdrant-client directly, not llama-index's Qdrant integration: that one has its own payload
layout and a hub-fetched sparse model (see :mod:`assistant.index.llama_store`); llama-index
reaches this backend through :class:`~assistant.index.llama_store.HotlineVectorStore`.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence

import numpy as np
from qdrant_client import QdrantClient
from qdrant_client import models as m

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

MANIFEST_KEY = "hotline_manifest"
_UPSERT_BATCH = 256


def server_filter(flt: QueryFilter | None) -> m.Filter | None:
    """Our filter as a qdrant-client filter."""
    if flt is None:
        return None
    must: list = []
    if flt.day is not None:
        today = day_int(flt.day, 0)
        must.append(m.FieldCondition(key="valid_from", range=m.Range(lte=today)))
        must.append(m.FieldCondition(key="valid_to", range=m.Range(gte=today)))
    if flt.region:
        must.append(m.FieldCondition(key="region", match=m.MatchAny(any=region_scope(flt.region))))
    if flt.kinds:
        must.append(m.FieldCondition(key="kind", match=m.MatchAny(any=list(flt.kinds))))
    if flt.unit:
        must.append(
            m.Filter(
                should=[
                    m.FieldCondition(key="unit", match=m.MatchValue(value=flt.unit)),
                    m.FieldCondition(key="unit_name", match=m.MatchValue(value=flt.unit)),
                ]
            )
        )
    if flt.entry_ids is not None:
        must.append(m.FieldCondition(key="entry_id", match=m.MatchAny(any=list(flt.entry_ids))))
    return m.Filter(must=must) if must else None


class QdrantServerIndex(VectorIndex):
    """A :class:`VectorIndex` on one collection of a Qdrant server."""

    backend = "qdrant"

    def __init__(self, client: QdrantClient, collection: str, manifest: IndexManifest) -> None:
        super().__init__(manifest)
        self.client = client
        self.collection = collection

    @staticmethod
    def exists(client: QdrantClient, collection: str) -> bool:
        """True if the collection exists and carries a manifest."""
        try:
            if not client.collection_exists(collection):
                return False
            meta = client.get_collection(collection).config.metadata or {}
        except Exception as exc:  # connection refused, auth, timeouts
            raise ServiceUnavailable(
                f"无法连接 Qdrant 服务：{exc}。请检查 HOTLINE_QDRANT_URL。"
            ) from exc
        return MANIFEST_KEY in meta

    @classmethod
    def open(
        cls, client: QdrantClient, collection: str, wanted: IndexManifest, *, create: bool = False
    ) -> QdrantServerIndex:
        """Open the collection; refuse one built with another model."""
        if not cls.exists(client, collection):
            if not create:
                raise Conflict(
                    f"Qdrant 集合 {collection} 不存在；请运行 `hotline reindex` 建立索引。"
                )
            return cls.create(client, collection, wanted)
        meta = client.get_collection(collection).config.metadata or {}
        stored = IndexManifest.from_dict(meta[MANIFEST_KEY])
        stored.require_compatible(wanted, f"Qdrant 集合 {collection}")
        return cls(client, collection, stored)

    @classmethod
    def create(
        cls, client: QdrantClient, collection: str, manifest: IndexManifest
    ) -> QdrantServerIndex:
        """A new, empty collection (replacing an existing one of that name)."""
        if client.collection_exists(collection):
            client.delete_collection(collection)
        client.create_collection(
            collection,
            vectors_config={DENSE: m.VectorParams(size=manifest.dim, distance=m.Distance.COSINE)},
            sparse_vectors_config={SPARSE: m.SparseVectorParams(modifier=m.Modifier.IDF)},
        )
        with warnings.catch_warnings():
            # local mode (tests) warns that payload indexes are a no-op there
            warnings.simplefilter("ignore", UserWarning)
            for name, kind in PAYLOAD_INDEXES.items():
                schema = (
                    m.PayloadSchemaType.INTEGER if kind == "int" else m.PayloadSchemaType.KEYWORD
                )
                client.create_payload_index(collection, name, field_schema=schema)
        # written last: a collection without a manifest is an unfinished build
        client.update_collection(collection, metadata={MANIFEST_KEY: manifest.to_dict()})
        return cls(client, collection, manifest)

    def upsert(self, points: Sequence[IndexPoint]) -> None:
        for start in range(0, len(points), _UPSERT_BATCH):
            batch = []
            for point in points[start : start + _UPSERT_BATCH]:
                vector: dict = {DENSE: np.asarray(point.dense, dtype=np.float32).tolist()}
                if point.sparse:
                    vector[SPARSE] = m.SparseVector(
                        indices=list(point.sparse.indices), values=list(point.sparse.values)
                    )
                batch.append(m.PointStruct(id=point.id, vector=vector, payload=point.payload))
            self.client.upsert(self.collection, batch, wait=True)

    def delete_entries(self, entry_ids: Sequence[int]) -> None:
        if entry_ids:
            flt = server_filter(QueryFilter(entry_ids=tuple(entry_ids)))
            self.client.delete(self.collection, m.FilterSelector(filter=flt), wait=True)

    def delete_points(self, point_ids: Sequence[str]) -> None:
        if point_ids:
            self.client.delete(self.collection, m.PointIdsList(points=list(point_ids)), wait=True)

    def clear(self) -> None:
        self.client.delete(self.collection, m.FilterSelector(filter=m.Filter()), wait=True)

    def close(self) -> None:
        # The client is shared per URL (``:memory:`` data lives in it); the store closes it.
        pass

    def _request(self, req: SearchRequest) -> m.QueryRequest:
        flt = server_filter(req.filter)
        with_vector = [DENSE] if req.with_vectors else False
        sparse = (
            m.SparseVector(indices=list(req.sparse.indices), values=list(req.sparse.values))
            if req.sparse
            else None
        )
        dense = np.asarray(req.dense, dtype=np.float32).tolist() if req.dense is not None else None
        if req.mode == "hybrid":
            return m.QueryRequest(
                prefetch=[
                    m.Prefetch(query=dense, using=DENSE, limit=req.prefetch_limit, filter=flt),
                    m.Prefetch(query=sparse, using=SPARSE, limit=req.prefetch_limit, filter=flt),
                ],
                query=m.RrfQuery(rrf=m.Rrf(k=self.RRF_K)),
                filter=flt,
                limit=req.limit,
                with_payload=True,
                with_vector=with_vector,
            )
        vector, using = (dense, DENSE) if req.mode == "dense" else (sparse, SPARSE)
        return m.QueryRequest(
            query=vector,
            using=using,
            filter=flt,
            limit=req.limit,
            with_payload=True,
            with_vector=with_vector,
        )

    def search_batch(self, requests: Sequence[SearchRequest]) -> list[list[Hit]]:
        live = [(i, r) for i, r in enumerate(requests) if r.mode != "none"]
        results: list[list[Hit]] = [[] for _ in requests]
        if not live:
            return results
        responses = self.client.query_batch_points(
            self.collection, requests=[self._request(r) for _, r in live]
        )
        for (i, req), response in zip(live, responses, strict=True):
            results[i] = [
                Hit(
                    id=str(p.id),
                    score=float(p.score),
                    payload=dict(p.payload or {}),
                    dense=np.asarray(p.vector[DENSE], dtype=np.float32)
                    if req.with_vectors and isinstance(p.vector, dict)
                    else None,
                )
                for p in response.points
            ]
        return results

    def iter_payloads(self, flt: QueryFilter | None = None) -> Iterator[tuple[str, dict]]:
        offset = None
        while True:
            records, offset = self.client.scroll(
                self.collection,
                scroll_filter=server_filter(flt),
                limit=512,
                offset=offset,
                with_payload=True,
            )
            for record in records:
                yield str(record.id), dict(record.payload or {})
            if offset is None:
                return

    def count(self, flt: QueryFilter | None = None) -> int:
        return int(
            self.client.count(self.collection, count_filter=server_filter(flt), exact=True).count
        )
