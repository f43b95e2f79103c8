"""Time as the hotline sees it: China Standard Time dates, UTC timestamps, strict parsing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from kb.errors import InvalidInput

CHINA_TZ = ZoneInfo("Asia/Shanghai")

_ISO = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*$")
_CN = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


# Set only by :func:`frozen`; every "now" in kb/ goes through utcnow()/today() below.
_frozen_at: dt.datetime | None = None


def utcnow() -> dt.datetime:
    """Now, timezone-aware UTC (what timestamps are stored as)."""
    if _frozen_at is not None:
        return _frozen_at
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date in China, which is what validity and deadlines are counted in."""
    return utcnow().astimezone(CHINA_TZ).date()


@contextmanager
def frozen(at: dt.datetime | dt.date) -> Iterator[None]:
    """Make :func:`utcnow` and :func:`today` answer a fixed instant inside the block.

    For tests (and what-if runs): rules that depend on "today" — refusing future dates,
    expired publications, the current sweep quarter — then give the same answer on any
    real date. A date means 12:00 China time that day.
    """
    global _frozen_at
    if isinstance(at, dt.datetime):
        instant = at if at.tzinfo else at.replace(tzinfo=CHINA_TZ)
    else:
        instant = dt.datetime(at.year, at.month, at.day, 12, tzinfo=CHINA_TZ)
    previous, _frozen_at = _frozen_at, instant.astimezone(dt.UTC)
    try:
        yield
    finally:
        _frozen_at = previous


def parse_date(value: str | dt.date | None, field: str = "日期") -> dt.date | None:
    """Parse ``2025-06-26``, ``2025/6/26``, ``2025年6月26日`` or ``20250626``.

    Empty means None. Anything else raises :class:`InvalidInput` naming the field.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for pattern in (_ISO, _CN, _COMPACT):
        match = pattern.match(text)
        if match:
            y, m, d = (int(g) for g in match.groups())
            try:
                return dt.date(y, m, d)
            except ValueError:
                break
    raise InvalidInput(
        f"{field}“{text}”不是有效日期，请按 2025-06-26 或 2025年6月26日 的格式填写。"
    )


def require_date(value: str | dt.date | None, field: str = "日期") -> dt.date:
    """Like :func:`parse_date` but an empty value is an error too."""
    parsed = parse_date(value, field)
    if parsed is None:
        raise InvalidInput(f"缺少{field}。")
    return parsed


def quarter_of(day: dt.date) -> str:
    """``2026Q4`` for any day in October–December 2026."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter given as ``2026Q4``."""
    match = re.fullmatch(r"(\d{4})Q([1-4])", quarter.strip().upper())
    if not match:
        raise InvalidInput(f"季度“{quarter}”格式不对，请写成 2026Q4。")
    year, q = int(match.group(1)), int(match.group(2))
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return start, end - dt.timedelta(days=1)


def as_utc(ts: dt.datetime) -> dt.datetime:
    """A stored timestamp with its zone: SQLite hands back naive values, stored as UTC."""
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=dt.UTC)


def china_date(ts: dt.datetime) -> dt.date:
    """The China date of a stored timestamp (SQLite hands back naive UTC values)."""
    return as_utc(ts).astimezone(CHINA_TZ).date()
