"""Any sentence-transformers model from a local directory (HOTLINE_EMBED_MODEL=/path).

For sites with a bigger box (bge-small-zh, bge-m3 on a GPU). sentence-transformers and torch
are optional and imported only when this embedder is used; loading is forced offline
(``local_files_only``) so a wrong path can never turn into a hub download.

The dimension is read from the model directory's config files when they say it
(:func:`config_dim`), so checking an index built with another model — a refusal — costs no
torch import (about 20 s on this machine); the model itself loads on the first embedding.
"""

from __future__ import annotations

import hashlib
import json
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


_POOLING_MODES = (
    "pooling_mode_cls_token",
    "pooling_mode_mean_tokens",
    "pooling_mode_max_tokens",
    "pooling_mode_mean_sqrt_len_tokens",
    "pooling_mode_weightedmean_tokens",
    "pooling_mode_lasttoken",
)


def _json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _hidden_size(config: dict) -> int | None:
    for key in ("hidden_size", "d_model", "dim", "n_embd"):
        if isinstance(config.get(key), int):
            return config[key]
    return None


def config_dim(path: Path) -> int | None:
    """The output dimension a sentence-transformers directory declares, or None when its
    modules are not all ones whose effect on the dimension is known (then load the model).

    Walks ``modules.json`` in order: the transformer's ``hidden_size`` (config.json), the
    pooling layer (``1_Pooling/config.json``: word dimension times the pooling modes
    concatenated), a ``Dense`` layer's ``out_features``; ``Normalize`` changes nothing.
    """
    modules = (
        json.loads((path / "modules.json").read_text("utf-8"))
        if (path / "modules.json").exists()
        else None
    )
    if modules is None:  # a plain transformers model: sentence-transformers mean-pools it
        return _hidden_size(_json(path / "config.json"))
    dim: int | None = None
    for module in sorted(modules, key=lambda m: m.get("idx", 0)):
        kind = str(module.get("type", "")).rsplit(".", 1)[-1]
        where = path / str(module.get("path", ""))
        config = _json(where / "config.json")
        if kind == "Transformer":
            dim = _hidden_size(config)
        elif kind == "Pooling":
            word = config.get("word_embedding_dimension", dim)
            modes = sum(1 for key in _POOLING_MODES if config.get(key))
            dim = word * modes if isinstance(word, int) and modes else None
        elif kind == "Dense":
            dim = (
                config.get("out_features") if isinstance(config.get("out_features"), int) else None
            )
        elif kind != "Normalize":
            return None  # a module we do not know: only loading can tell
        if dim is None:
            return None
    return dim


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
        if self._dim is None:
            self._dim = config_dim(self.path)
        if self._dim is None:
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
        loaded = int(getter())
        if self._dim is not None and self._dim != loaded:
            # the config files said otherwise (a module option we do not read): refuse rather
            # than build or query an index of the wrong dimension
            raise ServiceUnavailable(
                f"模型目录 {self.path} 的配置文件声明向量维度 {self._dim}，实际加载后为 {loaded}；"
                "请检查模型目录是否完整，修正后运行 `hotline reindex`。"
            )
        self._dim = loaded
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
