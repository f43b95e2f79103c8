"""KB coverage: how much of real call traffic the KB answers confidently, and where the gaps are.

Two sources:

* a call log a QA person uploads (CSV/XLSX/JSON Lines of historical caller questions or work
  orders) — every row's question is put to the KB the way an operator would, *without*
  writing anything (no ask log, no KB gap: this is analysis, not traffic);
* the recorded ask log (every question operators asked, stored masked) and its open KB gaps.

Coverage is reported overall, by category and by handling unit, and the unanswered questions
are grouped into topics (TF-IDF over jieba words, greedy cosine clustering: deterministic,
and the top words name each topic). Questions shown in a report are masked first: an
uploaded log can hold citizens' names and numbers, and reports get passed around.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kb.db import Database
from kb.errors import InvalidInput

# canonical column names (after ingest.tables.canonical) that can hold the caller's question
TEXT_COLUMNS = (
    "问题",
    "来电问题",
    "咨询问题",
    "来电内容",
    "诉求内容",
    "工单内容",
    "内容",
    "诉求",
    "摘要",
    "question",
    "q",
    "text",
    "content",
    "summary",
    "title",
)
CATEGORY_COLUMNS = ("category", "诉求分类", "类别", "事项分类", "category_code")
UNIT_COLUMNS = ("owner_unit", "主办单位", "单位", "处理单位", "unit", "lead_unit")
DATE_COLUMNS = (
    "日期",
    "来电时间",
    "来电日期",
    "受理时间",
    "受理日期",
    "date",
    "accepted_at",
    "accepted_on",
)

# each call is one retrieval (~20–40 ms on 2 cores): 5,000 calls is a few minutes of work
MAX_CALLS = 5000
UNKNOWN_CATEGORY = "未分类"
UNKNOWN_UNIT = "未确定单位"
MAX_ERRORS_LISTED = 50
_PLACEHOLDER = re.compile(r"〔[^〕]{1,12}〕")
# callers' filler words: fine for matching, useless as a topic's name
_NOT_A_TOPIC = frozenset(
    [
        "一直",
        "一下",
        "怎么",
        "怎么办",
        "怎样",
        "什么",
        "为什么",
        "请问",
        "我们",
        "你们",
        "他们",
        "这个",
        "那个",
        "现在",
        "好几天",
        "几天",
        "知道",
        "能不能",
        "可不可以",
        "可以",
        "需要",
        "问问",
        "咨询",
        "反映",
        "情况",
        "问题",
        "谢谢",
        "您好",
        "你好",
    ]
)


class AnswerLike(Protocol):
    """What coverage needs from one answered question."""

    answered: bool
    confidence: float


Answerer = Callable[[str, dt.date | None], AnswerLike]


@dataclass(frozen=True)
class CallRecord:
    """One call from a log."""

    row: int
    text: str
    category: str | None = None
    unit: str | None = None
    day: dt.date | None = None


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
class Topic:
    """A group of similar unanswered questions."""

    label: str
    keywords: list[str]
    count: int
    examples: list[str]


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


def _pick(columns: Sequence[str], candidates: Sequence[str]) -> str | None:
    lowered = {c.strip().lower(): c for c in columns}
    return next((lowered[c] for c in candidates if c in lowered), None)


def read_call_log(
    path: Path, *, max_mb: float, skip_invalid: bool = False
) -> tuple[list[CallRecord], list[str]]:
    """The calls in a CSV/XLSX/JSONL file, and the rows skipped (with reasons).

    Without ``skip_invalid`` any broken row refuses the whole file (every bad row listed),
    like the KB import; with it, good rows are used and the bad ones reported.
    """
    from ingest.tables import ROW_ERROR, read_table
    from kb.clock import parse_date

    table = read_table(path, max_mb=max_mb)
    text_col = _pick(table.columns, TEXT_COLUMNS)
    if text_col is None:
        raise InvalidInput(
            f"“{path.name}”中找不到来电问题所在的列；请把该列命名为 问题、来电内容、诉求内容 或 text。",
            details=[f"现有列：{'、'.join(table.raw_columns) or '（无）'}"],
        )
    cat_col = _pick(table.columns, CATEGORY_COLUMNS)
    unit_col = _pick(table.columns, UNIT_COLUMNS)
    date_col = _pick(table.columns, DATE_COLUMNS)
    records: list[CallRecord] = []
    problems: list[str] = []
    for number, row in table.rows:
        if row.get(ROW_ERROR):
            problems.append(f"第 {number} 行：{row[ROW_ERROR]}")
            continue
        text = (row.get(text_col) or "").strip()
        if not text:
            problems.append(f"第 {number} 行：“{text_col}”为空。")
            continue
        day = None
        if date_col and row.get(date_col):
            try:
                day = parse_date(row[date_col][:10], "日期")
            except InvalidInput:
                problems.append(f"第 {number} 行：日期“{row[date_col]}”无法识别。")
                continue
        category = (row.get(cat_col) or "").strip() if cat_col else ""
        unit = (row.get(unit_col) or "").strip() if unit_col else ""
        records.append(CallRecord(number, text, category or None, unit or None, day))
    if problems and not skip_invalid:
        shown = problems[:MAX_ERRORS_LISTED]
        more = len(problems) - len(shown)
        raise InvalidInput(
            f"“{path.name}”有 {len(problems)} 行无法使用，未做分析；请修正后重传，或勾选“跳过有问题的行”。",
            details=shown + ([f"……另有 {more} 行"] if more else []),
        )
    if not records:
        raise InvalidInput(f"“{path.name}”中没有可分析的来电记录。")
    if len(records) > MAX_CALLS:
        raise InvalidInput(
            f"“{path.name}”有 {len(records)} 条记录，单次最多分析 {MAX_CALLS} 条；请按月或按周拆分后分别上传。"
        )
    return records, problems


# ---------------------------------------------------------------- grouping unanswered questions


def _vectors(docs: list[list[str]]) -> list[dict[str, float]]:
    df = Counter(t for doc in docs for t in set(doc))
    n = len(docs)
    out = []
    for doc in docs:
        tf = Counter(doc)
        vec = {t: c * (math.log((n + 1) / (df[t] + 1)) + 1) for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({t: v / norm for t, v in vec.items()})
    return out


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def group_topics(
    questions: Sequence[str],
    tokenize: Callable[[str], list[str]],
    *,
    embed: Callable[[list[str]], Any] | None = None,
    threshold: float = 0.45,
    max_examples: int = 3,
) -> list[Topic]:
    """Similar questions grouped; each topic named by its heaviest words, biggest first.

    A question joins the most similar topic when either similarity reaches ``threshold``:
    TF-IDF cosine over jieba words (shared wording), or — with ``embed`` — the dense cosine
    rescaled from e5's crowded range: unrelated hotline questions sit at 0.80–0.90 and
    paraphrases at 0.91–0.95 with multilingual-e5-small, so (cos − 0.82) / 0.18 puts
    unrelated ones below ~0.45 and paraphrases above it (checked on hand-made pairs:
    路灯坏了/路灯不亮 0.93, 装修太吵/施工噪音 0.91, 停车位/路灯 ≤ 0.90).
    """
    import numpy as np

    cleaned = [_PLACEHOLDER.sub(" ", q) for q in questions]
    docs = [[t for t in tokenize(q) if len(t) > 1 or not t.isascii()] for q in cleaned]
    vectors = _vectors(docs)
    dense = None
    if embed is not None and questions:
        dense = np.asarray(embed(list(cleaned)), dtype=np.float32)
        dense /= np.linalg.norm(dense, axis=1, keepdims=True) + 1e-9
    clusters: list[tuple[dict[str, float], Any, list[int]]] = []
    for i, vec in enumerate(vectors):
        best, best_sim = None, threshold
        for c, (centroid, dense_centroid, _members) in enumerate(clusters):
            sim = _cosine(vec, centroid)
            if dense is not None:
                cos = float(dense[i] @ dense_centroid) / (
                    float(np.linalg.norm(dense_centroid)) or 1.0
                )
                sim = max(sim, (cos - 0.82) / 0.18)
            if sim >= best_sim:
                best, best_sim = c, sim
        if best is None:
            clusters.append((dict(vec), dense[i].copy() if dense is not None else None, [i]))
            continue
        centroid, dense_centroid, members = clusters[best]
        members.append(i)
        if dense is not None:
            dense_centroid += dense[i]
        for t, v in vec.items():
            centroid[t] = centroid.get(t, 0.0) + v
        norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
        for t in centroid:
            centroid[t] /= norm
    topics = []
    for centroid, _dense, members in clusters:
        ranked = sorted(centroid.items(), key=lambda kv: (-kv[1], kv[0]))
        words = [t for t, _ in ranked if t not in _NOT_A_TOPIC][:3]
        examples = list(dict.fromkeys(questions[i] for i in members))[:max_examples]
        topics.append(Topic("、".join(words) or "（无关键词）", words, len(members), examples))
    topics.sort(key=lambda t: (-t.count, t.label))
    return topics


def default_embed() -> Callable[[list[str]], Any]:
    """The KB's own embedder (cached by content hash, so re-analysis costs no model time)."""
    from assistant.runtime import get_runtime

    return get_runtime().embedder.embed_queries


def default_tokenizer() -> Callable[[str], list[str]]:
    """The KB's own jieba segmentation (hotline terms, stopwords)."""
    from assistant.sparse import get_sparse_encoder

    return get_sparse_encoder().tokenize


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
        for log, entry, version in session.execute(stmt):
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
        report.notes.append(
            "未答出的问题没有可靠的归属，按分类和单位统计时计入“未分类/未确定单位”。"
        )
    return report
