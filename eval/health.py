"""The KB health score: what share of the hotline's KB duties are met, with visible weights.

甘政办发〔2025〕69号 (十一) asks for a KB that is 准确、规范、好用、共享, new policies in within
3 working days, a full sweep every quarter with expired and invalid content cleaned out —
and weighs KB work at no less than 30 % of a hotline's overall score. The score here turns
those duties into four measured parts (each 0–1) and a weighted sum out of 100:

==========  ======  ==============================================================
part        weight  measured as
==========  ======  ==============================================================
准确        30 %    published entries neither expired nor resting on an abolished or
                    replaced policy ÷ published entries (an outdated answer read to a
                    citizen is the worst failure, so it weighs most with coverage)
好用        30 %    coverage: calls the KB answers confidently ÷ calls (from a call log
                    or the recorded ask log) — a correct KB nobody can use scores nothing
及时        20 %    intake on-time rate: policies entered within the working-day limit ÷
                    policies done or overdue (the 3-working-day rule)
巡检        20 %    quarterly sweep completion: entries confirmed, updated or archived
                    this quarter ÷ entries in scope
==========  ======  ==============================================================

A part that cannot be measured yet (no call traffic, no intake item) is left out and the
remaining weights are scaled up to 100 %, and the report says so — a missing measurement
never counts as perfect or as zero. Per unit, the same parts are computed on the unit's
own entries (coverage by unit only where the call log says which unit a call concerned).
The hotline-level contribution is score × 30 % (the Gansu minimum share of KB in the
hotline's overall assessment).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Protocol

from kb.clock import quarter_of, today
from kb.db import Database
from kb.entries import EntryFilter, list_entries
from kb.intake import report as intake_report
from kb.sweep import report as sweep_report

WEIGHTS = {"accuracy": 0.30, "coverage": 0.30, "timeliness": 0.20, "sweep": 0.20}
LABELS = {
    "accuracy": "准确",
    "coverage": "好用（覆盖率）",
    "timeliness": "及时（3个工作日入库）",
    "sweep": "巡检完成",
}
BASIS = {
    "accuracy": "已发布条目中未过期、依据未被废止或替代的比例",
    "coverage": "来电中知识库能给出有把握答复的比例",
    "timeliness": "新政策在截止日前录入的比例（已录入及已逾期的计入）",
    "sweep": "本季度已确认、更新或归档的条目比例",
}
KB_SHARE_OF_HOTLINE = 0.30


class CoverageLike(Protocol):
    """What the health score needs from a coverage result."""

    total: int
    answered: int

    @property
    def rate(self) -> float | None: ...

    def unit_rates(self) -> dict[str, float]: ...


@dataclass
class HealthPart:
    """One measured part of the score."""

    key: str
    label: str
    weight: float
    value: float | None  # 0–1, None = not measured
    basis: str
    numerator: int = 0
    denominator: int = 0

    @property
    def effective_weight(self) -> float:
        """0 when the part is not measured."""
        return self.weight if self.value is not None else 0.0


def weighted_score(parts: list[HealthPart]) -> float | None:
    """Weighted mean of the measured parts on 0–100 (None when nothing is measured)."""
    total = sum(p.effective_weight for p in parts)
    if total == 0:
        return None
    return round(100 * sum(p.effective_weight * (p.value or 0.0) for p in parts) / total, 1)


@dataclass
class UnitHealth:
    """One unit's parts and score."""

    unit: str
    published: int
    expired: int
    abolished: int
    unreviewed: int
    parts: list[HealthPart]
    score: float | None

    @property
    def expired_share(self) -> float | None:
        """Expired ÷ published."""
        return round(self.expired / self.published, 4) if self.published else None

    @property
    def unreviewed_share(self) -> float | None:
        """Not yet swept this quarter ÷ published."""
        return round(self.unreviewed / self.published, 4) if self.published else None

    def part(self, key: str) -> HealthPart:
        """The part named ``key``."""
        return next(p for p in self.parts if p.key == key)


