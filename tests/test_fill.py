"""Smart form filling: every field, "not said → empty and missing", due dates, privacy."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.form import FormFiller
from assistant.form.due import compute_due
from kb.errors import InvalidInput

DAY = dt.date(2026, 11, 20)  # a Friday


@pytest.fixture(scope="module")
def filler() -> FormFiller:
    return FormFiller(use_llm=False)


def draft(filler: FormFiller, text: str):
    return filler.fill(text, accepted_on=DAY).draft


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("我叫刘建国，家里停水了", "刘建国"),
        ("我是柳河村的村民杜长林，我们村的路灯坏了", "杜长林"),
        ("坐席：请问您的姓名和电话？\n市民：邱德明，电话是13074158826。", "邱德明"),
        ("市民：姓赵，赵桂兰。", "赵桂兰"),
        ("我姓黄，黄秀英，电话15274839026", "黄秀英"),
        # only the surname said: kept as said, or as the operator then addressed the caller
        ("我姓胡，想问问幼儿园报名", "胡"),
        ("坐席：您贵姓？\n市民：姓蒋。\n坐席：蒋先生，请问联系电话？\n市民：13707316558", "蒋先生"),
        # operator's words are questions, not facts
        ("坐席：请问您贵姓？\n市民：我就问问社保卡怎么补办。", None),
        ("坐席：王女士您好，请讲。\n市民：我想问公积金怎么提取。", None),
        # someone else's name is not the caller's
        ("我要举报我们村支书张大军收钱", None),
        ("孩子刚出生，怎么给他上户口？", None),
        # the person the caller is related to is not the caller
        ("我是张先生的女儿，我爸腿脚不方便，想办残疾证", None),
        ("我是李明的家属，想问一下他的社保", None),
        ("我是王女士的邻居，她家漏水到我家了", None),
        ("我是王女士，我邻居家漏水了", "王女士"),
    ],
)
def test_caller_name(filler, text: str, name: str | None) -> None:
    assert draft(filler, text).caller_name == name


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("我电话13807316625，家里漏水了", "13807316625"),
        ("电话幺三九 幺七二零 五五八三", "13917205583"),
        ("我叫罗小燕，电话幺五八 二六三七 四零九一", "15826374091"),
        # the property company's number is not the caller's
        ("物业电话13900001111打不通，我的手机是13812345678", "13812345678"),
        ("坐席：请问您的电话是13912345678吗？\n市民：不是，我不方便留电话", None),
        ("电话就打这个来电号码吧", None),
        # a third party's number is never the caller's, even when it is the only one said
        ("物业电话是13800001111，一直打不通", None),
        ("那个无良老板的电话是13955556666", None),
        ("我举报一个黑车司机，车主电话15811112222", None),
        ("那个人的手机是13912345678，我的是13811112222", "13811112222"),
        ("我的电话是13807316625", "13807316625"),
    ],
)
def test_phone(filler, text: str, phone: str | None) -> None:
    assert draft(filler, text).phone == phone


@pytest.mark.parametrize(
    ("text", "id_number"),
    [
        ("身份证号码五一零一零四一九七八零一零五三九一五", "510104197801053915"),
        ("我身份证是110101199003078515，想查社保", "110101199003078515"),
        ("没带身份证，能办吗", None),
        ("他的身份证号是110101199003078515，冒用了我的名字", None),
    ],
)
def test_id_number(filler, text: str, id_number: str | None) -> None:
    assert draft(filler, text).id_number == id_number


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("我在东湖区湖滨街道翠湖小区5栋", ("示例市", "东湖区", "湖滨街道", "翠湖小区5栋")),
        (
            "南江区滨江街道江景花园2栋1单元801。",
            ("示例市", "南江区", "滨江街道", "江景花园2栋1单元801"),
        ),
        # a street office names its district
        ("石桥镇工业园有个厂偷排污水", ("示例市", "西山区", "石桥镇", "工业园")),
        # short form of a district, but not of a road named after it
        ("东湖这边有个工地半夜施工", ("示例市", "东湖区", None, None)),
        ("东湖路上的路灯不亮", (None, None, None, None)),
        # a street office of another district is not taken
        ("我在西山区，湖滨街道那边", ("示例市", "西山区", None, None)),
        # nothing said, nothing filled
        ("社保卡丢了怎么补办", (None, None, None, None)),
    ],
)
def test_place(filler, text: str, place: tuple) -> None:
    d = draft(filler, text)
    assert (d.city, d.district, d.street, d.address_detail) == place
    assert d.province is None


@pytest.mark.parametrize(
    ("text", "appeal_type"),
    [
        ("孩子刚出生，怎么给他上户口？要准备些什么", "咨询"),
        ("我家停水一整天了，能不能派人来看看", "求助"),
        ("我投诉我们小区物业，收了物业费什么都不干", "投诉"),
        ("楼下烧烤店天天晚上烟熏火燎的，衣服都不能晒", "投诉"),
        ("我要举报有个黑作坊在做食品", "举报"),
        ("建议在集市旁边修个公共厕所", "意见建议"),
        ("我打电话就是想表扬一下供电公司的抢修师傅", "表扬"),
        ("上次反映的事已经解决了，特意打电话来感谢一下", "表扬"),
        # a caller in danger needs help, whatever else they say
        ("我投诉一下，我们楼着火了快来人", "求助"),
    ],
)
def test_appeal_type(filler, text: str, appeal_type: str) -> None:
    assert draft(filler, text).appeal_type == appeal_type


@pytest.mark.parametrize(
    ("text", "appeal_type", "urgency"),
    [
        # a safety risk said with no other cue asks for help, not a question
        ("幸福路12号门口井盖没了，很危险", "求助", "紧急"),
        # a cue still decides
        ("幸福路12号门口井盖没了，物业也不管，太危险了", "投诉", "紧急"),
        ("井盖没了要找哪个部门", "咨询", "紧急"),
    ],
)
def test_safety_risk_without_a_cue_is_a_request_for_help(filler, text, appeal_type, urgency):
    d = draft(filler, text)
    assert (d.appeal_type, d.urgency) == (appeal_type, urgency)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("我家燃气费怎么交，营业厅在哪", "020107"),
        ("公积金租房提取要什么材料", "040401"),
        ("工地天天半夜施工，打桩吵得睡不着", "090201"),
        # emergencies carry their own category where the tree has one, else none
        ("我闻到很浓的煤气味，好像漏气了", "020106"),
        ("两辆车追尾了，堵在路中间", "030203"),
        ("楼下着火了，好大的烟", None),
        ("今天天气怎么样", None),
    ],
)
def test_category(filler, text: str, code: str | None) -> None:
    d = draft(filler, text)
    assert d.category_code == code
    assert (d.category_name is None) == (code is None)


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("我们这条路上有个井盖没了，晚上很容易掉下去", "紧急"),
        ("我家水管爆了，一直在喷水", "紧急"),
        ("树枝断了挂在电线上，随时会掉下来", "紧急"),
        ("停水一整天了，家里有个瘫痪的老人", "紧急"),
        ("我们工地上有二十多个人都没拿到工资", "紧急"),
        ("楼下着火了", "特急"),
        ("想问一下居住证怎么办", "一般"),
    ],
)
def test_urgency(filler, text: str, urgency: str) -> None:
    assert draft(filler, text).urgency == urgency


@pytest.mark.parametrize(
    ("text", "confidential"),
    [
        ("我要举报，你们千万别说是我打的", True),
        ("帮我保密一下", True),
        ("不要透露我的信息啊", True),
        ("我不留名了，你们去看看就知道", False),
        ("我想问问低保怎么申请", False),
    ],
)
def test_confidential(filler, text: str, confidential: bool) -> None:
    assert draft(filler, text).confidential is confidential


@pytest.mark.parametrize(
    ("text", "transfer", "legal"),
    [
        ("快来人，楼下有人拿着刀在砍人", "110", None),
        ("我爸突然晕倒了叫不醒", "120", None),
        ("我已经去法院起诉了开发商", None, "诉讼"),
        ("想问问公积金怎么提取", None, None),
    ],
)
def test_transfer_and_legal_channel(filler, text, transfer, legal) -> None:
    d = draft(filler, text)
    assert (d.transfer, d.legal_channel) == (transfer, legal)
    assert bool(d.alerts) == bool(transfer or legal)


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        # a complaint needs who, how to reach them and where
        (
            "我投诉楼下饭店油烟太大",
            ["caller_name", "phone", "district", "street", "address_detail"],
        ),
        # a consultation does not need a place
        ("我叫史佳，电话18307319904，出生证明名字写错了能改吗", []),
        # an emergency needs the place at once
        ("着火了快来人", ["caller_name", "phone", "district", "street", "address_detail"]),
        # a caller who declines to give a name is not asked again
        ("我不留名了，问一下居住证怎么办", ["phone"]),
        # nothing recognisable: the category is missing too
        ("喂，你好", ["caller_name", "phone", "category_code"]),
    ],
)
def test_not_said_is_empty_and_missing(filler, text: str, missing: list[str]) -> None:
    d = draft(filler, text)
    assert d.missing == missing
    for name in missing:
        assert getattr(d, name) is None


def test_title_summary_and_privacy(filler) -> None:
    text = (
        "坐席：您好。\n市民：我投诉东湖区湖滨街道那个工地，天天半夜打桩。\n"
        "坐席：请问怎么称呼？\n市民：我叫黄秀英，电话15274839026，身份证110101199003078515。"
    )
    result = filler.fill(text, accepted_on=DAY)
    d = result.draft
    assert len(d.title) <= 20
    assert d.title.startswith("湖滨街道")
    assert "天天半夜打桩" in d.summary
    for secret in ("黄秀英", "15274839026", "110101199003078515"):
        assert secret not in d.summary
        assert secret not in d.title
        assert secret not in result.text_masked
        assert secret not in result.caller_text_masked
    assert "请问怎么称呼" not in d.summary  # the operator's lines are not the appeal
    assert set(result.vault.export().values()) >= {"黄秀英", "15274839026"}


@pytest.mark.parametrize(
    ("appeal_type", "accepted_on", "due_on", "days"),
    [
        # 国庆 + 中秋 2025: Oct 1–8 off, Sat Oct 11 a make-up working day
        ("咨询", dt.date(2025, 9, 30), dt.date(2025, 10, 11), 3),
        ("投诉", dt.date(2025, 9, 30), dt.date(2025, 10, 28), 15),
        # 春节 2026: Sat Feb 14 worked, Feb 15–23 off, Sat Feb 28 worked
        ("求助", dt.date(2026, 2, 13), dt.date(2026, 3, 2), 7),
        ("意见建议", dt.date(2026, 11, 20), dt.date(2026, 12, 1), 7),
        ("举报", dt.date(2026, 11, 20), dt.date(2026, 12, 11), 15),
    ],
)
def test_due_dates_across_holidays(appeal_type, accepted_on, due_on, days) -> None:
    due = compute_due(appeal_type, accepted_on)
    assert (due.due_on, due.working_days, due.warning) == (due_on, days, None)


def test_due_date_in_unknown_year_says_so() -> None:
    due = compute_due("咨询", dt.date(2031, 3, 3))
    assert due.due_on == dt.date(2031, 3, 6)
    # the calendar words the warning (kb.calendar); the form only has to pass it on
    assert "2031年" in due.warning and "尚未收录" in due.warning


def test_praise_has_no_due_date() -> None:
    assert compute_due("表扬", DAY).due_on is None


def test_due_date_uses_region_profile(sample_db) -> None:
    from kb import timelimits

    with sample_db.session() as session:
        timelimits.set_limit(session, "示例市东湖区", "咨询", 5, "东湖区规定（示例）", "admin")
        filler = FormFiller(use_llm=False)
        d = filler.fill("东湖区这边问一下居住证怎么办", accepted_on=DAY, session=session).draft
        assert (d.due.working_days, d.due_on) == (5, dt.date(2026, 11, 27))
        other = filler.fill("西山区这边问一下居住证怎么办", accepted_on=DAY, session=session).draft
        assert other.due.working_days == 3


@pytest.mark.parametrize(
    ("text", "message"), [("", "为空"), ("  \n ", "为空"), ("啊" * 20001, "过长")]
)
def test_bad_transcripts_are_refused(filler, text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        filler.fill(text)


def test_llm_improves_title_and_summary_only_through_the_gateway(monkeypatch) -> None:
    """With a model configured, title and summary come from it — fed masked text only."""
    from assistant.privacy import gateway

    sent: list[str] = []

    def fake_chat(messages, **kwargs):
        sent.extend(m["content"] for m in messages)
        reply = "标题：湖滨街道夜间打桩扰民\n摘要：〔姓名1〕反映工地夜间打桩，请核查。"
        return gateway.ChatReply(reply, reply, None, "fake")

    monkeypatch.setattr(gateway, "chat", fake_chat)
    filler = FormFiller(use_llm=True)
    d = filler.fill(
        "我叫黄秀英，电话15274839026，东湖区湖滨街道工地天天半夜打桩", accepted_on=DAY
    ).draft
    assert d.llm_used is True
    assert (d.title, d.summary) == ("湖滨街道夜间打桩扰民", "〔姓名1〕反映工地夜间打桩，请核查。")
    assert sent and all("黄秀英" not in m and "15274839026" not in m for m in sent)


def test_llm_failure_keeps_the_rule_based_draft(monkeypatch) -> None:
    from assistant.privacy import gateway
    from kb.errors import ServiceUnavailable

    def down(messages, **kwargs):
        raise ServiceUnavailable("未配置大模型服务")

    monkeypatch.setattr(gateway, "chat", down)
    d = FormFiller(use_llm=True).fill("东湖区工地半夜打桩", accepted_on=DAY).draft
    assert d.llm_used is False and d.title.startswith("东湖区")


@pytest.mark.parametrize(
    ("masked", "kept"),
    [
        ("我叫〔姓名1〕，家里停水了", "家里停水了"),
        ("姓〔姓名1〕，电话〔手机号1〕，路灯坏了", "路灯坏了"),
        ("〔姓名1〕。我想问公积金", "我想问公积金"),
        # a named third party is part of the matter: kept, still masked
        ("我想表扬社保窗口的〔姓名1〕，特别耐心", "我想表扬社保窗口的〔姓名1〕，特别耐心"),
        ("我要举报〔姓名1〕收钱", "我要举报〔姓名1〕收钱"),
        # so is a third party's number
        ("物业电话是〔手机号1〕，一直打不通", "物业电话是〔手机号1〕，一直打不通"),
        ("我的电话是〔手机号1〕，路灯坏了", "路灯坏了"),
    ],
)
def test_summary_words_drop_only_the_callers_identity(masked: str, kept: str) -> None:
    from assistant.form.summary import clean_words

    assert clean_words(masked) == kept


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        # the detail ends where the place ends; what follows is the matter
        ("东湖区湖滨街道那个路灯坏了好几天了", None),
        ("东湖区湖滨街道幸福路12号那个井盖没了", "幸福路12号"),
        ("我要表扬高新区政务服务中心的李明同志", "政务服务中心"),
        ("南江区滨江街道江景花园2栋那边的垃圾好几天没人收", "江景花园2栋"),
        ("高新区科技城街道云栖小区门口加个公交站吧", "云栖小区门口"),
        ("东湖区湖滨街道湖滨路和文化路路口红灯太长", "湖滨路和文化路路口"),
        # named places and landmarks after a unit are still the place
        ("南江区滨江街道滨江路康乐大药房门口有人摆摊", "滨江路康乐大药房门口"),
        ("西山区枫林街道枫林苑地下车库冒烟了", "枫林苑地下车库"),
        ("南江区江南街道社区的网格员特别负责", None),
    ],
)
def test_address_detail_ends_with_the_place(filler, text: str, detail: str | None) -> None:
    assert draft(filler, text).address_detail == detail
