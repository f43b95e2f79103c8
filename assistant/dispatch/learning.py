"""Learning from dispatch outcomes recorded on work orders.

Every 签收 (confirm), 退单 (reject, with a reason) and 改派 (reassign) is evidence about one
catalog row *for texts like that order's*. For a new text, outcomes on orders whose (masked)
text is similar count, weighted by that similarity::

    adjustment(row) = STRENGTH · (confirms − rejects) / (confirms + rejects + SMOOTHING)

so one similar 退单 "不属于本单位职责" pulls a row down by a third to a half of STRENGTH, several
pull it down more, and confirmations pull it back up; dissimilar orders change nothing. A
改派 counts as a reject for the old row and a confirm for the new one. A 退单 whose reason is
about the place (不属于本辖区, 地址有误) says nothing about the matter and does not move the
row — the jurisdiction was wrong, not the catalog row.

Similarity is the cosine of character-bigram counts: cheap, no model, and works on masked
text (placeholders are removed first).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

STRENGTH = 1.0
SMOOTHING = 1.0
MIN_SIMILARITY = 0.25
# 退单 reasons that blame the place, not the matter
_PLACE_REASONS = ("辖区", "属地", "地址", "不在本区", "不在本街道", "不在本镇", "管辖范围外")
_PLACEHOLDER = re.compile(r"〔[^〕]{1,8}〕")
_NOT_TEXT = re.compile(r"[\s，。！？、；：,.!?;:“”\"'（）()]+")


def matter_text(text_masked: str) -> str:
    """The caller's own words of a stored (masked) transcript: operator lines, fillers and
    who-they-are clauses removed, so that two calls about one matter compare as similar."""
    from assistant.form.summary import clean_words
    from assistant.transcript import parse_transcript

    return clean_words(parse_transcript(text_masked or "").caller_text)


def bigrams(text: str) -> Counter[str]:
    """Character-bigram counts of ``text`` without placeholders and punctuation."""
    clean = _NOT_TEXT.sub("", _PLACEHOLDER.sub("", text or ""))
    return Counter(clean[i : i + 2] for i in range(len(clean) - 1))


def cosine(a: Counter[str], b: Counter[str]) -> float:
    """Cosine similarity of two bigram count vectors."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) < len(b) else (b, a)
    dot = sum(v * large.get(k, 0) for k, v in small.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def blames_place(reason: str) -> bool:
    """True when a 退单 reason is about the jurisdiction rather than the matter."""
    return any(word in reason for word in _PLACE_REASONS)


@dataclass(frozen=True)
class Evidence:
    """One outcome: what happened to which row, on an order with this text."""

    text: str
    row_id: str | None
    action: str  # confirm | reject | reassign
    reason: str = ""
    to_row_id: str | None = None
    unit_code: str | None = None


@dataclass
class RowFeedback:
    """Similarity-weighted counts for one row and the adjustment they give."""

    confirms: float = 0.0
    rejects: float = 0.0
    reasons: list[str] = field(default_factory=list)

    @property
    def adjustment(self) -> float:
        """The score change for this row (negative after similar 退单)."""
        total = self.confirms + self.rejects
        if total == 0:
            return 0.0
        return STRENGTH * (self.confirms - self.rejects) / (total + SMOOTHING)


class OutcomeMemory:
    """Past outcomes, with their texts' bigrams computed once."""

    def __init__(self, evidence: list[Evidence]) -> None:
        self.evidence = evidence
        self._grams = [bigrams(e.text) for e in evidence]

    def __len__(self) -> int:
        return len(self.evidence)

    def feedback(self, text: str) -> dict[str, RowFeedback]:
        """Per row id: the weighted counts from outcomes on orders similar to ``text``."""
        grams = bigrams(text)
        out: dict[str, RowFeedback] = {}
        for item, item_grams in zip(self.evidence, self._grams, strict=True):
            weight = cosine(grams, item_grams)
            if weight < MIN_SIMILARITY:
                continue
            if item.action == "confirm" and item.row_id:
                out.setdefault(item.row_id, RowFeedback()).confirms += weight
            elif item.action in ("reject", "reassign") and item.row_id:
                if item.action == "reject" and blames_place(item.reason):
                    continue
                entry = out.setdefault(item.row_id, RowFeedback())
                entry.rejects += weight
                if item.reason and item.reason not in entry.reasons:
                    entry.reasons.append(item.reason)
                if item.action == "reassign" and item.to_row_id:
                    out.setdefault(item.to_row_id, RowFeedback()).confirms += weight
        return out


def memory_from_session(session) -> OutcomeMemory:
    """Every recorded outcome in the KB, as evidence."""
    from kb.orders import outcomes_with_orders

    evidence = []
    for outcome, order in outcomes_with_orders(session):
        evidence.append(
            Evidence(
                text=matter_text(order.text_masked) or order.summary_masked,
                row_id=outcome.catalog_row_id,
                action=outcome.action,
                reason=outcome.reason,
                to_row_id=outcome.to_catalog_row_id,
                unit_code=outcome.unit.code if outcome.unit else None,
            )
        )
    return OutcomeMemory(evidence)
