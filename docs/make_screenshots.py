"""Regenerate the screenshots in docs/ from the sample corpus (headless Debian Chromium).

    .venv/bin/python docs/make_screenshots.py

Builds a throw-away KB (``hotline init --sample``, ``hotline ingest data/policies --publish``),
puts a little real-looking work in it (an edit waiting for review, new policies on the
intake clock, a sweep confirmation), serves the app on loopback and photographs the three
screens as the sample users see them. The first run embeds the sample corpus (about a
minute on 2 cores).

The pages are Chinese: without a CJK font Chromium draws empty boxes, so the script refuses
to run until fontconfig knows one (Debian: ``apt-get install -y fonts-noto-cjk``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT))

ARGS = [
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


def require_chinese_font() -> None:
    """Stop with a clear message when no font for Chinese is installed."""
    if shutil.which("fc-list") is None:
        sys.exit(
            "找不到 fc-list（fontconfig）：无法确认是否装有中文字体。请安装 fontconfig 与 fonts-noto-cjk。"
        )
    found = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if not found:
        sys.exit(
            "没有可用的中文字体，截图里的汉字会显示成空白方框。"
            "请先安装（Debian/Ubuntu：apt-get install -y fonts-noto-cjk），再运行本脚本。"
        )


def prepare(home: Path) -> dict[str, str]:
    """The sample KB with some work in progress; returns a token per user photographed."""
    os.environ["HOTLINE_HOME"] = str(home)
    from api.cli.main import main
    from kb import intake, sweep
    from kb.actors import Actor
    from kb.clock import today
    from kb.content import VersionContent
    from kb.db import get_database
    from kb.entries import EntryFilter, edit_entry, get_version, list_entries
    from kb.lifecycle import submit
    from kb.tokens import create_token

    assert main(["init", "--sample"]) == 0
    assert main(["ingest", str(ROOT / "data" / "policies"), "--publish"]) == 0
    db = get_database()
    day = today()
    # the sample KB was "published" a quarter ago, so this quarter's sweep has work to do
    from sqlalchemy import update

    from kb.models import Entry, EntryVersion

    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=120)
    with db.session() as s:
        s.execute(
            update(EntryVersion)
            .where(EntryVersion.published_at.is_not(None))
            .values(published_at=long_ago)
        )
        s.execute(
            update(Entry).where(Entry.published_at.is_not(None)).values(published_at=long_ago)
        )
    with db.session() as s:
        editor = Actor.load(s, "yb_editor")
        [entry] = list_entries(s, EntryFilter(text="城乡居民医保参保缴费", status="published"))
        latest = get_version(s, entry.id)
        content = VersionContent.of_version(latest).with_changes(
            body=latest.body.replace("2026", "2027", 1)
            + "\n2027年度个人缴费标准以医保部门公告为准。（示例口径）"
        )
        version = edit_entry(s, editor, entry.id, content, "2027年度缴费时间调整")
        submit(s, editor, entry.id, version.version_no)
        intake.register(
            s,
            editor,
            title="示例市医疗保障局关于调整门诊慢特病病种的通知",
            doc_no="示医保发〔2026〕11号",
            published_on=day - dt.timedelta(days=1),
            owner_unit="SL-YB",
        )
        intake.register(
            s,
            editor,
            title="示例市长期护理保险试点实施细则",
            doc_no="示医保发〔2026〕9号",
            published_on=day - dt.timedelta(days=12),
            owner_unit="SL-YB",
        )
        others = list_entries(s, EntryFilter(unit="SL-YB", status="published"))
        for other in others:
            if other.id != entry.id:
                sweep.confirm(s, editor, other.id, day, "本季度核对无误")
                break
    with db.session() as s:
        return {
            user: create_token(s, "admin", user, expires_days=1, label="screenshots")[1]
            for user in ("op01", "yb_editor", "yb_reviewer", "rs_reviewer", "qa01")
        }


def call_log(path: Path) -> Path:
    """A call log of 60 questions from the retrieval dev set (both answerable and not)."""
    rows = [
        json.loads(line)
        for line in (ROOT / "eval/datasets/retrieval_dev.jsonl").open(encoding="utf-8")
    ]
    rng = random.Random(7)
    picked = rng.sample([r for r in rows if r["answerable"]], 45) + rng.sample(
        [r for r in rows if not r["answerable"]], 15
    )
    rng.shuffle(picked)
    lines = ["来电内容"] + [r["q"].replace(",", "，").replace("\n", " ") for r in picked]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def serve(port: int = 0) -> str:
    """The app on loopback (``port`` 0: a free one), one worker as `hotline serve`."""
    import uvicorn

    from api.app import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.2)
    return f"http://127.0.0.1:{port}"


def login(page, url: str, token: str, lands_on: str) -> None:
    """Paste the token on the login page."""
    page.goto(url + "/")
    page.fill("#token", token)
    page.click("#login-button")
    page.wait_for_url(url + lands_on)
    page.wait_for_selector("#who:not(:empty)")


def shoot(url: str, tokens: dict[str, str], log: Path) -> None:
    """Photograph the screens."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path="/usr/bin/chromium",
            headless=True,
            args=ARGS,
            locale="zh-CN",
            viewport={"width": 1440, "height": 900},
        )
        context.set_default_timeout(60_000)
        page = context.new_page()
        login(page, url, tokens["op01"], "/desk")
        page.click("#conversation")
        page.keyboard.type(
            "坐席：您好，12345政务服务便民热线。\n市民：你好，我老婆上礼拜生了孩子，户口要去哪里报，要带什么东西？"
            "我叫李建国，电话13987654321，住东湖区湖滨街道翠湖小区5栋。",
            delay=5,
        )
        page.locator("#answers li").first.wait_for()
        page.wait_for_timeout(800)
        page.screenshot(path=str(DOCS / "desk.png"), full_page=True)
        page.keyboard.press("Alt+N")
        page.click("#conversation")
        page.keyboard.type(
            "市民：喂，12345吗？我们楼下着火了，好大的烟，我在西山区，你们快点！", delay=5
        )
        page.locator('.alarm[data-target="119"]').wait_for()
        page.locator("#dispatch .transfer-note").wait_for()  # 已转 119，无需派单
        page.wait_for_timeout(3500)  # let the attention pulse finish
        page.screenshot(path=str(DOCS / "desk-alarm.png"))

        login(page, url, tokens["yb_reviewer"], "/kb")
        page.click('[data-tab="queue"]')
        page.locator("#queue-review tr", has_text="城乡居民医保参保缴费").locator("a").click()
        page.locator("#versions tr", has_text="2027年度缴费时间调整").wait_for()
        page.click("#diff-button")
        page.locator("#diff h3").wait_for()
        page.screenshot(path=str(DOCS / "kb.png"), full_page=True)
        page.click('[data-tab="intake"]')
        page.locator("#intake tbody tr").first.wait_for()
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(DOCS / "kb-intake.png"))

        login(page, url, tokens["yb_editor"], "/kb")
        page.click('[data-tab="sweep"]')
        # the entry edited above: listed as unswept until its new version is published
        pending = page.locator("#sweep tbody tr[data-sweep]", has_text="修改待审核")
        pending.wait_for()
        pending.locator("a").click()
        page.locator("#detail-title").wait_for()
        page.wait_for_timeout(300)
        page.screenshot(path=str(DOCS / "kb-sweep.png"), full_page=True)

        login(page, url, tokens["qa01"], "/qa")
        page.locator("#health-report svg").first.wait_for()
        page.set_input_files("#call-log", str(log))
        page.click("#coverage-upload")
        page.locator("#coverage-status", has_text="已分析").wait_for()
        page.wait_for_timeout(500)
        page.screenshot(path=str(DOCS / "qa.png"), full_page=True)
        context.close()


def main() -> None:
    """Build, serve, photograph (``--port N`` to serve on a given loopback port)."""
    port = int(sys.argv[sys.argv.index("--port") + 1]) if "--port" in sys.argv else 0
    require_chinese_font()
    with tempfile.TemporaryDirectory(prefix="hotline-shots-") as tmp:
        tokens = prepare(Path(tmp) / "home")
        url = serve(port)
        shoot(url, tokens, call_log(Path(tmp) / "来电记录.csv"))
    for name in ("desk", "desk-alarm", "kb", "kb-intake", "kb-sweep", "qa"):
        print(DOCS / f"{name}.png")


if __name__ == "__main__":
    main()
