"""Mainland mobile numbers: 1[3-9] + 9 digits, with +86/0086, spaces, dashes, spoken digits."""

from __future__ import annotations

import regex
from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from assistant.privacy.digits import digit_view
from assistant.privacy.entities import CN_MOBILE
from assistant.privacy.recognizers.zh_pattern_recognizer import (
    NOT_BEFORE_ALNUM,
    ZhPatternRecognizer,
)

# Never inside a longer run of letters and digits — except right after the Latin cues
# people type before a number ("vx13812345678", "Tel13812345678").
_START = r"(?<![0-9])(?:(?<=(?i:vx|wx|tel|phone|mobile|cell))|(?<![A-Za-z+]))"
# The country prefix is part of the span so that "+86" does not survive on its own.
_PREFIX = r"(?:(?:\+|00)86[ \-]?)?"
# Digits may be split anywhere by single spaces or dashes (138 1234 5678, 1381-234-5678,
# a dictated "139-1287-6543" from the digit view); the shape stays 11 digits.
_SEP = r"[ \-]{0,3}"
_MOBILE = _START + _PREFIX + rf"1{_SEP}[3-9](?:{_SEP}\d){{9}}" + NOT_BEFORE_ALNUM
# One digit too many or too few: a misheard dictation. Only context (手机, 电话 …) makes
# such a number a mobile.
_MISHEARD = _START + rf"1{_SEP}[3-9](?:{_SEP}\d){{8}}(?:(?:{_SEP}\d){{2}})?" + NOT_BEFORE_ALNUM

# "幺三九 幺二八七 六五四三 零": a dictated number with one digit too many, the last one
# after a pause — it belongs to the number, not to the text after it.
_STRAY_DIGIT = regex.compile(r"[ \-]{1,3}\d(?![0-9A-Za-z])")


class ZhMobileRecognizer(ZhPatternRecognizer):
    """Mobile phone numbers; never part of a longer digit run (an ID, a card, an order)."""

    ENTITY = CN_MOBILE
    PATTERNS = (
        Pattern("mobile", _MOBILE, 0.85),
        Pattern("mobile_misheard", _MISHEARD, 0.2),
    )
    CONTEXT = ("手机", "电话", "联系方式", "号码", "致电", "回电", "微信")

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Mobile numbers, each extended over one stray trailing digit after a pause."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        view = digit_view(text)
        for result in results:
            stray = _STRAY_DIGIT.match(view, result.end)
            if stray:
                result.end = stray.end()
        return results
