"""`hotline serve`: one worker on the embedded index, the address shown only once it answers."""

from __future__ import annotations

import threading
import urllib.request

import pytest


@pytest.mark.parametrize("qdrant_url", [None, ":memory:"])
def test_several_workers_need_the_qdrant_server(sample_db, cli, monkeypatch, qdrant_url) -> None:
    from kb.settings import get_settings

    if qdrant_url:
        monkeypatch.setenv("HOTLINE_QDRANT_URL", qdrant_url)
    else:
        monkeypatch.delenv("HOTLINE_QDRANT_URL", raising=False)
    get_settings.cache_clear()
    result = cli("serve", "--workers", "2", "--port", "0")
    assert result.code == 1
    assert "不能以 2 个 worker 启动：内嵌的 Qdrant Edge 向量索引只能由一个进程打开" in result.err
    assert "HOTLINE_QDRANT_URL" in result.err
    assert "已就绪" not in result.out


def test_the_address_is_printed_when_the_server_accepts_requests(capsys) -> None:
    import uvicorn

    from api.cli.serve_cmds import _announcing_server

    loaded = threading.Event()

    async def app(scope, receive, send) -> None:  # a tiny ASGI app whose start-up we control
        if scope["type"] == "lifespan":
            await receive()
            loaded.wait(timeout=30)  # "loading the model" until the test says so
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    server = _announcing_server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        assert "已就绪" not in capsys.readouterr().out  # still loading: no address yet
        loaded.set()
        line = ""
        for _ in range(600):  # until the message is out (or the server died)
            line += capsys.readouterr().out
            if "已就绪" in line or not thread.is_alive():
                break
            thread.join(timeout=0.05)
        assert server.started
        assert line.startswith("Hotline Desk 已就绪：http://127.0.0.1:"), line
        url = line.split("：", 1)[1].split(" ")[0]
        with urllib.request.urlopen(url, timeout=10) as resp:  # the printed address answers
            assert resp.read() == b"ok"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
