"""Backstop for the triage rules: a call that reads like known emergency calls.

The rules (``rules.yaml``) decide by concept words and context; a caller who describes an
emergency in words no rule knows (司机不按导航走，往郊区开，我很害怕) raises nothing. The
backstop compares the call's gist with example calls (``examples.yaml``: emergencies per
line, and ordinary calls that look like them) and with the dispatch catalog's phrasings
(ordinary 12345 matters), all under the embedder the call desk already uses:

* it runs only when the rules saw **no** emergency trigger at all — not when they found one
  and deliberately dropped it (没有着火, 上个月被打了): context decisions stay with the rules;
  nor when the caller consults, suggests or says the danger is absent (想问一下, 建议,
  没闻到味道: ``skip_when``), where similar words mean something else;
* the call's vector is the one the dispatcher computes for the same text
  (:meth:`assistant.dispatch.matcher.RowMatcher.query_vector`), so it costs no model time;
* it alerts when the mean of the ``k`` best emergency similarities beats the mean of the
  ``k`` best ordinary similarities by ``margin``; the line is the majority line of the
  ``k`` nearest emergency examples. ``margin`` and ``k`` are in ``examples.yaml`` and were
  chosen on a call set that was not in the examples (BENCHMARKS.md, "Triage").

The alert says plainly that it comes from similarity, so the operator confirms with the
caller before transferring.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from assistant.triage.engine import Alert, TriageResult
from assistant.triage.rules import EMERGENCY, EMERGENCY_TARGETS, RuleSet, default_rules
from kb.errors import InvalidInput

EXAMPLES_PATH = Path(__file__).resolve().parent / "examples.yaml"
RULE_ID = "similar_call"


@dataclass(frozen=True)
class Examples:
    """The example calls and the decision parameters."""

    emergency: tuple[tuple[str, str], ...]  # (line, text)
    ordinary: tuple[str, ...]
    say: dict[str, str]
    margin: float
    k: int
    skip_when: tuple[str, ...] = ()  # the caller consults, suggests or denies the danger


def parse_examples(raw: dict) -> Examples:
    """Validated :class:`Examples` from the parsed YAML document."""
    if not isinstance(raw, dict):
        raise InvalidInput("紧急来电例句文件格式错误。")
    emergency: list[tuple[str, str]] = []
    for line, texts in (raw.get("emergency") or {}).items():
        line = str(line)
        if line not in EMERGENCY_TARGETS:
            raise InvalidInput(f"紧急来电例句的热线“{line}”应为 {'、'.join(EMERGENCY_TARGETS)}。")
        if not isinstance(texts, list) or not texts:
            raise InvalidInput(f"热线 {line} 的例句应为非空列表。")
        emergency.extend((line, str(t).strip()) for t in texts if str(t).strip())
    ordinary = tuple(str(t).strip() for t in raw.get("ordinary") or () if str(t).strip())
    say = {str(k): str(v).strip() for k, v in (raw.get("say") or {}).items()}
    lines = {line for line, _ in emergency}
    if not lines or not ordinary:
        raise InvalidInput(
            "紧急来电例句文件须同时有紧急例句（emergency）和普通来电例句（ordinary）。"
        )
    missing = sorted(lines - set(say))
    if missing:
        raise InvalidInput(f"紧急来电例句文件缺少热线 {'、'.join(missing)} 的话术（say）。")
    try:
        margin, k = float(raw["margin"]), int(raw["k"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInput("紧急来电例句文件须给出 margin（小数）和 k（正整数）。") from None
    if k < 1:
        raise InvalidInput("紧急来电例句文件的 k 须为正整数。")
    skip = tuple(str(t) for t in raw.get("skip_when") or () if str(t).strip())
    return Examples(tuple(emergency), ordinary, say, margin, k, skip)


@lru_cache(maxsize=1)
def default_examples() -> Examples:
    """The shipped examples, loaded once per process."""
    try:
        raw = yaml.safe_load(EXAMPLES_PATH.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InvalidInput(f"紧急来电例句文件 {EXAMPLES_PATH} 不是有效的 YAML：{exc}") from exc
    return parse_examples(raw)


@dataclass(frozen=True)
class SimilarHit:
    """The backstop's verdict for one call."""

    line: str
    margin: float  # emergency minus ordinary similarity
    nearest: str  # the closest emergency example


