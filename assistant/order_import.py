"""`hotline orders import FILE`: historical work orders from CSV or XLSX, all or nothing.

Columns (header row; English names or the Chinese ones in brackets; only the first three
are required):

    accepted_at (受理时间)     2026-10-08 09:30, 2026/10/8 or 2026-10-08 (China time)
    appeal_type (诉求类型)     咨询 求助 投诉 举报 意见建议 表扬
    text (诉求内容)            what the citizen said / the order text — stored MASKED
    order_no (工单编号)        kept if given (must be new), else GD + date + sequence
    channel (渠道)             电话 网站 微信 APP 短信 信件 (default 导入)
    category_code (分类编码)   a level-3 code of categories.yaml
    district (区县), street (街道)   as in units.csv (东湖区, 湖滨街道)
    title (标题)               ≤ 60 characters (default: from the masked text)
    urgency (紧急程度)         一般 紧急 特急
    status (状态)              open/办理中 (default) or closed/已办结
    lead_unit (主办单位)       unit code or name;  co_units (协办单位): codes, `|`-separated
    catalog_id (派单目录编号)  a row of the dispatch catalog, e.g. PD-045
    phone (来电号码), id_number (身份证号), address (地址)
                               personal data: stored only encrypted and as keyed hashes
    outcome (处理结果)         confirm/签收, reject/退单, reassign/改派 — what the lead unit did
    outcome_reason (处理原因)  required for 退单 and 改派 (e.g. 不属于本单位职责)
    outcome_to_unit (改派单位) the new lead unit for 改派;  outcome_to_catalog_id (改派事项)

Every bad row is listed (第 N 行：…) and nothing is imported; a good file is imported in
one transaction. Outcomes feed dispatch learning like those recorded live.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.categories import default_tree
from assistant.dispatch.catalog import Catalog
from assistant.form.due import compute_due
from assistant.workorders import hashes
from kb.clock import CHINA_TZ
from kb.errors import InvalidInput
from kb.orders import CHANNELS, URGENCIES, WorkOrder, add_order, record_outcome
from kb.sealing import get_sealer
from kb.timelimits import APPEAL_TYPES
from kb.units import Unit

ALIASES = {
    "受理时间": "accepted_at",
    "诉求类型": "appeal_type",
    "诉求内容": "text",
    "工单编号": "order_no",
    "渠道": "channel",
    "分类编码": "category_code",
    "区县": "district",
    "街道": "street",
    "标题": "title",
    "紧急程度": "urgency",
    "状态": "status",
    "主办单位": "lead_unit",
    "协办单位": "co_units",
    "派单目录编号": "catalog_id",
    "来电号码": "phone",
    "身份证号": "id_number",
    "地址": "address",
    "处理结果": "outcome",
    "处理原因": "outcome_reason",
    "改派单位": "outcome_to_unit",
    "改派事项": "outcome_to_catalog_id",
}
REQUIRED = ("accepted_at", "appeal_type", "text")
STATUS = {"open": "open", "办理中": "open", "closed": "closed", "已办结": "closed"}
OUTCOMES = {"confirm": "confirm", "签收": "confirm", "reject": "reject", "退单": "reject"}
OUTCOMES |= {"reassign": "reassign", "改派": "reassign"}
MAX_ROWS = 100_000
MAX_TEXT = 20_000
_DATETIME = re.compile(
    r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$"
)


@dataclass
class ImportResult:
    """What an import did."""

    file: str
    imported: int
    outcomes: int


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Data rows of a CSV (UTF-8 or GB18030) or XLSX file as (physical row, column → text).

    The row number is the one a person sees in Excel or a text editor (the header is row 1),
    counting blank rows and the lines of a quoted multi-line cell, so an error message points
    at the right row.
    """
    if not path.exists():
        raise InvalidInput(f"找不到文件 {path}。")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise InvalidInput(f"无法读取 Excel 文件 {path}：{exc}") from None
        values = [
            (number, row)
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
            if any(v not in (None, "") for v in row)
        ]
        if not values:
            return []
        header = [str(h or "").strip() for h in values[0][1]]
        return [
            (
                number,
                {header[i]: _cell(v) for i, v in enumerate(row) if i < len(header) and header[i]},
            )
            for number, row in values[1:]
        ]
    if path.suffix.lower() != ".csv":
        raise InvalidInput(f"只支持 CSV 或 XLSX 文件，{path.name} 不是。")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput(f"{path} 既不是 UTF-8 也不是 GBK 编码的 CSV。")
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    for row in reader:
        # line_num is the row's last line (blank lines skipped before it are counted); a
        # quoted cell spanning lines started that many lines earlier
        inner = sum(str(v or "").count("\n") for v in row.values())
        rows.append(
            (
                reader.line_num - inner,
                {(k or "").strip(): (v or "").strip() for k, v in row.items()},
            )
        )
    return rows


