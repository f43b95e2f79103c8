"""Work orders from calls: masked storage, sealed callback data, duplicates (并单), import,
permissions and the `hotline orders` / `fill` / `dispatch` / `triage` commands."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from assistant.call_desk import CallDesk
from assistant.duplicates import Appeal, find_duplicates
from assistant.order_import import import_orders
from assistant.workorders import callback_data, create_from_call
from kb.errors import InvalidInput, PermissionDenied
from kb.orders import WorkOrder, close_order, get_order
from tests.conftest import snapshot

UTC = dt.UTC
NOISE = (
    "坐席：您好，12345。\n市民：我投诉东湖区湖滨街道御湖湾工地，天天半夜两三点还在打桩，吵得睡不着。\n"
    "坐席：请问怎么称呼？\n市民：我叫黄秀英，电话15274839026，身份证110101199003078515。"
)
NOISE_AGAIN = "我是黄秀英，15274839026，湖滨街道御湖湾那个工地今天半夜又在打桩，吵得根本睡不着，上次投诉了还没人管"
OTHER_MATTER = "我叫黄秀英，电话15274839026，想问一下社保卡丢了怎么补办"


@pytest.fixture
def desk(sample_db):
    with sample_db.session() as session:
        return CallDesk(session=session, embedder=None, use_llm=False)


def _create(sample_db, desk, text, when=dt.datetime(2026, 11, 20, 2, 0, tzinfo=UTC), **kw):
    with sample_db.session() as session:
        created = create_from_call(session, desk, text, actor="op01", accepted_at=when, **kw)
        return created.order.order_no, created


def test_order_is_stored_masked_with_sealed_callback(sample_db, desk) -> None:
    order_no, created = _create(sample_db, desk, NOISE)
    assert order_no == "GD20261120000001"
    assert created.suggestions[0].catalog_id == "PD-053"
    with sample_db.session() as session:
        order = get_order(session, order_no)
        assert (order.appeal_type, order.district, order.street) == ("投诉", "东湖区", "湖滨街道")
        assert order.category_code == "090201"
        assert order.lead_unit.code == "SL-DH-HB" and order.co_unit_codes == ["SL-DH-ZJ"]
        assert order.catalog_row_id == "PD-053"
        assert order.due_on == dt.date(2026, 12, 11)  # 投诉: 15 working days
        assert "〔姓名1〕" in order.text_masked and "〔手机号1〕" in order.text_masked
        assert order.phone_hash and order.id_number_hash and len(order.phone_hash) == 64
        callback = callback_data(order)
        assert {"黄秀英", "15274839026", "110101199003078515"} <= set(callback.values())
    # no personal value anywhere in the database, in any table
    dump = json.dumps(snapshot(sample_db), ensure_ascii=False, default=str)
    for secret in ("黄秀英", "15274839026", "110101199003078515"):
        assert secret not in dump


@pytest.mark.parametrize(
    ("second", "days_later", "close_first", "expected_reasons"),
    [
        # same matter, same caller, within the window → 并单 suggested
        (NOISE_AGAIN, 3, False, ["同一来电号码", "同一地址", "同一街道（湖滨街道）同一诉求分类"]),
        # same matter by a neighbour (another caller): same site, same street and category
        (
            "湖滨街道御湖湾工地天天半夜打桩，吵得睡不着",
            3,
            False,
            ["同一地址", "同一街道（湖滨街道）同一诉求分类"],
        ),
        # a neighbour about another site in the same street: similar words, same category
        (
            "湖滨街道另一个楼盘工地天天半夜打桩，吵得睡不着",
            3,
            False,
            ["同一街道（湖滨街道）同一诉求分类"],
        ),
        # same caller, same category, said to be a repeat, in other words (similarity 0.0)
        (
            "电话15274839026，上次反映过的那个施工噪音，夜里机器轰隆隆响到天亮",
            3,
            False,
            ["同一来电号码", "同一诉求分类"],
        ),
        # …but without the again cue it is not taken for one
        ("电话15274839026，那个施工噪音，夜里机器轰隆隆响到天亮", 3, False, None),
        # same caller, another matter → a new appeal
        (OTHER_MATTER, 3, False, None),
        # outside the 30-day window
        (NOISE_AGAIN, 40, False, None),
        # the first order is already closed: nothing to merge into
        (NOISE_AGAIN, 3, True, None),
    ],
)
def test_duplicates(sample_db, desk, second, days_later, close_first, expected_reasons) -> None:
    first_no, _ = _create(sample_db, desk, NOISE)
    if close_first:
        with sample_db.session() as session:
            close_order(session, get_order(session, first_no), "op01")
    when = dt.datetime(2026, 11, 20, 2, 0, tzinfo=UTC) + dt.timedelta(days=days_later)
    _, created = _create(sample_db, desk, second, when=when)
    if expected_reasons is None:
        assert created.duplicates == []
    else:
        (dup,) = created.duplicates
        assert dup.order_no == first_no
        assert dup.reasons[0].startswith("诉求内容相似") or dup.reasons[0] == (
            "来电人说是再次反映（“上次反映过”）"
        )
        assert dup.reasons[1:] == expected_reasons
        assert dup.reason.endswith("建议并单")


def test_duplicate_window_is_a_setting(sample_db, desk, monkeypatch) -> None:
    first_no, _ = _create(sample_db, desk, NOISE)
    with sample_db.session() as session:
        order = get_order(session, first_no)
        appeal = Appeal(
            order.text_masked,
            order.phone_hash,
            accepted_at=order.accepted_at + dt.timedelta(days=10),
        )
        assert [d.order_no for d in find_duplicates(session, appeal)] == [first_no]
        assert find_duplicates(session, appeal, window_days=5) == []
        monkeypatch.setenv("HOTLINE_DUPLICATE_WINDOW_DAYS", "7")
        from kb.settings import get_settings

        get_settings.cache_clear()
        assert find_duplicates(session, appeal) == []


def test_emergency_call_is_not_dispatched(sample_db, desk) -> None:
    _, created = _create(sample_db, desk, "快来人，东湖区湖滨街道翠湖小区5栋着火了")
    assert created.order.lead_unit_id is None and created.order.urgency == "特急"
    assert created.order.meta["transfer"] == "119"
    assert created.alerts[0]["target"] == "119"
    # recorded and closed at once, with no unit's time limit on it and nothing to merge
    assert (created.order.status, created.order.due_on, created.duplicates) == ("closed", None, [])


CSV_HEADER = "受理时间,诉求类型,诉求内容,工单编号,区县,街道,主办单位,派单目录编号,来电号码,处理结果,处理原因,改派单位,状态\n"


def test_import_good_file(sample_db, tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text(
        CSV_HEADER
        + "2026-10-08 09:30,投诉,王大妈反映楼道堆满杂物，电话13900001111,HX001,东湖区,桃源街道,SL-DH-STY,PD-079,13900001111,退单,不属于本单位职责,,\n"
        + "2026/10/9,咨询,问社保卡补办,HX002,,,SL-RS,PD-001,,签收,,,已办结\n"
        + "2026-10-10 08:00,投诉,楼道飞线充电,HX003,东湖区,桃源街道,SL-DH-STY,PD-079,,改派,应由消防救援支队处理,SL-XF,\n",
        encoding="utf-8",
    )
    with sample_db.session() as session:
        result = import_orders(session, path, desk_catalog(session), actor="admin")
    assert (result.imported, result.outcomes) == (3, 3)
    with sample_db.session() as session:
        first = get_order(session, "HX001")
        assert "13900001111" not in first.text_masked and first.phone_hash
        assert [o.action for o in first.outcomes] == ["reject"]
        assert get_order(session, "HX002").status == "closed"
        third = get_order(session, "HX003")
        assert third.lead_unit.code == "SL-XF" and third.outcomes[0].action == "reassign"
        assert first.accepted_at.replace(tzinfo=UTC) == dt.datetime(2026, 10, 8, 1, 30, tzinfo=UTC)


def desk_catalog(session):
    from assistant.dispatch.catalog import default_catalog_path, load_catalog
    from assistant.jurisdiction import default_directory

    return load_catalog(default_catalog_path(), default_directory(session))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2026-13-40,投诉,x,,,,,,,,,,", "受理时间“2026-13-40”不是有效的日期时间"),
        ("昨天,投诉,x,,,,,,,,,,", "无法识别"),
        ("2026-10-08,抱怨,x,,,,,,,,,,", "诉求类型“抱怨”无效"),
        (",投诉,x,,,,,,,,,,", "缺少必填列 accepted_at"),
        ("2026-10-08,投诉,,,,,,,,,,,", "缺少必填列 text"),
        ("2026-10-08,投诉,x,,北湖区,,,,,,,,", "区县“北湖区”不是示例市的区县"),
        ("2026-10-08,投诉,x,,东湖区,石桥镇,,,,,,,", "街道“石桥镇”不属于东湖区"),
        ("2026-10-08,投诉,x,,,,SL-NOPE,,,,,,", "主办单位“SL-NOPE”不是已登记的承办单位"),
        ("2026-10-08,投诉,x,,,,,PD-999,,,,,", "catalog_id“PD-999”不在派单目录中"),
        ("2026-10-08,投诉,x,,,,SL-RS,,,退单,,,", "退单或改派必须填写处理原因"),
        ("2026-10-08,投诉,x,,,,SL-RS,,,改派,职责不符,,", "改派必须填写改派单位"),
        ("2026-10-08,投诉,x,,,,SL-RS,,,好评,,,", "处理结果“好评”无效"),
        ("2026-10-08,投诉,x,,,,,,,,,,作废", "状态“作废”无效"),
        (
            "2026-10-08,投诉,x,HX9,,,,,,,,,\n2026-10-09,投诉,y,HX9,,,,,,,,,",
            "工单编号 HX9 与第 3 行重复",
        ),
    ],
)
def test_import_bad_rows_change_nothing(sample_db, tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    good = "2026-10-08 09:30,咨询,问社保卡补办,,,,,,,,,,\n"
    path.write_text(CSV_HEADER + good + line + "\n", encoding="utf-8")
    before = snapshot(sample_db)
    with (
        sample_db.session() as session,
        pytest.raises(InvalidInput, match="未导入任何工单") as info,
    ):
        import_orders(session, path, desk_catalog(session), actor="admin")
    assert any(message in d for d in info.value.details), info.value.details
    assert not any(d.startswith("第 2 行") for d in info.value.details)  # the good row
    assert snapshot(sample_db) == before


def test_import_xlsx_and_gbk(sample_db, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["accepted_at", "appeal_type", "text", "district"])
    sheet.append([dt.datetime(2026, 10, 8, 9, 30), "求助", "家里停水了", "西山区"])
    xlsx = tmp_path / "h.xlsx"
    book.save(xlsx)
    gbk = tmp_path / "h.csv"
    gbk.write_bytes("受理时间,诉求类型,诉求内容\n2026-10-09,咨询,居住证怎么办\n".encode("gbk"))
    with sample_db.session() as session:
        catalog = desk_catalog(session)
        assert import_orders(session, xlsx, catalog, actor="admin").imported == 1
        assert import_orders(session, gbk, catalog, actor="admin").imported == 1
        rows = session.scalars(select(WorkOrder).order_by(WorkOrder.id)).all()
        assert [(o.appeal_type, o.district, o.channel) for o in rows] == [
            ("求助", "西山区", "导入"),
            ("咨询", None, "导入"),
        ]


def test_import_reports_physical_rows(sample_db, tmp_path: Path) -> None:
    """Blank rows and multi-line cells count: the row number is the one the user sees."""
    from openpyxl import Workbook

    csv_path = tmp_path / "gaps.csv"
    csv_path.write_text(
        CSV_HEADER
        + "2026-10-08,咨询,问社保卡补办,,,,,,,,,,\n"
        + "\n"
        + '2026-10-08,咨询,"两行的\n诉求内容",,,,,,,,,,\n'
        + "2026-10-08,抱怨,x,,,,,,,,,,\n",
        encoding="utf-8",
    )
    book = Workbook()
    sheet = book.active
    sheet.append(["accepted_at", "appeal_type", "text"])
    sheet.append(["2026-10-08", "咨询", "问社保卡补办"])
    sheet.append([None, None, None])
    sheet.append([None, None, None])
    sheet.append(["2026-10-08", "咨询", "居住证怎么办"])
    sheet.append(["2026-10-08", "抱怨", "x"])
    xlsx = tmp_path / "gaps.xlsx"
    book.save(xlsx)
    for path, row in ((csv_path, 6), (xlsx, 6)):
        with (
            sample_db.session() as session,
            pytest.raises(InvalidInput, match="未导入任何工单") as info,
        ):
            import_orders(session, path, desk_catalog(session), actor="admin")
        assert [d.split("：")[0] for d in info.value.details] == [f"第 {row} 行"], path.name


def test_import_masks_titles_and_reasons(sample_db, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "受理时间,诉求类型,诉求内容,标题,主办单位,处理结果,处理原因\n"
        "2026-10-08,投诉,楼道堆物,来电人柳德华反映楼道堆物,SL-DH-STY,退单,来电人柳德华13907316625说明不归我们\n",
        encoding="utf-8",
    )
    with sample_db.session() as session:
        import_orders(session, path, desk_catalog(session), actor="admin")
    dump = json.dumps(snapshot(sample_db), ensure_ascii=False, default=str)
    assert "柳德华" not in dump and "13907316625" not in dump
    with sample_db.session() as session:
        order = session.scalars(select(WorkOrder)).one()
        assert order.title.endswith("反映楼道堆物") and "〔姓名" in order.title
        assert "〔手机号" in order.outcomes[0].reason


def test_import_refuses_other_formats(tmp_path: Path) -> None:
    from assistant.order_import import read_rows

    other = tmp_path / "h.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(InvalidInput, match="只支持 CSV 或 XLSX"):
        read_rows(other)
    with pytest.raises(InvalidInput, match="找不到文件"):
        read_rows(tmp_path / "none.csv")


# -- the CLI --------------------------------------------------------------------------------------


@pytest.fixture
def cli_home(sample_db, monkeypatch):
    """The sample KB with the tiny hashing embedder, so CLI tests need no model."""
    from kb.settings import get_settings

    monkeypatch.setenv("HOTLINE_EMBED_MODEL", "hashing")
    get_settings.cache_clear()
    return sample_db


def test_cli_create_confirm_reject_reassign_merge(cli, cli_home) -> None:
    out = cli(
        "orders",
        "create",
        "--text",
        NOISE,
        "--accepted-at",
        "2026-11-20 10:00",
        "--as",
        "op01",
        "--json",
    )
    assert out.code == 0, out.err
    first = out.json()["order"]
    assert first["order_no"] == "GD20261120000001" and first["lead_unit"]
    assert "黄秀英" not in out.out
    second = cli(
        "orders",
        "create",
        "--text",
        NOISE_AGAIN,
        "--accepted-at",
        "2026-11-21 10:00",
        "--as",
        "op01",
        "--json",
    ).json()
    assert [d["order_no"] for d in second["duplicates"]] == [first["order_no"]]
    no2 = second["order"]["order_no"]

    # the lead unit's own people confirm or reject; others may not
    denied = cli(
        "orders", "reject", first["order_no"], "--reason", "不属于本单位职责", "--as", "rs_editor"
    )
    assert denied.code == 1 and "不是工单" in denied.err
    assert (
        cli(
            "orders", "reject", first["order_no"], "--reason", "不属于本单位职责", "--as", "op01"
        ).code
        == 0
    )
    # 改派 needs the centre's review
    refused = cli(
        "orders", "reassign", first["order_no"], "--to", "SL-DH-CG", "--reason", "x", "--as", "op01"
    )
    assert refused.code == 1 and "热线中心审核" in refused.err
    moved = cli(
        "orders",
        "reassign",
        first["order_no"],
        "--to",
        "SL-DH-CG",
        "--reason",
        "经审核改派",
        "--catalog-id",
        "PD-046",
        "--as",
        "center_reviewer",
        "--json",
    ).json()
    assert (moved["lead_unit"], moved["catalog_id"]) == ("SL-DH-CG", "PD-046")
    assert [o["action"] for o in moved["outcomes"]] == ["reject", "reassign"]

    dups = cli("orders", "duplicates", no2, "--json").json()
    assert [d["order_no"] for d in dups] == [first["order_no"]]
    merged = cli(
        "orders", "merge", no2, "--into", first["order_no"], "--as", "op01", "--json"
    ).json()
    assert merged["status"] == "merged"
    again = cli("orders", "merge", no2, "--into", first["order_no"], "--as", "op01")
    assert again.code == 1 and "已并单" in again.err
    listed = cli("orders", "list", "--status", "open", "--json").json()
    assert [o["order_no"] for o in listed] == [first["order_no"]]


def test_cli_reasons_are_stored_and_shown_masked(cli, cli_home) -> None:
    order = cli("orders", "create", "--text", NOISE, "--as", "op01", "--json").json()["order"]
    reason = "来电人柳德华13907316625说明不属于本单位职责"
    assert cli("orders", "reject", order["order_no"], "--reason", reason, "--as", "op01").code == 0
    other = cli("orders", "create", "--text", OTHER_MATTER, "--as", "op01", "--json").json()
    moved = cli(
        "orders",
        "reassign",
        other["order"]["order_no"],
        "--to",
        "SL-DH-CG",
        "--reason",
        "联系人王建国13811112222要求改派",
        "--as",
        "center_reviewer",
        "--json",
    )
    assert moved.code == 0, moved.err
    dump = json.dumps(snapshot(cli_home), ensure_ascii=False, default=str)
    for secret in ("柳德华", "13907316625", "王建国", "13811112222"):
        assert secret not in dump  # neither the outcomes nor the audit log hold it
    # a later dispatch of a similar matter shows the reason, masked
    shown = cli(
        "dispatch", "--text", "湖滨街道御湖湾工地，天天半夜两三点还在打桩，吵得睡不着", "--json"
    )
    assert shown.code == 0, shown.err
    assert "退单原因：来电人〔姓名1〕〔手机号1〕说明不属于本单位职责" in shown.out


def test_reassignment_follows_the_catalog(cli, cli_home) -> None:
    """改派 cannot push a functional department's matter to a street office."""
    order = cli("orders", "create", "--text", OTHER_MATTER, "--as", "op01", "--json").json()
    no = order["order"]["order_no"]
    assert order["order"]["catalog_id"] == "PD-001"  # 社保卡补办: a 职能 matter
    before = snapshot(cli_home)
    base = ("orders", "reassign", no, "--reason", "街道说离得近", "--as", "center_reviewer")
    to_street = cli(*base, "--to", "SL-DH-SHB")
    assert to_street.code == 1
    assert "是职能部门事项，不能改派给街道（乡镇）示例市东湖区湖滨街道办事处" in to_street.err
    unknown = cli(*base, "--to", "SL-RS", "--catalog-id", "PD-999")
    assert (unknown.code, unknown.err.strip()) == (1, "错误：派单目录中没有事项“PD-999”。")
    assert snapshot(cli_home) == before  # nothing recorded
    # to another department it goes through
    assert cli(*base, "--to", "SL-GA").code == 0


