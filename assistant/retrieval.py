"""Hybrid retrieval: engine search, candidate features, re-ranking, grouping.

One query runs as one batch on the engine: the hybrid search (dense + BM25 prefetch, RRF
fusion, validity/region/kind filters) that finds the candidates, and the BM25 list that
gives their BM25 scores. Points are then grouped into what an operator would see as one
suggestion — a whole script (its passage and question points), or one clause of a policy —
and ordered by :mod:`assistant.ranking`.

``mode`` also offers the two baselines the eval compares against: ``dense`` and ``sparse``
alone (grouped the same way, ranked by their own score).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.chunk_options import PASSAGE_ROLE, SHORT_KINDS
from assistant.index.base import Hit, QueryFilter, SearchRequest
from assistant.lexical import bigrams, coverage
from assistant.places import applies_to, mentioned_places
from assistant.ranking import DEFAULT_WEIGHTS, RankWeights
from assistant.runtime import Runtime

MODES = ("system", "rrf", "dense", "sparse")
PREFETCH = 50  # per list; the dev set's answers are all within the first 20 of either
POOL = 100


@dataclass
class Candidate:
    """One suggestion-to-be: a script, or one clause of a policy."""

    key: tuple[int, ...]
    payload: dict
    dense: float = 0.0
    sparse: float = 0.0
    sparse_rel: float = 0.0
    cover: float = 0.0
    fused: float = 0.0
    score: float = 0.0
    matched: str | None = None  # the script question the caller's question matched, if any
    answers: bool = False  # score at or above the answer threshold

    @property
    def is_script(self) -> bool:
        """Answer scripts and FAQ entries (as opposed to raw policy clauses)."""
        return self.payload.get("kind") in SHORT_KINDS


@dataclass
class Retrieval:
    """The ranked candidates of one question."""

    question: str
    mode: str
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def best(self) -> Candidate | None:
        """The top candidate."""
        return self.candidates[0] if self.candidates else None


def _group_key(payload: dict) -> tuple[int, ...]:
    if payload.get("kind") in SHORT_KINDS:
        return (int(payload["entry_id"]),)
    return (int(payload["entry_id"]), int(payload["seq"]))


def _context(payload: dict) -> str:
    return " ".join(
        [
            payload.get("title") or "",
            *(payload.get("heading_path") or []),
            payload.get("text") or "",
        ]
    )


class Retriever:
    """Runs questions against the index of a :class:`Runtime`."""

    def __init__(self, runtime: Runtime, weights: RankWeights | None = None) -> None:
        self.runtime = runtime
        if weights is None:
            threshold = runtime.settings.answer_threshold
            weights = (
                DEFAULT_WEIGHTS
                if threshold is None
                else dataclasses.replace(DEFAULT_WEIGHTS, threshold=threshold)
            )
        self.weights = weights

    def search(
        self,
        question: str,
        *,
        on: dt.date | None = None,
        region: str | None = None,
        kinds: Sequence[str] | None = None,
        unit: str | None = None,
        mode: str = "system",
        query_vector: np.ndarray | None = None,
    ) -> Retrieval:
        """Ranked candidates for ``question`` among entries valid ``on`` that day."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        flt = QueryFilter(
            day=on, region=region, kinds=tuple(kinds) if kinds else None, unit=unit or None
        )
        qvec = (
            query_vector
            if query_vector is not None
            else self.runtime.embedder.embed_query(question)
        )
        qsparse = self.runtime.sparse.encode_query(question)
        index = self.runtime.index()
        if mode == "dense":
            hits = index.search(SearchRequest(dense=qvec, limit=POOL, filter=flt))
            return self._baseline(question, mode, hits, "dense")
        if mode == "sparse":
            hits = index.search(SearchRequest(sparse=qsparse, limit=POOL, filter=flt))
            return self._baseline(question, mode, hits, "sparse")
        requests = [
            SearchRequest(
                dense=qvec,
                sparse=qsparse,
                limit=POOL,
                prefetch_limit=PREFETCH,
                filter=flt,
                with_vectors=True,
            )
        ]
        if self.weights.sparse:
            # the BM25 scores of the candidates, for the re-ranking feature
            requests.append(SearchRequest(sparse=qsparse, limit=PREFETCH, filter=flt))
        results = index.search_batch(requests)
        fused, sparse = results[0], (results[1] if len(results) > 1 else [])
        return self._rank(question, mode, qvec, fused, sparse)

    @staticmethod
    def _baseline(question: str, mode: str, hits: list[Hit], feature: str) -> Retrieval:
        groups: dict[tuple[int, ...], Candidate] = {}
        for hit in hits:
            key = _group_key(hit.payload)
            if key not in groups:
                cand = Candidate(key=key, payload=hit.payload, score=hit.score)
                setattr(cand, feature, hit.score)
                groups[key] = cand
            elif hit.payload.get("role") == PASSAGE_ROLE:
                groups[key].payload = hit.payload
        ranked = sorted(groups.values(), key=lambda c: -c.score)
        return Retrieval(question, mode, ranked)

    def _rank(
        self,
        question: str,
        mode: str,
        qvec: np.ndarray,
        fused: list[Hit],
        sparse: list[Hit],
    ) -> Retrieval:
        sparse_by_id = {h.id: h.score for h in sparse}
        top_sparse = max(sparse_by_id.values(), default=0.0) or 1.0
        qgrams = bigrams(question)
        w = self.weights
        groups: dict[tuple[int, ...], Candidate] = {}
        for hit in fused:
            key = _group_key(hit.payload)
            cand = groups.get(key)
            if cand is None:
                cand = groups[key] = Candidate(key=key, payload=hit.payload, dense=-1.0)
            if hit.payload.get("role") == PASSAGE_ROLE:
                cand.payload = hit.payload
            cos = float(hit.dense @ qvec) if hit.dense is not None else -1.0
            if cos > cand.dense:
                cand.dense = cos
                cand.matched = hit.payload.get("question")
            cand.sparse = max(cand.sparse, sparse_by_id.get(hit.id, 0.0))
            cand.fused = max(cand.fused, hit.score)
        places = mentioned_places(question)
        for cand in groups.values():
            cand.sparse_rel = cand.sparse / top_sparse
            cand.cover = coverage(qgrams, _context(cand.payload))
            cand.score = w.score(cand.dense, cand.cover, cand.sparse_rel)
            if not applies_to(places, cand.payload.get("region")):
                cand.score -= w.place_penalty
            cand.answers = cand.score >= w.threshold
        if mode == "rrf":
            ranked = sorted(groups.values(), key=lambda c: -c.fused)
        else:
            ranked = order_candidates(list(groups.values()), w)
        return Retrieval(question, mode, ranked)


def order_candidates(candidates: list[Candidate], weights: RankWeights) -> list[Candidate]:
    """Best first; a script that answers the question goes before a policy clause that
    scores up to ``weights.script_bonus`` more (the approved 答复口径 is what an operator
    should read out; the clause is its basis)."""

    def key(c: Candidate) -> tuple[float, int]:
        bonus = weights.script_bonus if c.is_script and c.answers else 0.0
        return (-(c.score + bonus), c.key[0])

    return sorted(candidates, key=key)
