"""What every index engine offers, independent of Qdrant Edge or the Qdrant server.

Points carry a named dense vector (``dense``), a sparse BM25 vector (``bm25``, IDF applied
by the engine) and a flat payload (see :data:`PAYLOAD_INDEXES`). Validity is stored as
sortable ``yyyymmdd`` integers and filtered at query time, so an entry that expires at
midnight is gone at 00:00 without any job running.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from assistant.index.manifest import IndexManifest
from assistant.sparse import SparseVec

DENSE = "dense"
SPARSE = "bm25"
NATIONWIDE = "全国"
OPEN_START = 0
OPEN_END = 99_991_231

#: payload field → index type ("int" or "keyword"); both engines create these indexes
PAYLOAD_INDEXES: dict[str, str] = {
    "entry_id": "int",
    "version": "int",
    "seq": "int",
    "valid_from": "int",
    "valid_to": "int",
    "kind": "keyword",
    "role": "keyword",
    "region": "keyword",
    "unit": "keyword",
    "unit_name": "keyword",
    "category": "keyword",
}


def day_int(day: dt.date | None, default: int) -> int:
    """A date as a sortable ``yyyymmdd`` integer (``default`` for an open end)."""
    if day is None:
        return default
    return day.year * 10_000 + day.month * 100 + day.day


def region_scope(region: str) -> list[str]:
    """Regions whose entries apply in ``region``: itself, every prefix, and 全国.

    Entry regions are administrative paths written as one string (示例市 → 示例市东湖区), so
    an entry of 示例市 applies to a caller in 示例市东湖区 but one of 示例市西山区 does not.
    """
    region = region.strip()
    return [region[:i] for i in range(1, len(region) + 1)] + [NATIONWIDE]


@dataclass(frozen=True)
class QueryFilter:
    """Restrictions on what a search may return; None means no restriction."""

    day: dt.date | None = None
    region: str | None = None
    kinds: tuple[str, ...] | None = None
    unit: str | None = None  # code or name of the owner unit
    entry_ids: tuple[int, ...] | None = None


@dataclass
class IndexPoint:
    """One stored point."""

    id: str
    dense: np.ndarray
    sparse: SparseVec
    payload: dict


@dataclass(frozen=True)
class SearchRequest:
    """One search: dense, sparse or both (hybrid, fused with RRF by the engine)."""

    dense: np.ndarray | None = None
    sparse: SparseVec | None = None
    limit: int = 10
    filter: QueryFilter = field(default_factory=QueryFilter)
    prefetch_limit: int = 50
    with_vectors: bool = False

    @property
    def mode(self) -> str:
        """``hybrid``, ``dense``, ``sparse`` or ``none`` (nothing to search with)."""
        has_sparse = self.sparse is not None and bool(self.sparse)
        if self.dense is not None and has_sparse:
            return "hybrid"
        if self.dense is not None:
            return "dense"
        return "sparse" if has_sparse else "none"


@dataclass
class Hit:
    """One search result."""

    id: str
    score: float
    payload: dict
    dense: np.ndarray | None = None


class VectorIndex(ABC):
    """Base class of the index engines."""

    backend: ClassVar[str]
    RRF_K: ClassVar[int] = 60

    def __init__(self, manifest: IndexManifest) -> None:
        self.manifest = manifest

    @abstractmethod
    def upsert(self, points: Sequence[IndexPoint]) -> None:
        """Insert or replace points."""

    @abstractmethod
    def delete_entries(self, entry_ids: Sequence[int]) -> None:
        """Remove every point of these entries."""

    @abstractmethod
    def delete_points(self, point_ids: Sequence[str]) -> None:
        """Remove points by id."""

    @abstractmethod
    def search_batch(self, requests: Sequence[SearchRequest]) -> list[list[Hit]]:
        """Run several searches; one result list per request, best first."""

    def search(self, request: SearchRequest) -> list[Hit]:
        """Run one search."""
        return self.search_batch([request])[0]

    @abstractmethod
    def iter_payloads(self, flt: QueryFilter | None = None) -> Iterator[tuple[str, dict]]:
        """Every (point id, payload), optionally filtered (for checks and tests)."""

    @abstractmethod
    def count(self, flt: QueryFilter | None = None) -> int:
        """Number of points (matching ``flt``)."""

    @abstractmethod
    def clear(self) -> None:
        """Drop every point, keep the manifest."""

    def flush(self) -> None:  # noqa: B027 - engines without buffering need nothing
        """Make writes durable."""

    @abstractmethod
    def close(self) -> None:
        """Release files, locks and connections."""
