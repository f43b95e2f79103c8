"""Load test: simulated operators sending ``/api/assist`` calls the way the desk page does.

Each operator works through calls from eval/datasets/fill_dev.jsonl. A call's text arrives
a piece at a time (8–30 characters: typing, or an ASR stream), and after every piece the
page's debounce fires an assist call — so one request every 1–3 s per operator with jitter,
the text growing as the call proceeds. The last request of a call is ``final`` (it writes
the masked question to the ask log), then the operator wraps up for 2–5 s and takes the next
call. Latency is measured from request sent to response read, on loopback.

    python -m eval.load                        # starts `hotline serve` on a free port itself
    python -m eval.load --url http://127.0.0.1:8000 --token hd_…   # an already running server

Without ``--url`` the server is started on HOTLINE_HOME (which must hold an initialised KB;
`hotline init --sample && hotline ingest data/policies --publish` gives the sample one), an
operator token is issued for the run and revoked afterwards.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import random
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import typer

from kb.settings import PROJECT_ROOT

CALLS_FILE = PROJECT_ROOT / "eval" / "datasets" / "fill_dev.jsonl"
FALLBACK_CALLS = [
    "市民：你好，我家孩子刚出生，怎么给他上户口？我住东湖区湖滨街道。",
    "市民：我想问一下租房能不能提取公积金，需要带什么材料？",
    "市民：我们小区门口的路灯坏了好几天了，晚上黑乎乎的，麻烦派人修一下。",
]


@dataclass
class Sample:
    """One assist request."""

    started: float
    seconds: float
    status: int
    final: bool
    chars: int
    server_ms: float | None = None
    parts_ms: dict[str, float] = field(default_factory=dict)


@dataclass
class LoadResult:
    """Everything measured in one run."""

    operators: int
    duration_s: float
    samples: list[Sample] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    error_examples: dict[str, str] = field(default_factory=dict)

    def _latencies(self) -> list[float]:
        return sorted(s.seconds * 1000 for s in self.samples if s.status == 200)

    def _parts(self) -> dict[str, dict[str, float | None]]:
        names = sorted({name for s in self.samples for name in s.parts_ms})
        out = {}
        for name in names:
            values = sorted(s.parts_ms[name] for s in self.samples if name in s.parts_ms)
            out[name] = {"p50": percentile(values, 50), "p95": percentile(values, 95)}
        return out

    def summary(self) -> dict:
        """Throughput, latency percentiles and error counts."""
        ok = self._latencies()
        server = sorted(s.server_ms for s in self.samples if s.server_ms is not None)
        calls = sum(1 for s in self.samples if s.final and s.status == 200)
        return {
            "operators": self.operators,
            "duration_s": round(self.duration_s, 1),
            "requests": len(self.samples),
            "ok": len(ok),
            "errors": dict(self.errors),
            "error_examples": dict(self.error_examples),
            "calls_completed": calls,
            "throughput_rps": round(len(self.samples) / self.duration_s, 2)
            if self.duration_s
            else 0,
            "latency_ms": {
                "p50": percentile(ok, 50),
                "p95": percentile(ok, 95),
                "p99": percentile(ok, 99),
                "max": round(ok[-1], 1) if ok else None,
                "mean": round(sum(ok) / len(ok), 1) if ok else None,
            },
            "server_took_ms": {"p50": percentile(server, 50), "p95": percentile(server, 95)},
            "server_parts_ms": self._parts(),
            "mean_text_chars": round(sum(s.chars for s in self.samples) / len(self.samples))
            if self.samples
            else 0,
        }


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of sorted ``values``."""
    if not values:
        return None
    rank = max(1, -(-len(values) * p // 100))  # ceil without floats
    return round(values[int(rank) - 1], 1)


def load_calls(path: Path = CALLS_FILE) -> list[str]:
    """Call texts to replay (the fill eval set), or a few built-in ones."""
    if not path.exists():
        return list(FALLBACK_CALLS)
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            texts.append(json.loads(line)["text"])
    return texts or list(FALLBACK_CALLS)


def pieces(text: str, rng: random.Random) -> list[str]:
    """The text as it grows during the call: prefixes ending 8–30 characters apart."""
    out, end = [], 0
    while end < len(text):
        end = min(len(text), end + rng.randint(8, 30))
        out.append(text[:end])
    return out


async def operator(
    client: httpx.AsyncClient,
    calls: list[str],
    rng: random.Random,
    stop_at: float,
    result: LoadResult,
    region: str,
) -> None:
    """One simulated operator taking calls until ``stop_at``."""
    while time.monotonic() < stop_at:
        text = rng.choice(calls)
        steps = pieces(text, rng)
        for i, partial in enumerate(steps):
            await asyncio.sleep(rng.uniform(1.0, 3.0))  # typing, then the 300 ms debounce
            if time.monotonic() >= stop_at:
                return
            final = i == len(steps) - 1
            started = time.monotonic()
            try:
                resp = await client.post(
                    "/api/assist", json={"text": partial, "region": region, "final": final}
                )
                seconds = time.monotonic() - started
                took, parts = None, {}
                if resp.status_code == 200:
                    parts = resp.json().get("took_ms", {})
                    took = parts.pop("total", None)
                else:
                    key = f"HTTP {resp.status_code}"
                    result.errors[key] = result.errors.get(key, 0) + 1
                    result.error_examples.setdefault(key, resp.text[:300])
                result.samples.append(
                    Sample(started, seconds, resp.status_code, final, len(partial), took, parts)
                )
            except httpx.HTTPError as exc:
                key = type(exc).__name__
                result.errors[key] = result.errors.get(key, 0) + 1
                result.samples.append(
                    Sample(started, time.monotonic() - started, 0, final, len(partial))
                )
        await asyncio.sleep(rng.uniform(2.0, 5.0))  # wrap-up before the next call


async def run_load(
    url: str, token: str, *, operators: int, duration: float, seed: int, region: str
) -> LoadResult:
    """Run ``operators`` concurrent operators against ``url`` for ``duration`` seconds."""
    calls = load_calls()
    result = LoadResult(operators, duration)
    limits = httpx.Limits(max_connections=operators, max_keepalive_connections=operators)
    async with httpx.AsyncClient(
        base_url=url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30.0,
        limits=limits,
    ) as client:
        # every operator starts at a different moment of their first call
        stop_at = time.monotonic() + duration
        started = time.monotonic()
        await asyncio.gather(
            *(
                operator(client, calls, random.Random(seed * 1000 + i), stop_at, result, region)
                for i in range(operators)
            )
        )
        result.duration_s = time.monotonic() - started
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def spawned_server(startup_timeout: float = 300.0):
    """`hotline serve` on a free loopback port with a fresh operator token (revoked after)."""
    from kb.db import get_database
    from kb.tokens import create_token, revoke_token

    db = get_database()
    with db.session() as session:
        token_row, token = create_token(session, "admin", "op01", expires_days=1, label="load test")
        token_id = token_row.id
    port = _free_port()
    launcher = "from api.cli.main import main; raise SystemExit(main())"
    cmd = [sys.executable, "-c", launcher, "serve", "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=os.environ.copy(), stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError("hotline serve exited during start-up")
            try:
                if (
                    httpx.get(
                        url + "/api/me", headers={"Authorization": f"Bearer {token}"}
                    ).status_code
                    == 200
                ):
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("hotline serve did not start in time")
            time.sleep(0.5)
        yield url, token
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        with db.session() as session:
            revoke_token(session, "admin", token_id)


def machine() -> str:
    """A one-line description of where the figures were measured."""
    return f"{platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}"


def render(summary: dict) -> str:
    """The figures for a person."""
    lat = summary["latency_ms"]
    server = summary["server_took_ms"]
    return "\n".join(
        [
            f"{summary['operators']} 名模拟话务员，{summary['duration_s']} 秒：请求 {summary['requests']} 次"
            f"（成功 {summary['ok']}，完成通话 {summary['calls_completed']} 通），吞吐 {summary['throughput_rps']} 次/秒",
            f"延迟（毫秒）：p50 {lat['p50']}，p95 {lat['p95']}，p99 {lat['p99']}，最大 {lat['max']}，平均 {lat['mean']}",
            f"服务端处理（毫秒）：p50 {server['p50']}，p95 {server['p95']}；平均文本长度 {summary['mean_text_chars']} 字",
            "其中："
            + "；".join(
                f"{name} p50 {v['p50']} / p95 {v['p95']}"
                for name, v in summary["server_parts_ms"].items()
            ),
            f"错误：{summary['errors'] or '无'}",
            f"机器：{machine()}",
        ]
    )


def main(
    url: str | None = typer.Option(None, help="已运行的服务地址；不给则自动启动 hotline serve"),
    token: str | None = typer.Option(None, help="话务员令牌（与 --url 一起用）"),
    operators: int = typer.Option(20, min=1, max=500, help="模拟话务员人数"),
    duration: float = typer.Option(60.0, min=1, help="持续秒数"),
    seed: int = typer.Option(7, help="随机种子"),
    region: str = typer.Option("示例市", help="地区"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """坐席辅助接口压力测试：模拟多名话务员边听边输入、每 1–3 秒触发一次分析。"""
    if url is not None and not token:
        raise typer.BadParameter("给出 --url 时必须同时给出 --token。")

    def go(u: str, t: str) -> dict:
        result = asyncio.run(
            run_load(u, t, operators=operators, duration=duration, seed=seed, region=region)
        )
        return {**result.summary(), "machine": machine()}

    if url is not None:
        summary = go(url, token or "")
    else:
        with spawned_server() as (u, t):
            summary = go(u, t)
    print(json.dumps(summary, ensure_ascii=False, indent=2) if as_json else render(summary))


if __name__ == "__main__":
    typer.run(main)
