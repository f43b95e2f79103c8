"""Validation of the shipped sample data: scripts, category tree, dispatch catalog, eval sets.

These files are hand-written data that other parts (ingest, retrieval, fill, dispatch, eval)
read by column name, so every reference between them is checked here: unit codes against
units.csv, category codes against categories.yaml, eval labels against the scripts, the
catalog and the seed texts.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "data" / "policies"
SCRIPTS = POLICIES / "scripts" / "sample_scripts.csv"
CATEGORIES = POLICIES / "categories.yaml"
UNITS = POLICIES / "units.csv"

TODAY = dt.date(2026, 11, 22)  # the date the sample validity labels were written for

SCRIPT_COLUMNS = [
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
    "keywords",
    "basis_clause",
    "issuer",
    "version_note",
]


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a UTF-8 CSV file."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@cache
def units() -> dict[str, dict[str, str]]:
    """units.csv by code."""
    return {row["code"]: row for row in read_csv(UNITS)[1]}


@cache
def category_tree() -> dict:
    """categories.yaml as loaded."""
    return yaml.safe_load(CATEGORIES.read_text(encoding="utf-8"))


def walk_categories() -> list[tuple[int, dict, str | None]]:
    """Every node as (level, node, parent code)."""
    out: list[tuple[int, dict, str | None]] = []

    def visit(nodes: list[dict], level: int, parent: str | None) -> None:
        for node in nodes:
            out.append((level, node, parent))
            visit(node.get("children") or [], level + 1, node["code"])

    visit(category_tree()["categories"], 1, None)
    return out


@cache
def leaf_codes() -> frozenset[str]:
    """All level-3 category codes."""
    return frozenset(node["code"] for level, node, _ in walk_categories() if level == 3)


@cache
def scripts() -> list[dict[str, str]]:
    """Rows of the sample scripts file."""
    return read_csv(SCRIPTS)[1]


def parse_day(text: str) -> dt.date | None:
    """An ISO date, or None for an empty cell."""
    return dt.date.fromisoformat(text) if text else None


# ---------------------------------------------------------------- category tree


def test_category_tree_header() -> None:
    tree = category_tree()
    assert tree["version"] == 1
    assert "非官方" in tree["source"]
    assert CATEGORIES.read_text(encoding="utf-8").startswith("#")


def test_category_counts() -> None:
    counts = Counter(level for level, _, _ in walk_categories())
    assert 8 <= counts[1] <= 12
    assert 28 <= counts[2] <= 40
    assert 80 <= counts[3] <= 120
    assert set(counts) == {1, 2, 3}


def test_category_codes_nest_and_are_unique() -> None:
    codes = [node["code"] for _, node, _ in walk_categories()]
    assert len(codes) == len(set(codes))
    for level, node, parent in walk_categories():
        assert isinstance(node["code"], str)
        assert node["code"].isdigit() and len(node["code"]) == 2 * level, node
        if parent is not None:
            assert node["code"].startswith(parent)
        assert node["name"].strip()
        if level == 3:
            assert "children" not in node
            assert all(isinstance(k, str) and k for k in node.get("keywords", []))


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("01", "城乡建设"),
        ("02", "公共服务"),
        ("08", "市场监管"),
        ("09", "生态环境保护"),
        ("10", "社会管理"),
        ("11", "经济调节"),
        ("010101", "物业服务质量"),
        ("020106", "燃气安全与泄漏"),
        ("040201", "拖欠工资"),
        ("070101", "新生儿落户"),
        ("090201", "建筑施工噪声"),
    ],
)
def test_category_names(code: str, name: str) -> None:
    names = {node["code"]: node["name"] for _, node, _ in walk_categories()}
    assert names[code] == name


# ---------------------------------------------------------------- answer scripts


def test_scripts_header_and_count() -> None:
    header, rows = read_csv(SCRIPTS)
    assert header == SCRIPT_COLUMNS
    assert 30 <= len(rows) <= 45


@pytest.mark.parametrize("row", scripts(), ids=lambda r: r["title"])
def test_script_row(row: dict[str, str]) -> None:
    assert row["kind"] in {"script", "faq"}
    assert row["owner_unit"] in units(), row["owner_unit"]
    assert row["category"] in leaf_codes(), row["category"]
    assert row["region"] == "示例市" or row["region"].startswith("示例市")
    questions = row["questions"].split("|")
    assert 3 <= len(questions) <= 6 and all(q.strip() for q in questions)
    assert 80 <= len(row["answer"]) <= 400
    assert row["answer"].endswith("（示例口径）")
    assert "示例" in row["basis"]
    if row["doc_no"]:
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,10}〔20\d\d〕\d{1,3}号", row["doc_no"])
    start, end = parse_day(row["effective_from"]), parse_day(row["expires_on"])
    assert start is not None
    assert end is None or end >= start
    assert all(k.strip() for k in row["keywords"].split("|"))


def test_script_region_matches_owner() -> None:
    # a district-specific script is owned by a unit of that district
    for row in scripts():
        if row["region"] != "示例市":
            assert units()[row["owner_unit"]]["region"] == row["region"], row["title"]


def test_one_superseded_title_with_version_note() -> None:
    keys = Counter((r["region"], r["title"]) for r in scripts())
    repeated = [key for key, n in keys.items() if n > 1]
    assert repeated == [("示例市", "城乡居民医保参保缴费")]
    first, second = [r for r in scripts() if r["title"] == "城乡居民医保参保缴费"]
    assert first["version_note"] == ""
    assert second["version_note"] == "2027年度缴费标准调整"
    assert first["answer"] != second["answer"]
    others = [r for r in scripts() if r["title"] != "城乡居民医保参保缴费"]
    assert all(r["version_note"] == "" for r in others)


def test_validity_mix_today() -> None:
    expired = [
        r["title"] for r in scripts() if r["expires_on"] and parse_day(r["expires_on"]) < TODAY
    ]
    future = [r["title"] for r in scripts() if parse_day(r["effective_from"]) > TODAY]
    assert sorted(expired) == [
        "2025年夏季高温津贴发放",
        "2025年度个人所得税综合所得汇算",
        "2026年春节期间公交运营时间调整",
        "2026年秋季小学一年级入学报名",
    ]
    assert sorted(future) == ["2027年度城乡居民养老保险缴费档次", "电动自行车停放充电管理"]


@pytest.mark.parametrize(
    ("title", "owner", "category", "needle"),
    [
        ("新生儿落户办理", "SL-GA", "070101", "出生医学证明"),
        ("燃气泄漏应急处置", "SL-GAS", "020106", "119"),
        ("夜间施工噪音投诉", "SL-HB", "090201", "22时至次日6时"),
        ("拖欠工资投诉", "SL-RS", "040201", "劳动保障监察"),
        ("养犬登记", "SL-GA", "070201", "30日内"),
    ],
)
def test_required_scripts(title: str, owner: str, category: str, needle: str) -> None:
    rows = [r for r in scripts() if r["title"] == title]
    assert len(rows) == 1
    assert rows[0]["owner_unit"] == owner
    assert rows[0]["category"] == category
    assert needle in rows[0]["answer"]


# ---------------------------------------------------------------- eval sets: shared helpers

DATASETS = ROOT / "eval" / "datasets"
SEEDS = POLICIES / "seeds"
NO_SPACE = re.compile(r"\s+")


def read_jsonl(name: str) -> list[dict]:
    """One eval set, every line parsed."""
    with (DATASETS / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def squeeze(text: str) -> str:
    """Text without any whitespace (seed PDFs put spaces inside words)."""
    return NO_SPACE.sub("", text)


@cache
def seed_texts() -> dict[str, str]:
    """Each seed file's text without whitespace, by file name."""
    return {p.name: squeeze(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}


def in_force(row: dict[str, str], day: dt.date) -> bool:
    """Whether a script row is valid on ``day``."""
    start, end = parse_day(row["effective_from"]), parse_day(row["expires_on"])
    return start <= day and (end is None or day <= end)


# ---------------------------------------------------------------- retrieval_dev


@cache
def retrieval() -> tuple[dict, ...]:
    """retrieval_dev.jsonl."""
    return tuple(read_jsonl("retrieval_dev.jsonl"))


def test_retrieval_counts() -> None:
    items = retrieval()
    ids = [it["id"] for it in items]
    assert len(ids) == len(set(ids))
    answerable = [it for it in items if it["answerable"]]
    stale = [
        it for it in items if not it["answerable"] and it["note"].startswith("only an expired")
    ]
    unanswerable = [it for it in items if not it["answerable"]]
    assert len(answerable) >= 110
    assert sum(it["source"] == "seed" for it in answerable) >= 30
    assert len(unanswerable) - len(stale) >= 25
    assert 4 <= len(stale) <= 6
    per_script = Counter(it["answer_title"] for it in answerable if it["source"] == "script")
    live_titles = {r["title"] for r in scripts() if in_force(r, TODAY)}
    assert set(per_script) == live_titles  # every script in force is asked about
    assert min(per_script.values()) >= 2


def test_retrieval_demo_question() -> None:
    demo = [it for it in retrieval() if it["q"] == "孩子刚出生，怎么给他上户口？"]
    assert [it["answer_title"] for it in demo] == ["新生儿落户办理"]


@pytest.mark.parametrize("item", retrieval(), ids=lambda it: it["id"])
def test_retrieval_item(item: dict) -> None:
    assert item["q"].strip()
    if not item["answerable"]:
        assert item["note"].strip()
        assert "answer_title" not in item
        return
    if item["source"] == "script":
        live = [r for r in scripts() if r["title"] == item["answer_title"] and in_force(r, TODAY)]
        assert live, f"no script in force titled {item['answer_title']}"
        assert "answer_contains" not in item
        # the question is the caller's wording, not a copy of a stored phrasing
        stored = {q for r in scripts() for q in r["questions"].split("|")}
        assert item["q"].rstrip("？?") not in stored
        return
    assert item["source"] == "seed"
    targets = [item, *item.get("also_accept", [])]
    for target in targets:
        text = seed_texts()[target["answer_doc"]]
        # titles as the ingest stores them (full-width ！ for the page's !), so compare NFKC
        title = unicodedata.normalize("NFKC", squeeze(target["answer_title"]))
        assert title in unicodedata.normalize("NFKC", text)
        assert squeeze(target["answer_contains"]) in text
        # no punctuation that ingest normalisation turns full-width: the substring must match
        # both the raw seed and the cleaned body
        assert not re.search(r"[,()!;:?\[\]]", target["answer_contains"])


def test_stale_questions_match_only_stale_scripts() -> None:
    stale_titles = {r["title"] for r in scripts() if not in_force(r, TODAY)}
    for item in retrieval():
        if not item["answerable"] and item["note"].startswith("only an expired"):
            named = re.search(r"\((.+?),", item["note"]).group(1)
            assert named in stale_titles


# ---------------------------------------------------------------- dispatch catalog

CATALOG = POLICIES / "dispatch_catalog.csv"
CATALOG_COLUMNS = [
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
]
DISTRICTS = ["东湖区", "西山区", "南江区", "高新区", "青石县"]
RULE = re.compile(r"unit:[A-Z][A-Z0-9-]+|district:[\u4e00-\u9fff]+|district|street")


@cache
def catalog() -> tuple[dict[str, str], ...]:
    """Rows of the dispatch catalog."""
    return tuple(read_csv(CATALOG)[1])


def resolve(rule: str, district: str | None, street: str | None) -> str | None:
    """The unit code a catalog rule names for an event place (README's rule, re-stated)."""
    if rule.startswith("unit:"):
        return rule.removeprefix("unit:")
    if district is None:
        return None
    region = f"示例市{district}"
    if rule == "district":
        found = [
            c
            for c, u in units().items()
            if u["region"] == region and u["level"] == "区县" and u["kind"] == "属地政府"
        ]
    elif rule == "street":
        if street is None:
            return None
        found = [c for c, u in units().items() if u["region"] == region + street]
    else:
        suffix = rule.removeprefix("district:")
        found = [
            c
            for c, u in units().items()
            if u["region"] == region and u["level"] == "区县" and u["name"].endswith(suffix)
        ]
    assert len(found) <= 1, (rule, district, street, found)
    return found[0] if found else None


def test_catalog_header_and_count() -> None:
    header, rows = read_csv(CATALOG)
    assert header == CATALOG_COLUMNS
    assert 60 <= len(rows) <= 90
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"PD-\d{3}", i) for i in ids)