def test_cli_close_note_is_masked_and_recompute_reports(cli, cli_home) -> None:
    order = cli("orders", "create", "--text", OTHER_MATTER, "--as", "op01", "--json").json()
    no = order["order"]["order_no"]
    note = "已电话告知柳德华13907316625补办流程"
    closed = cli("orders", "close", no, "--note", note, "--as", "op01", "--json")
    assert closed.code == 0, closed.err
    assert closed.json()["status"] == "closed"
    dump = json.dumps(snapshot(cli_home), ensure_ascii=False, default=str)
    assert "柳德华" not in dump and "13907316625" not in dump and "补办流程" in dump
    # every due date of the sample orders was counted on a known year: nothing to recount
    assert cli("orders", "recompute", "--json").json() == []
    assert "没有需要重新计算的办理时限" in cli("orders", "recompute").out


def test_cli_callback_permissions(cli, cli_home) -> None:
    text = "我要举报东湖区桃源街道有个黑作坊，我叫许文静，电话13512345678，千万帮我保密"
    order = cli("orders", "create", "--text", text, "--as", "op01", "--json").json()["order"]
    assert order["confidential"] is True
    shown = cli("orders", "show", order["order_no"], "--callback", "--as", "op01", "--json").json()
    assert "13512345678" in shown["callback"].values()
    for user in ("qa01", "sj_editor"):
        refused = cli("orders", "show", order["order_no"], "--callback", "--as", user)
        assert refused.code == 1 and "无权查看" in refused.err
    plain = cli("orders", "show", order["order_no"], "--as", "qa01", "--json").json()
    assert "callback" not in plain and "13512345678" not in json.dumps(plain, ensure_ascii=False)
    assert cli("orders", "create", "--text", text, "--as", "qa01").code == 1


