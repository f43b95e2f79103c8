"""Request size limits and saving uploaded files.

The limit is ``settings.max_upload_mb``. A body that announces a larger Content-Length is
refused before a byte of it is read; a chunked body is counted as it arrives and refused
as soon as it passes the limit. Either way the answer is 413 and nothing is written.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath

from fastapi import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.error_handlers import ChineseHTTPError
from ingest.tables import TABLE_HINT
from kb.errors import HotlineError, InvalidInput, PayloadTooLarge


def mb_to_bytes(limit_mb: float) -> int:
    """The byte count of a limit given in MB."""
    return int(limit_mb * 1024 * 1024)


def _too_large_message(limit_mb: float) -> str:
    return f"上传内容超过大小上限 {limit_mb:g} MB（HOTLINE_MAX_UPLOAD_MB），请拆分后重试。"


class BodyLimitMiddleware:
    """Refuse request bodies larger than ``limit_mb`` with 413."""

    def __init__(self, app: ASGIApp, limit_mb: float) -> None:
        self.app = app
        self.limit_mb = limit_mb
        self.limit = mb_to_bytes(limit_mb)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _send_413(send, self.limit_mb)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # FastAPI turns other exceptions raised while parsing a body into 400
                    raise ChineseHTTPError(
                        413, PayloadTooLarge.code, _too_large_message(self.limit_mb)
                    )
            return message

        await self.app(scope, counting_receive, send)


async def _send_413(send: Send, limit_mb: float) -> None:
    body = json.dumps(
        {"error": PayloadTooLarge.code, "message": _too_large_message(limit_mb), "details": []},
        ensure_ascii=False,
    ).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def safe_filename(name: str | None, default: str = "upload") -> str:
    """The last path component of a client-supplied name, without anything dangerous."""
    base = PurePath((name or "").replace("\\", "/")).name.strip().lstrip(".")
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return cleaned[:200] or default


def check_suffix(name: str, allowed: tuple[str, ...], what: str) -> str:
    """The lower-case suffix of ``name`` if it is one of ``allowed``; else a Chinese 422."""
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        raise InvalidInput(
            f"不支持的文件类型“{suffix or '无扩展名'}”：{what}只接受 {'、'.join(allowed)} 文件。"
        )
    return suffix


# ingest's readers end a refusal with what they read ("请提供 txt、docx、pdf 或网页文件",
# "请提供 CSV、XLSX 或 JSONL 表格…"); an endpoint says what it takes instead (a call log …)
_READER_HINT = re.compile(r"，?请提供 (?:txt、docx、pdf 或网页文件|CSV、XLSX 或 JSONL 表格[^。]*)")
TABLE_SUFFIXES = (".csv", ".xlsx", ".jsonl")


@contextmanager
def saved_upload(
    upload: UploadFile, limit_mb: float, expected: str | None = None
) -> Iterator[Path]:
    """The upload written to a private temporary file (removed afterwards), under its name.

    Parsers in ingest/ work on paths and keep the file's name in their messages, so the file
    keeps its (sanitised) client name inside a fresh temporary directory. A refusal raised
    while the file is in use names the client's file, never the server path, and ends with
    ``expected`` — what this endpoint accepts (default: a table for table files).
    """
    name = safe_filename(upload.filename)
    if expected is None and Path(name).suffix.lower() in TABLE_SUFFIXES:
        expected = TABLE_HINT
    with tempfile.TemporaryDirectory(prefix="hotline-upload-") as tmp:
        path = Path(tmp) / name
        size = 0
        upload.file.seek(0)
        with path.open("wb") as out:
            while chunk := upload.file.read(1024 * 1024):
                size += len(chunk)
                if size > mb_to_bytes(limit_mb):
                    raise PayloadTooLarge(_too_large_message(limit_mb))
                out.write(chunk)
        if size == 0:
            raise InvalidInput(f"上传的文件“{name}”是空的。")
        try:
            yield path
        except HotlineError as exc:
            exc.message = _for_client(exc.message, path, name, expected)
            exc.details = [_for_client(d, path, name, expected) for d in exc.details]
            raise


def _for_client(text: str, path: Path, name: str, expected: str | None) -> str:
    text = text.replace(str(path), name).replace(str(path.parent), "")
    if expected:
        text = _READER_HINT.sub(f"，请上传 {expected}", text)
    return text
