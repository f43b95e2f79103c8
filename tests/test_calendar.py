"""The working-day calendar against the State Council's real 2025 and 2026 arrangements."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kb.calendar import WorkCalendar
from kb.errors import CalendarRangeError, InvalidInput

D = dt.date.fromisoformat


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar(fallback="error")


@pytest.mark.parametrize(
    ("day", "workday", "reason"),
    [
        # 2025 (国办发明电〔2024〕12号)
        ("2025-01-01", False, "法定节假日（元旦）"),
        ("2025-01-26", True, "调休上班（春节）"),  # Sunday worked
        ("2025-01-28", False, "法定节假日（春节）"),
        ("2025-02-04", False, "法定节假日（春节）"),
        ("2025-02-08", True, "调休上班（春节）"),  # Saturday worked
        ("2025-04-27", True, "调休上班（劳动节）"),
        ("2025-05-05", False, "法定节假日（劳动节）"),
        ("2025-09-28", True, "调休上班（国庆节）"),
        ("2025-10-06", False, "法定节假日（中秋节）"),
        ("2025-10-08", False, "法定节假日（国庆节）"),
        ("2025-10-11", True, "调休上班（国庆节）"),
        # 2026 (国办发明电〔2025〕7号)
        ("2026-01-02", False, "法定节假日（元旦）"),
        ("2026-01-04", True, "调休上班（元旦）"),
        ("2026-02-14", True, "调休上班（春节）"),
        ("2026-02-23", False, "法定节假日（春节）"),
        ("2026-02-28", True, "调休上班（春节）"),
        ("2026-05-09", True, "调休上班（劳动节）"),
        ("2026-06-19", False, "法定节假日（端午节）"),
        ("2026-09-20", True, "调休上班（国庆节）"),
        ("2026-10-07", False, "法定节假日（国庆节）"),
        ("2026-10-10", True, "调休上班（国庆节）"),
        # ordinary days
        ("2026-11-21", False, "周末"),
        ("2026-11-23", True, "工作日"),
    ],
)
def test_day_info(cal: WorkCalendar, day: str, workday: bool, reason: str) -> None:
    info = cal.info(D(day))
    assert (info.workday, info.reason, info.assumed) == (workday, reason, False)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2025-09-30", 3, "2025-10-11"),  # across National Day, onto the make-up Saturday
        ("2025-06-26", 3, "2025-07-01"),  # 国办函〔2025〕66号 published → intake due
        ("2025-12-25", 3, "2025-12-30"),  # Sichuan interpretation published Thursday
        ("2025-11-18", 3, "2025-11-21"),  # Gansu 69号
        ("2026-02-13", 1, "2026-02-14"),  # Friday → the make-up Saturday
        ("2026-02-13", 2, "2026-02-24"),  # then the whole Spring Festival is skipped
        ("2026-09-30", 1, "2026-10-08"),
        ("2026-09-30", 3, "2026-10-10"),  # Oct 10 is a make-up Saturday
        ("2026-09-29", 3, "2026-10-09"),
        ("2026-11-20", 1, "2026-11-23"),  # Friday → Monday
        ("2026-11-23", 15, "2026-12-14"),  # a 投诉 accepted on a Monday
        ("2026-11-23", 0, "2026-11-23"),
    ],
)
def test_add(cal: WorkCalendar, start: str, n: int, expected: str) -> None:
    result = cal.add(D(start), n)
    assert result.value == D(expected)
    assert result.assumed_years == ()
    assert result.warning is None


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2026-02-13", "2026-02-24", 2),
        ("2025-09-30", "2025-10-11", 3),
        ("2026-11-20", "2026-11-20", 0),
        ("2026-11-23", "2026-11-20", -1),  # reversed: the working days Nov 21–23, negated
        ("2026-10-09", "2026-10-12", 2),  # Oct 10 (make-up Saturday) and Oct 12
        ("2026-01-01", "2026-12-31", 248),  # 261 weekdays - 19 holidays + 6 make-up days
    ],
)
def test_between(cal: WorkCalendar, a: str, b: str, expected: int) -> None:
    assert cal.between(D(a), D(b)).value == expected


def test_add_and_between_agree(cal: WorkCalendar) -> None:
    start = D("2025-01-20")
    for n in range(0, 40):
        assert cal.between(start, cal.add(start, n).value).value == n


# Unknown years are 2099/2100: no holiday package will ship them while this code lives,
# and nobody has a reason to fill them in overrides.yaml (2027 will be known one day).


def test_unknown_year_strict_is_an_error(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarRangeError, match="2099年的节假日安排尚未收录"):
        cal.add(D("2099-12-30"), 1)


def test_unknown_year_weekends_fallback_is_announced() -> None:
    cal = WorkCalendar(fallback="weekends")
    result = cal.add(D("2099-12-30"), 3)  # Thu Dec 31, Fri Jan 1 2100 (assumed), Mon Jan 4
    assert result.value == D("2100-01-04")
    assert result.assumed_years == (2099, 2100)
    assert "2099年、2100年的节假日安排尚未收录" in result.warning
    assert cal.info(D("2100-01-02")).assumed is True
    assert cal.info(D("2100-01-02")).reason == "周末（推算）"


def test_leaving_a_known_year_for_an_unknown_one_is_announced(monkeypatch) -> None:
    import kb.calendar

    # as if the holiday data stopped at 2025, to cross from data into the fallback
    monkeypatch.setattr(kb.calendar, "_CC_YEARS", frozenset({2025}))
    result = WorkCalendar(fallback="weekends").add(D("2025-12-30"), 3)
    assert (result.value, result.assumed_years) == (D("2026-01-02"), (2026,))
    with pytest.raises(CalendarRangeError, match="已知年份：2025–2025"):
        WorkCalendar(fallback="error").add(D("2025-12-30"), 3)


def test_override_file_adds_a_year_and_local_changes(tmp_path: Path) -> None:
    path = tmp_path / "overrides.yaml"
    path.write_text(
        "complete_years: [2027]\n"
        "days:\n"
        "  - {date: 2027-01-01, kind: holiday, note: 元旦}\n"
        "  - {date: 2026-11-23, kind: holiday, note: 本市暴雨停工}\n"
        "  - {date: 2026-11-28, kind: workday, note: 本市补班}\n",
        encoding="utf-8",
    )
    cal = WorkCalendar.from_file(path, fallback="error")
    assert cal.info(D("2027-01-01")).workday is False
    assert cal.info(D("2027-01-04")).workday is True
    assert cal.info(D("2026-11-23")).reason == "本地调整：本市暴雨停工"
    assert cal.info(D("2026-11-28")).workday is True
    # Friday Nov 20 + 1: Monday is off locally, so Tuesday
    assert cal.add(D("2026-11-20"), 1).value == D("2026-11-24")
    assert cal.add(D("2026-12-31"), 1).value == D("2027-01-04")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "days:\n  - {date: 2026-13-01, kind: holiday}\n",
            "格式错误：不是有效的 YAML，或含有无效日期",
        ),
        ("days:\n  - {date: 2026-11-23, kind: vacation}\n", "kind 应为 holiday 或 workday"),
        ("days:\n  - {date: 12, kind: holiday}\n", "第 1 项格式错误"),
        ("days: [1, 2\n", "格式错误：不是有效的 YAML"),
        ("days:\n  - {date: '2026-13-01', kind: holiday}\n", "第 1 项格式错误"),
        ("- {date: 2026-11-23, kind: holiday}\n", "顶层应为键值对"),
        ("days: {date: 2026-11-23}\n", "days 应为列表"),
        ("complete_year: [2027]\n", "未知的键：complete_year"),
        ("complete_years: [二〇二七]\n", "complete_years 应为年份列表"),
        (
            "complete_years: [2099]\ndays: []\n",
            "把 2099 年列为已收录，但 days 中没有该年的任何放假日",
        ),
    ],
)
def test_override_file_errors_are_clear(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "overrides.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match=f"日历补充文件 .*{message}"):
        WorkCalendar.from_file(path)


def test_negative_days_refused(cal: WorkCalendar) -> None:
    with pytest.raises(InvalidInput, match="不能为负数"):
        cal.add(D("2026-11-23"), -1)


def test_shipped_override_file_is_sound() -> None:
    """What someone filling in next year's arrangement must get right, checked on the file."""
    import chinese_calendar

    from kb.settings import Settings

    shipped = Settings().data_dir / "calendar" / "overrides.yaml"
    loaded = WorkCalendar.from_file(shipped, fallback="error")  # raises on any format error
    assert loaded.known_years() >= {2025, 2026}
    for year in loaded.complete_years:
        # every official arrangement gives New Year's Day off
        assert loaded.info(dt.date(year, 1, 1)).workday is False, year
    for day, (workday, note) in loaded.overrides.items():
        assert note, f"{day}: say why the day is changed"
        if day.year in loaded.known_years() - loaded.complete_years:
            # an override of a year the package knows must change something
            assert chinese_calendar.is_workday(day) != workday, f"{day} overrides nothing"


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["calendar", "add", "2025-09-30", "3"], 0, "2025-10-11"),
        (["calendar", "between", "2026-02-13", "2026-02-24"], 0, "2 个工作日"),
        (["calendar", "day", "2026-10-10"], 0, "上班（调休上班（国庆节））"),
        (["calendar", "add", "2025-02-30", "3"], 1, "不是有效日期"),
        (["calendar", "add", "昨天", "3"], 1, "不是有效日期"),
    ],
)
def test_calendar_cli(cli, hotline_home, argv: list[str], code: int, needle: str) -> None:
    result = cli(*argv)
    assert result.code == code
    assert needle in result.out + result.err


