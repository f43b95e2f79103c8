"""Category (诉求分类) of an appeal: a level-3 code of the category tree.

Two signals. The tree's own keywords: each keyword of a level-3 node found in the caller's
words scores its length (a longer phrase is more specific: 燃气泄漏 beats 燃气). And, when a
dispatch matcher is at hand, the catalog: every catalog row carries a category, so the
best-matching rows (BM25 + embeddings over their phrasings) vote for theirs. The category is
left empty when neither signal is strong enough — an empty field the operator fills is
better than a wrong one (a fire or a collapsed person has no category of its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.categories import CategoryTree

MIN_KEYWORD_SCORE = 2.0  # at least one two-character keyword
MIN_CATALOG_LEXICAL = (
    0.3  # the catalog votes only with some shared words, never on embeddings alone
)
MIN_CATALOG_SCORE = 0.7
W_KEYWORDS = 1.0
W_CATALOG = 0.5

# "身份证三三零…", "电话〔手机号1〕": the word 身份证 here says how the caller identifies
# themself, not what the appeal is about; greetings naming the hotline say nothing either.
_IDENTITY = re.compile(
    r"(身份证号码?|身份证|电话号码?|手机号码?|手机|电话|联系方式)(是|：|:)?\s*〔[^〕]+〕"
)
_PLACEHOLDER = re.compile(r"〔[^〕]+〕")
_GREETING = re.compile(r"(喂+|你好|您好)?[，,！! ]*12345(热线)?吗?[？?！!，,]")


def clean_for_category(masked_text: str) -> str:
    """Masked caller words without identity details and hotline greetings."""
    text = _IDENTITY.sub("", masked_text)
    text = _PLACEHOLDER.sub("", text)
    return _GREETING.sub("", text)


@dataclass(frozen=True)
class CategoryGuess:
    """A level-3 code with its score and what it rests on."""

    code: str | None
    score: float
    evidence: tuple[str, ...] = ()


def keyword_scores(text: str, tree: CategoryTree) -> dict[str, tuple[float, list[str]]]:
    """Per level-3 code: the summed length of its keywords (and name) found in ``text``."""
    out: dict[str, tuple[float, list[str]]] = {}
    for leaf in tree.leaves:
        hits = [k for k in {*leaf.keywords, leaf.name} if len(k) >= 2 and k in text]
        # a keyword inside a longer hit of the same node counts once (漏气 in 燃气漏气)
        hits = [h for h in hits if not any(h != o and h in o for o in hits)]
        if hits:
            out[leaf.code] = (float(sum(len(h) for h in hits)), hits)
    return out


def classify_category(text: str, tree: CategoryTree, matcher=None) -> CategoryGuess:
    """The best level-3 category for ``text``, or an empty guess."""
    keywords = keyword_scores(text, tree)
    top_kw = max((s for s, _ in keywords.values()), default=0.0)
    combined: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for code, (score, hits) in keywords.items():
        if score >= MIN_KEYWORD_SCORE:
            combined[code] = W_KEYWORDS * score / top_kw
            evidence[code] = [f"关键词：{'、'.join(hits)}"]
    if matcher is not None:
        seen: set[str] = set()
        for match in matcher.match(text)[:5]:
            code = match.row.category_code
            if code in seen:
                continue
            seen.add(code)
            # without an embedder the catalog votes on words alone (its full scale is 1)
            vote = match.score if getattr(matcher, "embedder", None) is not None else match.lexical
            if match.lexical < MIN_CATALOG_LEXICAL or vote < MIN_CATALOG_SCORE:
                continue
            combined[code] = combined.get(code, 0.0) + W_CATALOG * vote
            evidence.setdefault(code, []).append(f"派单目录：{match.row.matter}")
    if not combined:
        return CategoryGuess(None, 0.0)
    code = max(combined, key=lambda c: combined[c])
    return CategoryGuess(code, round(combined[code], 4), tuple(evidence[code]))
