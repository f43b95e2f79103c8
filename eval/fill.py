"""Form-filling eval: accuracy per field, emergency recall/precision, fill+dispatch latency.

    hotline eval fill [--dataset eval/datasets/fill_dev.jsonl] [--json]

Definitions:

- field accuracy: the filled value equals the label exactly (``null`` = not said, so an
  invented value counts as wrong just like a missed one);
- emergency recall: calls labelled with a transfer (110/119/120/122) for which the draft has
  *a* transfer; precision: drafts with a transfer whose call is labelled with one;
  ``target accuracy``: of the labelled emergencies, those sent to the labelled line;
- latency: wall-clock time of form filling plus dispatch of the same call (what an operator
  waits for), one call at a time after a warm-up call, p50 and p95.

Accepted date is fixed (2026-11-22, the day the sets were labelled) so due dates are stable.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import InvalidInput

DEFAULT_DATASET = Path(__file__).resolve().parent / "datasets" / "fill_dev.jsonl"
EVAL_DAY = dt.date(2026, 11, 22)
FIELDS = (
    "caller_name",
    "phone",
    "id_number",
    "province",
    "city",
    "district",
    "street",
    "address_detail",
    "appeal_type",
    "category_code",
    "urgency",
    "confidential",
    "transfer",
    "legal_channel",
)
TARGETS = {"appeal_type": 0.90, "caller_name": 0.95, "phone": 0.95, "district": 0.95}
EMERGENCY_RECALL_TARGET = 1.0
EMERGENCY_PRECISION_TARGET = 0.9
LATENCY_TARGET_MS = 150.0


@dataclass
class FillReport:
    """Everything ``hotline eval fill`` prints."""

    dataset: str
    items: int
    accuracy: dict[str, float]
    emergency_gold: int
    emergency_predicted: int
    emergency_hits: int
    emergency_right_line: int
    legal_gold: int
    legal_right: int
    latency_p50_ms: float
    latency_p95_ms: float
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def emergency_recall(self) -> float:
        """Share of labelled emergencies that raised a transfer."""
        return self.emergency_hits / self.emergency_gold if self.emergency_gold else 1.0

    @property
    def emergency_precision(self) -> float:
        """Share of raised transfers that were labelled emergencies."""
        return self.emergency_hits / self.emergency_predicted if self.emergency_predicted else 1.0

    def to_dict(self) -> dict:
        """JSON form."""
        return {
            "dataset": self.dataset,
            "items": self.items,
            "accuracy": {k: round(v, 4) for k, v in self.accuracy.items()},
            "targets": TARGETS,
            "emergency": {
                "labelled": self.emergency_gold,
                "predicted": self.emergency_predicted,
                "recall": round(self.emergency_recall, 4),
                "precision": round(self.emergency_precision, 4),
                "right_line": self.emergency_right_line,
            },
            "legal_channel": {"labelled": self.legal_gold, "right": self.legal_right},
            "latency_ms": {
                "p50": round(self.latency_p50_ms, 1),
                "p95": round(self.latency_p95_ms, 1),
            },
            "errors": self.errors,
        }


def load_dataset(path: Path) -> list[dict]:
    """Records with ``id``, ``text`` and ``expected`` (a clear error for a bad line)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InvalidInput(f"找不到评测集 {path}。") from None
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record.get("text"), str) or "expected" not in record:
                raise KeyError("text")
        except (json.JSONDecodeError, KeyError, TypeError):
            raise InvalidInput(
                f"评测集 {path} 第 {number} 行格式错误（需要 text 与 expected）。"
            ) from None
        records.append(record)
    return records


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_fill_eval(dataset: Path = DEFAULT_DATASET, desk=None) -> FillReport:
    """Fill every transcript of ``dataset`` and score it (see the module docstring)."""
    from assistant.call_desk import CallDesk

    records = load_dataset(dataset)
    desk = desk or CallDesk(use_llm=False)
    desk.handle("你好，我想问一下社保卡怎么补办", accepted_on=EVAL_DAY)  # warm-up (model load)
    right = dict.fromkeys(FIELDS, 0)
    errors: dict[str, list[str]] = {f: [] for f in FIELDS}
    gold = predicted = hits = right_line = legal_gold = legal_right = 0
    latencies = []
    for record in records:
        started = time.perf_counter()
        result = desk.handle(record["text"], accepted_on=EVAL_DAY)
        latencies.append((time.perf_counter() - started) * 1000)
        draft, expected = result.fill.draft, record["expected"]
        for name in FIELDS:
            if getattr(draft, name) == expected.get(name):
                right[name] += 1
            else:
                errors[name].append(
                    f"{record.get('id')}: 应为 {expected.get(name)!r}，得到 {getattr(draft, name)!r}"
                )
        gold += expected.get("transfer") is not None
        predicted += draft.transfer is not None
        hits += expected.get("transfer") is not None and draft.transfer is not None
        right_line += (
            expected.get("transfer") is not None and draft.transfer == expected["transfer"]
        )
        if expected.get("legal_channel"):
            legal_gold += 1
            legal_right += draft.legal_channel == expected["legal_channel"]
    n = len(records)
    return FillReport(
        dataset=str(dataset),
        items=n,
        accuracy={f: right[f] / n for f in FIELDS} if n else {},
        emergency_gold=gold,
        emergency_predicted=predicted,
        emergency_hits=hits,
        emergency_right_line=right_line,
        legal_gold=legal_gold,
        legal_right=legal_right,
        latency_p50_ms=_percentile(latencies, 0.5),
        latency_p95_ms=_percentile(latencies, 0.95),
        errors={k: v for k, v in errors.items() if v},
    )