@pytest.mark.parametrize("row", catalog(), ids=lambda r: r["id"])
def test_catalog_row(row: dict[str, str]) -> None:
    assert row["matter"].strip()
    assert len([p for p in row["phrasings"].split("|") if p.strip()]) >= 2
    assert row["category_code"] in leaf_codes()
    assert row["level"] in {"市", "区县", "街道"}
    assert row["matter_kind"] in {"职能", "属地"}
    assert "示例" in row["basis"]
    rules = [row["lead_rule"], *[r for r in row["co_rules"].split("|") if r]]
    for rule in rules:
        assert RULE.fullmatch(rule), rule
        if rule.startswith("unit:"):
            assert rule.removeprefix("unit:") in units(), rule
        elif rule.startswith("district"):
            # a district rule names exactly one unit in every district
            assert all(resolve(rule, d, None) for d in DISTRICTS), rule
    assert row["lead_rule"] not in row["co_rules"].split("|")
    start, end = parse_day(row["valid_from"]), parse_day(row["valid_to"])
    assert start is not None
    assert end is None or end >= start
    # the declared level is the level of the lead unit
    lead = row["lead_rule"]
    if lead.startswith("unit:"):
        assert units()[lead.removeprefix("unit:")]["level"] == row["level"]
    else:
        assert row["level"] == ("街道" if lead == "street" else "区县")


