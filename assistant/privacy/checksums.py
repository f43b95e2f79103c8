"""Check digits and embedded dates of Chinese identifiers (pure functions, no regexes).

- 居民身份证号 (GB 11643-1999): ISO 7064 MOD 11-2 over 17 digits, check character from
  ``10X98765432``; digits 7–14 are the birth date (15-digit legacy numbers: digits 7–12, 19yy).
- Bank cards: the Luhn check.
- 统一社会信用代码 (GB 32100-2015): MOD 31 over an 18-character alphabet without I O S V Z.
"""

from __future__ import annotations

import datetime as dt

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

# First two digits of a resident ID: the province-level division that issued it.
ID_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
        "91",
    ]
)

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_EARLIEST_BIRTH = dt.date(1890, 1, 1)


def id_check_char(first17: str) -> str:
    """The check character of an 18-digit resident ID from its first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def id_checksum_ok(number: str) -> bool:
    """True when an 18-character ID's last character matches its MOD 11-2 check."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    return id_check_char(number[:17]) == number[17].upper()


def _date_ok(year: int, month: int, day: int, today: dt.date | None = None) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return _EARLIEST_BIRTH <= born <= (today or dt.date.today())


def id_structure_ok(number: str) -> bool:
    """True when an 18- or 15-digit ID has a known province and a real, past birth date."""
    if number[:2] not in ID_PROVINCES:
        return False
    if len(number) == 18 and number[:17].isdigit():
        return _date_ok(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    if len(number) == 15 and number.isdigit():
        return _date_ok(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    return False


def luhn_ok(digits: str) -> bool:
    """The Luhn check used by bank card numbers (``digits`` holds only 0–9)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def luhn_check_digit(body: str) -> str:
    """The digit that makes ``body + digit`` pass :func:`luhn_ok`."""
    for digit in "0123456789":
        if luhn_ok(body + digit):
            return digit
    raise AssertionError("unreachable: one of ten digits always passes Luhn")


def credit_code_check_char(first17: str) -> str:
    """The check character of a unified social credit code from its first 17 characters."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_ok(code: str) -> bool:
    """True when ``code`` is an 18-character unified social credit code with a valid check."""
    code = code.upper()
    if len(code) != 18 or any(c not in CREDIT_CODE_ALPHABET for c in code):
        return False
    if not code[2:8].isdigit():
        return False
    return credit_code_check_char(code[:17]) == code[17]
