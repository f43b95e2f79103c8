"""The dispatch catalog (派单目录): loading, validating and resolving its unit rules.

Format (data/policies/README.md): one row per matter with ``lead_rule`` and ``co_rules``::

    unit:SL-RS            a named unit, by code
    district:城市管理局    the district-level unit of the event's district whose name ends so
    district              the event's district government (区/县人民政府, 管委会)
    street                the event's street office (街道办事处, 镇/乡人民政府)

Every bad row is reported at once with its line number, and nothing is loaded. A functional
matter (``职能``) led by ``street`` — or by a named street office — is refused: 国办函〔2025〕66号
三(五) "应由职能部门办理的诉求事项不得分派给基层办理"; 甘政办发〔2025〕69号 (六) "不得将应由职能
部门办理的诉求以'属地优先'为由分派基层办理".
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.categories import CategoryTree, default_tree
from assistant.jurisdiction import STREET, Directory, District, Street, UnitRef, default_directory
from kb.clock import parse_date
from kb.errors import HotlineError, InvalidInput

COLUMNS = (
    "id",
    "matter",
    "phrasings",
    "category_code",
    "level",
    "lead_rule",
    "co_rules",
    "basis",
    "valid_from",
    "valid_to",
    "matter_kind",
)
LEVELS = ("市", "区县", "街道")
FUNCTIONAL, LOCAL = "职能", "属地"
FUNCTIONAL_TO_STREET_BASIS = "职能部门事项不得以街道（乡镇）为主办单位（国办函〔2025〕66号 三（五）；甘政办发〔2025〕69号（六））"


@dataclass(frozen=True)
class UnitRule:
    """One parsed unit rule."""

    kind: str  # unit | district_unit | district | street
    value: str = ""  # unit code, or name suffix

    def __str__(self) -> str:
        return f"{self.kind_text}:{self.value}" if self.value else self.kind_text

    @property
    def kind_text(self) -> str:
        """The rule keyword as written in the catalog."""
        return "district" if self.kind == "district_unit" else self.kind

    @property
    def needs_place(self) -> str | None:
        """``district`` or ``street`` when resolving needs the event's place."""
        if self.kind == "street":
            return "street"
        if self.kind in ("district", "district_unit"):
            return "district"
        return None


@dataclass(frozen=True)
class Resolution:
    """A rule resolved for one event: the unit, or why there is none."""

    rule: UnitRule
    unit: UnitRef | None
    note: str = ""


@dataclass(frozen=True)
class CatalogRow:
    """One matter of the catalog."""

    id: str
    matter: str
    phrasings: tuple[str, ...]
    category_code: str
    level: str
    lead: UnitRule
    co: tuple[UnitRule, ...]
    basis: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    matter_kind: str
    line: int

    def valid_on(self, day: dt.date) -> bool:
        """Whether the row is in force on ``day``."""
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)


def parse_rule(text: str) -> UnitRule:
    """Parse one rule; raises ValueError with a Chinese message."""
    text = (text or "").strip()
    if text in ("district", "street"):
        return UnitRule(text)
    head, sep, value = text.partition(":")
    value = value.strip()
    if sep and head.strip() == "unit" and value:
        return UnitRule("unit", value)
    if sep and head.strip() == "district" and value:
        return UnitRule("district_unit", value)
    raise ValueError(
        f"单位规则“{text}”无效，应为 unit:单位编码、district:名称后缀、district 或 street"
    )


class Catalog:
    """Validated rows plus what they resolve against."""

    def __init__(self, rows: list[CatalogRow], directory: Directory, source: str = "") -> None:
        self.rows = rows
        self.by_id = {r.id: r for r in rows}
        self.directory = directory
        self.source = source

    def valid_rows(self, day: dt.date) -> list[CatalogRow]:
        """Rows in force on ``day``."""
        return [r for r in self.rows if r.valid_on(day)]

    def resolve(
        self, rule: UnitRule, district: District | None, street: Street | None
    ) -> Resolution:
        """The unit a rule names for an event in ``district`` / ``street``."""
        directory = self.directory
        if rule.kind == "unit":
            return Resolution(rule, directory.by_code.get(rule.value))
        if district is None:
            return Resolution(rule, None, "事发区县未知，无法按属地确定单位")
        if rule.kind == "district":
            unit = directory.district_government(district)
            return Resolution(rule, unit, "" if unit else f"{district.name}没有登记区县政府")
        if rule.kind == "district_unit":
            unit = directory.district_unit(district, rule.value)
            note = "" if unit else f"{district.name}没有名称以“{rule.value}”结尾的区县单位"
            return Resolution(rule, unit, note)
        if street is None:
            return Resolution(rule, None, "事发街道（乡镇）未知，无法确定属地街道")
        unit = directory.street_office(street)
        return Resolution(rule, unit, "" if unit else f"{street.name}没有登记街道办事处")


def _check_rule(rule: UnitRule, directory: Directory, where: str, errors: list[str]) -> None:
    if rule.kind == "unit" and rule.value not in directory.by_code:
        errors.append(f"{where}：未知单位编码 {rule.value}（units.csv / 单位表中没有）")
    if rule.kind == "district_unit" and not any(
        directory.district_unit(d, rule.value) for d in directory.districts.values()
    ):
        errors.append(f"{where}：没有任何区县单位的名称以“{rule.value}”结尾")


