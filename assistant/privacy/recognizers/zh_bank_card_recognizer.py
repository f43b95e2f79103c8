"""Bank card numbers: 16–19 digits, the Luhn check, or 卡号/账号 context."""

from __future__ import annotations

from presidio_analyzer import Pattern

from assistant.privacy.checksums import luhn_ok
from assistant.privacy.entities import CN_BANK_CARD
from assistant.privacy.recognizers.zh_pattern_recognizer import (
    CUE_LINK,
    NOT_AFTER_ALNUM,
    NOT_BEFORE_ALNUM,
    ZhPatternRecognizer,
    digits_only,
)

_CONTIGUOUS = NOT_AFTER_ALNUM + r"\d{16,19}" + NOT_BEFORE_ALNUM
# Printed on the card in groups of four; the last group may be short (19-digit cards).
_GROUPED = NOT_AFTER_ALNUM + r"\d{4}(?:[ \-]\d{4}){3}(?:[ \-]?\d{1,3})?" + NOT_BEFORE_ALNUM


class ZhBankCardRecognizer(ZhPatternRecognizer):
    """Bank and social-security card numbers. Luhn-valid → 0.9; otherwise 0.3 + context."""

    ENTITY = CN_BANK_CARD
    PATTERNS = (
        Pattern("card_contiguous", _CONTIGUOUS, 0.3),
        Pattern("card_grouped", _GROUPED, 0.3),
    )
    CONTEXT = (
        "卡号",
        "银行卡",
        "账号",
        "帐号",
        "储蓄卡",
        "信用卡",
        "借记卡",
        "工资卡",
        "社保卡",
        "开户",
        "银行",
        "转账",
        "汇款",
        "卡",
        "账户",
        "帐户",
        "户名",
        "开户行",
    )
    CUE_BEFORE = (
        r"(?:卡号|银行卡|账号|帐号|账户|帐户|储蓄卡|信用卡|借记卡|社保卡|工资卡)" + CUE_LINK
    )

    def score_match(self, matched: str, pattern_score: float) -> float:
        """Luhn-valid numbers score 0.9; others keep the low pattern score."""
        number = digits_only(matched)
        if not 16 <= len(number) <= 19:
            return 0.0
        return 0.9 if luhn_ok(number) else pattern_score
