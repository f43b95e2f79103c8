"""The FastAPI application: ``create_app(settings)``.

One process per index: the embedded Qdrant Edge index is opened once in the lifespan and
lives in this process, so ``hotline serve`` runs one worker on it; several workers
(``--workers N``) need the Qdrant server backend (HOTLINE_QDRANT_URL).
Routes are plain ``def`` functions, so FastAPI runs them in its thread pool and a slow
request never blocks the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api import error_handlers
from api.assistant_runtime import load_assistant
from api.query_params import reject_unknown_query
from api.routes import (
    admin,
    desk,
    directory,
    entries,
    ingest,
    orders,
    pages,
    quality,
    review_queue,
    upkeep,
)
from api.state import AppState
from api.uploads import BodyLimitMiddleware
from kb.db import get_database
from kb.settings import Settings, get_settings

WEB_DIR = Path(__file__).resolve().parent / "web"

log = logging.getLogger("hotline.api")

DESCRIPTION = """
12345 政务服务便民热线知识库与坐席辅助系统的 HTTP 接口。

* 认证：`Authorization: Bearer <令牌>`，令牌由管理员用 `hotline token create --user 用户名` 签发，
  代表该用户的角色（admin / maintainer / reviewer / operator / qa）与所属单位。
* 错误：统一为 `{"error": 代码, "message": 中文说明, "details": [...]}`。
* 网页：`/` 登录，`/desk` 坐席工作台，`/kb` 知识库维护，`/qa` 质检看板。
"""


def create_app(
    settings: Settings | None = None,
    *,
    assistant_parts: tuple[str, ...] | None = None,
    on_ready: Callable[[AppState], None] | None = None,
) -> FastAPI:
    """A ready-to-serve app on ``settings`` (default: the process settings).

    ``assistant_parts`` limits which assistant parts are loaded (default: all; ``()`` serves
    the KB endpoints only and the assistant endpoints answer 503 — the KB API tests use it
    so they do not load the embedding model). ``on_ready`` is called once everything is
    loaded, before the first request is served.
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = get_database(settings)  # refuses a missing or outdated KB with a clear message
        state = AppState(settings=settings, db=db)
        state.assistant = load_assistant(settings, db, assistant_parts)
        app.state.hotline = state
        log.info(
            "hotline api ready; assistant parts: %s; missing: %s",
            ",".join(state.assistant.parts) or "none",
            ",".join(state.assistant.missing) or "none",
        )
        if on_ready is not None:
            on_ready(state)
        try:
            yield
        finally:
            state.assistant.close()

    app = FastAPI(
        title="Hotline Desk API",
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served below from local files: FastAPI's default loads a CDN
        redoc_url=None,
    )
    error_handlers.install(app)
    app.add_middleware(BodyLimitMiddleware, limit_mb=settings.max_upload_mb)
    for router in (
        directory.router,
        desk.router,
        entries.router,
        review_queue.router,
        ingest.router,
        orders.router,
        upkeep.intake_router,
        upkeep.sweep_router,
        quality.router,
        admin.router,
    ):
        app.include_router(router, dependencies=[Depends(reject_unknown_query)])
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    _offline_docs(app)
    return app


def _offline_docs(app: FastAPI) -> None:
    """Swagger UI at /docs from files shipped in a Python package (no CDN: works offline)."""
    import fastapi_offline
    from fastapi.openapi.docs import get_swagger_ui_html

    assets = Path(fastapi_offline.__file__).resolve().parent / "static"
    app.mount("/docs-static", StaticFiles(directory=assets), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Hotline Desk API · 接口文档",
            swagger_js_url="/docs-static/swagger-ui-bundle.js",
            swagger_css_url="/docs-static/swagger-ui.css",
            swagger_favicon_url="/docs-static/favicon.png",
        )
