"""Any sentence-transformers model from a local directory (HOTLINE_EMBED_MODEL=/path).

For sites with a bigger box (bge-small-zh, bge-m3 on a GPU). sentence-transformers and torch
are optional and imported only when this embedder is used; loading is forced offline
(``local_files_only``) so a wrong path can never turn into a hub download.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.embedding.base import Embedder, normalise, register_embedder
from kb.errors import InvalidInput, ServiceUnavailable

INSTALL_HINT = (
    "使用本地 sentence-transformers 模型需要额外安装：pip install sentence-transformers "
    "torch（CPU 版请固定版本，如 torch==2.13.0）。不设置 HOTLINE_EMBED_MODEL 则使用内置模型。"
)


def _fingerprint(path: Path) -> str:
    """Short hash of the model's config files and weight sizes: a changed model, a new id."""
    digest = hashlib.sha256()
    for item in sorted(path.rglob("*")):
        if not item.is_file():
            continue
        rel = item.relative_to(path).as_posix()
        if item.suffix in (".json", ".txt"):
            digest.update(rel.encode() + item.read_bytes())
        else:
            digest.update(f"{rel}:{item.stat().st_size}".encode())
    return digest.hexdigest()[:12]


@register_embedder
class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model loaded from a local directory, on CPU by default."""

    name = "sentence-transformers"

    def __init__(self, path: str | Path | None = None, device: str = "cpu") -> None:
        if path is None:
            raise InvalidInput(
                "sentence-transformers 嵌入模型需要本地模型目录（HOTLINE_EMBED_MODEL）。"
            )
        self.path = Path(path).expanduser().resolve()
        if not (self.path / "config.json").exists() and not (self.path / "modules.json").exists():
            raise InvalidInput(
                f"目录 {self.path} 不是 sentence-transformers 模型（缺少 modules.json / config.json）。"
            )
        self.device = device
        self._model = None
        self._dim: int | None = None
        self._id = f"st/{self.path.name}:{_fingerprint(self.path)}"
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return self._id

    @property
    def dim(self) -> int:
        self.load()
        assert self._dim is not None
        return self._dim

    def load(self) -> None:
        if self._model is not None:
            return
        # Never reach a model hub, whatever the environment says.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ServiceUnavailable(INSTALL_HINT) from exc
        model = SentenceTransformer(str(self.path), device=self.device, local_files_only=True)
        # renamed in sentence-transformers 5; keep working with 3.x/4.x
        getter = getattr(model, "get_embedding_dimension", None)
        getter = getter or model.get_sentence_embedding_dimension
        self._dim = int(getter())
        self._model = model

    def _encode(self, texts: Sequence[str], prompt_name: str) -> np.ndarray:
        texts = list(texts)
        self.load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        prompts = getattr(self._model, "prompts", None) or {}
        kwargs = {"prompt_name": prompt_name} if prompts.get(prompt_name) else {}
        with self._lock:
            out = self._model.encode(
                texts, batch_size=32, convert_to_numpy=True, show_progress_bar=False, **kwargs
            )
        return normalise(out)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query")

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        # sentence-transformers names the passage prompt "document" (e5/bge configs: "passage")
        self.load()
        prompts = getattr(self._model, "prompts", None) or {}
        return self._encode(texts, "passage" if prompts.get("passage") else "document")
