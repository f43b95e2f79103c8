"""Every error leaves the API as ``{"error", "message", "details"}`` with a Chinese message.

* :class:`kb.errors.HotlineError` → its own ``http_status`` and ``to_dict()``;
* request validation (FastAPI/pydantic) → 422 listing each bad field in Chinese, except a
  body that is not JSON at all → 400;
* Starlette's own HTTP errors (unknown path, wrong method) → the same shape;
* anything else → 500 with a generic message (the traceback goes to the server log only).

kb/ and ingest/ word their advice for the CLI (``--skip-invalid``, ``hotline unit list``):
:func:`for_http` rewrites those hints into what an HTTP client can do, and strips the
server's private upload directories from file names, before any message leaves the API.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import traceback

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.schemas.common import NOT_BLANK
from kb.errors import HotlineError

log = logging.getLogger("hotline.api")

# pydantic error type → what to tell a person (ctx values are filled in with str.format)
_TYPE_ZH = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不认识的字段（请检查拼写）",
    "string_type": "应为字符串",
    "string_too_short": "不能为空",
    "string_too_long": "过长（上限 {max_length} 字）",
    "string_pattern_mismatch": "格式不对",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期，如 2025-06-26",
    "date_parsing": "应为日期，如 2025-06-26",
    "date_from_datetime_parsing": "应为日期，如 2025-06-26",
    "date_from_datetime_inexact": "应为日期（不带时间）",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "list_type": "应为列表",
    "too_long": "条目过多（上限 {max_length} 个）",
    "too_short": "至少需要 {min_length} 个",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "value_error": "值无效",
    "uuid_parsing": "格式不对",
}

_HTTP_ZH = {
    400: ("bad_request", "请求无效。"),
    401: ("unauthenticated", "需要登录：请携带有效的访问令牌。"),
    403: ("forbidden", "没有权限执行此操作。"),
    404: ("not_found", "没有这个地址，请查看 /docs 中的接口列表。"),
    405: ("method_not_allowed", "该地址不支持此请求方法，请查看 /docs。"),
    406: ("not_acceptable", "无法按要求的格式返回。"),
    413: ("payload_too_large", "请求体过大。"),
    415: ("unsupported_media_type", "不支持的请求内容类型。"),
}

_LOCATION_ZH = {"body": "请求体", "query": "查询参数", "path": "路径参数", "header": "请求头"}

# CLI advice in kb/ingest messages → the same advice for an HTTP client (pattern, replacement)
_CLI_TO_HTTP = (
    (re.compile(r"可用 --skip-invalid"), "可设 skip_invalid=true"),
    (re.compile(r"（--publish）"), "（publish=true）"),
    (re.compile(r"请去掉该选项"), "请不要设置 publish"),
    (re.compile(r"请用 --unit 指定"), "请用 unit 字段指定"),
    (re.compile(r"（--to）"), "（to_unit）"),
    (re.compile(r"（--unit）"), ""),
    (re.compile(r"可用 `hotline unit list` 查看"), "可用 GET /api/units 查看"),
    (re.compile(r"可用 `hotline orders list` 查看"), "可用 GET /api/orders 查看"),
    (re.compile(r"请运行 `hotline reindex`"), "请管理员调用 POST /api/reindex"),
    (
        re.compile(r"可先运行 `hotline init --sample`"),
        "请管理员在服务器上运行 `hotline init --sample`",
    ),
)
# the private directories uploads are saved in (api.uploads, api.routes.ingest): a client
# must see the name it sent, never a server path
_UPLOAD_DIR = re.compile(r"[^\s“”‘’\"'（(：:，,]*hotline-(?:upload|ingest)-[A-Za-z0-9_]+[/\\]")


def for_http(text: str) -> str:
    """A kb/ingest message as an HTTP client should read it (no CLI flags, no server paths)."""
    text = _UPLOAD_DIR.sub("", text)
    for pattern, replacement in _CLI_TO_HTTP:
        text = pattern.sub(replacement, text)
    return text


class ChineseHTTPError(StarletteHTTPException):
    """An HTTP error raised where FastAPI only lets HTTPException through (body parsing)."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(status_code=status_code, detail=message)
        self.code = code
        self.message = message


def _field_name(loc: tuple | list) -> tuple[str, str]:
    where = _LOCATION_ZH.get(str(loc[0]), str(loc[0])) if loc else "请求"
    name = ".".join(str(part) for part in loc[1:]) if len(loc) > 1 else ""
    return where, name