def test_functional_matters_never_lead_by_street() -> None:
    # 国办函〔2025〕66号 三（五）; 甘政办发〔2025〕69号（六）
    for row in catalog():
        if row["matter_kind"] == "职能":
            assert row["lead_rule"] != "street", row["id"]
            if row["lead_rule"].startswith("unit:"):
                lead = units()[row["lead_rule"].removeprefix("unit:")]
                assert lead["level"] != "街道", row["id"]


def test_catalog_covers_every_rule_kind() -> None:
    leads = Counter(r["lead_rule"].split(":")[0] for r in catalog())
    assert leads["unit"] >= 30 and leads["district"] >= 25 and leads["street"] >= 6
    assert any(r["lead_rule"] == "district" for r in catalog())
    assert any(r["lead_rule"] == "district:分局" for r in catalog())
    assert any(r["co_rules"] for r in catalog())
    retired = [r["id"] for r in catalog() if r["valid_to"] and parse_day(r["valid_to"]) < TODAY]
    assert len(retired) >= 2


@pytest.mark.parametrize(
    ("rule", "district", "street", "code"),
    [
        ("unit:SL-RS", None, None, "SL-RS"),
        ("district:城市管理局", "东湖区", None, "SL-DH-CG"),
        ("district:分局", "青石县", None, "SL-QS-HB"),
        ("district:人力资源和社会保障局", "高新区", None, "SL-GX-RS"),
        ("district", "高新区", None, "SL-GX"),
        ("district", "西山区", "石桥镇", "SL-XS"),
        ("street", "西山区", "石桥镇", "SL-XS-SSQ"),
        ("street", "南江区", "滨江街道", "SL-NJ-SBJ"),
        ("street", "南江区", None, None),
        ("district:教育局", None, None, None),
    ],
)
def test_rule_resolution(
    rule: str, district: str | None, street: str | None, code: str | None
) -> None:
    assert resolve(rule, district, street) == code


