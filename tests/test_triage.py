"""Triage rules: emergencies, negations, past events, legal channels, explanations."""

from __future__ import annotations

import pytest

from assistant.triage import triage, triage_report
from assistant.triage.rules import parse_rules
from kb.errors import InvalidInput


def targets(text: str) -> list[str]:
    return [alert.target for alert in triage(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 119: fire, smoke, gas, explosion
        ("救命啊我家厨房着火了", ["119"]),
        ("楼道里全是烟，呛得不行", ["119"]),
        ("对面仓库冒黑烟了，火苗都窜出来了", ["119"]),
        ("我闻到很大的煤气味，是不是漏气了", ["119"]),
        ("家里天然气泄漏了怎么办", ["119"]),
        ("楼下电动车烧起来了", ["119"]),
        ("隔壁店刚刚爆炸了", ["119"]),
        # 110: violence, threats, weapons, fights, stalking, robbery, self-harm
        ("我老公又在打我", ["110"]),
        ("楼下有两伙人在打架", ["110"]),
        ("有个男的拿着刀在小区门口", ["110"]),
        ("他威胁说要弄死我全家", ["110"]),
        ("下班路上有人一直跟踪我", ["110"]),
        ("我的包刚被抢了，抢劫的往东跑了", ["110"]),
        ("邻居说他不想活了要跳楼", ["110"]),
        ("放学路上有个陌生人一直跟着我女儿", ["110"]),
        ("地铁上有个男的一直在摸我", ["110"]),
        # 110: missing people
        ("我奶奶有老年痴呆，早上出门到现在没回来", ["110"]),
        ("孩子在商场走丢了", ["110"]),
        # 119: people trapped
        ("电梯困人了，我儿子被关在里面", ["119"]),
        ("有个小孩卡在防盗窗里面了", ["119"]),
        # 120: collapsed, unconscious, bleeding
        ("我爸突然晕倒了", ["120"]),
        ("有个老人倒在地上叫他没反应", ["120"]),
        ("孩子手割破了血流不止", ["120"]),
        ("我奶奶喘不上气，嘴唇都紫了", ["120"]),
        ("有个老太太在公交站旁边倒下了，喊她也不答应", ["120"]),
        ("他摔在楼梯上起不来了，脸色发紫", ["120"]),
        # 122: road accidents, blocked roads
        ("路口两辆车追尾了，没人受伤", ["122"]),
        ("路口剐蹭了一下，并没有人受伤", ["122"]),
        ("电动车被车撞了，人躺在地上流血", ["122", "120"]),
        ("大树倒在路中间，车都过不去", ["122"]),
        ("前面一辆货车翻了，货撒了一地", ["122"]),
        # knocked down off the road: not a road accident, the injured person still needs 120
        ("小区里面一个老人被电动车撞倒了，腿上全是血，这不是马路", ["120"]),
        # ASR style, no punctuation, fillers
        ("喂喂那个我们这个楼现在着火了快点来人啊", ["119"]),
        ("嗯就是那个我在湖滨路这边有人拿刀砍人", ["110"]),
        # doubt means alarm: a question about a live danger still raises it
        ("是不是着火了我看到好多烟", ["119"]),
        ("说是没有着火，可是楼道还在冒烟", ["119"]),
        # several dangers at once, most urgent first
        ("着火了还有人被烧伤晕过去了", ["119", "120"]),
        ("两个人打架一个头都打出血了", ["110", "120"]),
    ],
)
def test_emergencies(text: str, expected: list[str]) -> None:
    assert targets(text) == expected


@pytest.mark.parametrize(
    ("text", "phrase", "why"),
    [
        ("没有着火，就是楼下烧烤摊的油烟飘上来", "着火", "来电人否定"),
        ("不是打架，是两个人在吵嘴", "打架", "来电人否定"),
        ("家里老人摔了一下，并没有受伤", "受伤", "来电人否定"),
        ("楼道堆满杂物有火灾隐患", "火灾", "属于排除说法"),
        ("饭店油烟很大熏得家里没法开窗", "烟很大", "属于排除说法"),
        ("如果家里着火了应该怎么逃生", "着火", "假设或隐患，并非正在发生"),
        ("电动车在楼道充电容易着火", "着火", "假设或隐患，并非正在发生"),
        ("烟道太旧了，我担心哪天会着火", "着火", "假设或隐患，并非正在发生"),
        ("上个月被打了想问问处理进度", "被打了", "已经过去的事件"),
        ("前几天在菜市场跟人打架了，派出所处理结果还没出来", "打架", "已经过去的事件"),
        ("厨房着火了但已经扑灭了，想问保险怎么办", "着火", "来电人说险情已解除"),
        ("去年出了车祸，交通事故认定书怎么申请", "车祸", "已经过去的事件"),
        ("我想跟踪一下我反映的问题的处理进度", "跟踪", "属于排除说法"),
        ("我去年被人打了，到现在都没个结果，想问问进度", "被人打了", "已经过去的事件"),
        ("我老公出车祸住院了，这个算不算工伤", "车祸", "事后咨询（住院、理赔、认定等）"),
    ],
)
def test_not_live_emergencies(text: str, phrase: str, why: str) -> None:
    report = triage_report(text)
    assert [a for a in report.alerts if a.kind == "emergency"] == []
    assert (phrase, why) in [(i.phrase, i.why) for i in report.ignored]


