"""How candidates are scored and ordered after the engine's hybrid search.

Decided on the dev set (eval/datasets/retrieval_dev.jsonl; figures in BENCHMARKS.md), not by
taste. The engine's RRF fusion of dense and BM25 lists finds the candidates; the final
score is a weighted sum of

* ``dense`` — cosine between the question and the best point of the candidate (a clause, or
  a script's passage / one of its questions),
* ``cover`` — share of the question's character bigrams found in title + headings + text
  (:mod:`assistant.lexical`), which separates near-identical clauses of similar documents
  that a small embedding model sees as one,
* ``sparse`` — the BM25 score relative to the best BM25 score of this question (the raw
  score grows with the corpus; the relative one does not).

* ``place_penalty`` — subtracted when the question names a province or major city and the
  candidate's region is another one (:mod:`assistant.places`).

``threshold`` is the no-answer cut on the final score of the best candidate, calibrated for
no-answer precision ≥ 0.9 on the dev set. ``script_bonus``: an answer script that answers
the question is put before a policy clause scoring up to this much higher.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class RankWeights:
    """Weights of the final score and the answer threshold."""

    cover: float = 0.2
    sparse: float = 0.0  # measured: any weight > 0 lowered hit@1 once cover is in
    script_bonus: float = 0.01
    place_penalty: float = 0.1  # entry of another place than the question names
    threshold: float = 0.871
    confidence_scale: float = 0.02  # how fast confidence moves around the threshold

    def score(self, dense: float, cover: float, sparse_rel: float) -> float:
        """The final score of one candidate."""
        return dense + self.cover * cover + self.sparse * sparse_rel

    def confidence(self, score: float) -> float:
        """A 0–1 reading of a score: 0.5 exactly at the threshold, monotone.

        It orders answers and says how far from the cut they are; it is not a probability.
        """
        return 1.0 / (1.0 + math.exp(-(score - self.threshold) / self.confidence_scale))


DEFAULT_WEIGHTS = RankWeights()