class SimilarCalls:
    """Nearest example calls under one embedder; build once, check per call."""

    def __init__(self, embedder, examples: Examples | None = None, ordinary_vectors=None):
        self.embedder = embedder
        self.examples = examples or default_examples()
        # more ordinary calls: an array, or an object whose ``vectors()`` gives one when first
        # needed (the catalog phrasings the dispatch matcher embeds anyway)
        self._extra = ordinary_vectors
        self._bank: tuple[np.ndarray, np.ndarray] | None = None
        self._lock = threading.Lock()

    def _vectors(self) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            if self._bank is None:
                from assistant.embedding.base import QUERY

                # short caller sentences, compared with a query vector: embedded like queries
                emergency = self.embedder.embed_stored(
                    [t for _, t in self.examples.emergency], QUERY
                )
                ordinary = self.embedder.embed_stored(list(self.examples.ordinary), QUERY)
                extra = self._extra.vectors() if hasattr(self._extra, "vectors") else self._extra
                if extra is not None and len(extra):
                    ordinary = np.vstack([ordinary, extra])
                self._bank = (emergency, ordinary)
        return self._bank

    def check(self, vector: np.ndarray) -> SimilarHit | None:
        """The line this call reads like, or None when it reads like an ordinary call."""
        emergency, ordinary = self._vectors()
        k = self.examples.k
        to_emergency = emergency @ vector
        to_ordinary = ordinary @ vector
        top = np.argsort(to_emergency)[::-1][:k]
        best_e = float(np.mean(to_emergency[top]))
        best_o = float(np.mean(np.sort(to_ordinary)[::-1][:k]))
        if best_e - best_o <= self.examples.margin:
            return None
        votes = Counter(self.examples.emergency[i][0] for i in top)
        nearest_line = self.examples.emergency[top[0]][0]
        most = max(votes.values())
        # ties go to the line of the single nearest example
        line = nearest_line if votes[nearest_line] == most else votes.most_common(1)[0][0]
        nearest = next(
            self.examples.emergency[i][1] for i in top if self.examples.emergency[i][0] == line
        )
        return SimilarHit(line, best_e - best_o, nearest)


def rules_saw_emergency(report: TriageResult, rules: RuleSet | None = None) -> bool:
    """Whether the rules raised or deliberately dropped an emergency trigger."""
    rules = rules or default_rules()
    emergency_ids = {r.id for r in rules.rules if r.kind == EMERGENCY}
    return report.transfer is not None or any(i.rule in emergency_ids for i in report.ignored)


def add_backstop(
    report: TriageResult, similar: SimilarCalls, vector_of, gist_text: str
) -> SimilarHit | None:
    """Append the backstop's alert to ``report`` when the rules saw no emergency at all.

    ``gist_text`` is the caller's (masked) words; ``vector_of()`` returns their vector and
    is only called when needed.
    """
    if rules_saw_emergency(report) or any(c in gist_text for c in similar.examples.skip_when):
        return None
    hit = similar.check(vector_of())
    if hit is None:
        return None
    alert = Alert(
        kind=EMERGENCY,
        target=hit.line,
        reason=(
            f"没有命中关键词规则，但来电内容与紧急来电例句“{hit.nearest}”相近，"
            "请立即向来电人确认是否需要转接"
        ),
        say=similar.examples.say[hit.line],
        matched=(gist_text[:30],),
        rule=RULE_ID,
    )
    # emergencies first, before any legal-channel or explanation alert
    report.alerts.insert(0, alert)
    return hit
