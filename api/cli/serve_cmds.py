"""`hotline serve`, `hotline token …`, `hotline coverage`."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from api.cli.context import ActorOpt, database, unit_of_work
from api.cli.output import JsonOpt, console, emit, table, warn
from kb.errors import InvalidInput, PermissionDenied
from kb.tokens import create_token, list_tokens, revoke_token, token_dict

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI

token_app = typer.Typer(help="API 访问令牌：签发、查看、吊销", no_args_is_help=True)


def serve(
    host: str = typer.Option("127.0.0.1", help="监听地址（对外提供服务时请放在反向代理之后）"),
    port: int = typer.Option(8000, min=0, max=65535, help="端口"),
    log_level: str = typer.Option("info", help="日志级别：debug / info / warning"),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="worker 进程数；大于 1 时须使用 Qdrant 服务端"
    ),
) -> None:
    """启动 HTTP 服务与网页（默认单进程：内嵌向量索引只能由一个进程打开）。"""
    import uvicorn

    from kb.settings import get_settings

    settings = get_settings()
    if workers > 1 and (not settings.qdrant_url or settings.qdrant_url == ":memory:"):
        # Qdrant Edge is single-owner and ":memory:" is private to each process: with several
        # workers only the first would get the index, or each would search its own copy
        raise InvalidInput(
            f"不能以 {workers} 个 worker 启动：内嵌的 Qdrant Edge 向量索引只能由一个进程打开。"
            "多个 worker 需要 Qdrant 服务端：请设置 HOTLINE_QDRANT_URL（如 http://127.0.0.1:6333），"
            "最好同时用 HOTLINE_DATABASE_URL 指向 PostgreSQL；否则请去掉 --workers。"
        )
    database()  # a clear error now, not on the first request, if `hotline init` was never run
    if workers > 1:
        from assistant.index.store import index_exists

        if not index_exists(settings):  # also a clear error now if the Qdrant server is down
            # each worker builds a missing index at start-up: N workers would race to create
            # the same collection, so it is built once, before they start
            raise InvalidInput(
                f"Qdrant 服务端（{settings.qdrant_url}）上还没有检索索引：请先运行一次 "
                "`hotline reindex` 建立索引，再以多个 worker 启动。"
            )
    console.print(
        "正在加载向量模型与检索索引……（首次启动要按知识库建立索引，可能需要一两分钟）"
        + (f"，共 {workers} 个 worker" if workers > 1 else "")
    )
    if workers > 1:
        console.print(f"服务地址：http://{host}:{port}/ ；每个 worker 加载完成后会显示“已就绪”。")
        uvicorn.run(
            "api.cli.serve_cmds:worker_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
        )
        return
    from api.app import create_app

    config = uvicorn.Config(create_app(), host=host, port=port, workers=1, log_level=log_level)
    _announcing_server(config).run()


def _announcing_server(config: uvicorn.Config) -> uvicorn.Server:
    """uvicorn's server, saying where it listens once it really accepts requests.

    Start-up loads the model and opens (or first builds) the index, which takes a while;
    the address is printed only after uvicorn's startup is complete (app loaded, socket
    bound), so nobody is shown a URL that still answers "connection refused".
    """
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                console.print(_ready_message(self))

    return Server(config)


def _ready_message(server: uvicorn.Server) -> str:
    host, port = server.config.host, server.config.port
    for listener in getattr(server, "servers", []):
        for sock in listener.sockets:
            host, port = sock.getsockname()[:2]  # the real port, also when asked for port 0
            break
    return f"Hotline Desk 已就绪：http://{host}:{port}/ （接口文档 /docs）；按 Ctrl+C 停止。"


def worker_app() -> FastAPI:
    """The app of one worker process: uvicorn's factory for ``hotline serve --workers N``."""
    from api.app import create_app

    return create_app(on_ready=lambda _state: console.print(f"worker {os.getpid()} 已就绪。"))


