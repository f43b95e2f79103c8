"""The text features of retrieval: jieba BM25 vectors, bigram coverage, place names."""

from __future__ import annotations

import pytest

from assistant.lexical import bigrams, coverage, coverage_in, normalise
from assistant.places import applies_to, mentioned_places
from assistant.sparse import SparseEncoder, read_stopwords, read_user_dict, term_index


@pytest.fixture(scope="module")
def encoder() -> SparseEncoder:
    return SparseEncoder()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # hotline terms from the user dictionary stay whole; question fillers are dropped
        ("接诉即办的工单退单改派怎么弄", ["接诉即办", "工单", "退单", "改派", "怎么弄"]),
        ("12345和12315现在是什么关系？", ["12345", "12315", "关系"]),
        # search mode also emits the sub-words of long words
        ("派单目录和答复口径", ["派单", "单目", "目录", "派单目录", "答复", "口径", "答复口径"]),
        ("请问你们这个并单是啥", ["并单", "啥"]),
        ("？！，。", []),
    ],
)
def test_tokenize(encoder: SparseEncoder, text: str, expected: list[str]) -> None:
    assert encoder.tokenize(text) == expected


def test_document_weights_follow_bm25(encoder: SparseEncoder) -> None:
    vec = encoder.encode_document("工单 工单 工单 退单")
    weights = dict(zip(vec.indices, vec.values, strict=True))
    assert list(vec.indices) == sorted(vec.indices)
    norm = 1.2 * (1 - 0.75 + 0.75 * 4 / 80.0)
    assert weights[term_index("工单")] == pytest.approx(3 * 2.2 / (3 + norm))
    assert weights[term_index("退单")] == pytest.approx(1 * 2.2 / (1 + norm))


def test_query_weights_are_one_per_distinct_term(encoder: SparseEncoder) -> None:
    vec = encoder.encode_query("工单工单退单")
    assert sorted(vec.indices) == sorted({term_index("工单"), term_index("退单")})
    assert set(vec.values) == {1.0}
    assert not encoder.encode_query("吗？")


def test_version_names_dictionary_and_parameters(tmp_path, encoder: SparseEncoder) -> None:
    other_dict = tmp_path / "terms.txt"
    other_dict.write_text("# 注释\n新词 100 n\n", encoding="utf-8")
    assert read_user_dict(other_dict) == [("新词", 100, "n")]
    assert SparseEncoder(other_dict).version != encoder.version
    assert SparseEncoder(k1=1.5).version != encoder.version
    assert "怎么" in read_stopwords(encoder_stopwords()) and "#" not in read_stopwords(
        encoder_stopwords()
    )


def encoder_stopwords():
    from assistant.sparse import STOPWORDS_PATH

    return STOPWORDS_PATH


@pytest.mark.parametrize(
    ("question", "grams"),
    [
        ("孩子上户口", {"孩子", "子上", "上户", "户口"}),
        # 多久 stays (久 is not a function character); 一个 would not
        ("知识库多久", {"知识", "识库", "库多", "多久"}),
        ("你们这个吗", set()),  # only function characters
        ("ＡＢ，１２", {"ab", "12"}),  # NFKC, lower case, split at punctuation
    ],
)
def test_bigrams(question: str, grams: set[str]) -> None:
    assert bigrams(question) == grams


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        ("孩子上户口", "新生儿上户口办理", 2 / 4),  # 上户 户口
        ("热线知识库多久巡检一次", "按季度开展热线知识库内容全覆盖巡检", 5 / 10),
        ("ＡＢＣ１２３", "abc123", 1.0),
        ("吗呢", "任何文本", 0.0),  # nothing to cover
    ],
)
def test_bigram_coverage(question: str, text: str, expected: float) -> None:
    assert coverage(bigrams(question), text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("北京的居住证积分落户怎么算分", {"北京"}),
        ("呼和浩特和内蒙古其他地方", {"呼和浩特", "内蒙古"}),
        ("孩子刚出生怎么上户口", set()),
        ("四川省12345热线有多少座席", {"四川"}),
    ],
)
def test_mentioned_places(question: str, places: set[str]) -> None:
    assert mentioned_places(question) == places


@pytest.mark.parametrize(
    ("places", "region", "expected"),
    [
        (set(), "示例市", True),  # no place named: everything applies
        ({"北京"}, "示例市", False),
        ({"北京"}, "全国", True),  # national entries apply everywhere
        ({"四川"}, "四川省", True),
        ({"成都"}, "四川省", True),  # a province's entries apply to its capital
        ({"成都"}, "甘肃省", False),
        ({"深圳", "甘肃"}, "甘肃省", True),
        ({"北京"}, None, True),
    ],
)
def test_applies_to(places: set[str], region: str | None, expected: bool) -> None:
    assert applies_to(frozenset(places), region) is expected


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("孩子刚出生怎么上户口", "新生儿出生后，到派出所办理出生登记（上户口）。"),
        ("１２３４５热线ＡＰＰ", "12345热线app下载"),  # NFKC and case
        ("你好，在吗", "任何文本"),  # only function-character bigrams: none
        ("公积金,贷款", "公积 金贷款"),  # no bigram across punctuation or spaces
    ],
)
def test_coverage_in_equals_coverage(question: str, text: str) -> None:
    grams = bigrams(question)
    assert coverage_in(grams, normalise(text)) == coverage(grams, text)