def _cell(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def _accepted_at(text: str) -> dt.datetime:
    match = _DATETIME.match(text or "")
    if not match:
        raise ValueError(f"受理时间“{text}”无法识别（如 2026-10-08 09:30）")
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in match.groups())
    try:
        local = dt.datetime(y, mo, d, h, mi, s, tzinfo=CHINA_TZ)
    except ValueError:
        raise ValueError(f"受理时间“{text}”不是有效的日期时间") from None
    return local.astimezone(dt.UTC)


class _RowChecker:
    """Validates one normalised row into a WorkOrder (and its outcome), or errors."""

    def __init__(self, session, catalog: Catalog) -> None:
        self.session = session
        self.catalog = catalog
        self.tree = default_tree()
        self.units: dict[str, Unit] = {}
        for unit in session.query(Unit).all():
            self.units[unit.code] = unit
            self.units[unit.name] = unit

    def unit(self, key: str, label: str, errors: list[str]) -> Unit | None:
        unit = self.units.get(key.strip())
        if unit is None:
            errors.append(f"{label}“{key}”不是已登记的承办单位（编码或全称）")
        return unit

    def check(self, row: dict[str, str]) -> tuple[dict, list[str]]:
        errors: list[str] = []
        out: dict = {}
        for column in REQUIRED:
            if not row.get(column):
                errors.append(f"缺少必填列 {column}")
        if errors:
            return out, errors
        try:
            out["accepted_at"] = _accepted_at(row["accepted_at"])
        except ValueError as exc:
            errors.append(str(exc))
        if row["appeal_type"] not in APPEAL_TYPES:
            errors.append(
                f"诉求类型“{row['appeal_type']}”无效，应为 {'、'.join(APPEAL_TYPES)} 之一"
            )
        if len(row["text"]) > MAX_TEXT:
            errors.append(f"诉求内容过长（{len(row['text'])} 字，上限 {MAX_TEXT}）")
        channel = row.get("channel") or "导入"
        if channel not in CHANNELS:
            errors.append(f"渠道“{channel}”无效，应为 {'、'.join(CHANNELS)} 之一")
        out["channel"] = channel
        code = row.get("category_code") or None
        if code and (self.tree.get(code) is None or self.tree.nodes[code].level != 3):
            errors.append(f"分类编码“{code}”不是三级分类")
        out["category_code"] = code
        directory = self.catalog.directory
        district, street = row.get("district") or None, row.get("street") or None
        if district and directory.district(district) is None:
            errors.append(f"区县“{district}”不是{directory.city}的区县")
        elif street and directory.street(district, street) is None:
            errors.append(f"街道“{street}”不属于{district or directory.city}")
        out["district"] = directory.district(district).name if district and not errors else district
        out["street"] = street
        urgency = row.get("urgency") or "一般"
        if urgency not in URGENCIES:
            errors.append(f"紧急程度“{urgency}”无效，应为 {'、'.join(URGENCIES)} 之一")
        out["urgency"] = urgency
        status = STATUS.get(row.get("status") or "open")
        if status is None:
            errors.append(f"状态“{row.get('status')}”无效，应为 open/办理中 或 closed/已办结")
        out["status"] = status
        lead = row.get("lead_unit")
        out["lead_unit"] = self.unit(lead, "主办单位", errors) if lead else None
        co = [c.strip() for c in (row.get("co_units") or "").split("|") if c.strip()]
        out["co_units"] = [u.code for c in co if (u := self.unit(c, "协办单位", errors))]
        for column in ("catalog_id", "outcome_to_catalog_id"):
            value = row.get(column) or None
            if value and value not in self.catalog.by_id:
                errors.append(f"{column}“{value}”不在派单目录中")
            out[column] = value
        outcome = row.get("outcome") or None
        out["outcome"] = OUTCOMES.get(outcome) if outcome else None
        if outcome and out["outcome"] is None:
            errors.append(f"处理结果“{outcome}”无效，应为 签收、退单 或 改派")
        out["outcome_reason"] = row.get("outcome_reason") or ""
        if out["outcome"] in ("reject", "reassign") and not out["outcome_reason"]:
            errors.append("退单或改派必须填写处理原因 outcome_reason")
        if out["outcome"] and out["lead_unit"] is None and not errors:
            errors.append("登记处理结果需要主办单位 lead_unit")
        to_unit = row.get("outcome_to_unit")
        out["to_unit"] = self.unit(to_unit, "改派单位", errors) if to_unit else None
        if out["outcome"] == "reassign" and out["to_unit"] is None and not to_unit:
            errors.append("改派必须填写改派单位 outcome_to_unit")
        if out["outcome"] and status == "closed" and out["outcome"] != "confirm":
            errors.append("已办结的工单只能登记“签收”结果")
        return out, errors


