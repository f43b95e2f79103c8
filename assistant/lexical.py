"""Character-bigram coverage: how much of a question's wording a passage contains.

A cheap re-ranking feature that needs no segmentation (so it survives the colloquial
spellings jieba splits differently) and is scale-free (0–1), unlike a raw BM25 score whose
size grows with the corpus. Bigrams made only of function characters are ignored.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

# single characters that carry no topic in a question (particles, pronouns, question words)
FUNCTION_CHARS = frozenset(
    "的了吗呢吧啊呀哦嗯么嘛啦着过和与及或跟同把被给让向对从在于是有没不也还就都又才很太更最"
    "这那哪什怎如何为多少几能会要想请问你您我他她它们一个些现刚已之以后前时候话类等其个"
)
_SPLIT = re.compile(r"[^\w]+|_", re.UNICODE)


def normalise(text: str) -> str:
    """NFKC, lower-cased: the form bigrams and words are compared in."""
    return unicodedata.normalize("NFKC", text).lower()


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams within runs of word characters (NFKC, lower-cased)."""
    text = normalise(text)
    out: set[str] = set()
    for run in _SPLIT.split(text):
        for a, b in itertools.pairwise(run):
            if a in FUNCTION_CHARS and b in FUNCTION_CHARS:
                continue
            out.add(a + b)
    return frozenset(out)


def coverage(question_bigrams: frozenset[str], text: str) -> float:
    """Share of the question's bigrams that occur in ``text`` (0 when it has none)."""
    if not question_bigrams:
        return 0.0
    return len(question_bigrams & bigrams(text)) / len(question_bigrams)


def coverage_in(question_bigrams: frozenset[str], normalised_text: str) -> float:
    """:func:`coverage` on text already :func:`normalise`-d, without building its bigrams.

    The same number: a question bigram is two word characters, so it occurs in the text as
    a substring exactly when it is one of the bigrams of a run of word characters there.
    Checking 10–30 substrings is far cheaper than building a 300-character text's bigrams,
    and ranking does this for up to 100 candidates per question.
    """
    if not question_bigrams:
        return 0.0
    return sum(1 for g in question_bigrams if g in normalised_text) / len(question_bigrams)
