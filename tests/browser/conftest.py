"""Browser tests: the real app served by uvicorn on loopback, driven by Debian's Chromium.

Chromium is the system package (/usr/bin/chromium; never ``playwright install``), started
headless with a fresh profile and no background networking. Without it the tests are
skipped — unless HOTLINE_REQUIRE_BROWSER=1 (CI sets it), when they fail loudly.

Set HOTLINE_SCREENSHOTS=DIR to save a PNG of each screen the tests reach (docs/ has them).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",
]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("HOTLINE_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"{CHROMIUM} is missing but HOTLINE_REQUIRE_BROWSER=1: install it with "
            "`apt-get install -y chromium` (the browser tests must run in CI)",
            pytrace=False,
        )
    pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    """The app listening on loopback, with a token per sample user."""

    url: str
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def live_server(desk_home: Path) -> Iterator[LiveServer]:
    """``hotline serve``'s app in a thread on a free loopback port."""
    import uvicorn

    from api.app import create_app
    from kb.db import get_database
    from tests.api_support import issue_tokens

    _require_chromium()
    tokens = issue_tokens(get_database())
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning", workers=1)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120  # start-up loads the model and builds the index
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the API server did not start")
        time.sleep(0.1)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", tokens)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory):
    """Headless Chromium with a fresh user-data-dir."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            locale="zh-CN",
            viewport={"width": 1400, "height": 900},
        )
        context.set_default_timeout(20_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context):
    """A fresh tab; each test logs in as its user (the token replaces the previous one)."""
    tab = browser_context.new_page()
    yield tab
    tab.close()


def login(page, server: LiveServer, user: str, lands_on: str) -> None:
    """Paste ``user``'s token on the login page; waits for the page of their role."""
    page.goto(server.url + "/")
    page.fill("#token", server.tokens[user])
    page.click("#login-button")
    page.wait_for_url(server.url + lands_on)
    page.wait_for_selector("#who:not(:empty)")


def screenshot(page, name: str) -> None:
    """Save a PNG of the page when HOTLINE_SCREENSHOTS names a directory."""
    target = os.environ.get("HOTLINE_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)
