"""Uploads through /api/ingest run the same ingest as the CLI: one outcome per file, the
client's file name (never the server's temporary path) in messages and in the KB, and the
stored original's sha256 in the answer."""

from __future__ import annotations

import hashlib

from kb.entries import get_version
from kb.settings import get_settings
from tests.conftest import snapshot

pytest_plugins = ("tests.api_fixtures",)

POLICY = (
    "示例市医疗保障局关于调整城乡居民医保缴费标准的通知\n"
    "示医保发〔2026〕7号\n"
    "一、2027年度城乡居民医保个人缴费标准为每人每年400元。\n"
    "二、缴费时间为2026年9月1日至12月31日。\n"
    "示例市医疗保障局\n2026年11月20日\n"
)


def _upload(api, files, user="yb_editor", **data):
    return api.post(
        "/api/ingest",
        user,
        files=[("files", (name, content, "application/octet-stream")) for name, content in files],
        data=data,
    )


def test_one_empty_file_does_not_abort_the_batch(api) -> None:
    resp = _upload(api, [("空.txt", b""), ("医保缴费通知.txt", POLICY.encode())])
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["counts"]["rejected"] == 1 and body["counts"]["created"] == 1
    empty, good = body["files"]
    assert (empty["file"], empty["action"], empty["message"]) == (
        "空.txt",
        "rejected",
        "文件 空.txt：文件为空（0 字节）。",
    )
    assert (good["file"], good["action"]) == ("医保缴费通知.txt", "created")


def test_upload_records_the_client_file_name_and_the_original_hash(api) -> None:
    resp = _upload(api, [("医保缴费通知.txt", POLICY.encode())])
    [outcome] = resp.json()["files"]
    sha = hashlib.sha256(POLICY.encode()).hexdigest()
    assert outcome["sha256"] == sha
    with api.db.session() as session:
        version = get_version(session, outcome["entry_id"])
        assert (version.source_file, version.source_sha256) == ("医保缴费通知.txt", sha)
        assert version.meta["original_name"] == "医保缴费通知.txt"
    kept = get_settings().originals_dir / sha[:2] / f"{sha}.txt"
    assert kept.read_bytes() == POLICY.encode()


def test_refusal_names_the_upload_not_the_temporary_path(api) -> None:
    before = snapshot(api.db)
    resp = _upload(api, [("伪装.txt", b"\x00\x01\x02binary\x00" * 50)])
    assert resp.status_code == 422
    assert resp.json()["details"] == [
        "文件 伪装.txt：不是文本文件（含二进制内容），请提供 txt、docx、pdf 或网页文件。"
    ]
    assert snapshot(api.db) == before
