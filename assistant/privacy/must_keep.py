"""Look-alikes that must pass through masking untouched.

Numbers a hotline text is full of that are not personal data: document numbers (文号),
dates, amounts, durations, service numbers (12345, 110 …), work-order numbers and, by
default, companies' unified social credit codes. A detection overlapping one of these spans
is dropped — unless the look-alike lies strictly inside it (a detected address or ID is
the larger structure; "12345" inside "甘A12345D" is a plate, not the hotline).

Work-order numbers in this project: ``GD`` + the 8-digit date + a 6-digit serial
(``GD20251201000123``); the region-prefixed form ``SL-GD-20251201-000123``; and any
upper-case prefix of 2–4 letters + 12–18 digits. A bare 12–20 digit number is one only
after a real work-order cue (工单号, 工单编号, 受理号, 受理编号 …): "编号" alone says
nothing (身份证编号, 档案编号, 社保卡编号 are personal numbers). Even after a work-order cue a
number is never protected when it is a checksum-valid ID number or a Luhn-valid card
number, or when an ID/card/account word stands right before the cue: a wrongly kept ID
would go to the model verbatim, a wrongly masked work-order number only costs a lookup.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from assistant.privacy.checksums import (
    credit_code_ok,
    id_checksum_ok,
    id_structure_ok,
    luhn_ok,
)

# 统一社会信用代码: registration authority + type, 6-digit division, 9-character org code,
# check character (the recognizer that masks them when configured uses the same pattern).
CREDIT_CODE_REGEX = (
    r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Za-z])"
)

_D = r"(?<!\d)"
_ND = r"(?!\d)"
_PATTERNS = {
    # 国办函〔2025〕66号, 甘政办发[2025]69号, 川府发（2024）3号: the bracketed year and the
    # number are protected; the issuer's abbreviation is plain text anyway.
    "doc_no": r"(?<=\p{Han})[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*第?\d{1,5}\s*号",
    "date": (
        _D
        + r"(?:\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?|\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
        r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
        + _ND
    ),
    "time": _D + r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?" + _ND,
    "amount": (
        r"(?:[¥￥]\s*)?"
        + _D
        + r"\d{1,10}(?:,\d{3})*(?:\.\d+)?\s*(?:多|余)?\s*(?:万|千|百|亿)?\s*(?:元|块|人民币)"
        r"|[¥￥]\s*\d+(?:,\d{3})*(?:\.\d+)?"
    ),
    "duration": (
        _D
        + r"\d{1,4}(?:\.\d+)?\s*(?:个)?(?:工作日|自然日|小时|分钟|秒|个月|周|天|日|年)(?:内|以内|之内)?"
    ),
    "hotline": (
        r"(?<![0-9A-Za-z])(?:0\d{2,3}[-\s]?)?(?:12345|12315|12319|12320|12333|12348|12358|12366|12369"
        r"|12388|12390|12328|12338|12351|95598|110|119|120|122)(?![0-9A-Za-z])"
    ),
    "work_order": r"(?<![A-Za-z0-9])(?:[A-Z]{2,4}-?\d{12,18}|SL-GD-\d{8}-\d{6})(?![A-Za-z0-9])",
    "percent": _D + r"\d+(?:\.\d+)?\s*[%％]",
}
_KEEP = regex.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _PATTERNS.items()))
_CREDIT = regex.compile(CREDIT_CODE_REGEX)
# A bare number after a work-order cue; the cue is matched (not looked behind for: a
# variable-length lookbehind tried at every position cost a third of masking's time).
_WORK_ORDER_DIGITS = regex.compile(
    r"(?:(?:工单|受理|办件|诉求|快递|订单|运单|物流)(?:编号|单号|号码|号)?|单号)[是为:：\s]*"
    r"(?P<number>\d{12,20})" + _ND
)


# Words that make the number after them personal whatever cue follows (身份证工单号 is no
# work order; 银行卡受理号 …), looked for just before the cue.
_PERSONAL_BEFORE = regex.compile(r"(?:身份证|证件|卡|档案|账|帐)[^，。；,;\s]{0,6}$")


def _personal_number(text: str, start: int, end: int) -> bool:
    """True when the bare number ``text[start:end]`` must not be kept as a work order."""
    number = text[start:end]
    if len(number) == 18 and id_structure_ok(number) and id_checksum_ok(number):
        return True
    if 16 <= len(number) <= 19 and luhn_ok(number):
        return True
    return _PERSONAL_BEFORE.search(text, max(0, start - 12), start) is not None


def keep_spans(text: str, keep_credit_codes: bool = True) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, kind)`` of must-keep look-alikes in ``text``."""
    return list(_keep_spans(text, keep_credit_codes))


@lru_cache(maxsize=256)
def _keep_spans(text: str, keep_credit_codes: bool) -> tuple[tuple[int, int, str], ...]:
    # Cached: detection and the propagation of known values ask for the same text.
    spans = [(m.start(), m.end(), m.lastgroup or "") for m in _KEEP.finditer(text)]
    for match in _WORK_ORDER_DIGITS.finditer(text):
        start, end = match.span("number")
        if not _personal_number(text, start, end):
            spans.append((start, end, "work_order"))
    if keep_credit_codes:
        for match in _CREDIT.finditer(text):
            code = match.group(0)
            # An all-digit 18-character string with a real birth date is an ID number.
            if credit_code_ok(code) and not (code[:17].isdigit() and id_structure_ok(code)):
                spans.append((match.start(), match.end(), "credit_code"))
    return tuple(spans)
