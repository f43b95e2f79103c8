"""The llama-index ingestion pipeline: KB versions → clause nodes → vectors → index.

``IngestionPipeline([ClauseSplitter, LlamaEmbedding])`` turns Documents of KB versions into
embedded nodes: our clause splitter and embedder as llama-index transformations. The nodes
are then written with :meth:`HotlineVectorStore.add` by this module, not by the pipeline
(no ``vector_store=``): an entry's old points must be deleted *after* its new nodes are
embedded and *before* they are written, so a model failure leaves the old version
retrievable — the pipeline's own store hand-off has no place for that step. The embedding
cache sits under the embedder, so running the pipeline again on unchanged versions costs no
model time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from llama_index.core.ingestion import IngestionPipeline

from assistant.chunks import ChunkOptions, ClauseSplitter, document_for
from assistant.embedding.cache import CachedEmbedder
from assistant.embedding.llama import LlamaEmbedding
from assistant.index.base import VectorIndex
from assistant.index.llama_store import HotlineVectorStore
from assistant.sparse import SparseEncoder
from kb.models import Entry, EntryVersion

#: versions per pipeline run: bounds memory and gives progress callbacks something to show
BATCH = 16


@dataclass
class IndexingStats:
    """What one indexing run did."""

    entries: int = 0
    points: int = 0
    embedded: int = 0  # texts that actually went through the model (cache misses)
    seconds: float = 0.0


def index_versions(
    index: VectorIndex,
    pairs: Sequence[tuple[Entry, EntryVersion]],
    embedder: CachedEmbedder,
    sparse: SparseEncoder,
    options: ChunkOptions,
    *,
    replace: bool = True,
    progress: Callable[[int], None] | None = None,
) -> IndexingStats:
    """Index the given live versions; with ``replace``, their entries' old points go first."""
    started = time.perf_counter()
    misses_before = embedder.misses
    stats = IndexingStats()
    # llama-index's own transformation cache is off: ours (by content hash, on disk) is below
    pipeline = IngestionPipeline(
        transformations=[ClauseSplitter.from_options(options), LlamaEmbedding(embedder)],
        disable_cache=True,
    )
    store = HotlineVectorStore(index, sparse)
    for start in range(0, len(pairs), BATCH):
        batch = pairs[start : start + BATCH]
        documents = [document_for(entry, version) for entry, version in batch]
        # embedded before anything is deleted: a failure leaves the old points in place
        nodes = pipeline.run(documents=documents, show_progress=False)
        if replace:
            index.delete_entries([entry.id for entry, _ in batch])
        store.add(nodes)
        stats.entries += len(batch)
        stats.points += len(nodes)
        if progress:
            progress(len(batch))
    stats.embedded = embedder.misses - misses_before
    stats.seconds = time.perf_counter() - started
    return stats
