"""Request size limits and saving uploaded files.

The limit is ``settings.max_upload_mb``. A body that announces a larger Content-Length is
refused before a byte of it is read; a chunked body is counted as it arrives and refused
as soon as it passes the limit. Either way the answer is 413 and nothing is written.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath

from fastapi import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.error_handlers import ChineseHTTPError
from kb.errors import InvalidInput, PayloadTooLarge


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


@contextmanager
def saved_upload(upload: UploadFile, limit_mb: float) -> Iterator[Path]:
    """The upload written to a private temporary file (removed afterwards), under its name.

    Parsers in ingest/ work on paths and keep the client's file name in their reports, so
    the file keeps its (sanitised) name inside a fresh temporary directory.
    """
    name = safe_filename(upload.filename)
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
        yield path
