"""Uploads: policy documents through ingest, answer-script tables through the importer."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import snapshot

pytest_plugins = ("tests.api_fixtures",)

HEADER = (
    "kind,title,questions,answer,basis,doc_no,owner_unit,region,category,effective_from,expires_on"
)
GOOD_ROW = "script,门诊慢特病申请,慢特病怎么申请|门特怎么办,持诊断证明到医保窗口申请，20个工作日内办结。,《示例市门诊慢特病管理办法》,,SL-YB,示例市,,2026-01-01,"
POLICY = (
    "示例市医疗保障局关于调整城乡居民医保缴费标准的通知\n"
    "示医保发〔2026〕7号\n"
    "一、2027年度城乡居民医保个人缴费标准为每人每年400元。\n"
    "二、缴费时间为2026年9月1日至12月31日。\n"
    "示例市医疗保障局\n2026年11月20日\n"
)


def _csv(*rows: str) -> bytes:
    return ("\n".join((HEADER, *rows)) + "\n").encode("utf-8")


def test_maintainer_uploads_a_policy_for_their_unit(api) -> None:
    resp = api.post(
        "/api/ingest",
        "yb_editor",
        files=[("files", ("医保缴费通知.txt", POLICY.encode("utf-8"), "text/plain"))],
        data={"submit": "true"},
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    [outcome] = body["files"]
    assert (outcome["file"], outcome["kind"], outcome["action"], outcome["doc_no"]) == (
        "医保缴费通知.txt",
        "document",
        "created",
        "示医保发〔2026〕7号",
    )
    entry = api.get(f"/api/entries/{outcome['entry_id']}", "op01").json()
    assert (entry["entry"]["owner_unit"], entry["entry"]["status"]) == (
        "示例市医疗保障局",
        "in_review",
    )
    trail = api.get(f"/api/entries/{outcome['entry_id']}/audit", "op01").json()
    assert {a["actor"] for a in trail} == {"yb_editor"}
    # the stored original is named by the client's file and its hash, on every channel
    [version] = api.get(f"/api/entries/{outcome['entry_id']}/versions", "op01").json()
    digest = hashlib.sha256(POLICY.encode("utf-8")).hexdigest()
    assert (version["source_file"], version["source_sha256"]) == ("医保缴费通知.txt", digest)


@pytest.mark.parametrize(
    ("user", "name", "content", "data", "status", "message"),
    [
        (
            "op01",
            "a.txt",
            POLICY.encode(),
            {},
            403,
            "此操作仅限管理员、维护员、审核员；当前令牌属于话务员op01。",
        ),
        (
            "yb_editor",
            "setup.exe",
            b"MZ\x90\x00",
            {},
            422,
            "不支持的文件类型“.exe”：文件上传只接受 .csv、.docx、.htm、.html、.jsonl、.markdown、.md、.pdf、.txt、.xlsx 文件。",
        ),
        ("yb_editor", "空.txt", b"", {}, 422, "上传的文件都未能导入，知识库没有变化。"),
        (
            "yb_editor",
            "伪装.txt",
            b"\x00\x01\x02binary\x00" * 50,
            {},
            422,
            "上传的文件都未能导入，知识库没有变化。",
        ),
        (
            "rs_editor",
            "a.txt",
            POLICY.encode(),
            {"unit": "SL-YB"},
            403,
            "rs_editor属于“示例市人力资源和社会保障局”，不能维护“示例市医疗保障局”的条目（谁录入、谁负责：只能维护本单位条目）。",
        ),
        (
            "yb_editor",
            "a.txt",
            POLICY.encode(),
            {"publish": "true"},
            403,
            "只有管理员可以在导入时直接发布（publish=true）；请不要设置 publish，导入后走审核流程。",
        ),
    ],
)
def test_bad_uploads_are_refused_and_change_nothing(
    api, user, name, content, data, status, message
) -> None:
    before = snapshot(api.db)
    resp = api.post(
        "/api/ingest",
        user,
        files=[("files", (name, content, "application/octet-stream"))],
        data=data,
    )
    assert resp.status_code == status, resp.text
    assert resp.json()["message"] == message
    assert snapshot(api.db) == before


def test_import_creates_drafts_in_review(api) -> None:
    resp = api.post(
        "/api/import",
        "yb_editor",
        files={"file": ("scripts.csv", _csv(GOOD_ROW), "text/csv")},
        data={"submit": "true"},
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    [row] = body["rows"]
    assert (row["row"], row["action"], row["title"]) == (2, "created", "门诊慢特病申请")
    assert (
        api.get(f"/api/entries/{row['entry_id']}", "op01").json()["entry"]["status"] == "in_review"
    )


def test_csv_with_broken_rows_is_refused_row_by_row(api) -> None:
    before = snapshot(api.db)
    content = _csv(
        GOOD_ROW,
        "script,没有答复,问法,,依据,,SL-YB,示例市,,,",
        "memo,类型不对,问法,答复内容。,依据,,SL-YB,示例市,,,",
        "script,日期不对,问法,答复内容。,依据,,SL-YB,示例市,,2026-13-01,",
    )
    resp = api.post(
        "/api/import", "yb_editor", files={"file": ("scripts.csv", content, "text/csv")}
    )
    assert resp.status_code == 422
    body = resp.json()
    assert (
        body["message"]
        == "导入失败：3 行有错误，未导入任何内容（可设 skip_invalid=true 只导入正确的行）。"
    )
    assert [d.split("：")[0] for d in body["details"]] == ["第 3 行", "第 4 行", "第 5 行"]
    assert snapshot(api.db) == before
    partial = api.post(
        "/api/import",
        "yb_editor",
        files={"file": ("scripts.csv", content, "text/csv")},
        data={"skip_invalid": "true"},
    ).json()
    assert partial["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 3}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "scripts.txt",
            b"x",
            "不支持的文件类型“.txt”：答复口径导入只接受 .csv、.jsonl、.xlsx 文件。",
        ),
        ("scripts.xlsx", b"PK\x03\x04 not really a workbook", "无法打开 Excel 文件"),
        ("scripts.csv", b"title,answer\nx,y\n", "表头缺少列"),
    ],
)
def test_unreadable_tables_are_refused(api, name, content, message) -> None:
    before = snapshot(api.db)
    resp = api.post(
        "/api/import", "yb_editor", files={"file": (name, content, "application/octet-stream")}
    )
    assert resp.status_code == 422
    assert message in resp.json()["message"]
    assert snapshot(api.db) == before


BINARY = bytes(range(256)) * 8  # NUL bytes and control characters: not a text file


def test_a_binary_table_is_named_as_the_client_sent_it(api) -> None:
    before = snapshot(api.db)
    resp = api.post("/api/import", "yb_editor", files={"file": ("rand.csv", BINARY, "text/csv")})
    assert resp.status_code == 422
    assert resp.json()["message"] == (
        "文件 rand.csv：不是文本文件（含二进制内容），"
        "请上传 CSV、XLSX 或 JSONL 表格（CSV 用 UTF-8 或 GBK 编码）。"
    )
    assert snapshot(api.db) == before


def test_rejected_documents_do_not_show_server_paths(api) -> None:
    resp = api.post(
        "/api/ingest",
        "yb_editor",
        files=[("files", ("rand.txt", BINARY, "text/plain"))],
    )
    assert resp.status_code == 422
    [detail] = resp.json()["details"]
    assert "rand.txt" in detail and "不是文本文件" in detail, detail
    assert "hotline-" not in detail and "/tmp" not in detail


def test_an_empty_file_does_not_stop_the_others(api) -> None:
    resp = api.post(
        "/api/ingest",
        "yb_editor",
        files=[
            ("files", ("空.txt", b"", "text/plain")),
            ("files", ("policy.txt", POLICY.encode(), "text/plain")),
        ],
    )
    assert resp.status_code == 200, resp.text
    outcomes = {f["file"]: f for f in resp.json()["files"]}
    assert outcomes["空.txt"]["action"] == "rejected"
    assert "空" in outcomes["空.txt"]["message"] and "/tmp" not in outcomes["空.txt"]["message"]
    assert outcomes["policy.txt"]["action"] == "created"
