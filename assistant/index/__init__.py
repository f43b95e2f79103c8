"""The vector index: one interface (:mod:`.base`), two engines (Qdrant Edge in-process,
Qdrant server via qdrant-client), a build manifest kept next to the data, and
:func:`open_index` choosing the engine from settings.
"""

from assistant.index.base import Hit, IndexPoint, QueryFilter, SearchRequest, VectorIndex
from assistant.index.manifest import IndexManifest
from assistant.index.store import close_indexes, index_exists, open_index

__all__ = [
    "Hit",
    "IndexManifest",
    "IndexPoint",
    "QueryFilter",
    "SearchRequest",
    "VectorIndex",
    "close_indexes",
    "index_exists",
    "open_index",
]
