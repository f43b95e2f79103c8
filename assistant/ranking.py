"""How candidates are scored after the engine's hybrid search.

Decided on the dev set (eval/datasets/retrieval_dev.jsonl; figures in BENCHMARKS.md), not by
taste. The engine's RRF fusion of dense and BM25 lists finds the candidates; the score that
orders them is a weighted sum of

* ``dense`` — cosine between the question and the best point of the candidate (a clause, or
  a script's passage / one of its questions),
* ``cover`` — share of the question's character bigrams found in title + headings + text
  (:mod:`assistant.lexical`), which separates near-identical clauses of similar documents
  that a small embedding model sees as one,
* ``sparse`` — the BM25 score relative to the best BM25 score of this question (the raw
  score grows with the corpus; the relative one does not),

minus ``place_penalty`` when the question names a place and the candidate's region is
another one (:mod:`assistant.places`).

Whether a candidate *answers* the question is a separate decision with its own model
(:mod:`assistant.answerability`); candidates that answer are shown first, scripts before
clauses (:func:`assistant.retrieval.order_candidates`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RankWeights:
    """Weights of the ranking score."""

    cover: float = 0.2
    sparse: float = 0.0  # measured: any weight > 0 lowered hit@1 once cover is in
    place_penalty: float = 0.1  # entry of another place than the question names

    def score(self, dense: float, cover: float, sparse_rel: float) -> float:
        """The ranking score of one candidate."""
        return dense + self.cover * cover + self.sparse * sparse_rel


DEFAULT_WEIGHTS = RankWeights()
