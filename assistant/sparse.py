"""Chinese BM25 sparse vectors: jieba segmentation with a hotline user dictionary.

BM25 needs words; a whitespace tokenizer scores near zero on Chinese. Documents get BM25
term-frequency weights (k1, b, a fixed average length); queries get weight 1 per distinct
term; the index applies IDF itself (Qdrant's ``Modifier.IDF``), so document weights never
need recomputing when the corpus grows.

Terms are mapped to sparse dimensions with CRC32 (stable across processes and machines).
``SparseEncoder.version`` names the dictionary, stopwords and parameters; the index records
it and refuses to mix vectors from two versions.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

DICT_PATH = Path(__file__).resolve().parent / "hotline_terms.txt"

STOPWORDS_PATH = Path(__file__).resolve().parent / "stopwords.txt"
_KEEP = re.compile(r"[\w]", re.UNICODE)


@dataclass(frozen=True)
class SparseVec:
    """Indices and weights of one sparse vector (indices unique and ascending)."""

    indices: tuple[int, ...]
    values: tuple[float, ...]

    def __bool__(self) -> bool:
        return bool(self.indices)


def read_user_dict(path: Path) -> list[tuple[str, int | None, str | None]]:
    """(word, frequency, POS tag) rows of a jieba user dictionary; ``#`` starts a comment."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 else None
        rows.append((parts[0], freq, parts[2] if len(parts) > 2 else None))
    return rows


def read_stopwords(path: Path) -> frozenset[str]:
    """Whitespace-separated words; ``#`` starts a comment."""
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        words.update(line.split("#", 1)[0].split())
    return frozenset(words)


def term_index(term: str) -> int:
    """The sparse dimension of a term."""
    return zlib.crc32(term.encode("utf-8"))


class SparseEncoder:
    """jieba (search mode) + stopwords + BM25 weights."""

    def __init__(
        self,
        user_dict: Path = DICT_PATH,
        stopwords: Path = STOPWORDS_PATH,
        *,
        k1: float = 1.2,
        b: float = 0.75,
        avg_len: float = 80.0,
    ) -> None:
        self.user_dict = user_dict
        self.stopwords = read_stopwords(stopwords)
        self.k1, self.b, self.avg_len = k1, b, avg_len
        dict_hash = hashlib.sha256(user_dict.read_bytes()).hexdigest()[:8]
        stop_hash = hashlib.sha256(" ".join(sorted(self.stopwords)).encode()).hexdigest()[:6]
        self.version = (
            f"jieba-search-bm25/v1:dict={dict_hash}:stop={stop_hash}:k1={k1}:b={b}:avg={avg_len}"
        )
        self._tokenizer = None
        self._lock = threading.Lock()

    def _jieba(self):
        # A private jieba.Tokenizer: loading our dictionary into the global one would change
        # segmentation for everything else in the process (e.g. the spaCy zh pipeline).
        with self._lock:
            if self._tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                for word, freq, tag in read_user_dict(self.user_dict):
                    tokenizer.add_word(word, freq, tag)
                self._tokenizer = tokenizer
        return self._tokenizer

    def load(self) -> None:
        """Load the dictionaries now (about a second) instead of on first use."""
        self._jieba()

    def tokenize(self, text: str) -> list[str]:
        """Search-mode segmentation, lower-cased, without stopwords and punctuation."""
        out = []
        for token in self._jieba().cut_for_search(text.lower()):
            token = token.strip()
            if not token or token in self.stopwords or not _KEEP.search(token):
                continue
            out.append(token)
        return out

    def words(self, text: str) -> list[str]:
        """Precise-mode segmentation (no overlapping sub-words), lower-cased, without
        stopwords and punctuation: the words a question is made of."""
        out = []
        for token in self._jieba().lcut(text.lower()):
            token = token.strip()
            if token and token not in self.stopwords and _KEEP.search(token):
                out.append(token)
        return out

    def encode_document(self, text: str) -> SparseVec:
        """BM25 term weights of a stored text."""
        tokens = self.tokenize(text)
        if not tokens:
            return SparseVec((), ())
        counts = Counter(tokens)
        norm = self.k1 * (1 - self.b + self.b * len(tokens) / self.avg_len)
        weights: dict[int, float] = {}
        for term, tf in counts.items():
            idx = term_index(term)
            weights[idx] = weights.get(idx, 0.0) + tf * (self.k1 + 1) / (tf + norm)
        ordered = sorted(weights.items())
        return SparseVec(tuple(i for i, _ in ordered), tuple(float(w) for _, w in ordered))

    def encode_query(self, text: str) -> SparseVec:
        """Weight 1 per distinct query term (IDF is applied by the index)."""
        indices = sorted({term_index(t) for t in self.tokenize(text)})
        return SparseVec(tuple(indices), tuple(1.0 for _ in indices))


_shared: SparseEncoder | None = None
_shared_lock = threading.Lock()


def get_sparse_encoder() -> SparseEncoder:
    """The process-wide encoder (jieba dictionaries loaded once)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = SparseEncoder()
    return _shared