FIELD_ZH = {
    "caller_name": "来电人姓名",
    "phone": "联系电话",
    "id_number": "身份证号",
    "province": "省",
    "city": "市",
    "district": "区县",
    "street": "街道（乡镇）",
    "address_detail": "详细地址",
    "appeal_type": "诉求类型",
    "category_code": "诉求分类",
    "urgency": "紧急程度",
    "confidential": "要求保密",
    "transfer": "转接紧急热线",
    "legal_channel": "法定途径",
}


def render_fill_report(report: FillReport, console) -> None:
    """Print the report for people (rich tables, Chinese)."""
    from rich.table import Table

    console.print(f"评测集 {report.dataset}：{report.items} 通来电")
    fields = Table(title="各字段准确率", header_style="bold")
    for column in ("字段", "准确率", "目标"):
        fields.add_column(column)
    for name in FIELDS:
        target = TARGETS.get(name)
        fields.add_row(
            FIELD_ZH[name], f"{report.accuracy[name]:.3f}", f"≥{target:.2f}" if target else "—"
        )
    console.print(fields)
    console.print(
        f"紧急事项：标注 {report.emergency_gold}，报警 {report.emergency_predicted}，"
        f"召回率 {report.emergency_recall:.3f}（目标 {EMERGENCY_RECALL_TARGET:.1f}），"
        f"精确率 {report.emergency_precision:.3f}（目标 ≥{EMERGENCY_PRECISION_TARGET:.1f}），"
        f"转接号码正确 {report.emergency_right_line}/{report.emergency_gold}"
    )
    console.print(f"法定途径：{report.legal_right}/{report.legal_gold} 正确")
    console.print(
        f"填单+派单耗时：p50 {report.latency_p50_ms:.0f} ms，p95 {report.latency_p95_ms:.0f} ms"
        f"（目标 p95 < {LATENCY_TARGET_MS:.0f} ms）"
    )
    for name in ("appeal_type", "caller_name", "phone", "district", "transfer"):
        for line in report.errors.get(name, [])[:10]:
            console.print(f"[dim]{FIELD_ZH[name]}：{line}[/dim]")