def _ctx_value(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    # FastAPI hands some ctx values over as their repr: datetime.date(2000, 1, 1)
    return re.sub(
        r"datetime\.date\((\d+), (\d+), (\d+)\)",
        lambda m: dt.date(*map(int, m.groups())).isoformat(),
        str(value),
    )


def describe_validation_error(error: dict) -> str:
    """One pydantic error as a Chinese line: where, which field, what is wrong."""
    where, name = _field_name(error.get("loc", ()))
    template = _TYPE_ZH.get(error.get("type", ""))
    ctx = {k: _ctx_value(v) for k, v in (error.get("ctx") or {}).items()}
    if "expected" in ctx:  # "'a', 'b' or 'c'" → "a、b、c"
        ctx["expected"] = re.sub(r"'|\s*\bor\b\s*|,\s*", "、", ctx["expected"]).strip("、")
        ctx["expected"] = re.sub("、+", "、", ctx["expected"])
    if template is None:
        what = f"值无效（{error.get('msg', '')}）"
    else:
        try:
            what = template.format(**ctx)
        except (KeyError, IndexError):
            what = template
    if error.get("type") == "string_pattern_mismatch" and ctx.get("pattern") == NOT_BLANK:
        what = "不能为空"
    if error.get("type") == "value_error" and ctx.get("error"):
        what = ctx["error"].removeprefix("Value error, ")
    return f"{where}字段 {name}：{what}" if name else f"{where}：{what}"


def error_body(code: str, message: str, details: list[str] | None = None) -> dict:
    """The one error shape."""
    return {"error": code, "message": message, "details": list(details or [])}


async def _hotline_error(_request: Request, exc: HotlineError) -> JSONResponse:
    # RFC 9110: a 401 names the scheme the client should use
    headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
    return JSONResponse(
        error_body(exc.code, for_http(exc.message), [for_http(d) for d in exc.details]),
        status_code=exc.http_status,
        headers=headers,
    )


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return JSONResponse(
            error_body(
                "bad_json",
                "请求体不是有效的 JSON，请检查引号、逗号和括号是否配对。",
                [str(e.get("ctx", {}).get("error", "")) for e in errors if e.get("ctx")],
            ),
            status_code=400,
        )
    details = [describe_validation_error(e) for e in errors]
    fields = "、".join(dict.fromkeys(_field_name(e.get("loc", ()))[1] or "请求体" for e in errors))
    return JSONResponse(
        error_body("invalid_input", f"请求参数有误，请检查：{fields}。", details),
        status_code=422,
    )


def _allowed_methods(request: Request) -> str:
    """Every method served at this path (Starlette names only the first route's).

    A literal path wins over a templated one, as in routing and OpenAPI: ``/api/orders/import``
    is the import route, not ``/api/orders/{order_no}`` with ``order_no = "import"``.
    """
    literal: set[str] = set()
    templated: set[str] = set()

    def walk(routes: list) -> None:
        for route in routes:
            inner = getattr(route, "original_router", None)  # FastAPI's included routers
            if inner is not None:
                walk(inner.routes)
                continue
            if not getattr(route, "methods", None):
                continue
            match, _ = route.matches(request.scope)  # PARTIAL: the path matches, not the method
            if match is not Match.NONE:
                target = templated if "{" in getattr(route, "path", "") else literal
                target.update(route.methods)

    walk(request.app.router.routes)
    return ", ".join(sorted((literal or templated) - {"HEAD"}))


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if isinstance(exc, ChineseHTTPError):
        code, message = exc.code, exc.message
    else:
        code, message = _HTTP_ZH.get(exc.status_code, ("http_error", "请求无法处理。"))
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=headers)


def _masked(text: str) -> str:
    try:
        from assistant.privacy import mask_for_storage
    except ImportError:  # without the privacy layer, log no free text at all
        return "（未记录）"
    return mask_for_storage(text)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The message of an unexpected error may quote citizen text: log where it happened (file,
    # line, function — no source lines, no local values) and the message masked.
    frames = "\n".join(
        f"  {f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(exc.__traceback__)
    )
    log.error(
        "unhandled %s on %s %s: %s\n%s",
        type(exc).__name__,
        request.method,
        request.url.path,
        _masked(str(exc)),
        frames,
    )
    return JSONResponse(
        error_body("internal", "服务器内部错误，操作未完成；请稍后重试，若持续出现请联系管理员。"),
        status_code=500,
    )


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(HotlineError, _hotline_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
