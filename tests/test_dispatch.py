"""Dispatch: catalog validation, unit rules, street vs functional department, validity,
unknown places, and learning from 签收/退单/改派."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from assistant.dispatch.catalog import COLUMNS, default_catalog, parse_catalog, parse_rule
from assistant.dispatch.learning import Evidence, OutcomeMemory
from assistant.dispatch.suggest import Dispatcher
from assistant.embedding.hashing import HashingEmbedder
from kb.errors import InvalidInput

DAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def catalog():
    return default_catalog()


@pytest.fixture(scope="module")
def dispatcher(catalog) -> Dispatcher:
    # words only (no model): fast and deterministic; the real model runs in eval and e2e
    return Dispatcher(catalog, embedder=None)


def row(**overrides) -> dict[str, str]:
    base = {
        "id": "PD-900",
        "matter": "测试事项",
        "phrasings": "测试一|测试二",
        "category_code": "010301",
        "level": "区县",
        "lead_rule": "district:城市管理局",
        "co_rules": "street",
        "basis": "测试权责清单第1项",
        "valid_from": "2025-01-01",
        "valid_to": "",
        "matter_kind": "职能",
    }
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"lead_rule": "unit:SL-NOPE"}, "未知单位编码 SL-NOPE"),
        ({"co_rules": "street|unit:SL-XX"}, "未知单位编码 SL-XX"),
        ({"lead_rule": "unit"}, "单位规则“unit”无效"),
        ({"lead_rule": "region:东湖区"}, "单位规则“region:东湖区”无效"),
        ({"lead_rule": "district:宇宙管理局"}, "没有任何区县单位的名称以“宇宙管理局”结尾"),
        ({"valid_from": "2025-13-01"}, "valid_from“2025-13-01”不是有效日期"),
        ({"valid_to": "2024-01-01"}, "valid_to 早于 valid_from"),
        ({"level": "省"}, "层级“省”无效"),
        ({"matter_kind": "其他"}, "事项性质“其他”无效"),
        ({"category_code": "0103"}, "不是 categories.yaml 中的三级分类"),
        ({"matter": ""}, "缺少事项名称"),
        # a functional department's matter may never be led by a street office
        ({"lead_rule": "street"}, "职能部门事项不得以街道（乡镇）为主办单位"),
        ({"lead_rule": "unit:SL-DH-SHB"}, "职能部门事项不得以街道（乡镇）为主办单位"),
    ],
)
def test_bad_rows_are_refused(catalog, overrides: dict, message: str) -> None:
    from assistant.categories import default_tree

    with pytest.raises(InvalidInput) as info:
        parse_catalog([row(**overrides)], catalog.directory, default_tree(), "t.csv")
    assert "未载入" in info.value.message
    assert any(message in d and d.startswith("第 2 行") for d in info.value.details), (
        info.value.details
    )


def test_every_bad_row_is_listed(catalog) -> None:
    records = [
        row(),
        row(id="PD-901", lead_rule="street"),
        row(id="PD-900"),
        row(id="PD-902", valid_to="x"),
    ]
    with pytest.raises(InvalidInput, match="3 处错误") as info:
        parse_catalog(records, catalog.directory)
    assert [d.split("：")[0] for d in info.value.details] == [
        "第 3 行（PD-901）",
        "第 4 行",
        "第 5 行（PD-902）",
    ]


def test_local_matter_may_be_led_by_the_street(catalog) -> None:
    loaded = parse_catalog(
        [row(lead_rule="street", matter_kind="属地", level="街道")], catalog.directory
    )
    assert str(loaded.rows[0].lead) == "street"


def test_load_catalog_file_errors(tmp_path: Path, catalog) -> None:
    from assistant.dispatch.catalog import load_catalog

    with pytest.raises(InvalidInput, match="找不到派单目录"):
        load_catalog(tmp_path / "none.csv", catalog.directory)
    bad = tmp_path / "bad.csv"
    bad.write_text("id,matter\nPD-1,x\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="缺少列：phrasings"):
        load_catalog(bad, catalog.directory)
    good = tmp_path / "good.csv"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerow(row())
    good.write_text(buffer.getvalue(), encoding="utf-8")
    assert [r.id for r in load_catalog(good, catalog.directory).rows] == ["PD-900"]


@pytest.mark.parametrize(
    ("rule", "district", "street", "code"),
    [
        ("unit:SL-RS", None, None, "SL-RS"),
        ("district:城市管理局", "东湖区", None, "SL-DH-CG"),
        ("district:城市管理局", "青石县", None, "SL-QS-CG"),
        ("district:分局", "西山区", None, "SL-XS-HB"),
        ("district:教育局", "高新区", None, "SL-GX-JY"),
        ("district", "高新区", None, "SL-GX"),
        ("district", "南江区", None, "SL-NJ"),
        ("street", "东湖区", "湖滨街道", "SL-DH-SHB"),
        ("street", "西山区", "石桥镇", "SL-XS-SSQ"),
        ("street", "青石县", "柳河乡", "SL-QS-SLH"),
        # the place is needed and unknown
        ("district:城市管理局", None, None, None),
        ("street", "东湖区", None, None),
    ],
)
def test_rule_resolution(catalog, rule, district, street, code) -> None:
    d = catalog.directory.district(district)
    s = catalog.directory.street(district, street)
    resolved = catalog.resolve(parse_rule(rule), d, s)
    assert (resolved.unit.code if resolved.unit else None) == code
    assert bool(resolved.note) == (code is None)


@pytest.mark.parametrize(
    ("text", "district", "street", "row_id", "lead", "co"),
    [
        # district department leads, the street office assists
        ("路边有人摆摊卖菜占道经营", "东湖区", "湖滨街道", "PD-045", "SL-DH-CG", ["SL-DH-SHB"]),
        # functional matters stay with the department although the street is known
        ("低保被取消了，低保金没到账", "西山区", "枫林街道", "PD-032", "SL-MZ", ["SL-XS-SFL"]),
        ("工地夜间施工半夜打桩太吵", "南江区", "滨江街道", "PD-053", "SL-NJ-HB", ["SL-NJ-ZJ"]),
        ("欠薪，包工头跑了工资不发", "高新区", "创新街道", "PD-067", "SL-GX-RS", ["SL-RS"]),
        # a local-government matter goes to the street office
        ("楼上邻居漏水不管，邻居吵架要调解", "青石县", "白沙镇", "PD-078", "SL-QS-SBS", []),
        # city-level units whatever the place
        ("社保卡丢了要补办挂失", "南江区", "南苑街道", "PD-001", "SL-RS", []),
    ],
)
def test_suggestions(dispatcher, text, district, street, row_id, lead, co) -> None:
    result = dispatcher.suggest(text, district, street, DAY)
    first = result.suggestions[0]
    assert (first.catalog_id, first.lead.code, [c.code for c in first.co]) == (row_id, lead, co)
    assert result.jurisdiction.how == "调用方指定"
    assert len(result.suggestions) == 3
    assert [s.rank for s in result.suggestions] == [1, 2, 3]
    assert first.basis and first.why


def test_functional_matters_never_resolve_to_a_street(dispatcher, catalog) -> None:
    seen = 0
    for district, street in (("东湖区", "湖滨街道"), ("西山区", "石桥镇"), ("青石县", "柳河乡")):
        for text in ("遛狗不拴绳", "消防通道被堵", "物业不作为", "高龄津贴没发", "欠薪", "低保"):
            for s in dispatcher.suggest(text, district, street, DAY).suggestions:
                if s.matter_kind == "职能" and s.lead.code:
                    assert catalog.directory.by_code[s.lead.code].level != "街道", s
                    seen += 1
    assert seen >= 30


def test_unknown_place_is_said_and_matters_still_ranked(dispatcher) -> None:
    result = dispatcher.suggest("路边摆摊占道经营，人行道都走不了", on=DAY)
    assert result.jurisdiction.missing == ["district", "street"]
    assert result.jurisdiction.how == "未知"
    first = result.suggestions[0]
    assert first.catalog_id == "PD-045"
    assert first.lead.code is None and "事发区县未知" in first.lead.note


def test_place_read_from_the_text(dispatcher) -> None:
    result = dispatcher.suggest("湖滨街道阳光小区门口有人摆摊占道", on=DAY)
    assert (result.jurisdiction.district, result.jurisdiction.street) == ("东湖区", "湖滨街道")
    assert result.jurisdiction.how == "由识别到的街道推出区县"
    assert result.suggestions[0].lead.code == "SL-DH-CG"


@pytest.mark.parametrize(
    ("district", "street", "message"),
    [
        ("北湖区", None, "未知区县“北湖区”"),
        ("东湖区", "石桥镇", "未知东湖区的街道（乡镇）“石桥镇”"),
    ],
)
def test_bad_place_is_refused(dispatcher, district, street, message) -> None:
    with pytest.raises(InvalidInput, match=message):
        dispatcher.suggest("摆摊", district, street, DAY)


@pytest.mark.parametrize(
    ("day", "expected", "absent"),
    [(dt.date(2026, 11, 22), "PD-089", "PD-088"), (dt.date(2025, 6, 1), "PD-088", "PD-089")],
)
def test_retired_rows_are_not_suggested(dispatcher, day, expected, absent) -> None:
    ids = [s.catalog_id for s in dispatcher.suggest("共享单车堵路乱停", on=day).suggestions]
    assert ids[0] == expected and absent not in ids


def _with_memory(catalog, evidence: list[Evidence]) -> Dispatcher:
    # a (tiny, deterministic) embedder gives scores on the real scale of words + meaning
    return Dispatcher(catalog, embedder=_CachedHashing(), memory=OutcomeMemory(evidence))


TEXT = "小区楼道里堆满杂物，还有人飞线充电"
SIMILAR = "楼道里堆满杂物，有人飞线充电，没人管"


@pytest.mark.parametrize(
    ("evidence", "first_is_079", "direction"),
    [
        ([], True, 0),
        # one 退单 "不属于本单位职责" on a similar order pulls the row down…
        ([Evidence(SIMILAR, "PD-079", "reject", "不属于本单位职责")], True, -1),
        # …two of them push it off the top
        ([Evidence(SIMILAR, "PD-079", "reject", "不属于本单位职责")] * 2, False, -1),
        # a 退单 blaming the place says nothing about the matter
        ([Evidence(SIMILAR, "PD-079", "reject", "不属于本辖区")] * 2, True, 0),
        # 退单 on unrelated orders change nothing
        ([Evidence("社保卡丢了怎么补办", "PD-079", "reject", "不属于本单位职责")] * 3, True, 0),
        # 改派 moves weight from the old row to the new one
        ([Evidence(SIMILAR, "PD-079", "reassign", "应由消防处理", "PD-042")] * 2, False, -1),
        # confirmations lift a row
        ([Evidence(SIMILAR, "PD-079", "confirm")], True, 1),
    ],
)
def test_learning_from_outcomes(catalog, evidence, first_is_079, direction) -> None:
    base = _with_memory(catalog, []).suggest(TEXT, on=DAY).suggestions
    assert base[0].catalog_id == "PD-079"
    result = _with_memory(catalog, evidence).suggest(TEXT, on=DAY).suggestions
    assert (result[0].catalog_id == "PD-079") is first_is_079
    score = next((s.score for s in result if s.catalog_id == "PD-079"), None)
    if direction == 0:
        assert score == base[0].score
    elif direction < 0:
        assert score is None or score < base[0].score
        if evidence[0].action == "reassign":
            assert result[0].catalog_id == "PD-042"
    else:
        assert score > base[0].score
        assert any("签收" in w for w in result[0].why)


def test_learning_from_recorded_orders(sample_db, catalog) -> None:
    from assistant.dispatch.learning import memory_from_session
    from kb.orders import WorkOrder, add_order, record_outcome
    from kb.units import get_unit

    with sample_db.session() as session:
        unit = get_unit(session, "SL-DH-STY")
        for i in range(2):
            order = add_order(
                session,
                WorkOrder(
                    accepted_at=dt.datetime(2026, 11, 1 + i, 2, tzinfo=dt.UTC),
                    appeal_type="投诉",
                    title="楼道堆物",
                    text_masked="〔姓名1〕反映" + SIMILAR,
                    lead_unit_id=unit.id,
                    catalog_row_id="PD-079",
                ),
                "admin",
            )
            record_outcome(session, order, "reject", actor="admin", reason="不属于本单位职责")
        memory = memory_from_session(session)
    assert len(memory) == 2
    ranked = Dispatcher(catalog, embedder=_CachedHashing(), memory=memory).suggest(
        TEXT, "东湖区", "桃源街道", DAY
    )
    assert ranked.suggestions[0].catalog_id != "PD-079"


def test_embeddings_are_used_when_given(catalog) -> None:
    with_model = Dispatcher(catalog, embedder=_CachedHashing())
    result = with_model.suggest("路边摆摊占道经营", "东湖区", "湖滨街道", DAY)
    assert result.suggestions[0].catalog_id == "PD-045"
    assert with_model.matcher.match("路边摆摊")[0].semantic > 0


class _CachedHashing:
    """The hashing embedder behind the two methods the matcher calls."""

    def __init__(self) -> None:
        self.inner = HashingEmbedder(dim=256)

    def embed_stored(self, texts, kind):
        return self.inner.embed(list(texts), kind)

    def embed_query(self, text):
        return self.inner.embed_queries([text])[0]