@dataclass
class HealthReport:
    """The hotline's KB health on one day."""

    on: dt.date
    quarter: str
    parts: list[HealthPart]
    score: float | None
    units: list[UnitHealth] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def hotline_points(self) -> float | None:
        """Points of the hotline's overall score this KB earns (out of 30)."""
        return None if self.score is None else round(self.score * KB_SHARE_OF_HOTLINE, 1)

    def to_dict(self) -> dict:
        """JSON form."""

        def part_dict(p: HealthPart) -> dict:
            return {**asdict(p), "effective_weight": p.effective_weight}

        return {
            "on": self.on,
            "quarter": self.quarter,
            "score": self.score,
            "kb_share_of_hotline": KB_SHARE_OF_HOTLINE,
            "hotline_points": self.hotline_points,
            "parts": [part_dict(p) for p in self.parts],
            "units": [
                {
                    "unit": u.unit,
                    "published": u.published,
                    "expired": u.expired,
                    "abolished": u.abolished,
                    "unreviewed": u.unreviewed,
                    "expired_share": u.expired_share,
                    "unreviewed_share": u.unreviewed_share,
                    "score": u.score,
                    "parts": [part_dict(p) for p in u.parts],
                }
                for u in self.units
            ],
            "notes": self.notes,
        }


def _ratio(good: int, total: int) -> float | None:
    return round(good / total, 4) if total else None


def _parts(
    published: int,
    defects: int,
    coverage: float | None,
    covered: tuple[int, int],
    on_time: tuple[int, int],
    swept: tuple[int, int],
) -> list[HealthPart]:
    values = {
        "accuracy": (_ratio(published - defects, published), published - defects, published),
        "coverage": (coverage, *covered),
        "timeliness": (_ratio(*on_time), *on_time),
        "sweep": (_ratio(*swept), *swept),
    }
    return [
        HealthPart(key, LABELS[key], WEIGHTS[key], value, BASIS[key], num, den)
        for key, (value, num, den) in values.items()
    ]


def health_report(
    db: Database, *, on: dt.date | None = None, coverage: CoverageLike | None = None
) -> HealthReport:
    """Score the KB as of ``on`` (default today), with coverage if a result is given."""
    day = on or today()
    with db.session() as session:
        published = list_entries(session, EntryFilter(status="published"))
        sweep = sweep_report(session, day)
        intake = intake_report(session, day)
    per_unit_published: dict[str, int] = {}
    for entry in published:
        per_unit_published[entry.owner_unit.name] = (
            per_unit_published.get(entry.owner_unit.name, 0) + 1
        )
    defects: dict[str, int] = {}
    expired: dict[str, int] = {}
    abolished: dict[str, int] = {}
    for item in sweep.items:
        if "expired" in item.issues or "abolished" in item.issues:
            defects[item.unit] = defects.get(item.unit, 0) + 1
        if "expired" in item.issues:
            expired[item.unit] = expired.get(item.unit, 0) + 1
        if "abolished" in item.issues:
            abolished[item.unit] = abolished.get(item.unit, 0) + 1
    sweep_units = {u.unit: u for u in sweep.units}
    intake_units = {u.unit: u for u in intake.units}
    unit_cov = coverage.unit_rates() if coverage is not None else {}

    units: list[UnitHealth] = []
    for name in sorted(set(per_unit_published) | set(sweep_units) | set(intake_units)):
        s, i = sweep_units.get(name), intake_units.get(name)
        parts = _parts(
            per_unit_published.get(name, 0),
            defects.get(name, 0),
            unit_cov.get(name),
            (0, 0),
            (i.on_time, i.on_time + i.late + i.overdue) if i else (0, 0),
            (s.handled, s.in_scope) if s else (0, 0),
        )
        units.append(
            UnitHealth(
                name,
                per_unit_published.get(name, 0),
                expired.get(name, 0),
                abolished.get(name, 0),
                s.unreviewed if s else 0,
                parts,
                weighted_score(parts),
            )
        )

    total_on_time = sum(u.on_time for u in intake.units)
    total_countable = sum(u.on_time + u.late + u.overdue for u in intake.units)
    parts = _parts(
        len(published),
        sum(defects.values()),
        coverage.rate if coverage is not None else None,
        (coverage.answered, coverage.total) if coverage is not None else (0, 0),
        (total_on_time, total_countable),
        (sum(u.handled for u in sweep.units), sum(u.in_scope for u in sweep.units)),
    )
    notes = []
    missing = [p.label for p in parts if p.value is None]
    if missing:
        notes.append(
            f"未测得：{'、'.join(missing)}；健康分按其余部分的权重折算为百分制，补齐数据后会变化。"
        )
    notes.extend(intake.warnings)
    return HealthReport(day, quarter_of(day), parts, weighted_score(parts), units, notes)
