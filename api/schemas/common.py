"""The error body, the error responses every route documents, and the boundary types.

Every value from a request is validated here once (STYLE.md 6). The types are written so
that the OpenAPI schema says exactly what is accepted — schemathesis checks both ways:

* dates are ISO ``YYYY-MM-DD`` strings between 1950 and 2099 (no Unix timestamps, no
  year 0161); the days work is counted on (today, a call, a new policy) from 2000, so a
  working-day count never spans a century;
* required text must contain a non-space character; it is stripped *after* the length
  check, so the documented ``maxLength`` is what is enforced;
* ids fit a 32-bit INTEGER column;
* timestamps in responses always carry their time zone (UTC).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import Path
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from kb.clock import as_utc

# database ids and version numbers: positive and within a 32-bit INTEGER column
MAX_ID = 2_147_483_647
EntryId = Annotated[int, Path(ge=1, le=MAX_ID, description="条目 ID")]
VersionNo = Annotated[int, Path(ge=1, le=MAX_ID, description="版本号")]

MIN_DAY, MAX_DAY = dt.date(1950, 1, 1), dt.date(2099, 12, 31)
DAY_PATTERN = r"^(19[5-9]\d|20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
# days the hotline works on (today, a call's date, a new policy's publication): working days
# are counted between them, and the calendar refuses spans over 100 years
MIN_WORK_DAY = dt.date(2000, 1, 1)
WORK_DAY_PATTERN = r"^20\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.match(value.strip()):
        return value.strip()
    raise ValueError("应为日期，如 2025-06-26")


Day = Annotated[
    dt.date,
    BeforeValidator(_iso_day),
    Field(ge=MIN_DAY, le=MAX_DAY, json_schema_extra={"pattern": DAY_PATTERN}),
]
WorkDay = Annotated[
    dt.date,
    BeforeValidator(_iso_day),
    Field(ge=MIN_WORK_DAY, le=MAX_DAY, json_schema_extra={"pattern": WORK_DAY_PATTERN}),
]
# "says something": a character that is neither whitespace nor one of the separators
# \x1c-\x1f that Python's str.strip() also removes (same meaning in Python's and Rust's regex)
NOT_BLANK = r"[^\s\x1c-\x1f]"


def _strip(value: str) -> str:
    return value.strip()


def Text(max_length: int) -> Any:
    """Optional free text up to ``max_length`` characters, stripped."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_strip)]


def Required(max_length: int) -> Any:
    """Text that must say something (not only spaces), stripped."""
    return Annotated[
        str, Field(min_length=1, max_length=max_length, pattern=NOT_BLANK), AfterValidator(_strip)
    ]


UtcDateTime = Annotated[dt.datetime, AfterValidator(as_utc)]  # SQLite hands back naive UTC


class ErrorBody(BaseModel):
    """Every error response."""

    error: str = Field(description="机器可读的错误代码，如 invalid_input、forbidden")
    message: str = Field(description="给人看的中文说明，含处理建议")
    details: list[str] = Field(default_factory=list, description="逐项说明（如每个有误的字段）")


class StrictBody(BaseModel):
    """Base of request bodies: unknown fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


def errors(*codes: int) -> dict[int | str, dict]:
    """OpenAPI ``responses`` entries for these error status codes."""
    text = {
        400: "请求体不是有效的 JSON 或请求无效",
        401: "缺少访问令牌，或令牌无效、已吊销、已过期",
        403: "角色或所属单位无权执行此操作",
        404: "条目、版本、单位等不存在",
        409: "与已有数据冲突（如状态不允许、标题重复）",
        413: "上传内容超过大小上限",
        422: "参数或文件内容有误",
        503: "所需组件未配置或不可用",
    }
    return {code: {"model": ErrorBody, "description": text[code]} for code in codes}


# what every authenticated route can answer
AUTH_ERRORS = errors(400, 401, 403, 413, 422)
