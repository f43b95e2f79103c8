"""QA figures: the KB health score and its parts, coverage aggregation, charts, the endpoints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import update

from eval.call_log import CallRecord, read_call_log
from eval.charts import Bar, bar_chart, score_gauge, weights_bar
from eval.coverage import coverage_of_records
from eval.health import health_report
from eval.topics import default_embed, default_tokenizer, group_topics
from kb import intake, lifecycle
from kb.actors import Actor
from kb.clock import today
from kb.content import VersionContent
from kb.entries import create_entry
from kb.errors import InvalidInput
from kb.models import EntryVersion

pytest_plugins = ("tests.api_fixtures",)


def _publish(
    db, title: str, *, expires_on: dt.date | None = None, doc_no: str | None = None
) -> int:
    with db.session() as s:
        entry = create_entry(
            s,
            Actor.load(s, "yb_editor"),
            kind="script",
            region="示例市",
            owner_unit="SL-YB",
            content=VersionContent.build(
                title=title, body=f"{title}的答复口径。", expires_on=expires_on, doc_no=doc_no
            ),
        )
        entry_id = entry.id
        lifecycle.submit(s, Actor.load(s, "yb_editor"), entry_id)
        lifecycle.approve(s, Actor.load(s, "yb_reviewer"), entry_id)
    return entry_id


@pytest.fixture
def scored_kb(sample_db):
    """YB: 3 published entries (one expired, one last swept long ago), 2 intake items."""
    day = today()
    _publish(sample_db, "医保缴费", expires_on=day + dt.timedelta(days=100))
    lapsed = _publish(sample_db, "去年的医保缴费期", expires_on=day + dt.timedelta(days=1))
    old = _publish(sample_db, "医保卡补办")
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=200)
    with sample_db.session() as s:  # published in an earlier quarter: not yet swept this one
        s.execute(
            update(EntryVersion).where(EntryVersion.entry_id == old).values(published_at=long_ago)
        )
        # expired since it was approved (kb refuses to approve a version that already has)
        s.execute(
            update(EntryVersion)
            .where(EntryVersion.entry_id == lapsed)
            .values(expires_on=day - dt.timedelta(days=1))
        )
    with sample_db.session() as s:
        editor = Actor.load(s, "yb_editor")
        intake.register(
            s, editor, title="旧政策", published_on=day - dt.timedelta(days=60), owner_unit="SL-YB"
        )
        intake.register(
            s,
            editor,
            title="新政策",
            published_on=day,
            owner_unit="SL-YB",
            doc_no="示医保发〔2026〕9号",
        )
    with sample_db.session() as s:  # entered the same day: on time
        create_entry(
            s,
            Actor.load(s, "yb_editor"),
            kind="policy",
            region="示例市",
            owner_unit="SL-YB",
            content=VersionContent.build(
                title="新政策", body="条文。", doc_no="示医保发〔2026〕9号"
            ),
        )
    return sample_db


@dataclass
class FakeCoverage:
    total: int
    answered: int

    @property
    def rate(self) -> float:
        return round(self.answered / self.total, 4)

    def unit_rates(self) -> dict[str, float]:
        return {"示例市医疗保障局": 0.5}


def test_health_parts_weights_and_score(scored_kb) -> None:
    report = health_report(scored_kb)
    parts = {p.key: (p.weight, p.value, p.numerator, p.denominator) for p in report.parts}
    assert parts == {
        "accuracy": (0.3, 0.6667, 2, 3),
        "coverage": (0.3, None, 0, 0),
        "timeliness": (0.2, 0.5, 1, 2),
        # the entry that expired is not handled until it is updated or archived
        "sweep": (0.2, 0.3333, 1, 3),
    }
    # coverage not measured: the other weights (0.7) are scaled up to 100 %
    assert report.score == 52.4
    assert report.hotline_points == 15.7
    assert report.notes[0].startswith("未测得：好用（覆盖率）")
    [yb] = report.units
    assert (yb.unit, yb.published, yb.expired, yb.unreviewed, yb.score) == (
        "示例市医疗保障局",
        3,
        1,
        2,
        52.4,
    )
    assert (yb.expired_share, yb.unreviewed_share) == (0.3333, 0.6667)


def test_health_with_coverage(scored_kb) -> None:
    report = health_report(scored_kb, coverage=FakeCoverage(total=10, answered=8))
    assert [p.value for p in report.parts] == [0.6667, 0.8, 0.5, 0.3333]
    assert report.score == 60.7
    assert report.units[0].part("coverage").value == 0.5
    assert report.units[0].score == 51.7


def test_empty_kb_has_no_score(sample_db) -> None:
    report = health_report(sample_db)
    assert (report.score, report.hotline_points, report.units) == (None, None, [])


def test_kb_health_endpoint(api, scored_kb) -> None:
    body = api.get("/api/kb-health", "qa01").json()
    assert body["coverage"] is None
    assert (body["health"]["score"], body["health"]["hotline_points"]) == (52.4, 15.7)
    assert [p["label"] for p in body["health"]["parts"]] == [
        "准确",
        "好用（覆盖率）",
        "及时（3个工作日入库）",
        "巡检完成",
    ]
    html = api.get("/api/kb-health", "qa01", params={"format": "html"}).text
    assert html.count("<svg") == 3  # gauge, weights, per-unit scores
    assert "折合热线考核得分" in html and "52.4" in html and "15.7 / 30" in html


@pytest.mark.parametrize(
    ("value", "percent", "width", "colour"),
    [
        (0.5, True, "140.0", "#c62828"),
        (0.75, True, "210.0", "#d08a00"),
        (0.95, True, "266.0", "#1d7a3e"),
    ],
)
def test_bar_widths_and_colours(value, percent, width, colour) -> None:
    svg = bar_chart("覆盖率", [Bar("社会保障", value)], percent=percent)
    assert f'width="{width}" height="16" fill="{colour}"' in svg


def test_charts_show_whole_labels_and_the_printed_score() -> None:
    unit = "示例市人力资源和社会保障局"
    svg = bar_chart("各单位", [Bar(unit, 0.8), Bar("短", 0.5)])
    assert f">{unit}</text>" in svg and "…" not in svg
    assert score_gauge("健康分", 73.84).count(">73.8<") == 1  # the KPI beside it says 73.8
    parts = [("及时（3个工作日内录入）", 0.3, 0.5), ("新鲜（未过期、已巡检）", 0.7, None)]
    legend = weights_bar("构成", parts)
    assert ">及时（3个工作日内录入）：权重 30%，得分率 50%</text>" in legend
    assert ">新鲜（未过期、已巡检）：权重 70%，得分率 未测</text>" in legend


def test_charts_escape_text() -> None:
    svg = bar_chart("<b>图</b>", [Bar("<script>alert(1)</script>", 3)], percent=False)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert score_gauge("健康分", None).count("—") == 2


def test_coverage_aggregation_and_topics() -> None:
    answered = {"医保怎么交", "社保卡怎么补办"}
    records = [
        CallRecord(2, "医保怎么交", "010101", None),
        CallRecord(3, "小区停车位收费太贵了", "020101", "示例市东湖区人民政府"),
        CallRecord(4, "小区停车位一直被别人占着", None, None),
        CallRecord(5, "公交卡退卡去哪办", None, "示例市公交集团"),
        CallRecord(6, "公交卡余额怎么退", None, "示例市公交集团"),
        CallRecord(7, "社保卡怎么补办", "010101", "示例市人力资源和社会保障局"),
    ]

    @dataclass
    class Result:
        answered: bool
        confidence: float

    report = coverage_of_records(
        records,
        lambda text, _day: Result(text in answered, 0.9 if text in answered else 0.1),
        source="测试",
        categories={"010101": "劳动和社会保障", "020101": "城乡建设"},
        embed=default_embed(),
    )
    assert (report.total, report.answered, report.rate) == (6, 2, 0.3333)
    assert [(g.name, g.total, g.answered) for g in report.by_category] == [
        ("劳动和社会保障", 2, 2),
        ("城乡建设", 1, 0),
        ("未分类", 3, 0),
    ]
    assert [(g.name, g.total) for g in report.by_unit] == [
        ("示例市公交集团", 2),
        ("示例市东湖区人民政府", 1),
        ("示例市人力资源和社会保障局", 1),
        ("未确定单位", 2),
    ]
    assert sorted((t.count, sorted(t.examples)) for t in report.topics) == [
        (2, ["公交卡余额怎么退", "公交卡退卡去哪办"]),
        (2, ["小区停车位一直被别人占着", "小区停车位收费太贵了"]),
    ]


GAP_QUESTIONS = [
    "小区停车位收费太贵了",
    "楼上装修太吵了",
    "路灯坏了好几天没人修",
    "小区停车位一直被别人占着",
    "晚上工地施工噪音扰民",
    "我们小区门口的路灯不亮了",
    "〔姓名1〕说公交卡退卡去哪办",
    "公交卡余额怎么退",
]


def test_paraphrases_are_grouped_by_meaning(hotline_home) -> None:
    topics = group_topics(GAP_QUESTIONS, default_tokenizer(), embed=default_embed())
    assert sorted(sorted(t.examples) for t in topics) == [
        ["〔姓名1〕说公交卡退卡去哪办", "公交卡余额怎么退"],
        ["小区停车位一直被别人占着", "小区停车位收费太贵了"],
        ["我们小区门口的路灯不亮了", "路灯坏了好几天没人修"],
        ["晚上工地施工噪音扰民", "楼上装修太吵了"],
    ]
    assert all("姓名" not in w and "〔" not in w for t in topics for w in t.keywords)


def test_words_alone_group_only_shared_wording() -> None:
    topics = group_topics(GAP_QUESTIONS, default_tokenizer())
    assert [t.count for t in topics] == [2, 1, 1, 1, 1, 1, 1]
    assert topics[0].keywords[:3] == ["停车", "停车位", "车位"]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_call_log_with_broken_rows_is_refused_row_by_row(tmp_path) -> None:
    path = _write(
        tmp_path,
        "calls.csv",
        "来电内容,分类,日期\n医保怎么交,010101,2026-11-01\n,010101,2026-11-02\n公交卡,,2026-13-45\n路灯坏了,x,2026-11-03,多出来的列\n",
    )
    with pytest.raises(InvalidInput) as err:
        read_call_log(path, max_mb=5)
    assert (
        err.value.message
        == "“calls.csv”有 3 行无法使用，未做分析；请修正后重传，或勾选“跳过有问题的行”。"
    )
    assert err.value.details == [
        "第 3 行：“来电内容”为空。",
        "第 4 行：日期“2026-13-45”无法识别。",
        "第 5 行：列数（4）多于表头（3），请检查是否有未加引号的逗号。",
    ]
    records, skipped = read_call_log(path, max_mb=5, skip_invalid=True)
    assert [(r.row, r.text, r.category, r.day) for r in records] == [
        (2, "医保怎么交", "010101", dt.date(2026, 11, 1))
    ]
    assert len(skipped) == 3


def test_call_log_without_a_question_column(tmp_path) -> None:
    path = _write(tmp_path, "calls.csv", "编号,电话\n1,12345\n")
    with pytest.raises(InvalidInput, match="找不到来电问题所在的列") as err:
        read_call_log(path, max_mb=5)
    assert err.value.details == ["现有列：编号、电话"]