def import_orders(session, path: Path, catalog: Catalog, *, actor: str) -> ImportResult:
    """Validate every row, then import them all in the caller's transaction."""
    from assistant.privacy import mask, mask_for_storage
    from kb.orders import WorkOrder as Order

    raw_rows = read_rows(path)
    if not raw_rows:
        raise InvalidInput(f"{path} 没有数据行。")
    if len(raw_rows) > MAX_ROWS:
        raise InvalidInput(f"{path} 行数过多（{len(raw_rows)}，上限 {MAX_ROWS}）。")
    checker = _RowChecker(session, catalog)
    errors: list[str] = []
    prepared = []
    numbers: dict[str, int] = {}
    for line, raw in raw_rows:
        row = {ALIASES.get(k, k): v for k, v in raw.items()}
        values, row_errors = checker.check(row)
        number = row.get("order_no") or ""
        if number:
            if number in numbers:
                row_errors.append(f"工单编号 {number} 与第 {numbers[number]} 行重复")
            elif session.query(Order.id).filter(Order.order_no == number).first():
                row_errors.append(f"工单编号 {number} 已存在")
            numbers.setdefault(number, line)
        errors.extend(f"第 {line} 行：{e}" for e in row_errors)
        prepared.append((row, values))
    if errors:
        raise InvalidInput(
            f"{path.name} 有 {len(errors)} 处错误，未导入任何工单；请修改后重新导入。",
            details=errors,
        )
    sealer = get_sealer()
    outcomes = 0
    for row, values in prepared:
        masked = mask(row["text"])
        vault = masked.vault.export()
        personal = {k: row.get(k) for k in ("phone", "id_number", "address")}
        for key, label in (("phone", "来电号码"), ("id_number", "身份证号"), ("address", "地址")):
            if personal[key]:
                vault[f"〔导入{label}〕"] = personal[key]
        local_day = values["accepted_at"].astimezone(CHINA_TZ).date()
        due = compute_due(
            row["appeal_type"],
            local_day,
            region=f"{catalog.directory.city}{values['district'] or ''}",
            session=session,
        )
        # a title typed by a person may hold a name or number too: masked like the text
        given = (row.get("title") or "").strip()
        title = mask_for_storage(given) if given else masked.text.replace("\n", " ")[:20]
        title = title.strip()[:60]
        order = WorkOrder(
            order_no=row.get("order_no") or "",
            accepted_at=values["accepted_at"],
            channel=values["channel"],
            appeal_type=row["appeal_type"],
            category_code=values["category_code"],
            region=f"{catalog.directory.city}{values['district'] or ''}",
            district=values["district"],
            street=values["street"],
            title=title,
            summary_masked=masked.text[:300],
            text_masked=masked.text,
            urgency=values["urgency"],
            status="open",
            lead_unit_id=values["lead_unit"].id if values["lead_unit"] else None,
            co_unit_codes=values["co_units"],
            catalog_row_id=values["catalog_id"],
            due_on=due.due_on,
            due_assumed=bool(due.warning),
            vault_sealed=sealer.seal(vault) if vault else None,
            meta={"imported_from": path.name},
            **hashes(
                sealer,
                phone=re.sub(r"\D", "", personal["phone"] or "") or None,
                id_number=personal["id_number"],
                district=values["district"],
                street=values["street"],
                address_detail=personal["address"],
            ),
        )
        add_order(session, order, actor)
        if values["outcome"]:
            record_outcome(
                session,
                order,
                values["outcome"],
                actor=actor,
                unit=values["lead_unit"],
                reason=mask_for_storage(values["outcome_reason"])
                if values["outcome_reason"]
                else "",
                to_unit=values["to_unit"],
                to_catalog_row_id=values["outcome_to_catalog_id"],
            )
            outcomes += 1
        if values["status"] == "closed":
            order.status = "closed"
            order.closed_at = values["accepted_at"]
    session.flush()
    return ImportResult(path.name, len(prepared), outcomes)
