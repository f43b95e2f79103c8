"""The handling deadline of a draft: time-limit profile + working-day calendar.

With a KB session the region's profile (``hotline limits``) and any approved extensions
apply (:func:`kb.timelimits.due_date`); without one — a plain eval run — the national
defaults (咨询 3, 求助/意见建议 7, 投诉/举报 15 working days) and the same calendar. When the
calendar does not know a year's holidays the result says so (``warning``). 表扬 needs no
handling: no deadline.
"""

from __future__ import annotations

import datetime as dt

from assistant.form.draft import DueInfo
from kb.calendar import get_calendar
from kb.timelimits import DEFAULT_LIMITS, SICHUAN_BASIS, due_date


def compute_due(
    appeal_type: str,
    accepted_on: dt.date,
    *,
    region: str = "",
    session=None,
    order_no: str | None = None,
) -> DueInfo:
    """When an appeal of this type accepted on ``accepted_on`` must be finished."""
    if appeal_type not in DEFAULT_LIMITS:
        return DueInfo(None, 0, "表扬类来电无需办理，受理当日办结")
    if session is not None:
        result = due_date(session, appeal_type, accepted_on, region=region, order_no=order_no)
        return DueInfo(result.due_on, result.working_days, result.basis, result.warning)
    days = DEFAULT_LIMITS[appeal_type]
    result = get_calendar().add(accepted_on, days)
    return DueInfo(result.value, days, SICHUAN_BASIS, result.warning)  # type: ignore[arg-type]
