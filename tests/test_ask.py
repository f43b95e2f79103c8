"""`ask` and the `hotline ask / reindex / check` commands (fast hashing embedder; the real
model is exercised in test_retrieval_e2e)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from assistant.answer import ask
from assistant.embedding.base import register_embedder
from assistant.embedding.hashing import HashingEmbedder
from assistant.retrieval import Candidate, Retrieval, order_candidates
from kb.db import Database
from kb.errors import InvalidInput
from kb.gaps import AskLog, KbGap
from tests.retrieval_support import (
    NEWBORN,
    NOISE,
    POLICY,
    add_entry,
    runtime,
)

pytest_plugins = ("tests.retrieval_fixtures",)

pytestmark = pytest.mark.usefixtures("fast_models")

SUGGESTION_FIELDS = {
    "entry_id",
    "version",
    "kind",
    "kind_zh",
    "title",
    "text",
    "heading_path",
    "basis_title",
    "doc_no",
    "owner_unit",
    "effective_from",
    "expires_on",
    "score",
    "answers",
    "matched_question",
}


@pytest.fixture
def fake_mask(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand-in for the privacy layer (its real models are tested in test_retrieval_e2e)."""
    monkeypatch.setattr(
        "assistant.answer.mask_question",
        lambda text: text.replace("13812345678", "〔手机号1〕"),
    )


@pytest.fixture
def kb(retrieval_db: Database, fake_mask) -> Database:
    with retrieval_db.session() as session:
        add_entry(
            session,
            title="新生儿落户办理",
            body=NEWBORN,
            questions=["孩子刚出生怎么上户口", "新生儿报户口要带什么"],
            doc_no="示公发〔2024〕12号",
        )
        add_entry(session, title="夜间施工噪音投诉", body=NOISE, unit="SL-HB")
        add_entry(session, title="热线知识库管理办法", body=POLICY, kind="policy", unit="SL-RX")
    return retrieval_db


