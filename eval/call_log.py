"""Reading a call log (CSV / XLSX / JSON Lines of historical questions or work orders).

Only the caller's question is needed; category, handling unit and date are used when the
log has them. Column names are matched after ingest's own header normalisation, so the
Chinese headers a hotline's export uses (来电内容、诉求内容、承办单位 …) work as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

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
MAX_ERRORS_LISTED = 50


@dataclass(frozen=True)
class CallRecord:
    """One call from a log."""

    row: int
    text: str
    category: str | None = None
    unit: str | None = None
    day: dt.date | None = None


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
