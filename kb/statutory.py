"""Statutory public holidays by law, for years the published arrangements do not cover yet.

《全国年节及纪念日放假办法》 (as revised by 国务院令第795号, in force from 2025-01-01) fixes
the days off every year: 元旦 1 day (1 January), 春节 4 days (除夕 and 正月初一 to 初三),
清明节 1 day (the 清明 solar term), 劳动节 2 days (1–2 May), 端午节 1 day (五月初五),
中秋节 1 day (八月十五), 国庆节 3 days (1–3 October).

These days are certain; what is not known until the State Council publishes the year's
arrangement (usually in November of the year before) is how they are bridged to the
weekend: the extra days off and the make-up working days (调休上班). So a count over such a
year that uses these days is closer to the truth than weekends alone, and is still
announced as assumed.

Lunar dates come from ``lunar-python`` (pure Python, computed, no data download).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from lunar_python import Lunar

# The 2025 revision applies from 2025; earlier years are all covered by chinese-calendar.
FIRST_YEAR = 2025


def _solar(lunar: Lunar) -> dt.date:
    solar = lunar.getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """Every statutory day off in ``year`` (Gregorian), with the festival's Chinese name.

    Lunar festivals are those of the lunar year that starts in ``year``; 除夕 is the day
    before that year's 正月初一 (it can fall in the same Gregorian year only), and a 春节
    day that spills into the next Gregorian year does not occur (正月初三 is always in the
    same Gregorian year as 正月初一).
    """
    if year < FIRST_YEAR:
        raise ValueError(f"statutory rules of the 2025 revision start in {FIRST_YEAR}")
    days: dict[dt.date, str] = {dt.date(year, 1, 1): "元旦"}
    new_year = _solar(Lunar.fromYmd(year, 1, 1))
    for offset in range(-1, 3):
        days[new_year + dt.timedelta(days=offset)] = "春节"
    qingming = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    days[dt.date(qingming.getYear(), qingming.getMonth(), qingming.getDay())] = "清明节"
    days[dt.date(year, 5, 1)] = "劳动节"
    days[dt.date(year, 5, 2)] = "劳动节"
    days[_solar(Lunar.fromYmd(year, 5, 5))] = "端午节"
    days[_solar(Lunar.fromYmd(year, 8, 15))] = "中秋节"
    for day in (1, 2, 3):
        days[dt.date(year, 10, day)] = "国庆节"
    return {day: name for day, name in days.items() if day.year == year}