def test_ask_json_fields_and_source(kb: Database, cli) -> None:
    result = cli("ask", "孩子刚出生怎么上户口", "--date", "2026-11-22", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert set(data) == {
        "question",
        "on",
        "region",
        "answered",
        "confidence",
        "triage",
        "suggestions",
        "gap_id",
        "took_ms",
        "warnings",
    }
    assert data["answered"] is True and data["triage"] == [] and data["gap_id"] is None
    # the hashing test embedder has no calibration: said in the output, with what to do
    assert "尚未校准" in data["warnings"][0] and "--calibrate" in data["warnings"][0]
    assert "尚未校准" in result.err
    top = data["suggestions"][0]
    assert set(top) == SUGGESTION_FIELDS
    assert (top["title"], top["kind"], top["doc_no"], top["owner_unit"], top["text"]) == (
        "新生儿落户办理",
        "script",
        "示公发〔2024〕12号",
        "示例市公安局",
        NEWBORN,
    )
    assert 0.5 <= data["confidence"] <= 1.0


def test_ask_builds_the_index_on_first_use_and_prints_chinese(kb: Database, cli) -> None:
    assert not runtime().index_exists()
    result = cli("ask", "孩子刚出生怎么上户口", "--date", "2026-11-22")
    assert result.code == 0, result.err
    assert "首次使用：正在根据知识库建立检索索引" in result.err
    for text in ("新生儿落户办理", "示公发〔2024〕12号", "示例市公安局", "有效期至：长期有效"):
        assert text in result.out


def test_unanswered_question_is_a_masked_gap(kb: Database, cli) -> None:
    result = cli("ask", "我电话13812345678，北京摇号怎么报名", "--json")
    data = result.json()
    assert (result.code, data["answered"], data["suggestions"]) == (0, False, [])
    assert data["confidence"] < 0.5 and data["gap_id"] is not None
    with kb.session() as session:
        gap = session.get(KbGap, data["gap_id"])
        assert gap.question_masked == "我电话〔手机号1〕，北京摇号怎么报名"
        assert gap.best_entry_id is not None and gap.channel == "cli"
        logs = session.scalars(select(AskLog)).all()
        assert [(log.answered, log.gap_id) for log in logs] == [(False, gap.id)]
    human = cli("ask", "北京摇号怎么报名")
    assert "知识库中没有足够可靠的答案" in human.out and "知识库缺口" in human.out


def test_no_record_leaves_no_trace(kb: Database, cli) -> None:
    cli("ask", "北京摇号怎么报名", "--no-record", "--json")
    with kb.session() as session:
        assert session.scalars(select(KbGap)).all() == []
        assert session.scalars(select(AskLog)).all() == []


def test_ask_file_keeps_order_and_reports_bad_lines(kb: Database, cli, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        "\n".join(
            [
                '{"text": "孩子刚出生怎么上户口"}',
                "",
                "工地半夜施工噪音太吵",
                '{"text": 5}',
                "{broken",
                '{"id": 7, "text": "北京摇号怎么报名"}',
            ]
        ),
        encoding="utf-8",
    )
    result = cli("ask", "--file", questions, "--date", "2026-11-22", "--json")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert [r["line"] for r in rows] == [1, 3, 4, 5, 6]
    assert [r.get("answered") for r in rows] == [True, True, None, None, False]
    assert rows[0]["suggestions"][0]["title"] == "新生儿落户办理"
    assert rows[1]["suggestions"][0]["title"] == "夜间施工噪音投诉"
    assert "text" in rows[2]["message"] and "JSON" in rows[3]["message"]
    with kb.session() as session:
        assert {log.channel for log in session.scalars(select(AskLog))} == {"batch"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask"], "请给出问题"),
        (["ask", "   "], "请给出问题"),
        (["ask", "问题", "--file", "x.txt"], "二选一"),
        (["ask", "--file", "/no/such/file.txt"], "找不到问题文件"),
        (["ask", "问题", "--date", "2026-13-40"], "不是有效日期"),
    ],
)
def test_ask_usage_errors(kb: Database, cli, args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.code == 1
    assert message in result.err


@pytest.mark.parametrize("text", ["", "  \n ", "问" * 1001])
def test_ask_function_validates_input(kb: Database, text: str) -> None:
    with pytest.raises(InvalidInput):
        ask(text, record=False)


def test_personal_data_is_masked_before_retrieval(kb: Database, monkeypatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(
        "assistant.retrieval.Retriever.search",
        lambda self, text, **kw: seen.append(text) or Retrieval(text, "system"),
    )
    result = ask("电话13812345678，孩子刚出生怎么上户口", record=False)
    assert seen == ["电话 ，孩子刚出生怎么上户口"]
    assert (result.answered, result.suggestions) == (False, [])


def test_reindex_and_check_commands(kb: Database, cli) -> None:
    assert cli("check").code == 1  # no index yet: told to build one
    built = cli("reindex", "--json")
    assert built.code == 0, built.err
    stats = built.json()
    assert (stats["entries"], stats["index"]["embed_model"]) == (3, "hashing-char12:64")
    assert stats["points"] == stats["embedded"]  # first build: every text through the model
    again = cli("reindex", "--json").json()
    assert again["embedded"] == 0 and again["points"] == stats["points"]  # all from the cache
    ok = cli("check", "--json")
    assert (ok.code, ok.json()["ok"], ok.json()["differences"]) == (0, True, [])
    # the hashing test embedder has no calibration: check says so, and how to fix it
    assert ok.json()["answer_decision"]["calibrated"] is False
    assert "--calibrate" in cli("check").err
    runtime().index().delete_entries([1])
    drift = cli("check")
    assert drift.code == 1
    assert "索引缺少条目" in drift.out and "hotline reindex" in drift.err


@register_embedder
class Hashing32(HashingEmbedder):
    """Another 'model' for the refusal test."""

    name = "hashing32"

    def __init__(self) -> None:
        super().__init__(dim=32)


def test_index_refuses_another_embedder(kb: Database, cli, monkeypatch) -> None:
    assert cli("reindex").code == 0
    monkeypatch.setenv("HOTLINE_EMBED_MODEL", "hashing32")
    from assistant.runtime import reset_runtimes
    from kb.settings import get_settings

    get_settings.cache_clear()
    reset_runtimes()
    refused = cli("ask", "孩子刚出生怎么上户口")
    assert refused.code == 1
    assert "hotline reindex" in refused.err and "hashing-char12:64" in refused.err
    assert cli("reindex").code == 0
    assert cli("ask", "孩子刚出生怎么上户口", "--json").json()["answered"] is True


def _cand(entry: int, kind: str, score: float, answers: bool) -> Candidate:
    return Candidate(
        key=(entry,), payload={"kind": kind, "entry_id": entry}, score=score, answers=answers
    )


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        # a script that answers goes before any clause, however much better it scores
        ([_cand(1, "policy", 1.2, True), _cand(2, "script", 1.0, True)], [2, 1]),
        # ... and a clause that answers before a script that does not
        ([_cand(1, "script", 1.2, False), _cand(2, "policy", 1.0, True)], [2, 1]),
        # among those that do not answer: by score, scripts get no preference
        ([_cand(1, "policy", 0.97, False), _cand(2, "faq", 0.965, False)], [1, 2]),
        # FAQ entries count as scripts
        ([_cand(1, "policy", 1.1, True), _cand(2, "faq", 1.0, True)], [2, 1]),
        # two answering scripts: by score
        ([_cand(1, "script", 0.9, True), _cand(2, "script", 1.0, True)], [2, 1]),
        # equal scores: stable by entry id
        ([_cand(3, "policy", 1.0, True), _cand(1, "policy", 1.0, True)], [1, 3]),
    ],
)
def test_answering_scripts_come_before_clauses(
    candidates: list[Candidate], expected: list[int]
) -> None:
    assert [c.key[0] for c in order_candidates(candidates)] == expected


