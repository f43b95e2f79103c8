"""PII masking eval: recall and precision per type, leaks, over-masking, throughput.

    hotline eval pii [--dataset eval/datasets/pii_dev.jsonl] [--json]

Definitions (one labelled entity = one span in ``entities`` of a record):

- recall of a type: labelled entities of that type that are fully covered by masked spans,
  at least one of which has the same placeholder label (证件 counts for passport and permit);
- precision of a type: masked spans of that type that overlap a labelled entity of the same
  label;
- leak: a labelled value of two or more characters that still appears verbatim in the
  masked text (a lone surname after 姓 cannot be searched for and is not counted here);
- over-masking: a must-keep string (``keep``) that no longer appears verbatim in the masked
  text, over all must-keep strings;
- throughput: UTF-8 kilobytes of input masked per second, one text at a time, after the
  analyzer is built (building it is reported separately); the best of ``passes`` timed
  passes over the whole set, because other processes on a 2-core machine only ever make a
  pass slower. The same figure over this process's CPU time is reported beside it.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from assistant.privacy.entities import ENTITY_NAMES_ZH, placeholder_label
from kb.errors import InvalidInput

DEFAULT_DATASET = Path(__file__).resolve().parent / "datasets" / "pii_dev.jsonl"
TARGETS = {
    "CN_ID_CARD": 0.99,
    "CN_MOBILE": 0.99,
    "CN_BANK_CARD": 0.99,
    "EMAIL_ADDRESS": 0.99,
    "CN_LICENSE_PLATE": 0.99,
    "PERSON": 0.95,
    "CN_ADDRESS": 0.95,
}
OVER_MASKING_TARGET = 0.01
THROUGHPUT_TARGET_KBPS = 100.0


@dataclass
class TypeScore:
    """Counts for one entity type."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None


@dataclass
class PiiReport:
    """Everything `hotline eval pii` prints."""

    dataset: str
    texts: int
    kilobytes: float
    per_type: dict[str, TypeScore]
    leaks: int
    leak_examples: list[str]
    keep_total: int
    keep_destroyed: int
    keep_examples: list[str]
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    build_seconds: float = 0.0
    mask_seconds: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def over_masking(self) -> float:
        return self.keep_destroyed / self.keep_total if self.keep_total else 0.0

    @property
    def throughput_kbps(self) -> float:
        return self.kilobytes / self.mask_seconds if self.mask_seconds else 0.0

    @property
    def cpu_throughput_kbps(self) -> float:
        """Kilobytes per second of this process's CPU time (what other load cannot slow)."""
        return self.kilobytes / self.cpu_seconds if self.cpu_seconds else 0.0

    def to_dict(self) -> dict:
        """JSON-friendly summary (examples name record ids and types, never values)."""
        return {
            "dataset": self.dataset,
            "texts": self.texts,
            "kilobytes": round(self.kilobytes, 1),
            "per_type": {
                name: {
                    "gold": s.gold,
                    "found": s.found,
                    "predicted": s.predicted,
                    "correct": s.correct,
                    "recall": None if s.recall is None else round(s.recall, 4),
                    "precision": None if s.precision is None else round(s.precision, 4),
                    "target_recall": TARGETS.get(name),
                }
                for name, s in sorted(self.per_type.items())
            },
            "leaks": self.leaks,
            "must_keep": self.keep_total,
            "must_keep_destroyed": self.keep_destroyed,
            "over_masking": round(self.over_masking, 4),
            "build_seconds": round(self.build_seconds, 2),
            "mask_seconds": round(self.mask_seconds, 3),
            "throughput_kb_per_s": round(self.throughput_kbps, 1),
            "cpu_throughput_kb_per_s": round(self.cpu_throughput_kbps, 1),
            "misses": self.misses,
            "false_positives": self.false_positives,
        }


