"""Dispatch eval: top-1 / top-3 catalog accuracy, units, baselines, latency.

    hotline eval dispatch [--dataset eval/datasets/dispatch_dev.jsonl] [--json]

For each case the dispatcher gets the text and the place as the work order records it
(``district``/``street``, possibly null) and the date the set was labelled. Scores:

- top-1 / top-3: the expected catalog row is first / among the first three;
- lead / co units: the first suggestion's resolved 主办 unit equals the expected one; its
  协办 units equal the expected set;
- baselines on the same cases: words only (BM25) and embeddings only, and how many cases a
  naive "属地优先" rule (street office whenever one is known) would send to the wrong unit;
- latency: one ``suggest`` call, warm, p50 and p95.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import InvalidInput

DEFAULT_DATASET = Path(__file__).resolve().parent / "datasets" / "dispatch_dev.jsonl"
EVAL_DAY = dt.date(2026, 11, 22)
TOP1_TARGET = 0.85
TOP3_TARGET = 0.95


@dataclass
class Scores:
    """Top-1 and top-3 hits of one system."""

    top1: int = 0
    top3: int = 0


@dataclass
class DispatchReport:
    """Everything ``hotline eval dispatch`` prints."""

    dataset: str
    cases: int
    system: Scores
    words_only: Scores
    embeddings_only: Scores
    lead_right: int
    co_right: int
    street_naive_wrong: int
    street_known: int
    latency_p50_ms: float
    latency_p95_ms: float
    weights: dict[str, float]
    misses: list[str] = field(default_factory=list)

    def rate(self, hits: int) -> float:
        """``hits`` over the number of cases."""
        return hits / self.cases if self.cases else 0.0

    def to_dict(self) -> dict:
        """JSON form."""

        def pair(s: Scores) -> dict:
            return {"top1": round(self.rate(s.top1), 4), "top3": round(self.rate(s.top3), 4)}

        return {
            "dataset": self.dataset,
            "cases": self.cases,
            "system": pair(self.system),
            "targets": {"top1": TOP1_TARGET, "top3": TOP3_TARGET},
            "words_only": pair(self.words_only),
            "embeddings_only": pair(self.embeddings_only),
            "lead_unit_accuracy": round(self.rate(self.lead_right), 4),
            "co_units_accuracy": round(self.rate(self.co_right), 4),
            "naive_street_first": {
                "cases_with_street": self.street_known,
                "would_be_wrong": self.street_naive_wrong,
            },
            "latency_ms": {
                "p50": round(self.latency_p50_ms, 1),
                "p95": round(self.latency_p95_ms, 1),
            },
            "weights": self.weights,
            "misses": self.misses,
        }


def load_cases(path: Path) -> list[dict]:
    """Cases with text, place and the expected row and units."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InvalidInput(f"找不到评测集 {path}。") from None
    cases = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
            if not isinstance(case.get("text"), str) or "expected_catalog_id" not in case:
                raise KeyError("text")
        except (json.JSONDecodeError, KeyError, TypeError):
            raise InvalidInput(
                f"评测集 {path} 第 {number} 行格式错误（需要 text 与 expected_catalog_id）。"
            ) from None
        cases.append(case)
    return cases


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _score(ranked_ids: list[str], expected: str, into: Scores) -> None:
    into.top1 += bool(ranked_ids) and ranked_ids[0] == expected
    into.top3 += expected in ranked_ids[:3]


def run_dispatch_eval(dataset: Path = DEFAULT_DATASET, desk=None) -> DispatchReport:
    """Suggest for every case and score (see the module docstring)."""
    from assistant.call_desk import CallDesk
    from assistant.dispatch import matcher as weights

    cases = load_cases(dataset)
    desk = desk or CallDesk(use_llm=False)
    desk.dispatch("预热：社保卡丢了", on=EVAL_DAY)  # loads the model, embeds the catalog
    system, words, embeds = Scores(), Scores(), Scores()
    lead_right = co_right = naive_wrong = street_known = 0
    latencies, misses = [], []
    for case in cases:
        expected = case["expected_catalog_id"]
        started = time.perf_counter()
        result = desk.dispatch(case["text"], case.get("district"), case.get("street"), EVAL_DAY)
        latencies.append((time.perf_counter() - started) * 1000)
        ids = [s.catalog_id for s in result.suggestions]
        _score(ids, expected, system)
        if ids[:1] != [expected]:
            misses.append(f"{case.get('id')}: 应为 {expected}，得到 {'、'.join(ids)}")
        first = result.suggestions[0]
        lead_right += first.lead.code == case.get("expected_lead_unit")
        co_right += sorted(c.code for c in first.co if c.code) == sorted(
            case.get("expected_co_units") or []
        )
        matches = [
            m for m in desk.dispatcher.matcher.match(case["text"]) if m.row.valid_on(EVAL_DAY)
        ]
        _score([m.row.id for m in sorted(matches, key=lambda m: -m.lexical)], expected, words)
        _score([m.row.id for m in sorted(matches, key=lambda m: -m.semantic)], expected, embeds)
        if case.get("street"):
            street_known += 1
            office = desk.catalog.directory.street(case.get("district"), case["street"])
            unit = desk.catalog.directory.street_office(office) if office else None
            naive_wrong += unit is None or unit.code != case.get("expected_lead_unit")
    return DispatchReport(
        dataset=str(dataset),
        cases=len(cases),
        system=system,
        words_only=words,
        embeddings_only=embeds,
        lead_right=lead_right,
        co_right=co_right,
        street_naive_wrong=naive_wrong,
        street_known=street_known,
        latency_p50_ms=_percentile(latencies, 0.5),
        latency_p95_ms=_percentile(latencies, 0.95),
        weights={
            "lexical": weights.W_LEXICAL,
            "semantic": weights.W_SEMANTIC,
            "category": weights.W_CATEGORY,
        },
        misses=misses,
    )


def render_dispatch_report(report: DispatchReport, console) -> None:
    """Print the report for people (rich tables, Chinese)."""
    from rich.table import Table

    console.print(f"评测集 {report.dataset}：{report.cases} 个派单案例")
    scores = Table(title="派单准确率", header_style="bold")
    for column in ("方法", "前 1", "前 3"):
        scores.add_column(column)
    for label, s in (
        ("本系统（词 + 语义 + 分类 + 学习）", report.system),
        ("仅分词 BM25", report.words_only),
        ("仅语义向量", report.embeddings_only),
    ):
        scores.add_row(label, f"{report.rate(s.top1):.3f}", f"{report.rate(s.top3):.3f}")
    console.print(scores)
    console.print(f"目标：前 1 ≥{TOP1_TARGET:.2f}，前 3 ≥{TOP3_TARGET:.2f}")
    console.print(
        f"首选主办单位正确 {report.rate(report.lead_right):.3f}，协办单位完全正确 "
        f"{report.rate(report.co_right):.3f}"
    )
    console.print(
        f"有街道的 {report.street_known} 个案例中，简单“属地优先”（一律派街道）会派错 "
        f"{report.street_naive_wrong} 个"
    )
    console.print(
        f"单次派单耗时：p50 {report.latency_p50_ms:.0f} ms，p95 {report.latency_p95_ms:.0f} ms；"
        f"权重 {report.weights}"
    )
    for line in report.misses[:15]:
        console.print(f"[dim]{line}[/dim]")