# ---------------------------------------------------------------- fill_dev

FILL_KEYS = [
    "caller_name",
    "phone",
    "id_number",
    "province",
    "city",
    "district",
    "street",
    "address_detail",
    "appeal_type",
    "category_code",
    "urgency",
    "confidential",
    "transfer",
    "legal_channel",
]
APPEAL_TYPES = {"咨询", "求助", "投诉", "举报", "意见建议", "表扬"}
LEGAL_CHANNELS = {"诉讼", "仲裁", "行政复议", "纪检监察", "政府信息公开", "信访"}
SPOKEN_DIGITS = str.maketrans("零〇洞幺一二两三四五六七八九", "00011223456789")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@cache
def fill() -> tuple[dict, ...]:
    """fill_dev.jsonl."""
    return tuple(read_jsonl("fill_dev.jsonl"))


def id_checksum_ok(number: str) -> bool:
    """GB 11643 ISO 7064 MOD 11-2 check character."""
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17]


def digits_said(text: str) -> str:
    """The text with spoken digits turned into digits and separators dropped."""
    return re.sub(r"[\s，,、·-]", "", text.translate(SPOKEN_DIGITS))


def pieces_in_order(needle: str, text: str, max_pieces: int = 3) -> bool:
    """Whether ``needle`` is at most ``max_pieces`` substrings of ``text``, in order (fillers dropped)."""
    pos, pieces, rest = 0, 0, needle
    while rest:
        size = len(rest)
        while size and text.find(rest[:size], pos) < 0:
            size -= 1
        if not size:
            return False
        pos = text.find(rest[:size], pos) + size
        rest, pieces = rest[size:], pieces + 1
    return pieces <= max_pieces


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("430102198503122718", True),
        ("42010619900919532X", True),
        ("430102198503122717", False),
        ("42010619900919532Y", False),
    ],
)
def test_id_checksum_helper(number: str, ok: bool) -> None:
    assert id_checksum_ok(number) is ok


