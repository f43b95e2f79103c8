"""Our embedder as a llama-index ``BaseEmbedding``, so its pipelines and retrievers use it.

Every call goes through :class:`~assistant.embedding.cache.CachedEmbedder`: stored texts hit
the persistent cache, caller questions only the in-memory one. As a pipeline transformation
it embeds a script's question nodes as *queries* (e5's symmetric question-to-question
matching) and everything else as passages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import BaseNode
from pydantic import PrivateAttr

from assistant.embedding.base import PASSAGE, QUERY
from assistant.embedding.cache import CachedEmbedder


class LlamaEmbedding(BaseEmbedding):
    """llama-index adapter over a :class:`CachedEmbedder`."""

    _embedder: CachedEmbedder = PrivateAttr()
    question_role: str = "question"

    def __init__(self, embedder: CachedEmbedder, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.model_id, embed_batch_size=64, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "HotlineEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.embed_query(query).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.embed_stored([text], PASSAGE)[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed_stored(texts, PASSAGE).tolist()

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> Sequence[BaseNode]:
        from assistant.chunks import embed_text

        for kind in (PASSAGE, QUERY):
            group = [
                n
                for n in nodes
                if (n.metadata.get("role") == self.question_role) == (kind == QUERY)
            ]
            if not group:
                continue
            vectors = self._embedder.embed_stored([embed_text(n) for n in group], kind)
            for node, vector in zip(group, vectors, strict=True):
                node.embedding = vector.tolist()
        return nodes
