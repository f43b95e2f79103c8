"""KB coverage: how much of real call traffic the KB answers confidently, and where the gaps are.

Two sources:

* a call log a QA person uploads (CSV/XLSX/JSON Lines of historical caller questions or work
  orders) — every row's question is put to the KB the way an operator would, *without*
  writing anything (no ask log, no KB gap: this is analysis, not traffic);
* the recorded ask log (every question operators asked, stored masked) and its open KB gaps.

Coverage is reported overall, by category and by handling unit, and the unanswered questions
are grouped into topics (:mod:`eval.topics`). Questions shown in a report are masked first: an
uploaded log can hold citizens' names and numbers, and reports get passed around.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from eval.call_log import CallRecord, read_call_log
from eval.topics import Topic, default_embed, default_tokenizer, group_topics
from kb.db import Database

UNKNOWN_CATEGORY = "未分类"
UNKNOWN_UNIT = "未确定单位"


class AnswerLike(Protocol):
    """What coverage needs from one answered question."""

    answered: bool
    confidence: float


Answerer = Callable[[str, dt.date | None], AnswerLike]


@dataclass
class Group:
    """Coverage of one category or unit."""

    name: str
    total: int = 0
    answered: int = 0

    @property
    def rate(self) -> float | None:
        """Answered ÷ total."""
        return round(self.answered / self.total, 4) if self.total else None


@dataclass
class CoverageReport:
    """Coverage of one call log (or of the ask log)."""

    source: str
    total: int = 0
    answered: int = 0
    by_category: list[Group] = field(default_factory=list)
    by_unit: list[Group] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        """Share of calls answered confidently."""
        return round(self.answered / self.total, 4) if self.total else None

    @property
    def unanswered(self) -> int:
        """Calls without a confident answer."""
        return self.total - self.answered

    def unit_rates(self) -> dict[str, float]:
        """Coverage per known unit (for the per-unit health score)."""
        return {
            g.name: g.rate for g in self.by_unit if g.rate is not None and g.name != UNKNOWN_UNIT
        }

    def to_dict(self) -> dict:
        """JSON form."""

        def group(g: Group) -> dict:
            return {**asdict(g), "rate": g.rate}

        return {
            "source": self.source,
            "total": self.total,
            "answered": self.answered,
            "unanswered": self.unanswered,
            "rate": self.rate,
            "by_category": [group(g) for g in self.by_category],
            "by_unit": [group(g) for g in self.by_unit],
            "topics": [asdict(t) for t in self.topics],
            "skipped": self.skipped,
            "notes": self.notes,
        }


# ---------------------------------------------------------------- reading a call log


# ---------------------------------------------------------------- grouping unanswered questions


# ---------------------------------------------------------------- computing coverage


def _level1_names(db: Database | None) -> dict[str, str]:
    """Category code (any level) → its level-1 name, from data/policies/categories.yaml."""
    import yaml

    from kb.settings import get_settings

    path = get_settings().data_dir / "policies" / "categories.yaml"
    if not path.exists():
        return {}
    tree = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[str, str] = {}

    def walk(nodes: Iterable[dict], top: str | None) -> None:
        for node in nodes or []:
            name = top or str(node.get("name"))
            out[str(node.get("code"))] = name
            out[str(node.get("name"))] = name
            walk(node.get("children") or [], name)

    walk(tree.get("categories") or [], None)
    return out


def _add(groups: dict[str, Group], name: str, answered: bool) -> None:
    group = groups.setdefault(name, Group(name))
    group.total += 1
    group.answered += bool(answered)


def _ordered(groups: dict[str, Group], last: str) -> list[Group]:
    return sorted(groups.values(), key=lambda g: (g.name == last, -g.total, g.name))


def coverage_of_records(
    records: Sequence[CallRecord],
    answer: Answerer,
    *,
    source: str,
    classify: Callable[[str], tuple[str | None, str | None]] | None = None,
    tokenize: Callable[[str], list[str]] | None = None,
    embed: Callable[[list[str]], Any] | None = None,
    mask: Callable[[str], str] | None = None,
    categories: dict[str, str] | None = None,
) -> CoverageReport:
    """Put every record's question to ``answer`` and aggregate.

    ``classify(text) -> (category, unit)`` fills in what a log row does not say (a plain
    question list has neither); ``categories`` maps codes/names to level-1 names.
    """
    categories = categories or {}
    report = CoverageReport(source=source)
    by_cat: dict[str, Group] = {}
    by_unit: dict[str, Group] = {}
    unanswered: list[str] = []
    derived = 0
    for record in records:
        result = answer(record.text, record.day)
        category, unit = record.category, record.unit
        if classify is not None and (category is None or unit is None):
            guess_cat, guess_unit = classify(record.text)
            derived += 1
            category = category or guess_cat
            unit = unit or guess_unit
        category = categories.get(category or "", category) or UNKNOWN_CATEGORY
        report.total += 1
        report.answered += bool(result.answered)
        _add(by_cat, category, result.answered)
        _add(by_unit, unit or UNKNOWN_UNIT, result.answered)
        if not result.answered:
            unanswered.append(record.text)
    report.by_category = _ordered(by_cat, UNKNOWN_CATEGORY)
    report.by_unit = _ordered(by_unit, UNKNOWN_UNIT)
    masker = mask or (lambda text: text)
    shown = [masker(q) for q in unanswered]
    report.topics = group_topics(shown, tokenize or default_tokenizer(), embed=embed)
    if derived:
        report.notes.append(
            f"{derived} 条记录未注明分类或承办单位，已按智能填单的分类和派单建议的主办单位补全。"
        )
    return report


def _assistant_answerer(db: Database) -> Answerer:
    """Ask the KB like an operator would, without logging (analysis is not traffic)."""
    from assistant.answer import ask

    def answer(text: str, day: dt.date | None) -> Any:
        return ask(text, on=day, record=False)

    return answer


def desk_classifier(desk: Any) -> Callable[[str], tuple[str | None, str | None]]:
    """Category from form filling and the 主办 unit from dispatch, via a loaded CallDesk."""
    from kb.errors import HotlineError

    def classify(text: str) -> tuple[str | None, str | None]:
        try:
            call = desk.handle(text)
        except HotlineError:
            return None, None
        category = call.fill.draft.category_code
        if category is None:
            # dispatch always ranks something; without a recognised category the top unit of
            # an unrelated question says nothing about whose KB lacks it
            return None, None
        top = call.dispatch.suggestions[0] if call.dispatch.suggestions else None
        return category, top.lead.name if top else None

    return classify


def _default_classifier(db: Database) -> Callable[[str], tuple[str | None, str | None]] | None:
    try:
        from assistant.call_desk import CallDesk
    except ImportError:
        return None
    with db.session() as session:
        return desk_classifier(CallDesk(session=session))


def coverage_from_file(
    db: Database,
    path: Path,
    *,
    skip_invalid: bool = False,
    source: str | None = None,
    classify: Callable[[str], tuple[str | None, str | None]] | None = None,
) -> CoverageReport:
    """Coverage of an uploaded call log, answered by the installed assistant.

    ``classify`` fills in category and unit where the log has none (default: a CallDesk
    loaded for this run; the API passes the one it already has).
    """
    from assistant.privacy import mask_for_storage
    from kb.settings import get_settings

    records, skipped = read_call_log(
        path, max_mb=get_settings().max_upload_mb, skip_invalid=skip_invalid
    )
    report = coverage_of_records(
        records,
        _assistant_answerer(db),
        source=source or path.name,
        classify=classify or _default_classifier(db),
        embed=default_embed(),
        mask=mask_for_storage,
        categories=_level1_names(db),
    )
    report.skipped = skipped
    return report


def coverage_from_gaps(
    db: Database, *, since: dt.date | None = None, limit: int = 20000
) -> CoverageReport:
    """Coverage of the recorded ask log (masked questions), grouped like an upload."""
    from sqlalchemy import select

    from kb.gaps import AskLog
    from kb.models import Entry, EntryVersion

    categories = _level1_names(db)
    report = CoverageReport(source="已记录的提问日志与知识库缺口")
    by_cat: dict[str, Group] = {}
    by_unit: dict[str, Group] = {}
    unanswered: list[str] = []
    with db.session() as session:
        stmt = (
            select(AskLog, Entry, EntryVersion)
            .outerjoin(Entry, Entry.id == AskLog.top_entry_id)
            .outerjoin(
                EntryVersion,
                (EntryVersion.entry_id == AskLog.top_entry_id)
                & (EntryVersion.version_no == AskLog.top_version_no),
            )
            .order_by(AskLog.id.desc())
            .limit(limit)
        )
        if since is not None:
            stmt = stmt.where(AskLog.asked_for >= since)
        channels: dict[str, int] = {}
        for log, entry, version in session.execute(stmt):
            channels[log.channel] = channels.get(log.channel, 0) + 1
            report.total += 1
            report.answered += bool(log.answered)
            # the best entry says which category/unit an answered question concerned;
            # an unanswered one has no trustworthy owner
            if log.answered and entry is not None:
                category = (
                    categories.get(version.category or "", version.category) if version else None
                )
                unit = entry.owner_unit.name
            else:
                category, unit = None, None
            _add(by_cat, category or UNKNOWN_CATEGORY, log.answered)
            _add(by_unit, unit or UNKNOWN_UNIT, log.answered)
            if not log.answered:
                unanswered.append(log.question_masked)
    report.by_category = _ordered(by_cat, UNKNOWN_CATEGORY)
    report.by_unit = _ordered(by_unit, UNKNOWN_UNIT)
    report.topics = group_topics(unanswered, default_tokenizer(), embed=default_embed())
    if report.total == 0:
        report.notes.append("还没有记录到任何提问；可先上传一份话务记录进行分析。")
    else:
        names = {"desk": "坐席工作台", "api": "接口", "cli": "命令行"}
        report.notes.append(
            "提问来源："
            + "，".join(f"{names.get(k, k)} {n} 条" for k, n in sorted(channels.items()))
            + "（命令行提问多为工作人员测试，可据此判断）。"
        )
        report.notes.append(
            "未答出的问题没有可靠的归属，按分类和单位统计时计入“未分类/未确定单位”。"
        )
    return report