def test_cli_import_lists_bad_rows(cli, cli_home, tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        CSV_HEADER + "2026-10-08,投诉,x,,北湖区,,,,,,,,\n2026-10-08,抱怨,y,,,,,,,,,,\n",
        encoding="utf-8",
    )
    out = cli("orders", "import", str(path), "--as", "admin")
    assert out.code == 1
    assert "第 2 行" in out.err and "第 3 行" in out.err
    good = tmp_path / "g.csv"
    good.write_text(CSV_HEADER + "2026-10-08,咨询,问个事,,,,,,,,,,\n", encoding="utf-8")
    assert cli("orders", "import", str(good), "--as", "admin", "--json").json()["imported"] == 1


def test_cli_fill_text_stdin_and_file(cli, cli_home, tmp_path: Path, monkeypatch) -> None:
    one = cli("fill", "--text", NOISE, "--accepted-on", "2026-11-20", "--json").json()
    assert (one["caller_name"], one["phone"], one["due_on"]) == (
        "黄秀英",
        "15274839026",
        "2026-12-11",
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("市民：问一下居住证怎么办？"))
    piped = cli("fill", "--json").json()
    assert piped["appeal_type"] == "咨询" and "caller_name" in piped["missing"]
    batch = tmp_path / "calls.jsonl"
    batch.write_text(
        json.dumps({"id": "a", "text": "着火了"}, ensure_ascii=False)
        + "\n\n"
        + json.dumps({"id": "b", "text": "社保卡丢了怎么补"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    out = cli("fill", "--file", str(batch))
    rows = [json.loads(line) for line in out.out.splitlines()]
    assert [(r["id"], r["transfer"]) for r in rows] == [("a", "119"), ("b", None)]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\nnot json\n{"id": 1}\n', encoding="utf-8")
    refused = cli("fill", "--file", str(bad))
    assert refused.code == 1 and "第 2 行" in refused.err and "第 3 行" in refused.err
    assert cli("fill", "--text", "  ").code == 1


def test_cli_dispatch_triage_and_catalog(cli, cli_home) -> None:
    out = cli(
        "dispatch",
        "--text",
        "路边摆摊占道经营",
        "--district",
        "东湖区",
        "--street",
        "湖滨街道",
        "--json",
    )
    data = out.json()
    first = data["suggestions"][0]
    assert (first["catalog_id"], first["lead"]["code"]) == ("PD-045", "SL-DH-CG")
    assert data["jurisdiction"]["how"] == "调用方指定"
    human = cli("dispatch", "--text", "路边摆摊占道经营")
    assert human.code == 0 and "缺区县" in human.out
    bad = cli("dispatch", "--text", "摆摊", "--district", "北湖区")
    assert bad.code == 1 and "未知区县" in bad.err
    alarm = cli("triage", "--text", "我闻到很浓的煤气味", "--json").json()
    assert alarm["transfer"] == "119"
    assert cli("catalog", "check", "--json").json()["rows"] == 89


@pytest.mark.parametrize(
    ("role", "unit_id", "action", "confidential", "allowed"),
    [
        ("operator", None, "reject", False, True),
        ("maintainer", 7, "reject", False, True),  # the lead unit itself
        ("maintainer", 8, "reject", False, False),  # another unit
        ("qa", None, "confirm", False, False),
        ("maintainer", 7, "reassign", False, False),  # 改派 needs the centre's review
        ("operator", None, "reassign", False, False),
        ("reviewer", None, "reassign", False, True),  # hotline-centre reviewer
        ("admin", None, "reassign", False, True),
        ("maintainer", 7, "callback", False, True),
        ("maintainer", 7, "callback", True, False),  # confidential: the centre only
        ("operator", None, "callback", True, True),
        ("qa", None, "callback", False, False),
    ],
)
def test_order_permissions(role, unit_id, action, confidential, allowed) -> None:
    from kb.actors import Actor
    from kb.models import Role
    from kb.orders import check_can_record, check_can_see_callback

    actor = Actor("someone", Role(role), unit_id)
    order = WorkOrder(order_no="GD1", lead_unit_id=7, confidential=confidential)
    check = (
        (lambda: check_can_see_callback(actor, order))
        if action == "callback"
        else (lambda: check_can_record(actor, order, action))
    )
    if allowed:
        check()
    else:
        with pytest.raises(PermissionDenied):
            check()
