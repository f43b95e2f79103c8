"""llama-index integration: our embedder as a BaseEmbedding, our clause splitter as a
transformation, our index as a vector store — wired in one IngestionPipeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from llama_index.core.ingestion import IngestionPipeline
from llama_index.core.vector_stores.types import (
    MetadataFilter,
    MetadataFilters,
    VectorStoreQuery,
    VectorStoreQueryMode,
)

from assistant.chunk_options import ChunkOptions, point_id
from assistant.chunks import ClauseSplitter, document_for, embed_text
from assistant.embedding.cache import CachedEmbedder, EmbeddingCache
from assistant.embedding.hashing import HashingEmbedder
from assistant.embedding.llama import LlamaEmbedding
from assistant.index.edge import EdgeIndex
from assistant.index.llama_store import HotlineVectorStore, query_filter
from assistant.index.manifest import IndexManifest
from assistant.sparse import SparseEncoder
from kb.models import EntryKind

POLICY = """一、总则
（〇）适用范围。本办法适用于示例市12345政务服务便民热线知识库的建设、维护、使用和管理，各承办单位、热线管理机构及话务人员在知识库采编、审核、录入、更新、归档等环节均应遵守本办法，未尽事宜按照上级有关规定执行。
（一）知识库建设。热线知识库内容应准确规范，承办单位按照谁录入、谁负责的原则维护，内容发生变化的要及时更新，确保知识库信息准确、权威、实用。知识库建设情况纳入热线工作考核。
（二）录入时限。新政策发布后，相关单位应在3个工作日内将政策内容及答复口径录入热线知识库，重大突发事件应即时提供答复口径，由热线管理机构审核后发布使用。
二、巡检
（三）季度巡检。热线管理机构每季度对知识库内容开展全覆盖巡检，对过期失效、表述不准的内容及时清理和修订，并将巡检结果通报各承办单位，督促落实整改。"""


def fake_version(entry_id: int, kind: str, title: str, body: str, questions=()):
    """Stand-ins for KB rows (only the attributes the chunker reads)."""
    unit = SimpleNamespace(code="SL-RX", name="示例市12345政务服务便民热线中心")
    entry = SimpleNamespace(id=entry_id, kind=EntryKind(kind), region="示例市", owner_unit=unit)
    version = SimpleNamespace(
        version_no=2,
        title=title,
        body=body,
        questions=list(questions),
        category="010101",
        effective_from=dt.date(2026, 1, 1),
        expires_on=None,
        doc_no="示发〔2026〕1号",
        basis_title="示例办法",
        basis_clause=None,
        content_hash="h" * 64,
    )
    return entry, version


@pytest.fixture
def embedder(tmp_path: Path) -> CachedEmbedder:
    return CachedEmbedder(HashingEmbedder(), EmbeddingCache(tmp_path / "e.sqlite3"))


def test_llama_embedding_goes_through_the_cache(embedder: CachedEmbedder) -> None:
    llama = LlamaEmbedding(embedder)
    vectors = llama.get_text_embedding_batch(["甲乙", "丙丁", "甲乙"])
    assert embedder.misses == 2
    assert np.allclose(vectors[0], vectors[2])
    query = llama.get_query_embedding("甲乙")
    assert len(query) == 64 and embedder.misses == 3
    assert llama.model_name == "hashing-char12:64"


def test_splitter_makes_script_and_clause_nodes() -> None:
    script = document_for(
        *fake_version(
            1, "script", "新生儿落户办理", "答复口径正文。", ["怎么上户口", "落户要带什么"]
        )
    )
    policy = document_for(*fake_version(2, "policy", "知识库管理办法", POLICY))
    assert [n.metadata["role"] for n in ClauseSplitter()([script])] == ["passage"]  # default
    nodes = ClauseSplitter.from_options(ChunkOptions(question_points=True))([script, policy])
    script_nodes = [n for n in nodes if n.metadata["entry_id"] == 1]
    assert [(n.metadata["role"], n.metadata["seq"]) for n in script_nodes] == [
        ("passage", 0),
        ("question", 1),
        ("question", 2),
        ("question", 3),
    ]
    assert script_nodes[0].node_id == point_id(1, 2, "passage", 0)
    assert embed_text(script_nodes[0]) == "新生儿落户办理\n怎么上户口\n落户要带什么\n答复口径正文。"
    assert embed_text(script_nodes[2]) == "怎么上户口"
    policy_nodes = [n for n in nodes if n.metadata["entry_id"] == 2]
    assert len(policy_nodes) >= 2
    assert any(n.metadata["heading_path"] for n in policy_nodes)
    # options off: clauses are embedded as they are, no title or heading prefix
    assert embed_text(policy_nodes[0]) == policy_nodes[0].text
    with_heading = ClauseSplitter.from_options(ChunkOptions(heading_in_passage=True))([policy])
    headed = next(n for n in with_heading if n.metadata["heading_path"])
    assert embed_text(headed) == " ".join(headed.metadata["heading_path"]) + "\n" + headed.text


def test_pipeline_into_our_vector_store(tmp_path: Path, embedder: CachedEmbedder) -> None:
    sparse = SparseEncoder()
    manifest = IndexManifest(embed_model=embedder.model_id, dim=64, sparse_version=sparse.version)
    index = EdgeIndex.create(tmp_path / "index", manifest)
    store = HotlineVectorStore(index, sparse)
    pipeline = IngestionPipeline(
        transformations=[ClauseSplitter(), LlamaEmbedding(embedder)],
        vector_store=store,
        disable_cache=True,
    )
    docs = [
        document_for(
            *fake_version(
                1, "script", "新生儿落户办理", "到派出所办理出生登记。", ["孩子怎么上户口"]
            )
        ),
        document_for(*fake_version(2, "policy", "知识库管理办法", POLICY)),
    ]
    nodes = pipeline.run(documents=docs)
    assert index.count() == len(nodes)
    llama = LlamaEmbedding(embedder)
    for mode in (
        VectorStoreQueryMode.DEFAULT,
        VectorStoreQueryMode.HYBRID,
        VectorStoreQueryMode.SPARSE,
    ):
        result = store.query(
            VectorStoreQuery(
                query_embedding=llama.get_query_embedding("知识库季度巡检"),
                query_str="知识库季度巡检",
                similarity_top_k=3,
                mode=mode,
                filters=MetadataFilters(filters=[MetadataFilter(key="kind", value="policy")]),
            )
        )
        assert {n.metadata["entry_id"] for n in result.nodes} == {2}
        assert len(result.similarities) == len(result.nodes)
    store.delete("entry-1-v2")
    assert {p["entry_id"] for _, p in index.iter_payloads()} == {2}
    index.close()


def test_metadata_filters_map_to_ours() -> None:
    flt = query_filter(
        MetadataFilters(
            filters=[
                MetadataFilter(key="kind", value=["script", "faq"], operator="in"),
                MetadataFilter(key="region", value="示例市东湖区"),
                MetadataFilter(key="day", value="2026-11-22"),
            ]
        )
    )
    assert (flt.kinds, flt.region, flt.day) == (
        ("script", "faq"),
        "示例市东湖区",
        dt.date(2026, 11, 22),
    )
    with pytest.raises(ValueError, match="unsupported"):
        query_filter(MetadataFilters(filters=[MetadataFilter(key="seq", value=1, operator=">")]))


def test_llama_index_needs_no_network() -> None:
    """Import and a pipeline run with every socket connection refused (tiktoken/NLTK data
    must come from the copies bundled in llama-index-core, never from the internet)."""
    import subprocess
    import sys

    code = """
import socket
def refuse(self, *args, **kwargs):
    raise SystemExit("network access attempted")
socket.socket.connect = refuse
from llama_index.core import Settings
from llama_index.core.ingestion import IngestionPipeline
from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import Document
Settings.tokenizer("12345热线")
nodes = IngestionPipeline(transformations=[SentenceSplitter(chunk_size=64, chunk_overlap=8)]).run(
    documents=[Document(text="热线知识库。" * 60)]
)
print(len(nodes) > 1)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "True"