@pytest.mark.parametrize(
    ("needle", "text", "ok"),
    [
        ("翠湖小区5栋", "我在翠湖小区5栋", True),
        ("南苑新村12栋3单元302", "南苑新村12栋3单元，隔壁是302", True),
        ("桃源居小区门口", "我在小区门口，东湖区桃源街道桃源居", False),
    ],
)
def test_pieces_helper(needle: str, text: str, ok: bool) -> None:
    assert pieces_in_order(needle, text) is ok


def test_fill_counts() -> None:
    items = fill()
    assert len(items) >= 90
    assert len({it["id"] for it in items}) == len(items)
    expected = [it["expected"] for it in items]
    assert {e["appeal_type"] for e in expected} == APPEAL_TYPES
    transfers = Counter(e["transfer"] for e in expected if e["transfer"])
    assert set(transfers) == {"110", "119", "120", "122"}
    assert sum(transfers.values()) >= 20
    assert {e["legal_channel"] for e in expected} - {None} == LEGAL_CHANNELS
    assert sum(e["confidential"] for e in expected) >= 5
    assert sum(e["caller_name"] is None for e in expected) >= 20
    assert sum(e["id_number"] is not None for e in expected) >= 5
    assert sum("坐席：" in it["text"] for it in items) >= 20
    assert sum(bool(re.search("[幺洞]", it["text"])) for it in items) >= 5
    assert {e["district"] for e in expected} - {None} == set(DISTRICTS)
    # emergency look-alikes the triage must not transfer
    looks = ["燃气费怎么交", "消防通道", "去年在东湖区那边被人打了"]
    for needle in looks:
        hits = [it for it in items if needle in it["text"]]
        assert hits and all(it["expected"]["transfer"] is None for it in hits), needle


@pytest.mark.parametrize("item", fill(), ids=lambda it: it["id"])
def test_fill_item(item: dict) -> None:
    text, e = item["text"], item["expected"]
    assert list(e) == FILL_KEYS
    assert e["appeal_type"] in APPEAL_TYPES
    assert e["urgency"] in {"一般", "紧急", "特急"}
    assert isinstance(e["confidential"], bool)
    assert e["transfer"] in {None, "110", "119", "120", "122"}
    assert (e["transfer"] is not None) == (e["urgency"] == "特急")
    assert e["legal_channel"] is None or e["legal_channel"] in LEGAL_CHANNELS
    assert e["category_code"] is None or e["category_code"] in leaf_codes()
    assert e["province"] is None  # 示例市 has no province; nobody in the set names one
    if e["caller_name"] is not None:
        assert e["caller_name"] in text or e["caller_name"].removesuffix("先生") in text
    if e["phone"] is not None:
        assert re.fullmatch(r"1[3-9]\d{9}", e["phone"])
        assert e["phone"] in digits_said(text)
    if e["id_number"] is not None:
        assert re.fullmatch(r"\d{17}[\dX]", e["id_number"])
        assert id_checksum_ok(e["id_number"])
        assert e["id_number"] in digits_said(text)
    if e["district"] is not None:
        assert e["district"] in DISTRICTS and e["district"] in text
    if e["street"] is not None:
        assert e["district"] is not None and e["street"] in text
        assert resolve("street", e["district"], e["street"]) is not None
    assert e["city"] == ("示例市" if e["district"] or e["street"] else None)
    if e["address_detail"] is not None:
        assert pieces_in_order(squeeze(e["address_detail"]), squeeze(text))


# ---------------------------------------------------------------- dispatch_dev


