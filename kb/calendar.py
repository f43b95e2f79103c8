"""The working-day calendar: statutory holidays and make-up working days as data.

Sources, in order of precedence:

1. ``data/calendar/overrides.yaml`` — local changes for any year, and whole years that
   chinese-calendar does not have yet (listed under ``complete_years``).
2. The ``chinese-calendar`` package — the State Council's published arrangements.
3. The law, for a year neither source knows: with ``calendar_fallback = "statutory"``
   (the default) weekends and the statutory days off of 《全国年节及纪念日放假办法》
   (``kb/statutory.py``) are not worked, but the year's 调休 arrangement is unknown; with
   ``"weekends"`` only weekends count; with ``"error"`` such a date is refused. Either
   way every result names the year in ``assumed_years``: never a silent guess.

Counting rule: ``add(start, n)`` is the n-th working day *after* ``start`` (the start day
itself never counts, as a deadline counts from the day after publication), and
``between(a, b)`` counts working days ``d`` with ``a < d <= b``, so that
``between(a, add(a, n)) == n``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import chinese_calendar
import yaml
from chinese_calendar import constants as cc_constants

from kb import statutory
from kb.errors import CalendarRangeError, InvalidInput

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

_CC_YEARS = frozenset(d.year for d in cc_constants.holidays) | frozenset(
    d.year for d in cc_constants.workdays
)


@dataclass(frozen=True)
class DayInfo:
    """Whether one day is worked, and why."""

    day: dt.date
    workday: bool
    reason: str  # 工作日 / 周末 / 法定节假日（国庆节） / 调休上班（春节） / 本地调整：…
    assumed: bool = False  # True when the year is unknown and the fallback rule was used


@dataclass(frozen=True)
class CalendarResult:
    """A computed date or count, with the years that had to be assumed."""

    value: dt.date | int
    assumed_years: tuple[int, ...] = ()
    fallback: str = "statutory"

    @property
    def warning(self) -> str | None:
        """Chinese warning to show the user when any year was assumed, else None."""
        if not self.assumed_years:
            return None
        years = "、".join(f"{y}年" for y in self.assumed_years)
        rule = (
            "已按周末和法定节假日推算（未含调休安排）"
            if self.fallback == "statutory"
            else "已仅按周末推算"
        )
        return (
            f"{years}的节假日安排尚未收录，{rule}，结果可能有误；"
            "请在 data/calendar/overrides.yaml 补录后重新计算。"
        )


@dataclass
class WorkCalendar:
    """Working days in mainland China, from data."""

    overrides: dict[dt.date, tuple[bool, str]] = field(default_factory=dict)
    complete_years: frozenset[int] = frozenset()
    fallback: str = "statutory"

    @classmethod
    def from_file(cls, path: Path, fallback: str = "statutory") -> WorkCalendar:
        """Load overrides from a YAML file (see data/calendar/overrides.yaml).

        Refused with a Chinese message naming the file: YAML that does not parse, a top
        level that is not a mapping, unknown keys (a typo such as ``complete_year`` would
        otherwise be ignored), a malformed day, and a year declared complete without a
        single holiday listed for it (the whole arrangement was forgotten).
        """
        if not path.exists():
            return cls(fallback=fallback)
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, ValueError) as exc:
            raise InvalidInput(
                f"日历补充文件 {path} 格式错误：不是有效的 YAML，或含有无效日期（{exc}）"
            ) from exc
        if not isinstance(raw, dict):
            raise InvalidInput(
                f"日历补充文件 {path} 顶层应为键值对（complete_years: […]、days: […]），"
                f"而不是{type(raw).__name__}。"
            )
        unknown = sorted(str(k) for k in raw if k not in ("complete_years", "days"))
        if unknown:
            raise InvalidInput(
                f"日历补充文件 {path} 有未知的键：{'、'.join(unknown)}（只认 complete_years 和 days）。"
            )
        days = raw.get("days") or []
        if not isinstance(days, list):
            raise InvalidInput(f"日历补充文件 {path} 的 days 应为列表。")
        overrides: dict[dt.date, tuple[bool, str]] = {}
        for i, item in enumerate(days, start=1):
            try:
                day = item["date"]
                if isinstance(day, str):
                    day = dt.date.fromisoformat(day)
                if not isinstance(day, dt.date):
                    raise TypeError(day)
                kind = item["kind"]
            except (KeyError, TypeError, ValueError) as exc:
                raise InvalidInput(f"日历补充文件 {path} 第 {i} 项格式错误：{item!r}") from exc
            if kind not in ("holiday", "workday"):
                raise InvalidInput(
                    f"日历补充文件 {path} 第 {i} 项 kind 应为 holiday 或 workday，而不是 {kind}"
                )
            overrides[day] = (kind == "workday", str(item.get("note") or ""))
        try:
            years = frozenset(int(y) for y in raw.get("complete_years") or [])
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"日历补充文件 {path} 的 complete_years 应为年份列表。") from exc
        holiday_years = {day.year for day, (workday, _) in overrides.items() if not workday}
        empty = sorted(years - holiday_years - _CC_YEARS)
        if empty:
            raise InvalidInput(
                f"日历补充文件 {path} 把 {'、'.join(map(str, empty))} 年列为已收录，"
                "但 days 中没有该年的任何放假日；请补录全年安排。"
            )
        return cls(overrides=overrides, complete_years=years, fallback=fallback)

    def known_years(self) -> frozenset[int]:
        """Years whose holidays are fully known."""
        return _CC_YEARS | self.complete_years

    def info(self, day: dt.date) -> DayInfo:
        """Whether ``day`` is a working day and why; raises for unknown years if strict."""
        if day in self.overrides:
            workday, note = self.overrides[day]
            default = "调休上班" if workday else "放假"
            return DayInfo(day, workday, f"本地调整：{note or default}")
        year = day.year
        weekend = day.weekday() >= 5
        if year in _CC_YEARS:
            if day in cc_constants.workdays:
                name = HOLIDAY_NAMES_ZH.get(cc_constants.workdays[day], "")
                return DayInfo(day, True, f"调休上班（{name}）" if name else "调休上班")
            if day in cc_constants.holidays:
                name = HOLIDAY_NAMES_ZH.get(cc_constants.holidays[day], "")
                return DayInfo(day, False, f"法定节假日（{name}）" if name else "法定节假日")
            # chinese_calendar agrees on plain weekdays/weekends; asked for completeness
            workday = chinese_calendar.is_workday(day)
            return DayInfo(day, workday, "工作日" if workday else "周末")
        if year in self.complete_years:
            return DayInfo(day, not weekend, "周末" if weekend else "工作日")
        if self.fallback == "error":
            raise CalendarRangeError(
                f"{year}年的节假日安排尚未收录（已知年份：{self._known_span()}），无法计算工作日；"
                "请在 data/calendar/overrides.yaml 补录该年安排，"
                "或设置 HOTLINE_CALENDAR_FALLBACK=statutory 按周末和法定节假日推算。"
            )
        if self.fallback == "statutory" and year >= statutory.FIRST_YEAR:
            name = statutory.statutory_holidays(year).get(day)
            if name:
                return DayInfo(day, False, f"法定节假日（{name}，推算）", True)
        return DayInfo(day, not weekend, "周末（推算）" if weekend else "工作日（推算）", True)

    def is_workday(self, day: dt.date) -> bool:
        """True when ``day`` is a working day."""
        return self.info(day).workday

    def add(self, start: dt.date, n: int) -> CalendarResult:
        """The n-th working day after ``start`` (n ≥ 0; n = 0 gives ``start``)."""
        if n < 0:
            raise InvalidInput("工作日数不能为负数。")
        if n > 3650:
            raise InvalidInput("工作日数过大（上限 3650）。")
        day, counted, assumed = start, 0, set()
        while counted < n:
            day += dt.timedelta(days=1)
            info = self.info(day)
            if info.assumed:
                assumed.add(day.year)
            if info.workday:
                counted += 1
        return CalendarResult(day, tuple(sorted(assumed)), self.fallback)

    def between(self, a: dt.date, b: dt.date) -> CalendarResult:
        """Working days d with a < d ≤ b; negative when b is before a."""
        sign = 1
        if b < a:
            a, b, sign = b, a, -1
        if (b - a).days > 36600:
            raise InvalidInput("日期跨度过大（上限 100 年）。")
        count, assumed, day = 0, set(), a
        while day < b:
            day += dt.timedelta(days=1)
            info = self.info(day)
            if info.assumed:
                assumed.add(day.year)
            if info.workday:
                count += 1
        return CalendarResult(sign * count, tuple(sorted(assumed)), self.fallback)

    def _known_span(self) -> str:
        years = sorted(self.known_years())
        return f"{years[0]}–{years[-1]}" if years else "无"


@lru_cache(maxsize=4)
def _load(path: str, fallback: str, mtime: float) -> WorkCalendar:
    return WorkCalendar.from_file(Path(path), fallback)


def get_calendar(fallback: str | None = None) -> WorkCalendar:
    """The calendar configured by settings (reloaded when the override file changes)."""
    from kb.settings import get_settings

    settings = get_settings()
    path = settings.data_dir / "calendar" / "overrides.yaml"
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return _load(str(path), fallback or settings.calendar_fallback, mtime)
