"""`hotline pii mask` and `hotline eval pii`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

TEXT = "我叫张伟，电话13812345678"
MASKED = "我叫〔姓名1〕，电话〔手机号1〕"


def test_mask_reads_stdin(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(TEXT + "\n"))
    result = cli("pii", "mask")
    assert result.code == 0
    assert result.out.splitlines()[0] == MASKED
    assert "张伟" not in result.out and "13812345678" not in result.out


def test_mask_text_json_lists_entities_without_values(cli) -> None:
    result = cli("pii", "mask", "--text", TEXT, "--json")
    assert result.code == 0
    assert result.json() == {
        "text": MASKED,
        "entities": [
            {"type": "PERSON", "start": 2, "end": 4, "score": 1.0, "placeholder": "〔姓名1〕"},
            {
                "type": "CN_MOBILE",
                "start": 7,
                "end": 18,
                "score": 1.0,
                "placeholder": "〔手机号1〕",
            },
        ],
    }


def test_mask_file_of_plain_lines_keeps_order(cli, tmp_path: Path) -> None:
    source = tmp_path / "calls.txt"
    source.write_text("我叫张伟\n\n车牌甘A12345\n公积金怎么提取\n", encoding="utf-8")
    result = cli("pii", "mask", "--file", source)
    assert result.code == 0
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert [(r["line"], r["text"]) for r in rows] == [
        (1, "我叫〔姓名1〕"),
        (2, ""),
        (3, "车牌〔车牌1〕"),
        (4, "公积金怎么提取"),
    ]


def test_mask_file_of_json_lines_keeps_other_fields(cli, tmp_path: Path) -> None:
    source = tmp_path / "calls.jsonl"
    lines = [{"id": 7, "text": "王先生电话13812345678"}, {"id": 8, "text": "无"}]
    source.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    out = tmp_path / "masked.jsonl"
    result = cli("pii", "mask", "--file", source, "--out", out)
    assert result.code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["text"], len(r["entities"])) for r in rows] == [
        (7, "〔姓名1〕电话〔手机号1〕", 2),
        (8, "无", 0),
    ]


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["--text", "x", "--file", "F"], None, "只能二选一"),
        (["--file", "F"], None, "找不到文件"),
        (["--file", "F"], b"\xb9\xfa\xbc\xd2", "不是 UTF-8"),
        (["--file", "F"], b'{"text": "a"}\n{"id": 2}\n', "第 2 行缺少文本字段 text"),
        (["--file", "F"], b'{"text": "a"}\n{broken\n', "第 2 行不是合法的 JSON"),
        (["--text", "   "], None, "没有要脱敏的文本"),
        (["--text", "x", "--out", "O"], None, "--out 只能与 --file"),
    ],
)
def test_mask_bad_input(
    cli, tmp_path: Path, args: list[str], content: bytes | None, message: str
) -> None:
    path = tmp_path / "input.txt"
    if content is not None:
        path.write_bytes(content)
    args = [str(path) if a == "F" else str(tmp_path / "o.jsonl") if a == "O" else a for a in args]
    result = cli("pii", "mask", *args)
    assert result.code == 1
    assert message in result.err


@pytest.fixture
def rules_only(monkeypatch):
    """Masking without the statistical name tagger, for this test only."""
    from assistant.privacy.analyzer import clear_cache
    from kb.settings import get_settings

    monkeypatch.setenv("HOTLINE_PII_NER", "false")
    get_settings.cache_clear()
    clear_cache()
    yield
    monkeypatch.delenv("HOTLINE_PII_NER")
    get_settings.cache_clear()
    clear_cache()


def test_eval_pii_on_a_small_dataset(cli, tmp_path: Path, rules_only) -> None:
    # the rules alone: the statistical tagger would find the cue-less name below
    dataset = tmp_path / "tiny.jsonl"
    records = [
        {
            "id": "a",
            "text": "我叫张伟，电话13812345678",
            "entities": [
                {"type": "PERSON", "start": 2, "end": 4, "value": "张伟"},
                {"type": "CN_MOBILE", "start": 7, "end": 18, "value": "13812345678"},
            ],
            "keep": [],
        },
        {
            # The caller's name has no cue here: a miss and a leak the report must show.
            "id": "b",
            "text": "根据国办函〔2025〕66号，拨打12345。张伟",
            "entities": [{"type": "PERSON", "start": 23, "end": 25, "value": "张伟"}],
            "keep": ["国办函〔2025〕66号", "12345"],
        },
    ]
    dataset.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    result = cli("eval", "pii", "--dataset", dataset, "--json")
    assert result.code == 0
    report = result.json()
    assert report["per_type"]["PERSON"]["gold"] == 2
    assert report["per_type"]["PERSON"]["found"] == 1
    assert report["per_type"]["PERSON"]["recall"] == 0.5
    assert report["per_type"]["CN_MOBILE"]["recall"] == 1.0
    assert report["leaks"] == 1
    assert report["misses"] == ["b:PERSON@23"]
    assert (report["must_keep"], report["must_keep_destroyed"]) == (2, 0)
    assert report["throughput_kb_per_s"] > 0


def test_eval_pii_default_dataset_renders_for_people(cli) -> None:
    result = cli("eval", "pii")
    assert result.code == 0
    assert "召回率" in result.out and "泄漏" in result.out and "吞吐量" in result.out


def test_eval_pii_missing_dataset(cli, tmp_path: Path) -> None:
    result = cli("eval", "pii", "--dataset", tmp_path / "none.jsonl")
    assert result.code == 1
    assert "找不到评测集" in result.err