def _row_errors(
    number: int, raw: dict[str, str], directory: Directory, tree: CategoryTree | None
) -> tuple[CatalogRow | None, list[str]]:
    where = f"第 {number} 行（{raw.get('id') or '无编号'}）"
    errors: list[str] = []
    row_id, matter = raw.get("id", ""), raw.get("matter", "")
    if not row_id:
        errors.append(f"{where}：缺少 id")
    if not matter:
        errors.append(f"{where}：缺少事项名称 matter")
    code = raw.get("category_code", "")
    if tree is not None and (tree.get(code) is None or tree.nodes[code].level != 3):
        errors.append(f"{where}：分类编码“{code}”不是 categories.yaml 中的三级分类")
    if raw.get("level") not in LEVELS:
        errors.append(f"{where}：层级“{raw.get('level')}”无效，应为 {'、'.join(LEVELS)} 之一")
    kind = raw.get("matter_kind", "")
    if kind not in (FUNCTIONAL, LOCAL):
        errors.append(f"{where}：事项性质“{kind}”无效，应为 职能 或 属地")
    rules: list[UnitRule] = []
    lead = None
    for column, texts in (
        ("lead_rule", [raw.get("lead_rule", "")]),
        ("co_rules", [t for t in raw.get("co_rules", "").split("|") if t.strip()]),
    ):
        for text in texts:
            try:
                rule = parse_rule(text)
            except ValueError as exc:
                errors.append(f"{where} {column}：{exc}")
                continue
            _check_rule(rule, directory, f"{where} {column}", errors)
            if column == "lead_rule":
                lead = rule
            else:
                rules.append(rule)
    if kind == FUNCTIONAL and lead is not None:
        named = directory.by_code.get(lead.value) if lead.kind == "unit" else None
        if lead.kind == "street" or (named is not None and named.level == STREET):
            errors.append(f"{where}：{FUNCTIONAL_TO_STREET_BASIS}，主办规则“{lead}”被拒绝")
    dates: list[dt.date | None] = []
    for column in ("valid_from", "valid_to"):
        try:
            dates.append(parse_date(raw.get(column), column))
        except HotlineError:
            errors.append(f"{where}：{column}“{raw.get(column)}”不是有效日期（如 2025-01-01）")
            dates.append(None)
    if dates[0] and dates[1] and dates[1] < dates[0]:
        errors.append(f"{where}：valid_to 早于 valid_from")
    if errors or lead is None:
        return None, errors
    phrasings = tuple(p.strip() for p in raw.get("phrasings", "").split("|") if p.strip())
    row = CatalogRow(
        row_id,
        matter,
        phrasings,
        code,
        raw["level"],
        lead,
        tuple(rules),
        raw.get("basis", ""),
        dates[0],
        dates[1],
        kind,
        number,
    )
    return row, []


def parse_catalog(
    records: list[dict[str, str]],
    directory: Directory,
    tree: CategoryTree | None = None,
    source: str = "",
) -> Catalog:
    """Validate catalog records (dicts keyed by column); all errors at once, or a Catalog."""
    errors: list[str] = []
    rows: list[CatalogRow] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(records, start=2):  # line 1 is the header
        raw = {k: (v or "").strip() for k, v in raw.items() if k}
        row, row_errors = _row_errors(number, raw, directory, tree)
        errors.extend(row_errors)
        if row is None:
            continue
        if row.id in seen:
            errors.append(f"第 {number} 行：编号 {row.id} 与第 {seen[row.id]} 行重复")
            continue
        seen[row.id] = number
        rows.append(row)
    if errors:
        name = f" {source} " if source else ""
        raise InvalidInput(
            f"派单目录{name}有 {len(errors)} 处错误，未载入；请修改后重试。", details=errors
        )
    if not rows:
        raise InvalidInput(f"派单目录{f' {source} ' if source else ''}没有任何事项。")
    return Catalog(rows, directory, source)


def load_catalog(
    path: Path, directory: Directory | None = None, tree: CategoryTree | None = None
) -> Catalog:
    """Load and validate a catalog CSV (UTF-8, header row with :data:`COLUMNS`)."""
    directory = directory or default_directory()
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InvalidInput(f"派单目录 {path} 缺少列：{'、'.join(missing)}。")
            records = list(reader)
    except FileNotFoundError:
        raise InvalidInput(f"找不到派单目录文件 {path}。") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"派单目录 {path} 不是 UTF-8 编码的 CSV。") from None
    return parse_catalog(
        records, directory, tree if tree is not None else default_tree(), path.name
    )


@lru_cache(maxsize=2)
def _cached(path: str, mtime: float) -> Catalog:
    return load_catalog(Path(path))


def default_catalog_path() -> Path:
    """The shipped sample catalog."""
    from kb.settings import get_settings

    return get_settings().data_dir / "policies" / "dispatch_catalog.csv"


def default_catalog() -> Catalog:
    """The shipped catalog resolved against the shipped units (reloaded when it changes)."""
    path = default_catalog_path()
    return _cached(str(path), path.stat().st_mtime if path.exists() else 0.0)
