"""Grouping unanswered questions into topics, each named by its heaviest words.

TF-IDF over jieba words (the KB's own segmentation) plus, when an embedder is given, dense
similarity; greedy clustering in the order given, so the result is deterministic.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

_PLACEHOLDER = re.compile(r"〔[^〕]{1,12}〕")
# callers' filler words: fine for matching, useless as a topic's name
_NOT_A_TOPIC = frozenset(
    [
        "一直",
        "一下",
        "怎么",
        "怎么办",
        "怎样",
        "什么",
        "为什么",
        "请问",
        "我们",
        "你们",
        "他们",
        "这个",
        "那个",
        "现在",
        "好几天",
        "几天",
        "知道",
        "能不能",
        "可不可以",
        "可以",
        "需要",
        "问问",
        "咨询",
        "反映",
        "情况",
        "问题",
        "谢谢",
        "您好",
        "你好",
    ]
)


@dataclass
class Topic:
    """A group of similar unanswered questions."""

    label: str
    keywords: list[str]
    count: int
    examples: list[str]


def _vectors(docs: list[list[str]]) -> list[dict[str, float]]:
    df = Counter(t for doc in docs for t in set(doc))
    n = len(docs)
    out = []
    for doc in docs:
        tf = Counter(doc)
        vec = {t: c * (math.log((n + 1) / (df[t] + 1)) + 1) for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({t: v / norm for t, v in vec.items()})
    return out


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def group_topics(
    questions: Sequence[str],
    tokenize: Callable[[str], list[str]],
    *,
    embed: Callable[[list[str]], Any] | None = None,
    threshold: float = 0.45,
    max_examples: int = 3,
) -> list[Topic]:
    """Similar questions grouped; each topic named by its heaviest words, biggest first.

    A question joins the most similar topic when either similarity reaches ``threshold``:
    TF-IDF cosine over jieba words (shared wording), or — with ``embed`` — the dense cosine
    rescaled from e5's crowded range: unrelated hotline questions sit at 0.80–0.90 and
    paraphrases at 0.91–0.95 with multilingual-e5-small, so (cos − 0.82) / 0.18 puts
    unrelated ones below ~0.45 and paraphrases above it (checked on hand-made pairs:
    路灯坏了/路灯不亮 0.93, 装修太吵/施工噪音 0.91, 停车位/路灯 ≤ 0.90).
    """
    import numpy as np

    cleaned = [_PLACEHOLDER.sub(" ", q) for q in questions]
    docs = [[t for t in tokenize(q) if len(t) > 1 or not t.isascii()] for q in cleaned]
    vectors = _vectors(docs)
    dense = None
    if embed is not None and questions:
        dense = np.asarray(embed(list(cleaned)), dtype=np.float32)
        dense /= np.linalg.norm(dense, axis=1, keepdims=True) + 1e-9
    clusters: list[tuple[dict[str, float], Any, list[int]]] = []
    for i, vec in enumerate(vectors):
        best, best_sim = None, threshold
        for c, (centroid, dense_centroid, _members) in enumerate(clusters):
            sim = _cosine(vec, centroid)
            if dense is not None:
                cos = float(dense[i] @ dense_centroid) / (
                    float(np.linalg.norm(dense_centroid)) or 1.0
                )
                sim = max(sim, (cos - 0.82) / 0.18)
            if sim >= best_sim:
                best, best_sim = c, sim
        if best is None:
            clusters.append((dict(vec), dense[i].copy() if dense is not None else None, [i]))
            continue
        centroid, dense_centroid, members = clusters[best]
        members.append(i)
        if dense is not None:
            dense_centroid += dense[i]
        for t, v in vec.items():
            centroid[t] = centroid.get(t, 0.0) + v
        norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
        for t in centroid:
            centroid[t] /= norm
    topics = []
    for centroid, _dense, members in clusters:
        ranked = sorted(centroid.items(), key=lambda kv: (-kv[1], kv[0]))
        words = [t for t, _ in ranked if t not in _NOT_A_TOPIC][:3]
        examples = list(dict.fromkeys(questions[i] for i in members))[:max_examples]
        topics.append(Topic("、".join(words) or "（无关键词）", words, len(members), examples))
    topics.sort(key=lambda t: (-t.count, t.label))
    return topics


def default_embed() -> Callable[[list[str]], Any]:
    """The KB's own embedder (cached by content hash, so re-analysis costs no model time)."""
    from assistant.runtime import get_runtime

    return get_runtime().embedder.embed_queries


def default_tokenizer() -> Callable[[str], list[str]]:
    """The KB's own jieba segmentation (hotline terms, stopwords)."""
    from assistant.sparse import get_sparse_encoder

    return get_sparse_encoder().tokenize
