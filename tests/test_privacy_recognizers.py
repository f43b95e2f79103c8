"""Each Chinese recognizer, table-driven: exact spans, check digits, and must-keep look-alikes."""

from __future__ import annotations

import pytest

from assistant.privacy.analyzer import detect
from assistant.privacy.checksums import (
    credit_code_ok,
    id_check_char,
    id_checksum_ok,
    id_structure_ok,
    luhn_ok,
)
from assistant.privacy.digits import digit_view
from assistant.privacy.recognizers import (
    ZhBankCardRecognizer,
    ZhIdCardRecognizer,
    ZhLicensePlateRecognizer,
    ZhMobileRecognizer,
)


def found(text: str, entity: str | None = None) -> list[tuple[str, str]]:
    """(entity type, matched text) of every detection, optionally of one type."""
    return [
        (d.entity_type, text[d.start : d.end])
        for d in detect(text)
        if entity is None or d.entity_type == entity
    ]


def spans(text: str, entity: str) -> list[tuple[int, int]]:
    return [(d.start, d.end) for d in detect(text) if d.entity_type == entity]


# --------------------------------------------------------------------------- check digits


@pytest.mark.parametrize(
    ("number", "checksum", "structure"),
    [
        ("11010519491231002X", True, True),  # GB 11643 example, X check character
        ("620102199001011234", False, True),  # real date, wrong check digit
        ("620102199013011238", False, False),  # month 13
        ("990102199001011237", True, False),  # right check digit, but no province 99
        ("620102900101123", False, True),  # 15-digit legacy, 1990-01-01
        ("620102901301123", False, False),  # legacy, month 13
    ],
)
def test_id_checks(number: str, checksum: bool, structure: bool) -> None:
    assert id_checksum_ok(number) is checksum
    assert id_structure_ok(number) is structure


def test_id_check_char_matches_standard_example() -> None:
    assert id_check_char("11010519491231002") == "X"
    assert id_check_char("62010219900101123") == "3"


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("6217001234567890", False),
        ("6217001234567893", True),
        ("4111111111111111", True),
        ("6222021234567890128", True),
        ("6222021234567890127", False),
    ],
)
def test_luhn(number: str, ok: bool) -> None:
    assert luhn_ok(number) is ok


@pytest.mark.parametrize(
    ("code", "ok"),
    [("91350100M000100Y43", True), ("91350100M000100Y44", False), ("911101080000000000", False)],
)
def test_credit_code_check(code: str, ok: bool) -> None:
    assert credit_code_ok(code) is ok


# --------------------------------------------------------------------------- raw recognizer scores


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("11010519491231002X", 1.0),  # valid check → certain
        ("620102199001011234", 0.5),  # misread digit: still masked
        ("620102199013011238", 0.3),  # no date: needs context
        ("620102900101123", 0.55),  # legacy 15 digits with a real date
    ],
)
def test_id_card_scores(text: str, score: float) -> None:
    results = ZhIdCardRecognizer().analyze(text, ["CN_ID_CARD"])
    assert [(r.start, r.end, r.score) for r in results] == [(0, len(text), score)]


@pytest.mark.parametrize(
    ("text", "score"),
    [("6217001234567893", 0.9), ("6217001234567890", 0.3), ("6217 0012 3456 7893", 0.9)],
)
def test_bank_card_scores(text: str, score: float) -> None:
    results = ZhBankCardRecognizer().analyze(text, ["CN_BANK_CARD"])
    assert [(r.start, r.end, r.score) for r in results] == [(0, len(text), score)]


# --------------------------------------------------------------------------- ID cards


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身份证号11010519491231002X。", [(4, 22)]),
        ("身份证号11010519491231002x。", [(4, 22)]),
        ("证件号620102 19900101 1233，", [(3, 23)]),
        ("身份证号码620102199001011234，可能念错了", [(5, 23)]),  # bad check + context
        ("身份证620102199013011238", [(3, 21)]),  # not even a date, but context says ID
        ("老身份证620102900101123", [(4, 19)]),
        ("身份证号六二零一零二一九九零零一零一一二三五", [(4, 22)]),  # dictated
        ("编号620102199013011238", []),  # no date, no context: not an ID
    ],
)
def test_id_card_spans(text: str, expected: list[tuple[int, int]]) -> None:
    assert spans(text, "CN_ID_CARD") == expected


