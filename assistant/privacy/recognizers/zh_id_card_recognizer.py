"""居民身份证号: 18 digits (MOD 11-2 check, birth date) and the 15-digit legacy form."""

from __future__ import annotations

from presidio_analyzer import Pattern

from assistant.privacy.checksums import id_checksum_ok, id_structure_ok
from assistant.privacy.digits import X_PAD
from assistant.privacy.entities import CN_ID_CARD
from assistant.privacy.recognizers.zh_pattern_recognizer import (
    CUE_LINK,
    NOT_AFTER_ALNUM,
    NOT_BEFORE_ALNUM,
    ZhPatternRecognizer,
    digits_only,
)

# 18 digits, contiguous or grouped 6-8-4 / 6-4-4-4 as people write them down; a spoken
# "艾克斯" leaves padding after its X in the digit view.
_ID18 = (
    NOT_AFTER_ALNUM
    + r"\d{6}[ \-]?(?:\d{8}|\d{4}[ \-]?\d{4})[ \-]?\d{3}[0-9Xx]"
    + f"{X_PAD}{{0,2}}"
    + NOT_BEFORE_ALNUM
)
_ID15 = NOT_AFTER_ALNUM + r"\d{15}" + NOT_BEFORE_ALNUM
# 17 digits: an 18-digit number with a digit dropped in the telling; only a cue makes it one.
_ID17 = NOT_AFTER_ALNUM + r"\d{17}" + NOT_BEFORE_ALNUM


class ZhIdCardRecognizer(ZhPatternRecognizer):
    """Resident identity card numbers.

    Scores: check digit and date valid → 1.0; real date but wrong check digit (a misread
    digit) → 0.5; neither → 0.3, which only context (身份证, 证件号 …) lifts over the
    threshold. A 15-digit legacy number needs a real 19yy date; 17 digits (one dropped)
    need context. Right after 身份证号/证件号 any of them scores 0.95.
    """

    ENTITY = CN_ID_CARD
    PATTERNS = (
        Pattern("id18", _ID18, 0.3),
        Pattern("id15", _ID15, 0.3),
        Pattern("id17", _ID17, 0.3),
    )
    CONTEXT = ("身份证", "证件号", "证件号码", "身份号码", "公民身份", "身份证号", "idcard")
    CUE_BEFORE = r"(?:身份证|证件|身份号码|公民身份号码)" + CUE_LINK

    def score_match(self, matched: str, pattern_score: float) -> float:
        """Score by check digit and embedded birth date."""
        number = digits_only(matched).upper()
        if len(number) == 18:
            if id_structure_ok(number):
                return 1.0 if id_checksum_ok(number) else 0.5
            return 0.3 if "X" not in number[:17] else 0.0
        if len(number) == 15:
            return 0.55 if id_structure_ok(number) else 0.0
        if len(number) == 17:
            return pattern_score
        return 0.0
