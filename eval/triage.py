"""Triage eval: emergency recall/precision per line, legal-channel accuracy, false alarms.

    hotline eval triage [--dataset eval/datasets/triage_dev.jsonl] [--json]

A dataset is JSON Lines, one call per line::

    {"id": "a001", "text": "…", "expected": {"transfer": "119", "legal_channel": null},
     "note": "optional"}

``transfer`` is one of 119/110/120/122 or null, ``legal_channel`` one of 诉讼 仲裁 行政复议
纪检监察 政府信息公开 信访 or null. The form-filling sets carry the same two fields under
``expected``, so ``--dataset eval/datasets/fill_dev.jsonl`` scores their triage too.

Each call goes through form filling (:class:`assistant.call_desk.CallDesk`): the triage rules
and, when they saw no emergency trigger, the similarity backstop
(:mod:`assistant.triage.similar`). The rules alone are scored on the same calls beside it.

Definitions (the transfer is the first emergency alert, as the form shows it):

- per line L: recall = calls labelled L that were sent to L / calls labelled L;
  precision = calls sent to L that are labelled L / calls sent to L;
- any emergency: recall = labelled emergencies with *a* transfer / labelled emergencies
  (a fire sent to 110 still rings an alarm), precision = transfers on labelled emergencies /
  all transfers; false alarms (a transfer on a call labelled null) are listed one by one;
- legal channel: accuracy over the calls labelled with one; channels raised on calls
  labelled null are listed as false legal alarms.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import InvalidInput

DEFAULT_DATASET = Path(__file__).resolve().parent / "datasets" / "triage_dev.jsonl"
LINES = ("119", "110", "120", "122")
CHANNELS = ("诉讼", "仲裁", "行政复议", "纪检监察", "政府信息公开", "信访")
RECALL_TARGET = 1.0
PRECISION_TARGET = 0.9


@dataclass
class LineScore:
    """Counts for one emergency line."""

    labelled: int = 0
    predicted: int = 0
    right: int = 0

    @property
    def recall(self) -> float:
        """Calls labelled with this line that were sent to it."""
        return self.right / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        """Calls sent to this line that are labelled with it."""
        return self.right / self.predicted if self.predicted else 1.0


@dataclass
class TriageReport:
    """Everything ``hotline eval triage`` prints."""

    dataset: str
    items: int
    lines: dict[str, LineScore]
    emergency: LineScore  # any line: "right" = labelled emergency that got a transfer
    right_line: int
    legal_labelled: int
    legal_right: int
    misses: list[str] = field(default_factory=list)
    wrong_line: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    legal_misses: list[str] = field(default_factory=list)
    legal_false: list[str] = field(default_factory=list)

    @property
    def legal_accuracy(self) -> float:
        """Calls labelled with a legal channel that got exactly that channel."""
        return self.legal_right / self.legal_labelled if self.legal_labelled else 1.0

    def to_dict(self) -> dict:
        """JSON form."""

        def score(s: LineScore) -> dict:
            return {
                "labelled": s.labelled,
                "predicted": s.predicted,
                "right": s.right,
                "recall": round(s.recall, 4),
                "precision": round(s.precision, 4),
            }

        return {
            "dataset": self.dataset,
            "items": self.items,
            "lines": {line: score(s) for line, s in self.lines.items()},
            "emergency": {**score(self.emergency), "right_line": self.right_line},
            "targets": {"recall": RECALL_TARGET, "precision": PRECISION_TARGET},
            "legal_channel": {
                "labelled": self.legal_labelled,
                "right": self.legal_right,
                "accuracy": round(self.legal_accuracy, 4),
            },
            "misses": self.misses,
            "wrong_line": self.wrong_line,
            "false_alarms": self.false_alarms,
            "legal_misses": self.legal_misses,
            "legal_false": self.legal_false,
        }


def _expected(record: dict, path: Path, number: int) -> tuple[str | None, str | None]:
    expected = record.get("expected")
    if not isinstance(expected, dict):
        raise InvalidInput(f"评测集 {path} 第 {number} 行缺少 expected。")
    transfer, channel = expected.get("transfer"), expected.get("legal_channel")
    if transfer is not None and str(transfer) not in LINES:
        raise InvalidInput(
            f"评测集 {path} 第 {number} 行的 transfer 应为 {'、'.join(LINES)} 或 null，"
            f"实际为 {transfer!r}。"
        )
    if channel is not None and channel not in CHANNELS:
        raise InvalidInput(
            f"评测集 {path} 第 {number} 行的 legal_channel 应为 {'、'.join(CHANNELS)} 或 null，"
            f"实际为 {channel!r}。"
        )
    return (str(transfer) if transfer is not None else None), channel


def load_triage_set(path: Path) -> list[tuple[str, str, str | None, str | None]]:
    """``(id, text, transfer, legal_channel)`` per line; a clear error for a bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InvalidInput(f"找不到评测集 {path}。") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"评测集 {path} 不是 UTF-8 编码。") from None
    out = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise InvalidInput(f"评测集 {path} 第 {number} 行不是有效的 JSON。") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InvalidInput(f"评测集 {path} 第 {number} 行缺少 text。")
        transfer, channel = _expected(record, path, number)
        out.append((str(record.get("id") or f"第{number}行"), record["text"], transfer, channel))
    if not out:
        raise InvalidInput(f"评测集 {path} 是空的。")
    return out


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def score(dataset: str, records, verdicts) -> TriageReport:
    """Score ``verdicts`` — ``(transfer, legal_channel, matched words)`` per record."""
    lines = {line: LineScore() for line in LINES}
    emergency = LineScore()
    report = TriageReport(dataset, len(records), lines, emergency, 0, 0, 0)
    for (rid, text, gold, channel), (got, got_channel, matched) in zip(
        records, verdicts, strict=True
    ):
        where = f"{rid}: {_short(text)}"
        if gold:
            lines[gold].labelled += 1
            emergency.labelled += 1
        if got:
            lines[got].predicted += 1
            emergency.predicted += 1
        if gold and got:
            emergency.right += 1
            if got == gold:
                lines[gold].right += 1
                report.right_line += 1
            else:
                report.wrong_line.append(f"{where}（应为 {gold}，得到 {got}）")
        elif gold:
            report.misses.append(f"{where}（应为 {gold}）")
        elif got:
            report.false_alarms.append(f"{where}（报 {got}：{'、'.join(matched)}）")
        if channel:
            report.legal_labelled += 1
            report.legal_right += got_channel == channel
            if got_channel != channel:
                report.legal_misses.append(f"{where}（应为 {channel}，得到 {got_channel}）")
        elif got_channel:
            report.legal_false.append(f"{where}（报 {got_channel}）")
    return report


