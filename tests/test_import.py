"""`hotline kb import`: CSV / XLSX / JSON Lines, atomic and --skip-invalid, updates."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from kb.entries import get_version, versions_of
from kb.models import Entry
from tests.conftest import snapshot

COLUMNS = [
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


def row(title: str, **kw: str) -> dict[str, str]:
    base = {
        "kind": "script",
        "title": title,
        "questions": f"{title}怎么办|{title}去哪办",
        "answer": f"{title}：请携带身份证到政务服务中心办理。（示例口径）",
        "basis": "《示例市便民服务办法（示例）》",
        "doc_no": "示政发 [2024] 8号",
        "owner_unit": "SL-GA",
        "region": "示例市",
        "category": "公安/户政",
        "effective_from": "2024-07-01",
        "expires_on": "2029-06-30",
        "keywords": "户政|证件",
        "basis_clause": "第九条",
        "issuer": "示例市人民政府",
        "version_note": "",
    }
    base.update(kw)
    return base


def write_csv(path: Path, rows: list[dict[str, str]], columns=COLUMNS, encoding="utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[dict[str, str]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for r in rows:
        values = [r[c] for c in COLUMNS]
        # spreadsheets hold real dates, not text
        values[COLUMNS.index("effective_from")] = dt.datetime.fromisoformat(r["effective_from"])
        sheet.append(values)
    book.save(path)
    return path


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = [row("居住证申领"), row("身份证补领"), row("新生儿落户", region="")]


def titles(db) -> list[str]:
    with db.session() as s:
        return sorted(s.scalars(select(Entry.title)))


def test_csv_import_creates_drafts_with_all_fields(cli, sample_db, tmp_path):
    path = write_csv(tmp_path / "scripts.csv", GOOD)
    result = cli("kb", "import", path, "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["counts"] == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert [r["row"] for r in data["rows"]] == [2, 3, 4]
    with sample_db.session() as s:
        entry = s.scalar(select(Entry).where(Entry.title == "居住证申领"))
        version = get_version(s, entry.id)
        assert (entry.kind.value, entry.status.value, entry.owner_unit.code) == (
            "script",
            "draft",
            "SL-GA",
        )
        assert version.questions == ["居住证申领怎么办", "居住证申领去哪办"]
        assert version.keywords == ["户政", "证件"]
        assert version.basis_title == "《示例市便民服务办法（示例）》"
        assert version.doc_no == "示政发〔2024〕8号"
        assert (version.effective_from, version.expires_on) == (
            dt.date(2024, 7, 1),
            dt.date(2029, 6, 30),
        )
        assert (version.basis_clause, version.issuer, version.category) == (
            "第九条",
            "示例市人民政府",
            "公安/户政",
        )
        # empty region: the owner unit's
        baby = s.scalar(select(Entry).where(Entry.title == "新生儿落户"))
        assert baby.region == "示例市"


BAD_ROWS = [
    (row("缺答复", answer=""), "缺少必填项 answer。"),
    (row("坏类型", kind="poem"), "条目类型“poem”无效"),
    (row("坏单位", owner_unit="SL-NOPE"), "未知承办单位“SL-NOPE”"),
    (row("坏日期", expires_on="2029-13-45"), "失效日期“2029-13-45”不是有效日期"),
    (row("倒日期", effective_from="2030-01-01"), "早于生效日期"),
    (
        row("居住证申领", answer="居住证申领：改为线上办理。"),
        "标题重复：如为更新请填写 version_note。",
    ),
]


def test_atomic_import_lists_every_bad_row_and_imports_nothing(cli, sample_db, tmp_path):
    rows = GOOD + [r for r, _ in BAD_ROWS]
    path = write_csv(tmp_path / "scripts.csv", rows)
    before = snapshot(sample_db)
    result = cli("kb", "import", path, "--json")
    assert result.code == 1
    error = result.json()
    assert error["message"].startswith("导入失败：6 行有错误，未导入任何内容")
    assert len(error["details"]) == 6
    for number, (detail, (_, expected)) in enumerate(
        zip(error["details"], BAD_ROWS, strict=True), 5
    ):
        assert detail.startswith(f"第 {number} 行：")
        assert expected in detail
    assert snapshot(sample_db) == before
    human = cli("kb", "import", path)
    assert "第 10 行：标题重复" in human.err


def test_skip_invalid_imports_good_rows_and_writes_rejects(cli, sample_db, tmp_path):
    rows = GOOD + [r for r, _ in BAD_ROWS]
    path = write_csv(tmp_path / "scripts.csv", rows)
    result = cli("kb", "import", path, "--skip-invalid", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["counts"] == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 6}
    rejects = tmp_path / "scripts.rejects.csv"
    assert data["rejects_file"] == str(rejects)
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert [r["row"] for r in lines] == ["5", "6", "7", "8", "9", "10"]
    assert [r["title"] for r in lines] == [r["title"] for r, _ in BAD_ROWS]
    for line, (_, expected) in zip(lines, BAD_ROWS, strict=True):
        assert expected in line["reason"]
    assert titles(sample_db) == sorted(r["title"] for r in GOOD)
    human = cli("kb", "import", path, "--skip-invalid", "--rejects", tmp_path / "out" / "bad.csv")
    assert "被拒绝的行及原因已写入" in human.out and (tmp_path / "out" / "bad.csv").exists()


def test_update_needs_version_note_and_identical_is_unchanged(cli, sample_db, tmp_path):
    newer = row(
        "居住证申领", answer="居住证申领：可在线预约。（示例口径）", version_note="增加在线预约"
    )
    path = write_csv(tmp_path / "scripts.csv", [*GOOD, newer])
    first = cli("kb", "import", path, "--publish", "--json").json()
    assert [r["action"] for r in first["rows"]] == ["created", "created", "created", "updated"]
    entry_id = first["rows"][0]["entry_id"]
    with sample_db.session() as s:
        history = versions_of(s, entry_id)
        assert [(v.version_no, v.status.value) for v in history] == [
            (1, "superseded"),
            (2, "published"),
        ]
        assert history[1].change_note == "增加在线预约"
    # the same file again (older row included) changes nothing
    before = snapshot(sample_db)
    again = cli("kb", "import", path, "--publish", "--json").json()
    assert [r["action"] for r in again["rows"]] == ["unchanged"] * 4
    assert [r["version"] for r in again["rows"]] == [1, 1, 1, 2]
    assert snapshot(sample_db) == before


def test_xlsx_import(cli, sample_db, tmp_path):
    path = write_xlsx(tmp_path / "scripts.xlsx", GOOD)
    data = cli("kb", "import", path, "--json").json()
    assert data["counts"]["created"] == 3
    assert [r["row"] for r in data["rows"]] == [2, 3, 4]
    with sample_db.session() as s:
        entry = s.scalar(select(Entry).where(Entry.title == "身份证补领"))
        assert get_version(s, entry.id).effective_from == dt.date(2024, 7, 1)


def test_xlsx_bad_row_is_atomic_with_sheet_row_numbers(cli, sample_db, tmp_path):
    path = write_xlsx(tmp_path / "scripts.xlsx", [*GOOD, row("坏单位", owner_unit="SL-NOPE")])
    result = cli("kb", "import", path, "--json")
    assert result.code == 1
    assert result.json()["details"] == [
        "第 5 行：未知承办单位“SL-NOPE”，可用 `hotline unit list` 查看已登记的单位。"
    ]
    assert titles(sample_db) == []


def test_jsonl_import_with_lists_and_a_broken_line(cli, sample_db, tmp_path):
    good = {**row("燃气泄漏处置"), "questions": ["闻到煤气味怎么办", "燃气泄漏打什么电话"]}
    path = write_jsonl(
        tmp_path / "scripts.jsonl",
        [json.dumps(good, ensure_ascii=False), '{"kind": "script", "title": ', ""],
    )
    atomic = cli("kb", "import", path, "--json")
    assert atomic.code == 1
    assert atomic.json()["details"][0].startswith("第 2 行：不是有效的 JSON")
    skipped = cli("kb", "import", path, "--skip-invalid", "--json").json()
    assert skipped["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    with sample_db.session() as s:
        entry = s.scalar(select(Entry).where(Entry.title == "燃气泄漏处置"))
        assert get_version(s, entry.id).questions == ["闻到煤气味怎么办", "燃气泄漏打什么电话"]


def test_gbk_csv_with_chinese_headers(cli, sample_db, tmp_path):
    chinese = [
        "类型",
        "标题",
        "相似问法",
        "答复口径",
        "依据",
        "文号",
        "责任单位",
        "地区",
        "分类",
        "生效日期",
        "失效日期",
    ]
    rows = [dict(zip(chinese, [GOOD[0][c] for c in COLUMNS[:11]], strict=True))]
    path = write_csv(tmp_path / "口径.csv", rows, columns=chinese, encoding="gbk")
    data = cli("kb", "import", path, "--json").json()
    assert data["counts"]["created"] == 1


def test_missing_columns_are_named(cli, sample_db, tmp_path):
    path = write_csv(
        tmp_path / "x.csv", [{"title": "a", "answer": "b"}], columns=["title", "answer"]
    )
    result = cli("kb", "import", path)
    assert result.code == 1
    assert "表头缺少列：kind、questions、basis、doc_no、owner_unit" in result.err


@pytest.mark.parametrize(
    ("user", "args", "message"),
    [
        ("yb_editor", ["--publish"], "只有管理员可以在导入时直接发布"),
        ("op01", [], "没有维护知识库条目的权限"),
    ],
)
def test_permissions(cli, sample_db, tmp_path, user, args, message):
    path = write_csv(tmp_path / "scripts.csv", GOOD)
    result = cli("kb", "import", path, "--as", user, *args, "--json")
    assert result.code == 1
    text = result.json()["message"] + " ".join(result.json().get("details", []))
    assert message in text
    assert titles(sample_db) == []


def test_maintainer_imports_own_unit_only(cli, sample_db, tmp_path):
    rows = [row("医保缴费", owner_unit="SL-YB"), row("居住证申领")]
    path = write_csv(tmp_path / "scripts.csv", rows)
    data = cli("kb", "import", path, "--as", "yb_editor", "--skip-invalid", "--json").json()
    assert [r["action"] for r in data["rows"]] == ["created", "rejected"]
    assert "不能维护“示例市公安局”的条目" in data["rows"][1]["reason"]


def test_submit_option_sends_rows_to_review(cli, sample_db, tmp_path):
    path = write_csv(tmp_path / "scripts.csv", GOOD[:1])
    cli("kb", "import", path, "--submit")
    with sample_db.session() as s:
        assert s.scalar(select(Entry.status)).value == "in_review"


def test_dry_run_import_writes_nothing(cli, sample_db, tmp_path):
    path = write_csv(tmp_path / "scripts.csv", GOOD)
    before = snapshot(sample_db)
    data = cli("kb", "import", path, "--dry-run", "--json").json()
    assert data["dry_run"] is True and data["counts"]["created"] == 3
    assert snapshot(sample_db) == before
    # the rolled-back ids never existed: a dry run names none
    rows = data["rows"]
    assert rows and all(r["entry_id"] is None and r["version"] is None for r in rows)


def test_binary_table_is_refused_with_a_table_hint(cli, sample_db, tmp_path):
    path = tmp_path / "scripts.csv"
    path.write_bytes(b"\x00\x01binary\x00" * 10)
    result = cli("kb", "import", path)
    assert result.code == 1
    assert "不是文本文件（含二进制内容），请提供 CSV、XLSX 或 JSONL 表格" in result.err


def test_ingest_folder_imports_script_tables_with_the_same_code(cli, sample_db, tmp_path):
    write_csv(tmp_path / "scripts.csv", GOOD)
    write_csv(tmp_path / "bad.csv", [row("坏单位", owner_unit="SL-NOPE")])
    (tmp_path / "units.csv").write_text("code,name,region,level,kind,parent\n", encoding="utf-8")
    report = cli("ingest", tmp_path, "--json").json()
    files = {Path(f["path"]).name: f for f in report["files"]}
    assert files["scripts.csv"]["action"] == "created"
    assert files["scripts.csv"]["rows"] == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    assert files["bad.csv"]["action"] == "rejected"
    assert files["bad.csv"]["details"] == [
        "第 2 行：未知承办单位“SL-NOPE”，可用 `hotline unit list` 查看已登记的单位。"
    ]
    assert files["units.csv"]["action"] == "skipped"
    assert titles(sample_db) == sorted(r["title"] for r in GOOD)


def _rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_rejects_file_keeps_the_raw_jsonl_line(cli, sample_db, tmp_path):
    broken = '{"kind": "script", "title": "燃气泄漏", "answer": "请立即关阀'
    path = write_jsonl(
        tmp_path / "scripts.jsonl",
        [json.dumps(row("燃气泄漏处置"), ensure_ascii=False), broken, "[1, 2]"],
    )
    result = cli("kb", "import", path, "--skip-invalid", "--json")
    assert result.json()["counts"]["rejected"] == 2
    lines = _rejects(tmp_path / "scripts.rejects.csv")
    assert [(r["row"], r["raw"]) for r in lines] == [("2", broken), ("3", "[1, 2]")]
    assert lines[0]["reason"].startswith("不是有效的 JSON")


def test_rejects_file_keeps_every_cell_of_a_too_wide_csv_row(cli, sample_db, tmp_path):
    path = write_csv(tmp_path / "scripts.csv", GOOD)
    # an unquoted comma in the answer pushes every later cell one column right
    wide = "script,多出一列,问法,先到窗口,再取号。,依据,,SL-GA,示例市,,2024-07-01,,,,,首次录入"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(wide + "\n")
    result = cli("kb", "import", path, "--skip-invalid", "--json")
    assert result.json()["counts"]["rejected"] == 1
    [line] = _rejects(tmp_path / "scripts.rejects.csv")
    assert line["row"] == "5"
    assert line["reason"].startswith("列数（16）多于表头（15）")
    assert line["answer"] == "先到窗口"  # cut at the header's width …
    assert line["raw"] == wide  # … but nothing of the input is lost
    # the rejects file is itself importable once fixed: row/reason/raw are ignored
    fixed = tmp_path / "fixed.csv"
    with fixed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(line))
        writer.writeheader()
        cells = wide.split(",")
        writer.writerow(
            {
                **line,
                **dict(zip(COLUMNS, [*cells[:3], "先到窗口，再取号。", *cells[5:]], strict=True)),
            }
        )
    again = cli("kb", "import", fixed, "--json")
    assert again.code == 0, again.err
    assert again.json()["counts"]["created"] == 1