@cache
def dispatch_cases() -> tuple[dict, ...]:
    """dispatch_dev.jsonl."""
    return tuple(read_jsonl("dispatch_dev.jsonl"))


def catalog_row(row_id: str) -> dict[str, str]:
    """One catalog row by id."""
    return next(r for r in catalog() if r["id"] == row_id)


def test_dispatch_counts() -> None:
    cases = dispatch_cases()
    assert len(cases) >= 130
    assert len({c["id"] for c in cases}) == len(cases)
    assert {c["district"] for c in cases} - {None} == set(DISTRICTS)
    streets = {(c["district"], c["street"]) for c in cases if c["street"]}
    all_streets = {
        (u["region"][3:6], u["region"][6:]) for u in units().values() if u["level"] == "街道"
    }
    assert streets == all_streets  # every street office appears at least once
    leads = Counter(catalog_row(c["expected_catalog_id"])["lead_rule"] for c in cases)
    kinds = Counter(rule.split(":")[0] for rule in leads.elements())
    assert kinds["unit"] >= 40 and kinds["district"] >= 40 and kinds["street"] >= 20
    assert leads["district"] >= 3 and leads["district:分局"] >= 5
    # cases where the event has a street office but the matter is a functional department's
    traps = [
        c
        for c in cases
        if c["street"] and catalog_row(c["expected_catalog_id"])["matter_kind"] == "职能"
    ]
    assert len(traps) >= 40
    live = {r["id"] for r in catalog() if not r["valid_to"] or parse_day(r["valid_to"]) >= TODAY}
    assert {c["expected_catalog_id"] for c in cases} == live  # every row in force is exercised


@pytest.mark.parametrize("case", dispatch_cases(), ids=lambda c: c["id"])
def test_dispatch_case(case: dict) -> None:
    assert case["text"].strip()
    row = catalog_row(case["expected_catalog_id"])
    assert parse_day(row["valid_from"]) <= TODAY
    assert not row["valid_to"] or parse_day(row["valid_to"]) >= TODAY
    district, street = case["district"], case["street"]
    assert district is None or district in DISTRICTS
    if street is not None:
        assert resolve("street", district, street) is not None
    assert case["expected_lead_unit"] == resolve(row["lead_rule"], district, street)
    co = [resolve(rule, district, street) for rule in row["co_rules"].split("|") if rule]
    assert case["expected_co_units"] == co
    assert all(code in units() for code in [case["expected_lead_unit"], *co])
    if row["matter_kind"] == "职能":
        assert units()[case["expected_lead_unit"]]["level"] != "街道"


# ---------------------------------------------------------------- blind hold-out sets

HOLDOUT_DAY = dt.date(2026, 12, 2)  # the day retrieval_holdout.jsonl's labels assume
LINES = {"110", "119", "120", "122", None}
CHANNELS = {"诉讼", "仲裁", "行政复议", "纪检监察", "政府信息公开", "信访", None}


def test_triage_holdout_is_well_formed() -> None:
    items = list(read_jsonl("triage_holdout.jsonl"))
    assert len({it["id"] for it in items}) == len(items) >= 250
    for it in items:
        assert it["text"].strip()
        expected = it["expected"]
        assert expected["transfer"] in LINES and expected["legal_channel"] in CHANNELS
        assert not (expected["transfer"] and expected["legal_channel"])
    lines = Counter(it["expected"]["transfer"] for it in items)
    assert min(lines[line] for line in ("110", "119", "120", "122")) >= 20


@pytest.mark.parametrize(
    "item", tuple(read_jsonl("retrieval_holdout.jsonl")), ids=lambda it: it["id"]
)
def test_retrieval_holdout_item(item: dict) -> None:
    """Labels checked mechanically: scripts in force on the hold-out's day, seed passages exist."""
    assert item["q"].strip()
    if not item["answerable"]:
        assert item["note"].strip() and "answer_title" not in item
        return
    if item["source"] == "script":
        live = [
            r for r in scripts() if r["title"] == item["answer_title"] and in_force(r, HOLDOUT_DAY)
        ]
        assert live, f"no script in force titled {item['answer_title']}"
        return
    assert item["source"] == "seed"
    for target in (item, *item.get("also_accept", [])):
        assert squeeze(target["answer_contains"]) in seed_texts()[target["answer_doc"]]
