"""`hotline ingest`: into the KB, re-ingest (changed / unchanged), dry run, bad files, folders."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from ingest.report import Assumption, FileResult
from kb.entries import get_version
from kb.models import AuditEvent, Entry, PolicyRelation
from kb.settings import get_settings
from kb.sweep import abolished_reasons
from tests.conftest import snapshot
from tests.fixtures.ingest.makers import make_docx, write

SEEDS = Path(__file__).resolve().parent.parent / "data" / "policies" / "seeds"
GANSU = "gansu-2025-69-implementation.txt"
SICHUAN = "sichuan-2025-measures-interpretation-scraped.txt"


def seeds_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def by_name(report: dict) -> dict[str, dict]:
    return {Path(f["path"]).name: f for f in report["files"]}


def test_ingest_seed_folder_creates_entries_with_metadata(cli, sample_db, tmp_path):
    result = cli("ingest", seeds_copy(tmp_path), "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert report["counts"] == {
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "skipped": 1,
    }
    assert report["documents"] == 5
    files = by_name(report)
    assert files["README.md"]["message"] == "说明文件，已跳过"
    assert files[SICHUAN]["missing"] == ["doc_no"]
    with sample_db.session() as s:
        entry = s.get(Entry, files[GANSU]["entry_id"])
        version = get_version(s, entry.id)
        assert (entry.kind.value, entry.region, entry.status.value) == ("policy", "甘肃省", "draft")
        assert entry.owner_unit.code == "SL-RX"
        assert entry.source_key == "文号:甘政办发〔2025〕69号"
        assert (version.doc_no, version.issuer, version.published_on) == (
            "甘政办发〔2025〕69号",
            "甘肃省人民政府办公厅",
            dt.date(2025, 11, 18),
        )
        assert version.meta["missing"] == ["expires_on"]
        assert version.meta["removed_lines"]["重复语句"] == 1
        # the original is kept byte for byte, addressed by its hash
        kept = get_settings().originals_dir / version.source_sha256[:2]
        kept = kept / f"{version.source_sha256}.txt"
        assert kept.read_bytes() == (SEEDS / GANSU).read_bytes()
        assert version.source_file.endswith(GANSU)

        sichuan = s.get(Entry, files[SICHUAN]["entry_id"])
        assert sichuan.source_key == f"文件:SL-RX/{SICHUAN}"
        relations = s.scalars(select(PolicyRelation)).all()
        assert [(r.entry_id, r.relation, r.target_title) for r in relations] == [
            (sichuan.id, "abolishes", "四川省12345政务服务便民热线运行管理暂行办法")
        ]
        assert get_version(s, sichuan.id).expires_on == dt.date(2030, 12, 24)


def test_abolished_link_reaches_the_quarterly_sweep(cli, sample_db, tmp_path):
    cli("ingest", SEEDS / SICHUAN, "--publish")  # only a live entry abolishes anything
    cli(
        "kb", "add", "--kind", "script", "--title", "热线办理时限", "--unit", "SL-RX",
        "--region", "示例市", "--body", "咨询类诉求3个工作日内办结。",
        "--basis-title", "《四川省12345政务服务便民热线运行管理暂行办法》",
    )  # fmt: skip
    with sample_db.session() as s:
        script = s.scalar(select(Entry).where(Entry.title == "热线办理时限"))
        reasons = abolished_reasons(s, script, get_version(s, script.id))
    assert len(reasons) == 1 and "已被条目" in reasons[0] and "废止" in reasons[0]


def test_reingest_unchanged_writes_nothing(cli, sample_db, tmp_path):
    folder = seeds_copy(tmp_path)
    assert cli("ingest", folder).code == 0
    before = snapshot(sample_db)
    again = cli("ingest", folder, "--json").json()
    assert again["counts"]["unchanged"] == 5 and again["counts"]["created"] == 0
    assert all(
        f["message"] == "与第 1 版相同，未做任何改动"
        for f in again["files"]
        if f["action"] == "unchanged"
    )
    assert snapshot(sample_db) == before


def test_reingest_changed_document_makes_a_new_version_with_clause_diff(cli, sample_db, tmp_path):
    first = cli("ingest", SEEDS / GANSU, "--json").json()["files"][0]
    text = (SEEDS / GANSU).read_text(encoding="utf-8")
    text = text.replace("不低于 30%", "不低于 40%")  # one clause changed
    text = text.replace(
        "甘肃省人民政府办公厅 2025年11月18日",
        "(十六) 加强宣传引导。加大12345热线宣传力度。(省大数据中心牵头)\n\n甘肃省人民政府办公厅 2025年11月18日",
    )  # one clause added
    # a different file name: identity is the 文号
    changed = write(tmp_path / "gansu-revised.txt", text.encode("utf-8"))
    report = cli("ingest", changed, "--json").json()["files"][0]
    assert report["action"] == "updated"
    assert report["entry_id"] == first["entry_id"]
    assert report["version"] == 2
    assert report["changes"] == {"added": 0, "removed": 0, "changed": 2, "fields": []}
    with sample_db.session() as s:
        version = get_version(s, first["entry_id"])
        assert version.status.value == "draft"
        assert version.change_note == "重新导入 gansu-revised.txt：条款新增 0、删除 0、修改 2"
        assert "不低于40%" in version.body and "（十六）加强宣传引导" in version.body
    # `kb diff` compares sentence by sentence: the changed sentence and the inserted clause
    diff = cli("kb", "diff", first["entry_id"], "--json").json()
    assert [op["op"] for op in diff["body"]] == ["replace", "insert"]
    assert diff["body"][1]["new"] == [
        "（十六）加强宣传引导。",
        "加大12345热线宣传力度。",
        "（省大数据中心牵头）",
    ]


def test_reingest_by_file_name_when_there_is_no_doc_no(cli, sample_db, tmp_path):
    name = "changzhi-12345-mechanism.txt"
    first = cli("ingest", SEEDS / name, "--json").json()["files"][0]
    edited = (SEEDS / name).read_text(encoding="utf-8").replace("(试行)", "")
    report = cli("ingest", write(tmp_path / "v2" / name, edited.encode()), "--json").json()
    assert report["files"][0]["action"] == "updated"
    assert report["files"][0]["entry_id"] == first["entry_id"]
    # another unit's file of the same name is another document (title clash aside)
    other = write(tmp_path / "rs" / name, "示例市人社局工作提示\n请各单位按时报送材料。".encode())
    third = cli("ingest", other, "--unit", "SL-RS", "--json").json()["files"][0]
    assert third["action"] == "created" and third["entry_id"] != first["entry_id"]


def test_publish_goes_live_and_is_audited(cli, sample_db):
    report = cli("ingest", SEEDS / GANSU, "--publish", "--json").json()
    entry_id = report["files"][0]["entry_id"]
    with sample_db.session() as s:
        assert s.get(Entry, entry_id).status.value == "published"
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.entry_id == entry_id)).all()
        reason = s.scalar(select(AuditEvent.detail).where(AuditEvent.action == "publish_trusted"))
    assert actions == ["create", "publish_trusted", "publish"]
    assert reason["reason"] == "批量导入"


def test_submit_sends_to_review(cli, sample_db):
    report = cli("ingest", SEEDS / GANSU, "--submit", "--json").json()
    with sample_db.session() as s:
        assert s.get(Entry, report["files"][0]["entry_id"]).status.value == "in_review"


def test_publish_by_non_admin_is_refused_before_anything(cli, sample_db):
    before = snapshot(sample_db)
    result = cli("ingest", SEEDS / GANSU, "--publish", "--as", "center_reviewer")
    assert result.code == 1
    assert "只有管理员可以在导入时直接发布" in result.err
    assert snapshot(sample_db) == before


def test_unit_option_and_permission(cli, sample_db):
    ok = cli("ingest", SEEDS / GANSU, "--unit", "SL-RS", "--as", "rs_editor", "--json")
    assert ok.code == 0 and ok.json()["counts"]["created"] == 1
    denied = cli("ingest", SEEDS / SICHUAN, "--unit", "SL-YB", "--as", "rs_editor")
    assert denied.code == 1 and "不能维护" in denied.err
    unknown = cli("ingest", SEEDS / SICHUAN, "--unit", "SL-NOPE")
    assert unknown.code == 1 and "未知承办单位" in unknown.err


def test_dry_run_shows_without_writing(cli, sample_db, tmp_path):
    before = snapshot(sample_db)
    result = cli("ingest", seeds_copy(tmp_path), "--dry-run", "--json")
    assert result.json()["dry_run"] is True
    assert result.json()["counts"]["created"] == 5
    assert snapshot(sample_db) == before
    assert not get_settings().originals_dir.exists()
    human = cli("ingest", SEEDS / GANSU, "--dry-run")
    assert "试运行，未写入" in human.out and "新建" in human.out


def test_bad_files_are_rejected_and_the_rest_still_ingested(cli, sample_db, tmp_path):
    folder = tmp_path / "mixed"
    write(folder / "a-empty.txt", b"")
    write(folder / "b-corrupt.docx", b"PK\x03\x04 definitely not a word file")
    write(folder / "c-binary.txt", bytes(range(256)) * 4)
    write(folder / "d-good.docx", make_docx(["示例市医疗保障局关于城乡居民医保缴费的通知",
        "各区县医保分局：", "2026年度城乡居民医保集中缴费期为2025年9月1日至12月31日，请做好宣传。"]))  # fmt: skip
    write(folder / "e-notes.yaml", b"a: 1")
    shutil.copy(SEEDS / GANSU, folder / GANSU)
    result = cli("ingest", folder, "--json")
    assert result.code == 1  # rejected files fail the run; the others were still ingested
    assert result.json()["failed"] is True
    files = by_name(result.json())
    assert {name: f["action"] for name, f in files.items()} == {
        "a-empty.txt": "rejected",
        "b-corrupt.docx": "rejected",
        "c-binary.txt": "rejected",
        "d-good.docx": "created",
        "e-notes.yaml": "skipped",
        GANSU: "created",
    }
    assert "文件为空" in files["a-empty.txt"]["message"]
    assert "b-corrupt.docx" in files["b-corrupt.docx"]["message"]
    assert "不是文本文件" in files["c-binary.txt"]["message"]
    assert files["e-notes.yaml"]["message"] == "不支持的文件类型（.yaml），已跳过"
    with sample_db.session() as s:
        assert len(s.scalars(select(Entry)).all()) == 2
    human = cli("ingest", folder)
    assert human.code == 1 and "有 3 个文件被拒绝，退出码 1；其他文件已照常处理。" in human.err
    assert "拒绝" in human.out and "文件为空" in human.out


EXIT_CODES = [
    # (files in the folder or named, extra options, exit code)
    ({"good.txt": "ok"}, [], 0),
    ({"good.txt": "ok", "notes.yaml": "a: 1"}, [], 0),  # a skipped non-document is fine
    ({"good.txt": "ok", "notes.yaml": "a: 1"}, ["--strict"], 1),  # unless --strict
    ({"good.txt": "ok", "empty.txt": ""}, [], 1),
]


@pytest.mark.parametrize(("files", "options", "code"), EXIT_CODES)
def test_exit_code_of_a_folder_run(cli, sample_db, tmp_path, files, options, code):
    good = "示例市医疗保障局关于医保缴费的通知\n各区县医保分局：\n请做好2026年度城乡居民医保缴费宣传工作。"
    for name, text in files.items():
        write(tmp_path / "in" / name, (good if text == "ok" else text).encode())
    assert cli("ingest", tmp_path / "in", *options).code == code


def test_a_bad_file_named_explicitly_fails_the_run(cli, sample_db, tmp_path):
    tool = write(tmp_path / "tool.exe", b"MZ\x90\x00" + bytes(200))
    good = write(
        tmp_path / "good.txt",
        "示例市医疗保障局关于医保缴费的通知\n请做好医保缴费宣传工作，确保应保尽保。".encode(),
    )
    result = cli("ingest", tool, good, "--json")
    assert result.code == 1
    files = by_name(result.json())
    assert files["tool.exe"]["action"] == "rejected"
    assert "不支持的文件类型“.exe”" in files["tool.exe"]["message"]
    assert files["good.txt"]["action"] == "created"
    missing = cli("ingest", tmp_path / "nope.txt")
    assert missing.code == 1 and "路径不存在" in missing.out


def test_explicit_unknown_file_type_is_rejected(cli, sample_db, tmp_path):
    path = write(tmp_path / "photo.jpg", b"\xff\xd8\xff" + bytes(50))
    report = cli("ingest", path, "--json").json()
    assert report["files"][0]["action"] == "rejected"
    assert "不支持的文件类型“.jpg”" in report["files"][0]["message"]


def test_oversize_by_setting(cli, sample_db, tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_MAX_FILE_MB", "0.005")
    get_settings.cache_clear()
    report = cli("ingest", SEEDS / GANSU, "--json").json()
    assert report["files"][0]["action"] == "rejected"
    assert "文件过大" in report["files"][0]["message"]


def test_region_unknown_falls_back_to_unit_region_and_is_reported(cli, sample_db, tmp_path):
    path = write(
        tmp_path / "燃气安全提示.txt",
        "燃气安全提示\n发现燃气泄漏时，请立即关闭阀门、打开门窗通风，不要开关电器，到室外拨打燃气抢修电话。".encode(),
    )
    report = cli("ingest", path, "--json").json()["files"][0]
    assert report["action"] == "created"
    assert report["missing"] == ["doc_no", "issuer", "published_on", "expires_on", "region"]
    with sample_db.session() as s:
        entry = s.get(Entry, report["entry_id"])
        assert entry.region == "示例市"
        assert get_version(s, entry.id).meta["assumed"]["region"].startswith("文中未写明地区")


def test_sample_folder_classifies_every_file(cli, sample_db):
    data = Path(__file__).resolve().parent.parent / "data" / "policies"
    report = cli("ingest", data, "--dry-run", "--json").json()
    files = by_name(report)
    assert files["units.csv"]["action"] == "skipped"
    assert files["units.csv"]["message"].startswith("不是知识库文档：单位表")
    assert files["sample_users.csv"]["message"].startswith("不是知识库文档：用户表")
    for name in SEEDS.glob("*.txt"):
        assert files[name.name]["action"] == "created"
    assert report["counts"]["rejected"] == 0


EDU = "关于做好春节期间安全工作的通知\n各学校：\n春节将至，各学校要做好校园安全检查，落实值班制度，确保师生平安过节。\n示例市教育局\n2026年1月20日\n"
CIVIL = "关于做好春节期间安全工作的通知\n各养老机构：\n春节将至，各养老机构要做好消防安全检查，落实值班制度，确保老人平安过节。\n示例市民政局\n2026年1月21日\n"


def test_same_title_from_another_issuer_is_not_merged(cli, sample_db, tmp_path):
    first = cli("ingest", write(tmp_path / "edu.txt", EDU.encode()), "--json").json()["files"][0]
    assert first["action"] == "created"
    before = snapshot(sample_db)
    result = cli("ingest", write(tmp_path / "civil.txt", CIVIL.encode()), "--json")
    assert result.code == 1
    [second] = result.json()["files"]
    assert second["action"] == "rejected"
    assert second["message"] == (
        "地区“示例市”已有同名政策条目“关于做好春节期间安全工作的通知”"
        f"（ID {first['entry_id']}，来自 edu.txt，发文单位：示例市教育局），本文件发文单位：示例市民政局，"
        "且没有相同的文号，按另一份文件处理；同一地区标题不能重复，本文件未导入。"
        "如是原文件的新版本，请用原文件名或写明与原文件相同的文号、发文单位重新导入；"
        "如是另一份文件，请把文件中的标题写全（如“示例市民政局关于做好春节期间安全工作的通知”）后重新导入。"
    )
    assert snapshot(sample_db) == before
    # the advice works: the full title is another document
    fixed = CIVIL.replace("关于做好", "示例市民政局关于做好", 1)
    third = cli("ingest", write(tmp_path / "civil.txt", fixed.encode()), "--json").json()["files"][
        0
    ]
    assert third["action"] == "created" and third["entry_id"] != first["entry_id"]


def test_same_title_and_issuer_under_a_new_file_name_is_a_new_version(cli, sample_db, tmp_path):
    first = cli("ingest", write(tmp_path / "edu.txt", EDU.encode()), "--json").json()["files"][0]
    # the very same bytes renamed: same source, nothing to do
    copy = cli("ingest", write(tmp_path / "copy.txt", EDU.encode()), "--json").json()["files"][0]
    assert (copy["action"], copy["entry_id"]) == ("unchanged", first["entry_id"])
    # edited and renamed, same title and issuer: a new version of the same notice
    edited = EDU.replace("落实值班制度", "落实24小时值班制度")
    second = cli("ingest", write(tmp_path / "edu-v2.txt", edited.encode()), "--json").json()
    assert (second["files"][0]["action"], second["files"][0]["entry_id"]) == (
        "updated",
        first["entry_id"],
    )


def test_assumptions_and_the_kept_original_are_reported(cli, sample_db):
    result = cli("ingest", SEEDS / SICHUAN, "--json")
    [report] = result.json()["files"]
    assert report["assumed"] == [
        {
            "field": "effective_from",
            "field_zh": "生效日期",
            "value": "2025-12-25",
            "reason": "文中未写明施行日期，有效期按发布日期起算",
        },
        {
            "field": "expires_on",
            "field_zh": "失效日期",
            "value": "2030-12-24",
            "reason": "按推定的生效日期加有效期5年计算",
        },
    ]
    with sample_db.session() as s:
        version = get_version(s, report["entry_id"])
        assert report["sha256"] == version.source_sha256
        assert Path(report["original"]).read_bytes() == (SEEDS / SICHUAN).read_bytes()
        assert version.meta["assumed"]["expires_on"] == "按推定的生效日期加有效期5年计算"
    human = cli("ingest", SEEDS / GANSU).out
    sha = hashlib.sha256((SEEDS / GANSU).read_bytes()).hexdigest()
    assert f"原件 {SEEDS / GANSU}：sha256 {sha}" in human
    assert "推定" not in human  # Gansu states its own dates


NOTES = [
    # (missing, assumed, what the 说明 column says)
    ([], [], "已新建"),
    (["doc_no"], [], "已新建（未找到：文号）"),
    (
        ["doc_no"],
        [Assumption("effective_from", "2025-12-25", "文中未写明施行日期，有效期按发布日期起算")],
        "已新建（未找到：文号）（推定：生效日期 2025-12-25（文中未写明施行日期，有效期按发布日期起算））",
    ),
    (
        ["region"],
        [
            Assumption("region", "示例市", "文中未写明地区，按责任单位所在地区"),
            Assumption("title", "通知", "文中未找到标题，取文件名"),
        ],
        "已新建（未找到：地区）（推定：地区 示例市（文中未写明地区，按责任单位所在地区）；"
        "标题 通知（文中未找到标题，取文件名））",
    ),
]


@pytest.mark.parametrize(("missing", "assumed", "note"), NOTES)
def test_report_note_shows_missing_and_assumed(missing, assumed, note):
    result = FileResult("a.txt", "document", "created", "已新建", missing=missing, assumed=assumed)
    assert result.note_zh() == note


def test_abolished_by_doc_no_reaches_the_sweep(cli, sample_db, tmp_path):
    text = (
        "示例市人民政府关于印发示例市热线管理办法的通知\n示政发〔2026〕3号\n各区县人民政府：\n"
        "现将《示例市热线管理办法》印发给你们，请认真贯彻执行。示政发〔2020〕5号文件同时废止。\n"
        "示例市人民政府\n2026年3月1日\n"
    )
    report = cli("ingest", write(tmp_path / "new.txt", text.encode()), "--publish", "--json").json()
    entry_id = report["files"][0]["entry_id"]
    cli(
        "kb", "add", "--kind", "script", "--title", "热线管理规定", "--unit", "SL-RX",
        "--region", "示例市", "--body", "热线诉求3个工作日内答复。", "--doc-no", "示政发〔2020〕5号",
    )  # fmt: skip
    with sample_db.session() as s:
        relations = s.scalars(select(PolicyRelation)).all()
        assert [(r.entry_id, r.target_title, r.target_doc_no) for r in relations] == [
            (entry_id, None, "示政发〔2020〕5号")
        ]
        script = s.scalar(select(Entry).where(Entry.title == "热线管理规定"))
        reasons = abolished_reasons(s, script, get_version(s, script.id))
    assert reasons == [f"依据的示政发〔2020〕5号已被条目 {entry_id} 废止"]
    # ingesting the same document again adds no second link
    cli("ingest", tmp_path / "new.txt")
    with sample_db.session() as s:
        assert len(s.scalars(select(PolicyRelation)).all()) == 1


def test_script_table_missing_a_column_is_rejected_not_skipped(cli, sample_db, tmp_path):
    header = "kind,title,questions,answer,basis,doc_no,owner_unit,region,effective_from,expires_on"
    row = "script,示例缺列,问,答复内容。,,,SL-GA,示例市,2025-01-01,"
    path = write(tmp_path / "scripts.csv", f"{header}\n{row}\n".encode())
    result = cli("ingest", path, "--json")
    assert result.code == 1
    [report] = result.json()["files"]
    assert report["action"] == "rejected"
    assert report["message"].startswith(
        f"文件 {path}：像是答复口径表（有 kind、title、answer 列），但表头缺少列：category。"
    )