# --------------------------------------------------------------------------- mobiles


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("电话13812345678。", [(2, 13)]),
        ("电话138 1234 5678。", [(2, 15)]),
        ("电话138-1234-5678。", [(2, 15)]),
        ("+86 13812345678", [(0, 15)]),
        ("008613812345678", [(0, 15)]),
        ("电话１３８１２３４５６７８", [(2, 13)]),
        ("手机幺三八幺二三四五六七八", [(2, 13)]),
        ("手机一八六两三四五六七八九", [(2, 13)]),
        ("流水号2138123456789", []),  # inside a longer digit run
        ("卡号6222013812345678901", []),  # a card containing a mobile-like run
        ("12345678901", []),  # 1 + 2: no mobile prefix
    ],
)
def test_mobile_spans(text: str, expected: list[tuple[int, int]]) -> None:
    assert spans(text, "CN_MOBILE") == expected


def test_mobile_recognizer_never_matches_inside_digits() -> None:
    assert ZhMobileRecognizer().analyze("9913812345678", ["CN_MOBILE"]) == []


# --------------------------------------------------------------------------- landlines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("座机0931-8123456", [("CN_LANDLINE", "0931-8123456")]),
        ("电话（0931）8123456", [("CN_LANDLINE", "（0931）8123456")]),
        ("电话(010)62345678", [("CN_LANDLINE", "(010)62345678")]),
        ("办公电话0931-8765432转806", [("CN_LANDLINE", "0931-8765432转806")]),
        ("家里座机8123456", [("CN_LANDLINE", "8123456")]),  # local number with context
        ("共计8123456人次", []),  # no context: a count
        ("请拨打0931-12345咨询", []),  # the hotline itself
    ],
)
def test_landlines(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "CN_LANDLINE") == expected


# --------------------------------------------------------------------------- bank cards


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("卡号6217001234567893", ["6217001234567893"]),
        ("尾号6217 0012 3456 7893的卡", ["6217 0012 3456 7893"]),
        ("银行卡6217001234567890收不到钱", ["6217001234567890"]),  # bad Luhn + context
        ("流水6217001234567890", []),  # bad Luhn, no context
        ("6222021234567890128", ["6222021234567890128"]),  # 19 digits, Luhn
    ],
)
def test_bank_cards(text: str, expected: list[str]) -> None:
    assert [value for _, value in found(text, "CN_BANK_CARD")] == expected


# --------------------------------------------------------------------------- e-mail


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("邮箱zhangwei@163.com，", ["zhangwei@163.com"]),
        ("发到li.xia_88@example.cn谢谢", ["li.xia_88@example.cn"]),
        ("邮箱wang＠qq.com", ["wang＠qq.com"]),
        ("邮箱是zhangwei艾特163点com", ["zhangwei艾特163点com"]),
        ("网址www.gov.cn", []),
    ],
)
def test_emails(text: str, expected: list[str]) -> None:
    assert [value for _, value in found(text, "EMAIL_ADDRESS")] == expected


# --------------------------------------------------------------------------- plates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("车牌甘A12345", ["甘A12345"]),
        ("车牌甘A·D12345", ["甘A·D12345"]),  # small new-energy, 8 characters
        ("货车甘A12345D", ["甘A12345D"]),  # large new-energy
        ("粤B8K3Q6逃逸", ["粤B8K3Q6"]),
        ("教练车甘A1234学", ["甘A1234学"]),
        ("新ABCDE", []),  # no digits: not a plate
        ("甘A123", []),  # too short
    ],
)
def test_plates(text: str, expected: list[str]) -> None:
    assert [value for _, value in found(text, "CN_LICENSE_PLATE")] == expected


def test_plate_serial_never_uses_i_or_o() -> None:
    assert ZhLicensePlateRecognizer().analyze("甘AI2345", ["CN_LICENSE_PLATE"]) == []


