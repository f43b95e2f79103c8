"""Context words for Chinese: looked up in a character window, not in lemmatised tokens.

presidio's default :class:`LemmaContextAwareEnhancer` compares lemmas of the surrounding
words with a recognizer's ``context`` list. Chinese has no lemmas and jieba glues context
onto neighbours ("身份证号码是"), so this enhancer simply looks for each context word in the
characters just before (and a few just after) a match. Same contract, same boost semantics.
"""

from __future__ import annotations

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts

from assistant.privacy.entities import PLACEHOLDER_PATTERN

# A placeholder's label is no context: "〔姓名1〕" must not make its neighbour a name.
_PLACEHOLDER = regex.compile(PLACEHOLDER_PATTERN)


class CharWindowContextEnhancer(ContextAwareEnhancer):
    """Boost a result when one of its recognizer's context words is near it.

    :param context_similarity_factor: added to the score when a context word is found
    :param min_score_with_context_similarity: floor for a boosted score
    :param context_prefix_count: characters looked at before the match
    :param context_suffix_count: characters looked at after the match
    """

    def __init__(
        self,
        context_similarity_factor: float = 0.35,
        min_score_with_context_similarity: float = 0.6,
        context_prefix_count: int = 12,
        context_suffix_count: int = 4,
    ) -> None:
        super().__init__(
            context_similarity_factor=context_similarity_factor,
            min_score_with_context_similarity=min_score_with_context_similarity,
            context_prefix_count=context_prefix_count,
            context_suffix_count=context_suffix_count,
        )

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts | None,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Return the results with boosted scores where context supports them."""
        by_id = {recognizer.id: recognizer for recognizer in recognizers}
        extra = [word.lower() for word in context or []]
        for result in raw_results:
            meta = result.recognition_metadata or {}
            if meta.get(RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY):
                continue
            recognizer = by_id.get(meta.get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY))
            words = list(getattr(recognizer, "context", None) or []) + extra
            if not words:
                continue
            window = self.window(text, result.start, result.end)
            if any(word.lower() in window for word in words):
                boosted = max(
                    result.score + self.context_similarity_factor,
                    self.min_score_with_context_similarity,
                )
                result.score = min(boosted, ContextAwareEnhancer.MAX_SCORE)
                meta[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
        return raw_results

    def window(self, text: str, start: int, end: int) -> str:
        """The lower-cased characters around ``text[start:end]`` that count as context."""
        before = text[max(0, start - self.context_prefix_count) : start]
        after = text[end : end + self.context_suffix_count]
        window = (before + "\u0000" + after).lower()
        return _PLACEHOLDER.sub("\u0000", window) if "〔" in window else window
