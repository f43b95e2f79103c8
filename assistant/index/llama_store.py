"""Our index as a llama-index vector store (``BasePydanticVectorStore``).

It sits on our :class:`~assistant.index.base.VectorIndex`, so the same llama-index code
writes to Qdrant Edge or to a server, with our sparse BM25 vectors alongside. Indexing
uses it for every write (:mod:`assistant.pipeline` calls :meth:`add`).

:meth:`query` is a complete llama-index query (dense, sparse or hybrid, metadata filters)
for anyone who wants a llama-index retriever over the KB, and is tested; ``ask`` does *not*
go through it. A ``VectorStoreQueryResult`` has one similarity per node (for hybrid, the
RRF score) and no vectors, while re-ranking and the answer decision need each point's
cosine and its BM25 score: through this interface that is three queries per question
(hybrid, dense, sparse) instead of one batch, measured at 18.3 ms vs 10.5 ms p50 on the
sample index (docs/retrieval.md).

llama-index's own Qdrant integration (``llama-index-vector-stores-qdrant``) is not used for
the server backend either: it stores nodes in its own payload layout (``_node_content``),
so one contract suite and ``hotline check`` could not cover both engines, and its hybrid
mode defaults to a sparse model fetched from a hub. :mod:`assistant.index.server` speaks
qdrant-client directly with the same data model as Edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from llama_index.core.schema import BaseNode, TextNode
from llama_index.core.vector_stores.types import (
    BasePydanticVectorStore,
    FilterOperator,
    MetadataFilters,
    VectorStoreQuery,
    VectorStoreQueryMode,
    VectorStoreQueryResult,
)
from pydantic import PrivateAttr

from assistant.chunks import embed_text, node_payload
from assistant.index.base import IndexPoint, QueryFilter, SearchRequest, VectorIndex
from assistant.sparse import SparseEncoder
from kb.clock import parse_date


def query_filter(filters: MetadataFilters | None) -> QueryFilter:
    """llama-index metadata filters (EQ / IN on our keys, plus ``day`` as an ISO date) → ours."""
    values: dict[str, Any] = {}
    for flt in filters.filters if filters else []:
        if isinstance(flt, MetadataFilters) or flt.operator not in (
            FilterOperator.EQ,
            FilterOperator.IN,
        ):
            raise ValueError(f"unsupported filter {flt!r}")
        values[flt.key] = flt.value
    kinds = values.get("kind")
    entry_ids = values.get("entry_id")
    return QueryFilter(
        day=parse_date(values.get("day"), "查询日期"),
        region=values.get("region"),
        kinds=tuple(kinds if isinstance(kinds, list) else [kinds]) if kinds else None,
        unit=values.get("unit"),
        entry_ids=tuple(entry_ids if isinstance(entry_ids, list) else [entry_ids])
        if entry_ids is not None
        else None,
    )


class HotlineVectorStore(BasePydanticVectorStore):
    """A llama-index vector store writing dense + BM25 points into a :class:`VectorIndex`."""

    stores_text: bool = True
    _index: VectorIndex = PrivateAttr()
    _sparse: SparseEncoder = PrivateAttr()

    def __init__(self, index: VectorIndex, sparse: SparseEncoder, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._index = index
        self._sparse = sparse

    @property
    def client(self) -> VectorIndex:
        return self._index

    @staticmethod
    def to_points(nodes: Sequence[BaseNode], sparse: SparseEncoder) -> list[IndexPoint]:
        """Embedded nodes → index points (BM25 computed from the same text as the vector)."""
        points = []
        for node in nodes:
            if node.embedding is None:
                raise ValueError(f"node {node.node_id} has no embedding")
            points.append(
                IndexPoint(
                    id=node.node_id,
                    dense=np.asarray(node.embedding, dtype=np.float32),
                    sparse=sparse.encode_document(embed_text(node)),
                    payload=node_payload(node),
                )
            )
        return points

    def add(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[str]:
        points = self.to_points(nodes, self._sparse)
        self._index.upsert(points)
        return [p.id for p in points]

    def delete(self, ref_doc_id: str, **delete_kwargs: Any) -> None:
        # ref_doc_id is "entry-<id>-v<n>"; every version of the entry goes
        entry_id = int(ref_doc_id.split("-")[1])
        self._index.delete_entries([entry_id])

    def clear(self) -> None:
        self._index.clear()

    def query(self, query: VectorStoreQuery, **kwargs: Any) -> VectorStoreQueryResult:
        dense = (
            np.asarray(query.query_embedding, dtype=np.float32)
            if query.query_embedding is not None
            else None
        )
        sparse = self._sparse.encode_query(query.query_str) if query.query_str else None
        if query.mode == VectorStoreQueryMode.DEFAULT:
            sparse = None
        elif query.mode == VectorStoreQueryMode.SPARSE:
            dense = None
        hits = self._index.search(
            SearchRequest(
                dense=dense,
                sparse=sparse,
                limit=query.similarity_top_k,
                filter=query_filter(query.filters),
            )
        )
        nodes = [
            TextNode(id_=h.id, text=h.payload.get("text", ""), metadata=dict(h.payload))
            for h in hits
        ]
        return VectorStoreQueryResult(
            nodes=nodes, similarities=[h.score for h in hits], ids=[h.id for h in hits]
        )