# --------------------------------------------------------------------------- passports, permits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("护照号E12345678", [("CN_PASSPORT", "E12345678")]),
        ("护照号码EA1234567", [("CN_PASSPORT", "EA1234567")]),
        ("港澳通行证C87654321", [("CN_TRAVEL_PERMIT", "C87654321")]),
        ("回乡证H1234567801", [("CN_TRAVEL_PERMIT", "H1234567801")]),
        ("台胞证号码01234567", [("CN_TRAVEL_PERMIT", "01234567")]),
        ("型号E12345678", []),  # no context
    ],
)
def test_passports_and_permits(text: str, expected: list[tuple[str, str]]) -> None:
    assert [f for f in found(text) if f[0] in ("CN_PASSPORT", "CN_TRAVEL_PERMIT")] == expected


# --------------------------------------------------------------------------- QQ / WeChat


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("QQ号码是274936158。", ["274936158"]),
        ("加我qq：12345678", ["12345678"]),
        ("微信号wxid_abc123", ["wxid_abc123"]),
        ("我的微信是lixia_1988，", ["lixia_1988"]),
        ("订单274936158", []),
        ('{"appId":"wxcccd4eaac7d51769"}', []),  # "wx" inside a word is no cue
    ],
)
def test_social_accounts(text: str, expected: list[str]) -> None:
    assert [value for _, value in found(text, "CN_SOCIAL_ACCOUNT")] == expected


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我叫张伟，住在这里", ["张伟"]),
        ("来电人王家豪反映噪音", ["王家豪"]),
        ("联系人：欧阳娜娜，", ["欧阳娜娜"]),
        ("诉求人上官婉儿称", ["上官婉儿"]),
        ("市民王先生来电", ["王先生"]),
        ("张秀英阿姨说维修师傅没来", ["张秀英阿姨"]),
        ("我和王女士一起去的", ["王女士"]),
        ("免贵姓司马，叫司马光明", ["司马", "司马光明"]),
        ("我姓刘，叫刘建华", ["刘", "刘建华"]),
        ("宇文浩然，男，", ["宇文浩然"]),
        ("李文华女士的材料", ["李文华女士"]),
        ("房东刘建华不退押金", ["刘建华"]),
        ("我叫于一诺，联系电话", ["于一诺"]),  # 于 is a preposition too
        # no cue word: the person acts (在, 两口子, 不管 …) — jieba tags the name
        ("钱晓燕在菜市场门口摔了一跤", ["钱晓燕"]),
        ("范志强两口子天天吵架", ["范志强"]),
        # jieba tags the surname alone and reads the given name as a word (苟|建国)
        ("苟建国在小区门口摆摊", ["苟建国"]),
        # after a strong cue, names without a Han surname
        ("申请人买买提·艾力，想问低保", ["买买提·艾力"]),
        ("户主阿依古丽，电话", ["阿依古丽"]),
        # the surname spelled out before the full name
        ("免贵姓张，弓长张，张国栋", ["张", "张国栋"]),
        ("免贵姓龙，龙卷风的龙，龙小云", ["龙", "龙小云"]),
    ],
)
def test_names(text: str, expected: list[str]) -> None:
    assert [value for _, value in found(text, "PERSON")] == expected


@pytest.mark.parametrize(
    "text",
    [
        "维修师傅没来",  # 修 is a surname, but 维修 is a word
        "我是高新区科技城街道的居民",  # 高新 + 区 is a place
        "我是房东，房东不退押金",  # 房东 is on the blacklist
        "石桥镇白沙村",  # place names that start with surnames
        "张某某在现场",  # already anonymised
        "请问您贵姓？",
        "姓名：",
        "群众和企业的诉求",  # 和 after a weak cue is "and"
        "请问您的姓名和电话？",
        "涉及诉讼、仲裁、纪检监察、信访等方面",  # jieba tags 纪检监察 as a name
        "家里老人高龄津贴每个月多少",  # 老人 is a cue, 高龄 a word
        "孩子小升初怎么分学校",  # 孩子 is a cue, 小升初 no name
        "联系人：华亭市东华镇政府",  # a place after a strong cue
    ],
)
def test_not_names(text: str) -> None:
    assert found(text, "PERSON") == []


