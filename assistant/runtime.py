"""What a process needs to search and index: embedder, BM25 encoder, chunking, the index.

Built once per process and configuration (:func:`get_runtime`); the CLI builds it per
command, the API server once at start-up.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from assistant.answerability import AnswerDecision, decision_for
from assistant.chunk_options import ChunkOptions
from assistant.embedding.cache import CachedEmbedder, get_embedder
from assistant.index.base import VectorIndex
from assistant.index.manifest import IndexManifest
from assistant.index.store import index_exists, open_index
from assistant.sparse import SparseEncoder, get_sparse_encoder
from kb.settings import Settings, get_settings

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """The configured retrieval stack."""

    settings: Settings
    embedder: CachedEmbedder
    sparse: SparseEncoder
    options: ChunkOptions = field(default_factory=ChunkOptions)

    @property
    def manifest(self) -> IndexManifest:
        """How an index built by this runtime is described (and must match on open)."""
        return IndexManifest(
            embed_model=self.embedder.model_id,
            dim=self.embedder.dim,
            sparse_version=self.sparse.version,
            chunking=self.options.version,
        )

    def index_exists(self) -> bool:
        """True once an index has been built at the configured place."""
        return index_exists(self.settings)

    def index(self) -> VectorIndex:
        """The open index (refuses one built differently)."""
        return open_index(self.manifest, self.settings)

    def answer_decision(self) -> AnswerDecision:
        """The answer decision for this embedding model (``.warning`` when uncalibrated)."""
        return decision_for(
            self.embedder.model_id, self.settings.home, self.settings.answer_threshold
        )

    def warm_up(self) -> None:
        """Load the model and dictionaries now rather than on the first question."""
        self.embedder.load()
        self.sparse.load()
        self.embedder.embed_query("预热")
        decision = self.answer_decision()
        if not decision.calibrated:
            # a server's operators see it in every answer's warnings; the log says it once
            log.warning(
                "answer decision not calibrated for embedding model %s; using the lexical "
                "fallback (run `hotline eval retrieval --calibrate`)",
                decision.embed_model,
            )


_lock = threading.Lock()
_runtimes: dict[tuple, Runtime] = {}


def get_runtime(settings: Settings | None = None) -> Runtime:
    """The process-wide runtime for these settings."""
    settings = settings or get_settings()
    key = (
        settings.embed_model,
        str(settings.cache_dir),
        str(settings.index_dir),
        settings.qdrant_url,
        settings.qdrant_collection,
    )
    with _lock:
        runtime = _runtimes.get(key)
        if runtime is None:
            runtime = Runtime(settings, get_embedder(settings), get_sparse_encoder())
            _runtimes[key] = runtime
    return runtime


def reset_runtimes() -> None:
    """Forget runtimes, open indexes and embedding caches (tests switch HOTLINE_HOME)."""
    from assistant.embedding.cache import reset_embedders
    from assistant.index.store import close_indexes
    from assistant.scope import reset_scopes

    with _lock:
        _runtimes.clear()
    close_indexes()
    reset_embedders()
    reset_scopes()
