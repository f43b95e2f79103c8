"""`hotline bench` runs end to end (fast hashing embedder; figures are not asserted, the work
behind them is: a re-ingest of unchanged documents and a rebuild never reach the model)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eval.bench import BenchReport, IngestRow, LatencyRow, run_bench

pytest_plugins = ("tests.retrieval_fixtures",)


@pytest.fixture
def fast_bench(fast_models, hotline_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("assistant.answer.mask_question", lambda text: text)


def test_bench_runs_in_a_throwaway_home(fast_bench, hotline_home: Path) -> None:
    report = run_bench(scale=600, queries=12)
    assert os.environ["HOTLINE_HOME"] == str(hotline_home)  # restored
    assert not (hotline_home / "index").exists()  # the user's home was never touched
    first, again, rebuild = report.ingest
    assert first.entries == again.entries == rebuild.entries == 44
    assert first.embedded >= first.points >= first.entries  # every chunk through the model once
    assert (again.embedded, rebuild.embedded) == (0, 0)  # and never again
    sample, scaled = report.latency
    assert (sample.points, scaled.points) == (first.points, 600)
    assert sample.n == scaled.n == 12
    assert sample.p50 <= sample.p95 <= sample.max
    data = report.as_dict()
    assert set(data) >= {"machine", "latency", "ingest", "reingest_speedup", "load_before"}


def test_speedup_is_first_over_reingest() -> None:
    report = BenchReport(
        machine="m",
        ingest=[
            IngestRow("首次入库（空缓存，含建索引）", 1, 10, 10, 30.0),
            IngestRow("未变更重入（同一批文件）", 1, 10, 0, 0.5),
        ],
        latency=[LatencyRow("示例库", 10, 5, 1.0, 2.0, 3.0, 0.5, 0.8)],
    )
    assert report.reingest_speedup == 60.0
    assert report.as_dict()["ingest"][0]["rate"] == pytest.approx(0.3)