# --------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "住在东湖区江南街道滨江路88号阳光花园小区3栋2单元1502室。",
            ["滨江路88号阳光花园小区3栋2单元1502室"],
        ),
        ("住址：解放北路128号院6号楼3单元502室", ["解放北路128号院6号楼3单元502室"]),
        ("科技城街道的学府名苑12-3-1101楼道", ["学府名苑12-3-1101"]),
        ("我住锦绣家园三栋二单元一五零二室", ["锦绣家园三栋二单元一五零二室"]),
        ("柳河乡柳河村3组12号", ["3组12号"]),
        ("住在创新一路249号", ["创新一路249号"]),
        ("反映阳光花园小区门口占道", ["阳光花园小区"]),
        ("门牌号是18号", ["门牌号是18号"]),
        ("东湖区桃源街道桃源居。", ["桃源居"]),
        ("南江区南苑街道南苑新村，物业说", ["南苑新村"]),  # not 南苑 of 南苑街道
        ("青石县青石镇金桂园3栋", ["金桂园3栋"]),
        ("高新区创新街道星河湾2栋。", ["星河湾2栋"]),  # unknown suffix, but a building
        ("公司在创新大厦", ["创新大厦"]),
    ],
)
def test_addresses(text: str, expected: list[str]) -> None:
    assert [value for _, value in found(text, "CN_ADDRESS")] == expected


@pytest.mark.parametrize(
    "text",
    [
        "湖滨路与建设路交叉口路灯不亮",  # roads without a number are public places
        "示例市东湖区湖滨街道办事处",
        "本小区的物业",
        "想反映小区门口占道经营",
        "示例市人民政府",
        "3楼大厅",
        "第3期第2批共128户",  # a count of households
        "三室两厅，3室2厅1卫",  # a flat's layout
        "请问是哪个小区？",
        "我们这个老旧小区改造",
        "您和楼上邻居沟通过吗？",
        "附近的公办园报名",
        "我们家住十八楼",
        "桃源公园附近",
    ],
)
def test_not_addresses(text: str) -> None:
    assert found(text, "CN_ADDRESS") == []


# --------------------------------------------------------------------------- must keep


@pytest.mark.parametrize(
    "text",
    [
        "根据国办函〔2025〕66号文件办理",
        "甘政办发[2025]69号",
        "自2025年12月1日起施行，2025-12-01生效，20251201登记",
        "补贴1,250.00元，每月300元",
        "在15个工作日内办结，延期3个月",
        "请拨打12345、12315、110、119、120、122，或0931-12345",
        "工单号GD20251201000123已办结",
        "工单编号：20251201000123",
        "统一社会信用代码91350100M000100Y43",
        "示例市东湖区湖滨街道、青石县白沙镇、柳河乡",
        "工作时间8:30-17:30，办结率98.5%",
    ],
)
def test_must_keep_look_alikes_survive(text: str) -> None:
    assert detect(text) == []


def test_credit_codes_masked_when_configured() -> None:
    text = "统一社会信用代码91350100M000100Y43"
    kept = detect(text, keep_credit_codes=True)
    masked = detect(text, keep_credit_codes=False)
    assert kept == []
    assert [(d.entity_type, text[d.start : d.end]) for d in masked] == [
        ("CN_CREDIT_CODE", "91350100M000100Y43")
    ]


def test_look_alike_inside_pii_does_not_protect_it() -> None:
    # "12345" is the hotline, but inside a plate it is part of the plate.
    assert found("车牌甘A12345D") == [("CN_LICENSE_PLATE", "甘A12345D")]


# --------------------------------------------------------------------------- digit view


