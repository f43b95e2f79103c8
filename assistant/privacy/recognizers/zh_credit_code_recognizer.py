"""统一社会信用代码 (GB 32100-2015) of companies and individual businesses.

Kept by default (a company's code is public and handling units need it); registered as a
recognizer only when ``HOTLINE_PII_KEEP_CREDIT_CODES=false``. The pattern lives in
:mod:`assistant.privacy.must_keep`, which uses it to protect the codes by default.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from assistant.privacy.checksums import credit_code_ok
from assistant.privacy.entities import CN_CREDIT_CODE
from assistant.privacy.must_keep import CREDIT_CODE_REGEX
from assistant.privacy.recognizers.zh_pattern_recognizer import ZhPatternRecognizer


class ZhCreditCodeRecognizer(ZhPatternRecognizer):
    """Unified social credit codes with a valid MOD 31 check character."""

    ENTITY = CN_CREDIT_CODE
    PATTERNS = (Pattern("credit_code", CREDIT_CODE_REGEX, 0.9),)
    CONTEXT = ("信用代码", "营业执照", "社会信用")

    def score_match(self, matched: str, pattern_score: float) -> float:
        """Only codes whose check character is right."""
        return pattern_score if credit_code_ok(matched) else 0.0