def test_calendar_cli_json(cli, hotline_home) -> None:
    # the default fallback keeps 1 January (元旦) off even in a year with no data
    result = cli("calendar", "add", "2099-12-30", "3", "--json")
    data = result.json()
    assert result.code == 0
    assert data["date"] == "2100-01-05"
    assert data["assumed_years"] == [2099, 2100]
    assert "尚未收录" in result.err


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        (
            {"HOTLINE_CALENDAR_FALLBACK": "bogus"},
            "HOTLINE_CALENDAR_FALLBACK 的值“bogus”无效：可选值：statutory、weekends、error",
        ),
        (
            {"HOTLINE_INTAKE_WORKING_DAYS": "0"},
            "HOTLINE_INTAKE_WORKING_DAYS 的值“0”无效：应为整数，≥ 1，≤ 30",
        ),
        (
            {"HOTLINE_EXPIRING_WITHIN_DAYS": "一个月"},
            "HOTLINE_EXPIRING_WITHIN_DAYS 的值“一个月”无效",
        ),
        ({"HOTLINE_SECRET_KEY": "too-short"}, "HOTLINE_SECRET_KEY 的值（已隐藏）无效：长度 ≥ 32"),
    ],
)
def test_bad_settings_are_a_user_error(cli, hotline_home, monkeypatch, env, needle) -> None:
    from kb.settings import get_settings

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    result = cli("calendar", "add", "2026-11-20", "1")
    get_settings.cache_clear()
    assert result.code == 1
    assert "配置有误" in result.err and needle in result.err
    assert "too-short" not in result.err and "Traceback" not in result.err