@pytest.mark.parametrize(
    ("text", "view"),
    [
        ("幺三八一二三四五六七八", "13812345678"),
        ("一二三", "一二三"),  # short runs stay prose
        ("１３８", "138"),
        ("两万元", "两万元"),
    ],
)
def test_digit_view_keeps_length(text: str, view: str) -> None:
    assert digit_view(text) == view
    assert len(digit_view(text)) == len(text)


# --------------------------------------------------------------------------- audit of issue 5
# Fresh texts of the independent audit (eval/datasets/pii_holdout3.txt): each leaked or
# was destroyed before the fix. Exact (type, start, end) of every detection.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 编号 alone is no work-order cue: the checksum-valid ID, the Luhn-valid card go.
        (
            "身份证编号620102198503174521，申请人王建国。",
            [("CN_ID_CARD", 5, 23), ("PERSON", 27, 30)],
        ),
        ("证件编号：620102198503174521", [("CN_ID_CARD", 5, 23)]),
        ("档案编号440305199208110032的那个人是我。", [("CN_ID_CARD", 4, 22)]),
        (
            "社保卡编号6217001234567890122，办理人刘芳。",
            [("CN_BANK_CARD", 5, 24), ("PERSON", 28, 30)],
        ),
        # Even after a real work-order cue an ID or a Luhn card is not kept.
        ("工单号620102198503174521", [("CN_ID_CARD", 3, 21)]),
        ("工单号6217001234567890122", [("CN_BANK_CARD", 3, 22)]),
        # Spoken X at the end of an ID (叉, 艾克斯).
        ("身份证六二零一零二一九八五零三一七四五二叉丢失", [("CN_ID_CARD", 3, 21)]),
        ("身份证号码六二零一零二一九八五零三一七四五二艾克斯", [("CN_ID_CARD", 5, 25)]),
        # Pauses written as ，/杠/spaces inside a dictated number; one stray digit after.
        ("我手机是幺三九，幺二八七，六五四三零。", [("CN_MOBILE", 4, 18)]),
        ("电话幺三八杠幺二三四杠五六七八。", [("CN_MOBILE", 2, 15)]),
        ("市民说电话幺三九 幺二八七 六五四三 零，回电", [("CN_MOBILE", 5, 20)]),
        ("手机1381-234-5678打不通。", [("CN_MOBILE", 2, 15)]),
        ("vx13812345678加一下", [("CN_MOBILE", 2, 13)]),
        ("身份证620102 1985 0317 4521", [("CN_ID_CARD", 3, 24)]),
        ("身份证号62010219850317452，少了一位吗？", [("CN_ID_CARD", 4, 21)]),
        # A Luhn-valid run right after 身份证号 is an ID, not a card.
        ("驾驶证号就是身份证号320583196602291117。", [("CN_ID_CARD", 10, 28)]),
        ("车牌甘 A12345的车一直堵在门口。", [("CN_LICENSE_PLATE", 2, 10)]),
        ("车牌号甘a12345", [("CN_LICENSE_PLATE", 3, 10)]),
        ("护照丢了，补办的时候需要填原来的号码，号码是E12345678。", [("CN_PASSPORT", 22, 31)]),
        ("QQ号20150612被盗了。", [("CN_SOCIAL_ACCOUNT", 3, 11)]),  # the cue beats the date
        ("wechat id: zhangwei_88", [("CN_SOCIAL_ACCOUNT", 11, 22)]),
        ("转到6222021003123456781这个账户了", [("CN_BANK_CARD", 2, 21)]),
        ("家里座机零九三幺八四五六幺二三，分机八零六", [("CN_LANDLINE", 4, 15)]),
    ],
)
def test_audit_numbers(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert [(d.entity_type, d.start, d.end) for d in detect(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "工单编号202512010001234请尽快处理。",
        "受理编号LZ2025120100012，请在15天内办结。",
        "快递单号SF1234567890123，一直没有派送。",
        "一、二、三、四、五、六、七、八",  # an enumeration, not a dictated number
        "（2025）甘0102民初1234号判决书已生效。",
        "退税金额1,234.56元，于2025-11-20到账。",
    ],
)
def test_audit_look_alikes_survive(text: str) -> None:
    assert detect(text) == []


@pytest.mark.parametrize(
    ("text", "view"),
    [
        ("六二零一零二一九八五零三一七四五二叉", "62010219850317452X"),
        ("幺三九，幺二八七，六五四三零", "139-1287-65430"),
        ("幺三八杠幺二三四杠五六七八", "138-1234-5678"),
        ("一、二、三、四、五、六、七", "一、二、三、四、五、六、七"),
        ("叉子", "叉子"),  # 叉 is an X only after 17 digits
    ],
)
def test_digit_view_reads_pauses_and_spoken_x(text: str, view: str) -> None:
    assert digit_view(text).replace("\u2060", "") == view.replace("\u2060", "")
    assert len(digit_view(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("社保卡编号6217001234567890122，办理人刘芳。", [("PERSON", 28, 30)]),
        ("转账到农行账户6228480402564890，户名朱丽叶。", [("PERSON", 26, 29)]),
        # No cue word: the name acts in the sentence, or is asked for.
        ("刘德华刚才打来电话问公积金的事。", [("PERSON", 0, 3)]),
        ("王建军昨天又来闹了。", [("PERSON", 0, 3)]),
        ("这事是李秀兰跟我说的。", [("PERSON", 3, 6)]),
        ("张伟和李娜是邻居。", [("PERSON", 0, 2), ("PERSON", 3, 5)]),
        ("电话0086-13812345678找何伟。", [("PERSON", 19, 21)]),
        ("孟子涵妈妈来电，孩子学籍有问题。", [("PERSON", 0, 3)]),  # 妈妈 stays
        # Titles and 老/小 forms are people.
        (
            "请转告刘主任和陈科长，马书记也知道。",
            [("PERSON", 3, 6), ("PERSON", 7, 10), ("PERSON", 11, 14)],
        ),
        ("联系座机0931-8456123转806，找赵主任。", [("PERSON", 22, 25)]),
        ("老张和小李都说物业不管。", [("PERSON", 0, 2), ("PERSON", 3, 5)]),
        ("我婆婆蒋桂芝今年78岁", [("PERSON", 3, 6)]),  # kinship words are cues
    ],
)
def test_audit_names(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert [
        (d.entity_type, d.start, d.end) for d in detect(text) if d.entity_type == "PERSON"
    ] == expected


@pytest.mark.parametrize(
    "text",
    [
        # District, county and town names are places, never names (属地 for dispatch).
        "我是康县人，在城关区打工。",
        "我是成县的，户口在成县城关镇。",
        "来电人高台县巷道镇居民反映。",
        "联系人：华亭市东华镇政府。",
        "市民文县碧口镇的，反映道路塌方。",
        "我是白银区的，平川区那边也一样。",
        "我是安宁的，住在安宁区。",
        "我是高三学生，想问高考加分政策。",
        "我是高中老师，想问教师资格证的事。",
        # Titles and 老/小 that end ordinary words.
        "班主任说孩子表现不错",
        "支部书记和纪委书记都来了",
        "原局长已经退休",
        "高新区长江中路的路灯",
        "老师说小时候这里是河",
        "小区门口的小米之家",
        "周末小周边游",
    ],
)
def test_audit_places_and_words_are_not_names(text: str) -> None:
    assert found(text, "PERSON") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A street office ending right at the estate suffix is no estate name.
        ("来电人诸葛明亮反映七里河区西湖街道小区门口垃圾两天没人清运。", []),
        ("七里河区敦煌路街道小区里乱停车。", []),
        # A road without a number, a comma, then a date: no address.
        ("我家住在幸福路，5号那天水管爆了。", []),
        ("市民称北滨河中路1088号附近有人倒垃圾。", ["北滨河中路1088号"]),
        ("城关区盐场路街道幸福小区3栋停电。", ["幸福小区3栋"]),
        ("来电：马大爷家住榆中县城关镇栖云北路36号院2排5号。", ["栖云北路36号院2排5号"]),
    ],
)
def test_audit_addresses(text: str, expected: list[str]) -> None:
    assert [value for _, value in found(text, "CN_ADDRESS")] == expected
