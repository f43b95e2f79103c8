"""Hybrid retrieval: engine search, candidate features, re-ranking, grouping.

One query runs as one batch on the engine: the hybrid search (dense + BM25 prefetch, RRF
fusion, validity/region/kind filters) that finds the candidates, and the BM25 list that
gives their BM25 scores. Points are then grouped into what an operator would see as one
suggestion — a whole script (its passage and question points), or one clause of a policy —
and ordered by :mod:`assistant.ranking`. Each candidate is then put through the answer
decision (:mod:`assistant.answerability`): candidates that answer go first — answer scripts
before policy clauses — then the rest by score.

``mode`` also offers the two baselines the eval compares against: ``dense`` and ``sparse``
alone (grouped the same way, ranked by their own score).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.answerability import (
    NEIGHBOUR_RANK,
    AnswerDecision,
    pair_features,
    question_words,
)
from assistant.chunk_options import PASSAGE_ROLE, SHORT_KINDS
from assistant.index.base import Hit, QueryFilter, SearchRequest
from assistant.lexical import bigrams, coverage_in, normalise
from assistant.places import applies_to, applies_within, mentioned_places, mentioned_regions
from assistant.ranking import DEFAULT_WEIGHTS, RankWeights
from assistant.runtime import Runtime
from assistant.scope import known_scope

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
    applies: bool = True  # False: the question names another place than the entry is for
    features: dict = field(default_factory=dict)  # of the answer decision
    probability: float = 0.0  # that it answers the question, as the decision estimates
    answers: bool = False  # passes the answer decision

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

    def __init__(
        self,
        runtime: Runtime,
        weights: RankWeights | None = None,
        decision: AnswerDecision | None = None,
    ) -> None:
        self.runtime = runtime
        self.weights = weights or DEFAULT_WEIGHTS
        self.decision = decision or runtime.answer_decision()
        self._local_names: dict[str, str] | None = None

    def local_names(self) -> dict[str, str]:
        """The KB's districts and streets by their own names (read once per retriever)."""
        if self._local_names is None:
            self._local_names = known_scope(self.runtime.settings).local_names()
        return self._local_names

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
        for cand in groups.values():
            cand.sparse_rel = cand.sparse / top_sparse
        self._judge(question, groups.values())
        if mode == "rrf":
            ranked = sorted(groups.values(), key=lambda c: -c.fused)
        else:
            ranked = order_candidates(list(groups.values()))
        return Retrieval(question, mode, ranked)

    def _judge(self, question: str, candidates: Iterable[Candidate]) -> None:
        """Score every candidate and put it through the answer decision."""
        candidates = list(candidates)
        w = self.weights
        qgrams = bigrams(question)
        places = mentioned_places(question)
        regions = mentioned_regions(question, self.local_names())
        words = question_words(question, self.runtime.sparse)
        dense = sorted((c.dense for c in candidates), reverse=True)
        neighbour = dense[min(NEIGHBOUR_RANK, len(dense)) - 1] if dense else 0.0
        contexts = []
        for cand in candidates:
            region = cand.payload.get("region")
            cand.applies = applies_to(places, region) and applies_within(regions, region)
            # normalised once: the bigram feature reads title, headings and text; the
            # answer decision also the script's 相似问法
            ranked_text = normalise(_context(cand.payload))
            asked = normalise(" ".join(cand.payload.get("questions") or []))
            contexts.append(f"{asked} {ranked_text}")
            cand.cover = coverage_in(qgrams, ranked_text)
            cand.score = w.score(cand.dense, cand.cover, cand.sparse_rel)
            if not cand.applies:
                cand.score -= w.place_penalty
        top = sorted((c.score for c in candidates), reverse=True)[:2]
        model = self.decision.model
        for cand, context in zip(candidates, contexts, strict=True):
            best_other = top[1] if cand.score == top[0] and len(top) > 1 else top[0]
            cand.features = pair_features(
                words,
                context,
                dense=cand.dense,
                neighbour_dense=neighbour,
                margin=cand.score - best_other if len(top) > 1 else 0.0,
            )
            cand.probability = model.probability(cand.features)
            # another place's entry never answers, however well it scores
            cand.answers = cand.applies and self.decision.answers(cand.probability)


def order_candidates(candidates: list[Candidate]) -> list[Candidate]:
    """Candidates that answer first — answer scripts before policy clauses (the approved
    答复口径 is what an operator reads out; the clause is its basis) — then the rest; by
    score within each group."""

    def key(c: Candidate) -> tuple[int, float, int]:
        group = (0 if c.is_script else 1) if c.answers else 2
        return (group, -c.score, c.key[0])

    return sorted(candidates, key=key)