def load_dataset(path: Path) -> list[dict]:
    """Records of a PII dataset (JSON Lines with text, entities, keep)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InvalidInput(f"找不到评测集 {path}。") from None
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            record["text"], record["entities"]
        except (ValueError, KeyError, TypeError):
            raise InvalidInput(
                f"评测集 {path} 第 {number} 行格式错误：需要 text 和 entities。"
            ) from None
        record.setdefault("keep", [])
        records.append(record)
    if not records:
        raise InvalidInput(f"评测集 {path} 是空的。")
    return records


def _covered(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    covered = [False] * (end - start)
    for s, e in spans:
        for i in range(max(s, start), min(e, end)):
            covered[i - start] = True
    return all(covered)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def run_pii_eval(dataset: Path = DEFAULT_DATASET, passes: int = 3) -> PiiReport:
    """Mask every text of ``dataset`` and score the result."""
    from assistant.privacy.analyzer import clear_cache, get_analyzer
    from assistant.privacy.masking import mask

    records = load_dataset(dataset)
    started = time.perf_counter()
    get_analyzer()
    build_seconds = time.perf_counter() - started

    mask_seconds = cpu_seconds = float("inf")
    for _ in range(max(1, passes)):
        clear_cache()
        started, cpu_started = time.perf_counter(), time.process_time()
        results = [mask(record["text"]) for record in records]
        mask_seconds = min(mask_seconds, time.perf_counter() - started)
        cpu_seconds = min(cpu_seconds, time.process_time() - cpu_started)

    per_type: dict[str, TypeScore] = defaultdict(TypeScore)
    leaks, leak_examples, misses, false_positives = 0, [], [], []
    keep_total = keep_destroyed = 0
    keep_examples: list[str] = []
    for record, result in zip(records, results, strict=True):
        spans = [(e.start, e.end) for e in result.entities]
        for gold in record["entities"]:
            score = per_type[gold["type"]]
            score.gold += 1
            label = placeholder_label(gold["type"])
            same = [
                e
                for e in result.entities
                if placeholder_label(e.entity_type) == label
                and _overlap((e.start, e.end), (gold["start"], gold["end"]))
            ]
            if same and _covered(gold["start"], gold["end"], spans):
                score.found += 1
            else:
                misses.append(f"{record['id']}:{gold['type']}@{gold['start']}")
            if len(gold["value"]) >= 2 and gold["value"] in result.text:
                leaks += 1
                leak_examples.append(f"{record['id']}:{gold['type']}")
        for entity in result.entities:
            score = per_type[entity.entity_type]
            score.predicted += 1
            label = placeholder_label(entity.entity_type)
            if any(
                placeholder_label(g["type"]) == label
                and _overlap((entity.start, entity.end), (g["start"], g["end"]))
                for g in record["entities"]
            ):
                score.correct += 1
            else:
                false_positives.append(f"{record['id']}:{entity.entity_type}@{entity.start}")
        for keep in record["keep"]:
            keep_total += 1
            if keep not in result.text:
                keep_destroyed += 1
                keep_examples.append(f"{record['id']}:{keep}")

    return PiiReport(
        dataset=str(dataset),
        texts=len(records),
        kilobytes=sum(len(r["text"].encode("utf-8")) for r in records) / 1024,
        per_type=dict(per_type),
        leaks=leaks,
        leak_examples=leak_examples,
        keep_total=keep_total,
        keep_destroyed=keep_destroyed,
        keep_examples=keep_examples,
        misses=misses,
        false_positives=false_positives,
        build_seconds=build_seconds,
        mask_seconds=mask_seconds,
        cpu_seconds=cpu_seconds,
    )


def type_rows(report: PiiReport) -> list[list[str]]:
    """Table rows (Chinese type name, counts, recall, precision, target) for people."""

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.1%}"

    rows = []
    for name, score in sorted(report.per_type.items(), key=lambda kv: -kv[1].gold):
        target = TARGETS.get(name)
        rows.append(
            [
                ENTITY_NAMES_ZH.get(name, name),
                str(score.gold),
                str(score.predicted),
                pct(score.recall),
                pct(score.precision),
                "—" if target is None else f"≥{target:.0%}",
            ]
        )
    return rows
