"""Mainland mobile numbers: 1[3-9] + 9 digits, with +86/0086, spaces, dashes, spoken digits."""

from __future__ import annotations

from presidio_analyzer import Pattern

from assistant.privacy.entities import CN_MOBILE
from assistant.privacy.recognizers.zh_pattern_recognizer import (
    NOT_AFTER_ALNUM,
    NOT_BEFORE_ALNUM,
    ZhPatternRecognizer,
)

# The country prefix is part of the span so that "+86" does not survive on its own.
_PREFIX = r"(?:(?:\+|00)86[ \-]?)?"
# Contiguous, or split 3-4-4 / 3-8 by single spaces or dashes: the ways numbers are written.
_MOBILE = (
    NOT_AFTER_ALNUM
    + r"(?<!\+)"
    + _PREFIX
    + r"1[3-9]\d(?:\d{8}|[ \-]\d{4}[ \-]?\d{4}|\d{4}[ \-]\d{4})"
    + NOT_BEFORE_ALNUM
)


class ZhMobileRecognizer(ZhPatternRecognizer):
    """Mobile phone numbers; never part of a longer digit run (an ID, a card, an order)."""

    ENTITY = CN_MOBILE
    PATTERNS = (Pattern("mobile", _MOBILE, 0.85),)
    CONTEXT = ("手机", "电话", "联系方式", "号码", "致电", "回电", "微信")