@pytest.mark.parametrize(
    ("args", "kinds", "unit"),
    [
        (["--kind", "policy"], ["policy"], None),
        (["--kind", "口径", "--kind", "faq"], ["script", "faq"], None),  # Chinese names too
        (["--unit", "SL-HB"], None, "SL-HB"),
        ([], None, None),
    ],
)
def test_ask_passes_kind_and_unit_filters(
    kb: Database, cli, monkeypatch, args: list[str], kinds, unit
) -> None:
    # the filters themselves are in the index contract suite; this checks the wiring
    seen: list[dict] = []
    monkeypatch.setattr(
        "assistant.retrieval.Retriever.search",
        lambda self, text, **kw: seen.append(kw) or Retrieval(text, "system"),
    )
    assert cli("ask", "夜间施工噪音", "--no-record", "--json", *args).code == 0
    assert [(kw["kinds"], kw["unit"]) for kw in seen] == [(kinds, unit)]


def test_unknown_kind_is_refused(kb: Database, cli) -> None:
    result = cli("ask", "问题", "--kind", "帖子")
    assert result.code == 1 and "条目类型" in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "火星市"], "未知地区“火星市”"),
        (["--region", "示例市火星区"], "未知地区"),
        (["--unit", "SL-NOPE"], "未知单位“SL-NOPE”"),
        (["--unit", "火星市公安局"], "未知单位"),
    ],
)
def test_unknown_region_or_unit_is_refused(kb: Database, cli, args: list[str], message) -> None:
    result = cli("ask", "低保怎么申请", *args)
    assert result.code == 1 and message in result.err
    with kb.session() as session:  # nothing searched, nothing recorded
        assert session.scalars(select(AskLog)).all() == []
    assert not runtime().index_exists()
    with pytest.raises(InvalidInput, match="未知"):
        ask("低保怎么申请", record=False, **{args[0].lstrip("-"): args[1]})


@pytest.mark.parametrize(
    "args",
    [
        ["--region", "示例市"],
        ["--region", "示例市东湖区"],  # a unit's region
        ["--region", "全国"],
        ["--unit", "SL-HB"],  # by code
        ["--unit", "示例市生态环境局"],  # by full name
    ],
)
def test_known_region_or_unit_is_accepted(kb: Database, cli, args: list[str]) -> None:
    result = cli("ask", "夜间施工噪音太吵", "--no-record", "--json", *args)
    assert result.code == 0, result.err


def test_ask_file_validates_while_reading(kb: Database, cli, tmp_path: Path, monkeypatch) -> None:
    masked: list[str] = []
    monkeypatch.setattr("assistant.answer.mask_question", lambda text: masked.append(text) or text)
    huge = "问" * 96_000
    questions = tmp_path / "q.txt"
    questions.write_text(
        "\n".join(
            [
                "孩子刚出生怎么上户口",
                huge,
                '["list"]',
                '"就一个字符串"',
                "[急] 工地半夜施工噪音太吵",  # brackets, but not JSON: a question
                '{"text": "工地半夜施工噪音太吵"}',
            ]
        ),
        encoding="utf-8",
    )
    result = cli("ask", "--file", questions, "--date", "2026-11-22", "--no-record", "--json")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert [r.get("answered") for r in rows] == [True, None, None, None, True, True]
    assert "问题过长" in rows[1]["message"] and len(rows[1]["question"]) < 60
    assert "共 96000 字" in rows[1]["question"]
    for row in rows[2:4]:
        assert "是 JSON，但不是带字符串字段 text 的对象" in row["message"]
    # masked once each, and never the refused lines
    assert masked == ["孩子刚出生怎么上户口", "[急] 工地半夜施工噪音太吵", "工地半夜施工噪音太吵"]


def test_ask_file_refuses_an_unknown_region_up_front(kb: Database, cli, tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text("低保怎么申请\n", encoding="utf-8")
    result = cli("ask", "--file", questions, "--region", "火星市", "--json")
    assert result.code == 1 and "未知地区" in result.err
    assert [json.loads(line)["error"] for line in result.out.splitlines()] == ["invalid_input"]
