"""Chinese passports (E/G/P/D/S + 7–8 characters); plausible only with context."""

from __future__ import annotations

from presidio_analyzer import Pattern

from assistant.privacy.entities import CN_PASSPORT
from assistant.privacy.recognizers.zh_pattern_recognizer import (
    NOT_AFTER_ALNUM,
    NOT_BEFORE_ALNUM,
    ZhPatternRecognizer,
)

# E12345678 / EA1234567 (ordinary, since 2012/2017), G12345678 (older), P/D/S + 7–8 digits.
_PASSPORT = NOT_AFTER_ALNUM + r"(?i:E[A-HJ-NP-Z]\d{7}|[EG]\d{8}|[PDS]\d{7,8})" + NOT_BEFORE_ALNUM


class ZhPassportRecognizer(ZhPatternRecognizer):
    """Passport numbers: 0.4 alone, over the threshold next to 护照/证件号."""

    ENTITY = CN_PASSPORT
    PATTERNS = (Pattern("passport", _PASSPORT, 0.4),)
    CONTEXT = ("护照", "passport", "证件号", "证件号码", "出国", "签证")
