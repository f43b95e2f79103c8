"""Hong Kong / Macau / Taiwan permits (通行证, 回乡证, 台胞证); plausible only with context."""

from __future__ import annotations

from presidio_analyzer import Pattern

from assistant.privacy.entities import CN_TRAVEL_PERMIT
from assistant.privacy.recognizers.zh_pattern_recognizer import (
    NOT_AFTER_ALNUM,
    NOT_BEFORE_ALNUM,
    ZhPatternRecognizer,
)

# 往来港澳通行证 C + 8 characters; 往来台湾通行证 L/T + 8 digits;
# 港澳居民来往内地通行证 (回乡证) H/M + 8 or 10 digits.
_LETTERED = (
    NOT_AFTER_ALNUM + r"(?i:C[A-HJ-NP-Z0-9]\d{7}|[LT]\d{8}|[HM]\d{8}(?:\d{2})?)" + NOT_BEFORE_ALNUM
)
# 台湾居民来往大陆通行证 (台胞证): 8 digits, sometimes with a 2-digit issue count.
_TAIWAN = NOT_AFTER_ALNUM + r"\d{8}(?:\d{2})?" + NOT_BEFORE_ALNUM


class ZhTravelPermitRecognizer(ZhPatternRecognizer):
    """Entry permits; the lettered forms score 0.4 and need context, bare digits 0.1."""

    ENTITY = CN_TRAVEL_PERMIT
    PATTERNS = (
        Pattern("permit_lettered", _LETTERED, 0.4),
        Pattern("permit_taiwan", _TAIWAN, 0.1),
    )
    CONTEXT = ("通行证", "回乡证", "台胞证", "港澳", "台湾", "签注", "证件号")
