"""The error body and the error responses every route documents."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

# database ids and version numbers: positive and within a 32-bit INTEGER column
MAX_ID = 2_147_483_647
EntryId = Annotated[int, Path(ge=1, le=MAX_ID, description="条目 ID")]
VersionNo = Annotated[int, Path(ge=1, le=MAX_ID, description="版本号")]


class ErrorBody(BaseModel):
    """Every error response."""

    error: str = Field(description="机器可读的错误代码，如 invalid_input、forbidden")
    message: str = Field(description="给人看的中文说明，含处理建议")
    details: list[str] = Field(default_factory=list, description="逐项说明（如每个有误的字段）")


class StrictBody(BaseModel):
    """Base of request bodies: unknown fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