@pytest.mark.parametrize(
    "text",
    [
        "燃气费怎么交，营业厅在哪里",
        "我们小区消防通道被占了，车停得满满的",
        "工厂烟囱天天冒黑烟，污染太严重了",
        "孩子发烧了医保能报销吗",
        "火车站附近的公交线路能不能调整一下",
        "我要投诉路边烧烤摊到半夜",
        "他们那个跟踪服务做得很好，我要表扬",
        "反映了好几次都没反应，物业就是不管",
        "我们小区电梯老是困人，物业也不管",
        "想问一下防走失手环在哪里领",
        "门口的大树倒下了一半，挡住了窗户",
    ],
)
def test_ordinary_calls_raise_nothing(text: str) -> None:
    assert triage(text) == []


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("我已经起诉了开发商，法院下个月开庭", "诉讼"),
        ("公司欠我三个月工资，我申请了劳动仲裁", "仲裁"),
        ("对区里的处罚决定不服，想申请行政复议", "行政复议"),
        ("我要举报我们村支书贪污扶贫款", "纪检监察"),
        ("我想申请公开我们小区拆迁的补偿方案", "政府信息公开"),
        ("这个事情我已经去信访局反映过了", "信访"),
    ],
)
def test_legal_channels(text: str, channel: str) -> None:
    report = triage_report(text)
    assert report.legal_channel == channel
    assert report.transfer is None
    alert = report.alerts[0]
    assert alert.kind == "legal_channel"
    assert alert.say and alert.reason


@pytest.mark.parametrize(
    "text",
    ["我不想打官司，就想让他们把钱还了", "还没有申请仲裁，先找你们问问", "我没去信访，先打12345"],
)
def test_negated_legal_channels(text: str) -> None:
    assert triage_report(text).legal_channel is None


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("能不能帮我查一下他的手机号", "个人隐私"),
        ("你们把我前妻的住址告诉我", "个人隐私"),
        ("我想看看那个文件，听说是国家秘密", "国家秘密"),
        ("竞争对手的客户名单能不能给我一份", "商业秘密"),
    ],
)
def test_explanations(text: str, target: str) -> None:
    alerts = triage(text)
    assert [(a.kind, a.target) for a in alerts] == [("explain", target)]


def test_confidentiality_request_is_not_a_privacy_alert() -> None:
    assert triage("我要求保密，不要透露我的个人信息") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # operator questions are not facts…
        ("坐席：请问家里是不是着火了？\n市民：没有没有，我是问燃气费", []),
        ("坐席：有没有人受伤？\n市民：没有，就是车灯撞坏了", ["122"]),
        # …but a yes to one is
        ("坐席：您那边是不是着火了？\n市民：嗯对", ["119"]),
        ("坐席：有没有人受伤？\n市民：有，腿在流血", ["120"]),
        ("坐席：您好，请讲。市民：我家楼下有人在打架", ["110"]),
    ],
)
def test_transcripts_use_caller_words(text: str, expected: list[str]) -> None:
    assert targets(text) == expected


def test_alert_fields() -> None:
    (alert,) = triage("我闻到很浓的煤气味")
    assert alert.kind == "emergency"
    assert alert.target == "119"
    assert alert.rule == "gas_leak"
    assert alert.matched == ("闻到很浓的煤气",)
    assert "119" in alert.say and "不要" in alert.say


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"rules": "x"}, "rules 列表"),
        ({"rules": [{"id": "a", "kind": "weird"}]}, "kind"),
        (
            {
                "rules": [
                    {"id": "a", "kind": "emergency", "target": "999", "reason": "r", "say": "s"}
                ]
            },
            "target",
        ),
        (
            {
                "rules": [
                    {"id": "a", "kind": "explain", "target": "t", "reason": "r", "say": "s"},
                ]
            },
            "触发短语",
        ),
        (
            {
                "rules": [
                    {
                        "id": "a",
                        "kind": "explain",
                        "target": "t",
                        "reason": "r",
                        "say": "s",
                        "patterns": ["(unclosed"],
                    }
                ]
            },
            "正则",
        ),
        ({"rules": [], "context": {"weird": []}}, "未知项"),
    ],
)
def test_bad_rules_are_refused(raw: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_rules(raw)


def test_ask_result_carries_triage_alerts() -> None:
    from assistant.answer import decide

    class _Found:
        best = None
        candidates = ()

    class _Retriever:
        weights = None

        def search(self, *args, **kwargs):
            return _Found()

    fire = decide("楼下着火了，好大的烟", retriever=_Retriever()).result
    assert [(a["kind"], a["target"], a["rule"]) for a in fire.triage] == [
        ("emergency", "119", "fire")
    ]
    assert decide("居住证怎么办理", retriever=_Retriever()).result.triage == []
