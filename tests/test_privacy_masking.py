"""mask / unmask / vault / scan: placeholders, round trips, conversations, storage."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from assistant.privacy import Vault, contains_pii, mask, mask_for_storage, scan, unmask

DATASET = Path(__file__).resolve().parent.parent / "eval" / "datasets" / "pii_dev.jsonl"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("我叫张伟，电话13812345678", "我叫〔姓名1〕，电话〔手机号1〕"),
        (
            "身份证11010519491231002X，卡号6217001234567893",
            "身份证〔身份证1〕，卡号〔银行卡1〕",
        ),
        (
            "住在东湖区滨江路88号阳光花园小区3栋2单元1502室",
            "住在东湖区〔地址1〕",
        ),
        ("车牌甘A12345，邮箱zhangwei@163.com", "车牌〔车牌1〕，邮箱〔邮箱1〕"),
        ("座机0931-8123456，护照E12345678", "座机〔固话1〕，护照〔证件1〕"),
        ("QQ号274936158", "QQ号〔社交账号1〕"),
        (
            "王先生和李女士的电话分别是13812345678和13912345678",
            "〔姓名1〕和〔姓名2〕的电话分别是〔手机号1〕和〔手机号2〕",
        ),
        ("根据国办函〔2025〕66号，3个工作日内答复", "根据国办函〔2025〕66号，3个工作日内答复"),
        ("", ""),
    ],
)
def test_mask_placeholders(text: str, masked: str) -> None:
    assert mask(text).text == masked


def test_same_value_same_placeholder_within_one_text() -> None:
    result = mask("我叫张伟，张伟的电话13812345678，再说一遍13812345678")
    assert result.text == "我叫〔姓名1〕，〔姓名1〕的电话〔手机号1〕，再说一遍〔手机号1〕"
    assert len(result.vault) == 2


def test_vault_spans_a_conversation() -> None:
    vault = Vault()
    first = mask("市民：我叫张伟，电话13812345678。", vault)
    # No cue in the later turn: the name is masked because the vault already knows it.
    second = mask("市民：对，张伟，弓长张。号码还是13812345678。", vault)
    third = mask("市民：我爱人叫李秀英。", vault)
    assert first.text == "市民：我叫〔姓名1〕，电话〔手机号1〕。"
    assert second.text == "市民：对，〔姓名1〕，弓长张。号码还是〔手机号1〕。"
    assert third.text == "市民：我爱人叫〔姓名2〕。"
    assert unmask("〔姓名1〕和〔姓名2〕", vault) == "张伟和李秀英"


def test_entities_report_spans_not_values() -> None:
    result = mask("我叫张伟，电话13812345678")
    assert [e.to_dict() for e in result.entities] == [
        {"type": "PERSON", "start": 2, "end": 4, "score": 1.0, "placeholder": "〔姓名1〕"},
        {"type": "CN_MOBILE", "start": 7, "end": 18, "score": 1.0, "placeholder": "〔手机号1〕"},
    ]
    assert "张伟" not in json.dumps([e.to_dict() for e in result.entities], ensure_ascii=False)


@pytest.mark.parametrize(
    ("reply", "restored"),
    [
        ("〔姓名1〕您好，已记录〔手机号1〕", "张伟您好，已记录13812345678"),
        ("【姓名1】您好", "张伟您好"),  # models rewrite the brackets
        ("[姓名1]您好", "张伟您好"),
        ("〔姓名9〕您好", "〔姓名9〕您好"),  # unknown placeholder left alone
    ],
)
def test_unmask_restores_reply(reply: str, restored: str) -> None:
    result = mask("我叫张伟，电话13812345678")
    assert unmask(reply, result.vault) == restored


def test_round_trip_over_the_dataset() -> None:
    texts = [json.loads(line)["text"] for line in DATASET.read_text(encoding="utf-8").splitlines()]
    assert len(texts) >= 240
    for text in texts:
        result = mask(text)
        assert unmask(result.text, result.vault) == text


def test_masked_text_rescans_clean() -> None:
    # What the gateway relies on: a masked text contains nothing detectable any more.
    for line in DATASET.read_text(encoding="utf-8").splitlines():
        masked = mask(json.loads(line)["text"]).text
        assert scan(masked) == [], masked


def test_existing_placeholders_do_not_collide() -> None:
    result = mask("来电人〔姓名1〕的邻居叫王建国")
    assert result.text == "来电人〔姓名1〕的邻居叫〔姓名2〕"
    assert unmask(result.text, result.vault) == "来电人〔姓名1〕的邻居叫王建国"


def test_vault_never_shows_values() -> None:
    result = mask("我叫张伟，电话13812345678")
    shown = repr(result.vault) + str(result.vault) + f"{result.vault}"
    assert "张伟" not in shown and "13812345678" not in shown
    assert shown.startswith("<Vault 2 项")
    with pytest.raises(TypeError):
        pickle.dumps(result.vault)


def test_vault_export_restore_continues_numbering() -> None:
    vault = Vault()
    mask("我叫张伟，电话13812345678", vault)
    restored = Vault.restore(vault.export())
    assert mask("我叫李娜", restored).text == "我叫〔姓名2〕"
    assert unmask("〔姓名1〕", restored) == "张伟"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        (
            "怎么办理社保卡？我叫张伟，电话13812345678",
            "怎么办理社保卡？我叫〔姓名1〕，电话〔手机号1〕",
        ),
        ("公积金怎么提取", "公积金怎么提取"),
    ],
)
def test_mask_for_storage(text: str, stored: str) -> None:
    assert mask_for_storage(text) == stored


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("电话13812345678", True),
        ("我叫〔姓名1〕，电话〔手机号1〕", False),
        ("12345热线，3个工作日内答复", False),
        ("", False),
    ],
)
def test_contains_pii(text: str, expected: bool) -> None:
    assert contains_pii(text) is expected


def test_analyzer_builds_and_runs_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing may download at run time (spaCy models, tldextract's suffix list …).
    import socket

    from assistant.privacy.analyzer import build_analyzer

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    engine = build_analyzer()
    text = "我叫张伟，邮箱zhangwei@163.com，电话13812345678"
    found = {
        (r.entity_type, text[r.start : r.end]) for r in engine.analyze(text=text, language="zh")
    }
    assert {("PERSON", "张伟"), ("EMAIL_ADDRESS", "zhangwei@163.com")} <= found
    assert ("CN_MOBILE", "13812345678") in found


@pytest.mark.parametrize(
    ("turns", "masked"),
    [
        # A name that is also a district is never replaced before an administrative level.
        (["我叫安宁，电话13812345678", "安宁区那边的13812345678是我的号"],
         ["我叫〔姓名1〕，电话〔手机号1〕", "安宁区那边的〔手机号1〕是我的号"]),
        (["我叫安宁，住在安宁区。"], ["我叫〔姓名1〕，住在安宁区。"]),
        (["我叫平川", "平川区的平川说"], ["我叫〔姓名1〕", "平川区的〔姓名1〕说"]),
        # Nor inside a must-keep look-alike.
        (["我叫张伟", "工单GD20251201000123，张伟的"], ["我叫〔姓名1〕", "工单GD20251201000123，〔姓名1〕的"]),
    ],
)  # fmt: skip
def test_propagation_spares_places_and_look_alikes(turns: list[str], masked: list[str]) -> None:
    vault = Vault()
    assert [mask(turn, vault).text for turn in turns] == masked


def test_ask_stores_the_region_masked(sample_db) -> None:
    # The region is typed by an operator and can hold a caller's address: like the question,
    # it reaches kb_gaps and ask_log only masked (the district stays for QA's filter).
    import datetime as dt
    from types import SimpleNamespace

    from sqlalchemy import select

    from assistant.answer import AskResult, Decision, record_decision
    from kb.gaps import AskLog, KbGap
    from kb.settings import get_settings

    result = AskResult(
        question="楼上漏水",
        on=dt.date(2026, 11, 22),
        region="城关区幸福路12号3栋501室",
        answered=False,
        confidence=0.1,
    )
    runtime = SimpleNamespace(settings=get_settings())
    gap_id = record_decision(Decision(result, "楼上漏水", None), runtime, channel="cli")
    with sample_db.session() as session:
        stored = [g.region for g in session.scalars(select(KbGap))]
        stored += [log.region for log in session.scalars(select(AskLog))]
        assert session.get(KbGap, gap_id) is not None
    assert stored == ["城关区〔地址1〕", "城关区〔地址1〕"]