@dataclass
class TriageEval:
    """The system (rules + similarity backstop, what the form shows) and the rules alone."""

    system: TriageReport
    rules: TriageReport
    backstop: list[str] = field(default_factory=list)  # calls where the backstop alerted

    def to_dict(self) -> dict:
        """JSON form: the system's figures, with the rules' alone under ``rules_only``."""
        return {
            **self.system.to_dict(),
            "rules_only": self.rules.to_dict(),
            "backstop": self.backstop,
        }


def _verdict(result) -> tuple[str | None, str | None, list[str]]:
    from assistant.triage import EMERGENCY

    first = next((a for a in result.alerts if a.kind == EMERGENCY), None)
    return result.transfer, result.legal_channel, list(first.matched) if first else []


def run_triage_eval(dataset: Path = DEFAULT_DATASET, desk=None) -> TriageEval:
    """Triage every call of ``dataset`` as form filling does, and score it (module docstring).

    ``desk`` is a :class:`assistant.call_desk.CallDesk` (default: one over the shipped
    catalog, no LLM); its form filler runs the rules and the similarity backstop.
    """
    from assistant.call_desk import CallDesk
    from assistant.triage import triage_report
    from assistant.triage.similar import RULE_ID

    records = load_triage_set(dataset)
    desk = desk or CallDesk(use_llm=False)
    system, rules_only, fired = [], [], []
    for rid, text, _gold, _channel in records:
        rules_only.append(_verdict(triage_report(text)))
        result = desk.fill(text).triage
        system.append(_verdict(result))
        if any(a.rule == RULE_ID for a in result.alerts):
            fired.append(f"{rid}: {_short(text)}（→ {result.transfer}）")
    name = str(dataset)
    return TriageEval(score(name, records, system), score(name, records, rules_only), fired)


def render_triage_report(result: TriageEval, console) -> None:
    """Print the report for people (rich tables, Chinese)."""
    from rich.table import Table

    report, rules = result.system, result.rules
    console.print(f"评测集 {report.dataset}：{report.items} 通来电")
    table = Table(title="紧急转接（按热线；括号内为仅用规则）", header_style="bold")
    for column in ("热线", "标注", "报警", "正确", "召回率", "精确率"):
        table.add_column(column)
    pairs = [*zip(report.lines.items(), rules.lines.values(), strict=True)]
    pairs.append((("任一", report.emergency), rules.emergency))
    for (line, s), r in pairs:
        table.add_row(
            line,
            str(s.labelled),
            f"{s.predicted}（{r.predicted}）",
            f"{s.right}（{r.right}）",
            f"{s.recall:.3f}（{r.recall:.3f}）",
            f"{s.precision:.3f}（{r.precision:.3f}）",
        )
    console.print(table)
    console.print(
        f"紧急事项（任一热线）：召回率 {report.emergency.recall:.3f}（目标 {RECALL_TARGET:.1f}），"
        f"精确率 {report.emergency.precision:.3f}（目标 ≥{PRECISION_TARGET:.1f}），"
        f"转接号码正确 {report.right_line}/{report.emergency.labelled}；"
        f"仅用规则：召回率 {rules.emergency.recall:.3f}，精确率 {rules.emergency.precision:.3f}"
    )
    console.print(
        f"法定途径：{report.legal_right}/{report.legal_labelled} 正确"
        f"（准确率 {report.legal_accuracy:.3f}），误报 {len(report.legal_false)} 通"
    )
    for title, items in (
        ("语义兜底报警", result.backstop),
        ("漏报", report.misses),
        ("转错热线", report.wrong_line),
        ("误报（标注为普通来电）", report.false_alarms),
        ("法定途径错误", report.legal_misses),
        ("法定途径误报", report.legal_false),
    ):
        if items:
            console.print(f"{title}（{len(items)}）：")
            for item in items:
                console.print(f"  {item}")
