"""Landlines: area code + 7–8 digits, with brackets, dashes and extensions."""

from __future__ import annotations

from presidio_analyzer import Pattern

from assistant.privacy.entities import CN_LANDLINE
from assistant.privacy.recognizers.zh_pattern_recognizer import (
    NOT_AFTER_ALNUM,
    NOT_BEFORE_ALNUM,
    ZhPatternRecognizer,
)

# Area codes: 010, 02x, and 0 + three digits (0931, 0755 …).
_AREA = r"0(?:10|2\d|[3-9]\d{2})"
_EXTENSION = r"(?:(?:转|分机|-|ext\.?)\d{1,5})?"
_WITH_AREA = (
    NOT_AFTER_ALNUM
    + r"(?:[(（]"
    + _AREA
    + r"[)）][ \-]?|"
    + _AREA
    + r"[ \-]?)[2-9]\d{6,7}"
    + _EXTENSION
    + NOT_BEFORE_ALNUM
)
# Seven or eight digits alone are just as often an amount or a count: context decides.
_LOCAL = NOT_AFTER_ALNUM + r"[2-9]\d{6,7}" + _EXTENSION + NOT_BEFORE_ALNUM


class ZhLandlineRecognizer(ZhPatternRecognizer):
    """Fixed-line numbers. The 5-digit service numbers (0931-12345) never match."""

    ENTITY = CN_LANDLINE
    PATTERNS = (
        Pattern("landline_area", _WITH_AREA, 0.75),
        Pattern("landline_local", _LOCAL, 0.2),
    )
    CONTEXT = ("电话", "座机", "固话", "联系方式", "号码")