def test_a_broken_override_file_is_a_user_error(cli, hotline_home, tmp_path, monkeypatch) -> None:
    from kb.settings import get_settings

    (tmp_path / "calendar").mkdir()
    (tmp_path / "calendar" / "overrides.yaml").write_text("- 2027-01-01\n", encoding="utf-8")
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    result = cli("calendar", "add", "2026-11-20", "1")
    get_settings.cache_clear()
    assert result.code == 1 and "顶层应为键值对" in result.err


# The statutory fallback: the days off fixed by 《全国年节及纪念日放假办法》 (2025 revision)
# for a year whose State Council arrangement is not in the data yet. 2027's lunar dates:
# 春节 (正月初一) 6 Feb, 清明 5 Apr, 端午 9 Jun, 中秋 15 Sep.
@pytest.mark.parametrize(
    ("day", "workday", "reason"),
    [
        ("2027-01-01", False, "法定节假日（元旦，推算）"),
        ("2027-02-05", False, "法定节假日（春节，推算）"),  # 除夕, a Friday
        ("2027-02-08", False, "法定节假日（春节，推算）"),  # 正月初三, a Monday
        ("2027-02-09", True, "工作日（推算）"),
        ("2027-04-05", False, "法定节假日（清明节，推算）"),
        ("2027-05-03", True, "工作日（推算）"),  # 1–2 May fall on a weekend; 补休 unknown
        ("2027-06-09", False, "法定节假日（端午节，推算）"),
        ("2027-09-15", False, "法定节假日（中秋节，推算）"),
        ("2027-10-01", False, "法定节假日（国庆节，推算）"),
        ("2027-10-04", True, "工作日（推算）"),
        ("2027-10-09", False, "周末（推算）"),
    ],
)
def test_statutory_fallback_days(day: str, workday: bool, reason: str, monkeypatch) -> None:
    import kb.calendar

    # as if the holiday package stopped at 2026, whatever later versions ship
    monkeypatch.setattr(kb.calendar, "_CC_YEARS", frozenset(range(2004, 2027)))
    info = WorkCalendar(fallback="statutory").info(D(day))
    assert (info.workday, info.reason, info.assumed) == (workday, reason, True)


def test_statutory_fallback_counts_new_year_and_says_so(monkeypatch) -> None:
    import kb.calendar

    monkeypatch.setattr(kb.calendar, "_CC_YEARS", frozenset(range(2004, 2027)))
    # a 投诉 registered on Mon 28 Dec 2026: 15 working days, 1 Jan 2027 off
    result = WorkCalendar(fallback="statutory").add(D("2026-12-28"), 15)
    assert (result.value, result.assumed_years) == (D("2027-01-19"), (2027,))
    assert "已按周末和法定节假日推算（未含调休安排）" in result.warning
    weekends = WorkCalendar(fallback="weekends").add(D("2026-12-28"), 15)
    assert weekends.value == D("2027-01-18")
    assert "已仅按周末推算" in weekends.warning


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_days_agree_with_the_published_arrangements(year: int) -> None:
    """Every day the law fixes is a day off in the State Council's published arrangement."""
    from kb.statutory import statutory_holidays

    days = statutory_holidays(year)
    assert len(days) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3, no two festivals on one day
    for day, name in days.items():
        info = WorkCalendar(fallback="error").info(day)
        assert (info.workday, info.assumed) == (False, False), (day, name, info.reason)
