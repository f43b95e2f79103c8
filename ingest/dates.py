"""Dates as official documents write them: 2025-06-26, 2025年6月26日, 二〇二五年六月二十六日."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_DIGIT = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGIT |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"[\d〇零○Ｏ一二两三四五六七八九十]"

DATE = re.compile(
    rf"(?P<y>\d{{4}}|{_NUM}{{4}})\s*(?:年|[-/.])\s*(?P<m>{_NUM}{{1,3}})\s*(?:月|[-/.])\s*"
    rf"(?P<d>{_NUM}{{1,3}})(?!\d)日?"
)


def cn_number(text: str) -> int | None:
    """``12``, ``十二``, ``二十六``, ``二〇二五`` (digit by digit) as an int."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _DIGIT.get(tens, None) if tens else 1
        o = _DIGIT.get(ones, None) if ones else 0
        if t is None or o is None:
            return None
        return t * 10 + o
    value = 0
    for ch in text:
        if ch not in _DIGIT:
            return None
        value = value * 10 + _DIGIT[ch]
    return value


def date_from_match(match: re.Match[str]) -> dt.date | None:
    """The date a :data:`DATE` match names, or None if it is not a real date."""
    y, m, d = (cn_number(match[k]) for k in ("y", "m", "d"))
    if y is None or m is None or d is None:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def first_date(text: str) -> dt.date | None:
    """The first real date in ``text``."""
    for match in DATE.finditer(text):
        day = date_from_match(match)
        if day is not None:
            return day
    return None


def add_period(start: dt.date, years: int = 0, months: int = 0) -> dt.date:
    """``start`` moved by whole years/months (29 Feb → 28 Feb when needed)."""
    total = start.year * 12 + (start.month - 1) + years * 12 + months
    year, month = divmod(total, 12)
    month += 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def validity_end(start: dt.date, years: int = 0, months: int = 0) -> dt.date:
    """Last day of a validity period of N years/months starting on ``start``.

    "有效期5年" from 2025-12-25 covers 2025-12-25 … 2030-12-24: five full years, the
    anniversary itself no longer included.
    """
    return add_period(start, years, months) - dt.timedelta(days=1)
