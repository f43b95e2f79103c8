"""Reading tabular files (CSV, XLSX, JSON Lines) and recognising the answer-script format.

The import format's columns are English (``kind, title, questions, answer, …``); the common
Chinese headers a unit's spreadsheet uses (类型, 标题, 相似问法, 答复口径 …) are accepted too.
Row numbers are what a person sees in a spreadsheet: the header is row 1, so the first data
row of a CSV or XLSX is row 2; in JSON Lines it is the line number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from ingest.readers import SourceFile, decode_text, load_file, refuse

TABLE_HINT = "CSV、XLSX 或 JSONL 表格（CSV 用 UTF-8 或 GBK 编码）"

REQUIRED = (
    "kind",
    "title",
    "questions",
    "answer",
    "basis",
    "doc_no",
    "owner_unit",
    "region",
    "category",
    "effective_from",
    "expires_on",
)
OPTIONAL = ("keywords", "basis_clause", "issuer", "version_note", "published_on")

ALIASES = {
    "类型": "kind",
    "条目类型": "kind",
    "标题": "title",
    "相似问法": "questions",
    "问法": "questions",
    "答复口径": "answer",
    "答复内容": "answer",
    "答案": "answer",
    "依据": "basis",
    "依据文件": "basis",
    "政策依据": "basis",
    "文号": "doc_no",
    "责任单位": "owner_unit",
    "承办单位": "owner_unit",
    "地区": "region",
    "适用地区": "region",
    "分类": "category",
    "生效日期": "effective_from",
    "失效日期": "expires_on",
    "关键词": "keywords",
    "依据条款": "basis_clause",
    "发文单位": "issuer",
    "版本说明": "version_note",
    "修改说明": "version_note",
    "发布日期": "published_on",
}

ROW_ERROR = "__error__"


@dataclass
class Table:
    """A tabular file: canonical column names and its rows with their row numbers.

    ``raw`` keeps each row exactly as read (a CSV/XLSX row's cells re-joined as CSV, a JSON
    Lines line as is), so a rejects file can give back what could not be parsed or did not
    fit the header.
    """

    path: Path
    columns: list[str]
    raw_columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    raw: dict[int, str] = field(default_factory=dict)
    label: str | None = None  # how messages name the file (an upload's own name)

    @property
    def name(self) -> str:
        """The file's name as given."""
        return Path(self.label).name if self.label else self.path.name


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(cells)
    return out.getvalue().rstrip("\r\n")


def _too_many(cells: list[str], width: int) -> str | None:
    if len(cells) > width and any(str(c).strip() for c in cells[width:]):
        return f"列数（{len(cells)}）多于表头（{width}），请检查是否有未加引号的逗号。"
    return None


def canonical(column: str) -> str:
    """The import-format name of a header cell."""
    name = str(column or "").strip().lstrip("\ufeff")
    return ALIASES.get(name, name.lower())


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    return str(value).strip()


def _read_csv(source: SourceFile, text: str) -> Table:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise refuse(source, "CSV 文件没有表头。")
    table = Table(source.path, [canonical(c) for c in header], [c.strip() for c in header])
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        row = {
            col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(table.columns)
        }
        if error := _too_many(cells, len(table.columns)):
            row[ROW_ERROR] = error
        table.rows.append((number, row))
        table.raw[number] = _csv_line(cells)
    return table


def _read_xlsx(source: SourceFile) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(source.data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip/XML errors of many types on junk
        raise refuse(
            source, f"无法打开 Excel 文件（文件损坏或不是 .xlsx：{type(exc).__name__}）。"
        ) from None
    sheet = book.worksheets[0]
    table: Table | None = None
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        if table is None:
            while cells and not cells[-1]:
                cells.pop()  # read-only sheets pad rows to the sheet's widest row
            table = Table(source.path, [canonical(c) for c in cells], cells)
            continue
        row = {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(table.columns)}
        if error := _too_many(cells, len(table.columns)):
            row[ROW_ERROR] = error
        table.rows.append((number, row))
        table.raw[number] = _csv_line(cells)
    book.close()
    if table is None:
        raise refuse(source, "Excel 文件第一个工作表是空的。")
    return table


def _read_jsonl(source: SourceFile, text: str) -> Table:
    table = Table(source.path, [], [])
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        table.raw[number] = line
        try:
            obj = json.loads(line)
        except ValueError as exc:
            table.rows.append(
                (number, {ROW_ERROR: f"不是有效的 JSON：{exc.msg}（第 {exc.colno} 列）。"})
            )
            continue
        if not isinstance(obj, dict):
            table.rows.append((number, {ROW_ERROR: "每行应是一个 JSON 对象（{…}）。"}))
            continue
        row = {}
        for key, value in obj.items():
            name = canonical(key)
            if name not in table.columns:
                table.columns.append(name)
            row[name] = _cell(value)
        table.rows.append((number, row))
    table.raw_columns = list(table.columns)
    return table


def read_table(path: Path, *, max_mb: float, display: str | None = None) -> Table:
    """Read a .csv, .xlsx or .jsonl file; ``display`` names it in messages (an upload)."""
    source = load_file(path, max_mb, display=display)
    suffix = source.suffix
    if suffix == ".xlsx":
        table = _read_xlsx(source)
    elif suffix == ".jsonl":
        table = _read_jsonl(source, decode_text(source, TABLE_HINT))
    elif suffix == ".csv":
        table = _read_csv(source, decode_text(source, TABLE_HINT))
    else:
        raise refuse(source, f"不支持的表格类型“{suffix}”，支持 .csv、.xlsx、.jsonl。")
    table.label = display
    return table


def missing_columns(columns: list[str]) -> list[str]:
    """Required import columns the header lacks."""
    return [c for c in REQUIRED if c not in columns]


SCRIPT_CORE = ("kind", "title", "answer")


def looks_like_scripts(columns: list[str]) -> bool:
    """A header meant as the answer-script format, even if it lacks some columns."""
    return all(c in columns for c in SCRIPT_CORE)


def describe_other_table(columns: list[str]) -> str:
    """Why a table is not answer scripts, in words a person recognises."""
    cols = set(columns)
    if {"code", "name", "level", "kind"} <= cols:
        what = "单位表"
    elif {"name", "role"} <= cols:
        what = "用户表"
    elif any("dispatch" in c or "派单" in c or "matter" in c or "事项" in c for c in cols):
        what = "派单目录"
    else:
        what = "表头与答复口径导入格式不符"
    missing = "、".join(missing_columns(columns))
    return f"不是知识库文档：{what}（缺少列：{missing}），已跳过"
