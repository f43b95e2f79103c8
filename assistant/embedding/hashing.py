"""A tiny deterministic embedder: hashed character uni/bi-grams. No model, no download.

Used by unit tests (fast, reproducible) and handy as a smoke-test backend. It has no notion
of meaning; never use it for real answers.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Sequence

import numpy as np

from assistant.embedding.base import Embedder, normalise, register_embedder


@register_embedder
class HashingEmbedder(Embedder):
    """Character n-gram feature hashing into ``dim`` buckets."""

    name = "hashing"

    def __init__(self, dim: int = 64) -> None:
        self._dim = dim

    @property
    def model_id(self) -> str:
        return f"hashing-char12:{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def _one(self, text: str) -> np.ndarray:
        vec = np.zeros(self._dim, dtype=np.float32)
        chars = [c for c in text if not c.isspace()]
        grams = chars + [a + b for a, b in itertools.pairwise(chars)]
        for gram in grams:
            h = zlib.crc32(gram.encode("utf-8"))
            vec[h % self._dim] += 1.0 if (h >> 16) & 1 else -1.0
        return vec

    def _run(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        return normalise(np.stack([self._one(t) for t in texts]))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(list(texts))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(list(texts))