def _require_admin(actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied("只有管理员可以签发、查看或吊销访问令牌。")


@token_app.command("create")
def token_create(
    user: str = typer.Option(..., "--user", help="令牌代表的用户（其角色与所属单位即令牌权限）"),
    expires: int = typer.Option(90, "--expires", min=0, help="有效天数；0 表示长期有效"),
    label: str = typer.Option("", help="备注，如 用在哪台坐席电脑"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """签发令牌（只显示这一次，库中只存其哈希）。"""
    with unit_of_work(as_user) as (session, actor):
        _require_admin(actor)
        token, raw = create_token(
            session, actor.name, user, expires_days=expires or None, label=label
        )
        data = {**token_dict(token), "token": raw}

    def render() -> None:
        console.print(
            f"[green]已为 {data['user']}（{data['role']}"
            f"{'，' + data['unit'] if data['unit'] else ''}）签发令牌 {data['id']}[/green]，"
            f"有效期至 {str(data['expires_at'])[:10] if data['expires_at'] else '长期'}："
        )
        console.print(raw, markup=False)
        warn("令牌只显示这一次，请立即交给使用者妥善保存；遗失请吊销后重新签发。")

    emit(data, as_json, render)


@token_app.command("list")
def token_list(
    user: str | None = typer.Option(None, "--user", help="只看某用户"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """列出令牌（不含令牌本身）。"""
    with unit_of_work(as_user) as (session, actor):
        _require_admin(actor)
        rows = [token_dict(t) for t in list_tokens(session, user)]
    emit(
        rows,
        as_json,
        lambda: console.print(
            table(
                f"访问令牌（{len(rows)}）",
                ["编号", "用户", "角色", "单位", "开头", "状态", "有效期至", "签发", "备注"],
                (
                    [
                        r["id"],
                        r["user"],
                        r["role"],
                        r["unit"],
                        r["hint"],
                        r["state_zh"],
                        str(r["expires_at"])[:10] if r["expires_at"] else "长期",
                        f"{r['created_by']} {str(r['created_at'])[:10]}",
                        r["label"],
                    ]
                    for r in rows
                ),
            )
        ),
    )


@token_app.command("revoke")
def token_revoke(
    token_id: int = typer.Argument(..., help="令牌编号（见 token list）"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """吊销令牌：下一次请求起即失效。"""
    with unit_of_work(as_user) as (session, actor):
        _require_admin(actor)
        data = token_dict(revoke_token(session, actor.name, token_id))
    emit(data, as_json, lambda: console.print(f"[green]令牌 {token_id} 已吊销[/green]"))


def coverage(
    file: Path | None = typer.Argument(
        None, help="话务记录 CSV/XLSX（历史来电问题或工单）；不给则用已记录的知识库缺口"
    ),
    html: Path | None = typer.Option(None, "--html", help="另存为独立的 HTML 报告（含图表）"),
    as_json: bool = JsonOpt,
) -> None:
    """知识库覆盖率、未覆盖问题归类、各单位录入及时率与巡检完成率、知识库健康分。"""
    from eval.coverage import coverage_from_file, coverage_from_gaps
    from eval.health import health_report
    from eval.report import render_document, render_text

    db = database()
    result = coverage_from_file(db, file) if file is not None else coverage_from_gaps(db)
    health = health_report(db, coverage=result)
    if html is not None:
        html.write_text(render_document(result, health), encoding="utf-8")
    data = {"coverage": result.to_dict(), "health": health.to_dict(), "html": html}

    def render() -> None:
        console.print(render_text(result, health), markup=False)
        if html is not None:
            console.print(f"[green]HTML 报告已写入[/green] {html}")

    emit(data, as_json, render)


def register(app: typer.Typer) -> None:
    """Attach these commands to the main app."""
    app.command("serve")(serve)
    app.command("coverage")(coverage)
    app.add_typer(token_app, name="token")
