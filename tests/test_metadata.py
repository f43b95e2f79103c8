"""Metadata rules one by one: dates, validity, 文号, issuer, abolished documents, region;
and the line-level rules they rest on (normalisation, junk, repeats)."""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.cleaner import clean_text
from ingest.dates import cn_number, first_date, validity_end
from ingest.junk import junk_reason
from ingest.metadata import extract_metadata
from ingest.normalize import normalize_line
from ingest.regions import region_of
from ingest.repeats import duplicate_lines, remove_tandem_repeats

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布日期：2025-06-26", D("2025-06-26")),
        ("2025年12月25日 17时55分", D("2025-12-25")),
        ("二〇二五年十一月十八日", D("2025-11-18")),
        ("2021/1/8", D("2021-01-08")),
        ("2025年2月30日", None),
        ("12345热线", None),
    ],
)
def test_first_date(text, expected):
    assert first_date(text) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [("5", 5), ("五", 5), ("十", 10), ("十二", 12), ("二十六", 26), ("二〇二五", 2025)],
)
def test_cn_number(text, value):
    assert cn_number(text) == value


@pytest.mark.parametrize(
    ("start", "years", "months", "end"),
    [
        (D("2025-12-25"), 5, 0, D("2030-12-24")),
        (D("2024-02-29"), 1, 0, D("2025-02-27")),
        (D("2025-01-31"), 0, 1, D("2025-02-27")),
        (D("2026-03-02"), 3, 0, D("2029-03-01")),
    ],
)
def test_validity_end(start, years, months, end):
    assert validity_end(start, years=years, months=months) == end


def meta_of(lines: list[str]):
    return extract_metadata(clean_text("\n".join(lines)), fallback_title="文件名")


BODY = "为做好热线工作，现将有关事项通知如下，请认真贯彻落实。"


@pytest.mark.parametrize(
    ("lines", "field", "expected"),
    [
        # validity
        (
            ["示例市人民政府关于热线的通知", BODY, "本办法自2026年1月1日起施行，有效期5年。"],
            "expires_on",
            D("2030-12-31"),
        ),
        (
            ["示例市人民政府关于热线的通知", BODY, "本办法自2026年1月1日起施行，有效期5年。"],
            "effective_from",
            D("2026-01-01"),
        ),
        (
            ["示例市人民政府关于热线的通知", BODY, "本通知有效期至2027年6月30日。"],
            "expires_on",
            D("2027-06-30"),
        ),
        (
            [
                "示例市人民政府关于热线的通知",
                BODY,
                "有效期两年。",
                "示例市人民政府",
                "2026年3月1日",
            ],
            "expires_on",
            D("2028-02-29"),
        ),
        (
            ["示例市人民政府关于热线的通知", BODY, "有效期6个月。"],
            "expires_on",
            None,
        ),  # no start date: not guessed
        (
            [
                "示例市人民政府关于热线的通知",
                BODY,
                "本办法自发布之日起30日后施行。",
                "示例市人民政府",
                "2026年3月1日",
            ],
            "effective_from",
            D("2026-03-31"),
        ),
        (
            [
                "示例市人民政府关于热线的通知",
                BODY,
                "本办法自公布之日起满3个月施行。",
                "示例市人民政府",
                "2026年3月1日",
            ],
            "effective_from",
            D("2026-06-01"),
        ),
        (
            [
                "示例市人民政府关于热线的通知",
                BODY,
                "本办法自发布之日起30日后施行，有效期5年。",
                "示例市人民政府",
                "2026年3月1日",
            ],
            "expires_on",
            D("2031-03-30"),
        ),
        (
            ["示例市人民政府关于热线的通知", BODY, "本办法自2026年1月1日起施行，试行期2年。"],
            "expires_on",
            D("2027-12-31"),
        ),
        (
            [
                "示例市人民政府关于热线的通知",
                BODY,
                "本办法自2026年1月1日起施行，至2030年12月31日止。",
            ],
            "expires_on",
            D("2030-12-31"),
        ),
        (
            [
                "示例市人民政府关于热线的通知",
                BODY,
                "本办法有效期自2026年2月1日至2030年12月31日止。",
            ],
            "effective_from",
            D("2026-02-01"),
        ),
        (
            [
                "示例市人民政府关于热线的通知",
                BODY,
                "本办法有效期自2026年2月1日至2030年12月31日止。",
            ],
            "expires_on",
            D("2030-12-31"),
        ),
        (
            # a payment period is content, not the document's validity
            ["示例市医疗保障局关于医保缴费的通知", BODY, "集中缴费期为2025年9月1日至12月31日止。"],
            "expires_on",
            None,
        ),
        # 文号: own (a line of its own in the head) vs cited (inside the body)
        (
            ["示政办发（2026）3号", "示例市人民政府办公室关于热线的通知", BODY],
            "doc_no",
            "示政办发〔2026〕3号",
        ),
        (
            ["示例市人民政府办公室关于热线的通知", "文号：示政办发[2026]3号", BODY],
            "doc_no",
            "示政办发〔2026〕3号",
        ),
        (
            ["示例市人民政府办公室关于热线的通知", "根据《意见》（国办函〔2025〕66号）" + BODY],
            "doc_no",
            None,
        ),
        (
            ["示例市人民政府办公室关于热线的通知", "示政办发﹝2026﹞12号", BODY],
            "doc_no",
            "示政办发〔2026〕12号",
        ),
        (
            ["示例市人民政府办公室关于热线的通知", "示政办发〘2026〙12号", BODY],
            "doc_no",
            "示政办发〔2026〕12号",
        ),
        (
            ["示例市人民政府办公室关于热线的通知", "示政办发〈2026〉12号", BODY],
            "doc_no",
            "示政办发〔2026〕12号",
        ),
        # issuer
        (["示例市医疗保障局关于医保缴费的通知", BODY], "issuer", "示例市医疗保障局"),
        (["示例市医疗保障局文件", "关于医保缴费的通知", BODY], "issuer", "示例市医疗保障局"),
        (
            ["关于医保缴费的通知", BODY, "示例市医疗保障局 2026年1月5日"],
            "issuer",
            "示例市医疗保障局",
        ),
        (
            ["示例市医疗保障局：医保缴费政策解读", "2026-01-05 10:00", BODY],
            "issuer",
            "示例市医疗保障局",
        ),
        (["关于医保缴费的通知", BODY], "issuer", None),
        (
            # the standard sign-off: the issuer alone on the line above the date
            ["关于做好春节期间安全工作的通知", BODY, "示例市教育局", "2026年1月20日"],
            "issuer",
            "示例市教育局",
        ),
        (
            ["关于做好春节期间安全工作的通知", BODY, "示例市人力资源和社会保障局", "2026年1月20日"],
            "issuer",
            "示例市人力资源和社会保障局",
        ),
        (["关于医保缴费的通知", BODY, "特此通知。", "2026年1月20日"], "issuer", None),
        # publication date
        (
            ["关于医保缴费的通知", BODY, "示例市医疗保障局", "2026年1月5日"],
            "published_on",
            D("2026-01-05"),
        ),
        (
            [
                "关于医保缴费的通知",
                BODY,
                "抄送：市政府办公室。",
                "示例市医疗保障局办公室 2026年1月6日印发",
            ],
            "published_on",
            D("2026-01-06"),
        ),
        (["关于医保缴费的通知", BODY], "published_on", None),
        # region
        (["国家医疗保障局关于医保缴费的通知", BODY], "region", "全国"),
        (["示例市东湖区人民政府关于热线的通知", BODY], "region", "示例市东湖区"),
        (["关于医保缴费的通知", BODY], "region", None),
        (["关于医保缴费的通知", BODY, "示例市医疗保障局", "2026年1月5日"], "region", "示例市"),
    ],
)
def test_metadata_rules(lines, field, expected):
    assert getattr(meta_of(lines), field) == expected


@pytest.mark.parametrize(
    ("lines", "assumed"),
    [
        (
            ["示例市人民政府关于热线的通知", BODY, "有效期5年。", "示例市人民政府", "2026年3月1日"],
            {
                "effective_from": "文中未写明施行日期，有效期按发布日期起算",
                "expires_on": "按推定的生效日期加有效期5年计算",
            },
        ),
        (
            # the old rule took the publication date here and said the text had no date
            [
                "示例市人民政府关于热线的通知",
                BODY,
                "本办法自发布之日起30日后施行，有效期5年。",
                "示例市人民政府",
                "2026年3月1日",
            ],
            {},
        ),
        (["示例市人民政府关于热线的通知", BODY, "本办法自2026年1月1日起施行，有效期5年。"], {}),
    ],
)
def test_validity_assumptions_are_recorded(lines, assumed):
    assert meta_of(lines).assumed == assumed


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "原《示例市热线管理暂行办法》（示政发〔2020〕5号）同时废止。",
            [("abolishes", "示例市热线管理暂行办法", "示政发〔2020〕5号")],
        ),
        (
            "2020年印发《示例市热线管理暂行办法》（以下简称《暂行办法》）。本办法施行后，《暂行办法》同步废止。",
            [("abolishes", "示例市热线管理暂行办法", None)],
        ),
        (
            "《示例市热线管理暂行办法》（示政发〔2020〕5号）（以下简称“暂行办法”）……《暂行办法》不再执行。",
            [("abolishes", "示例市热线管理暂行办法", "示政发〔2020〕5号")],
        ),
        ("本办法自发布之日起施行，废止《示例市旧办法》。", [("abolishes", "示例市旧办法", None)]),
        ("本办法代替《示例市旧办法》。", [("replaces", "示例市旧办法", None)]),
        (
            "《示例市热线管理暂行办法》（示政发〔2020〕5号）自本办法施行之日起废止。",
            [("abolishes", "示例市热线管理暂行办法", "示政发〔2020〕5号")],
        ),
        ("《示例市旧办法》自2026年1月1日起废止。", [("abolishes", "示例市旧办法", None)]),
        ("示政发〔2020〕5号文件同时废止。", [("abolishes", None, "示政发〔2020〕5号")]),
        (
            "本办法施行后，原示政发〔2020〕5号文件同时废止。",
            [("abolishes", None, "示政发〔2020〕5号")],
        ),
        ("示政发（2020）5号同时废止。", [("abolishes", None, "示政发〔2020〕5号")]),
        ("各地要落实示政发〔2020〕5号文件精神。", []),
        ("各地要落实《示例市热线管理办法》。", []),
    ],
)
def test_abolished_and_replaced_documents(sentence, expected):
    meta = meta_of(["示例市人民政府关于印发热线管理办法的通知", BODY, sentence])
    assert [(r.relation, r.title, r.doc_no) for r in meta.refs] == expected


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("国务院办公厅", "全国"),
        ("人力资源社会保障部办公厅", "全国"),
        ("甘肃省人民政府办公厅", "甘肃省"),
        ("甘肃省兰州市城关区人民政府", "甘肃省兰州市城关区"),
        ("北京市朝阳区人民政府", "北京市朝阳区"),
        ("广西壮族自治区南宁市人民政府", "广西壮族自治区南宁市"),
        ("长治市12345政务热线服务中心", "长治市"),
        ("市场监督管理局", None),
        ("省政务服务和资源交易服务中心", None),
        # organ names that start with a 市/区 word are not districts
        ("长沙市城市管理和综合执法局", "长沙市"),
        ("北京市城市管理委员会", "北京市"),
        ("示例市社区服务中心", "示例市"),
        ("上海市浦东新区人民政府", "上海市浦东新区"),
        # the Party organ prefix, and a 宣传部 that is a city's, not a ministry
        ("中共示例市委办公室", "示例市"),
        ("中国共产党示例市委员会", "示例市"),
        ("中共中央办公厅", "全国"),
        ("示例市委宣传部", "示例市"),
    ],
)
def test_region_of(name, region):
    assert region_of(name) == region


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "长治市 12345 政务热线服务中心 关于印发 的 通 知",
            "长治市12345政务热线服务中心关于印发的通知",
        ),
        ("(一) 强化统筹,完善机制;加强联动:", "（一）强化统筹，完善机制；加强联动："),
        ('坚决杜绝"一包了之""以包代管"', "坚决杜绝“一包了之”“以包代管”"),
        ("- 案,加强联动", "案，加强联动"),
        ("  • 2025年12月25日 17时55分", "2025年12月25日17时55分"),
        ("延期办理。。", "延期办理。"),
        ("https://example.org/a?b=1,2", "https://example.org/a?b=1,2"),
        ("示政办发﹝2026﹞12号", "示政办发〔2026〕12号"),
        ("示政办发〘2026〙12号", "示政办发〔2026〕12号"),
        ("﹝注﹞见附件", "﹝注﹞见附件"),  # only a bracketed year is a 文号's
        ("2021-01-08 18:27", "2021-01-08 18:27"),
    ],
)
def test_normalize_line(raw, clean):
    assert normalize_line(raw) == clean


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{{ item.content }}", "模板占位符"),
        ('{"appId":"wx1","nonceStr":"x"}', "嵌入的数据（JSON）"),
        ("https://img.example.cn/a.png", "网址"),
        ("首页|综合|时政|国际|地方|热点", "导航菜单"),
        ("您现在的位置：网站首页>关注>内容", "面包屑导航"),
        ("（责任编辑柯凯）", "编辑署名"),
        ("Copyright©2012 民情在线 All rights reserved.", "网站页脚"),
        ("- 3 -", "页码"),
        ("核心提示：国务院办公厅关于……", "内容提要（与正文重复）"),
        ("发布日期：2025-06-26查看次数：8800", "页面信息（日期/浏览量）"),
        ("来源：湖北市场监管", "来源署名"),
        ("扫一扫在手机打开当前页", "分享/评论/登录组件"),
        ("发送验证码", "分享/评论/登录组件"),
        ("确定", "分享/评论/登录组件"),
        ("×", "无文字内容"),
        ("示例市医疗保障局文件", "页眉（发文机关标志）"),
        ("甘肃省人民政府办公厅文件", "页眉（发文机关标志）"),
        ("请认真学习贯彻示例市政府文件", None),
        ("（三）确定办理时限。承办单位在规定时限内办结。", None),
        ("请携带身份证到窗口办理登录手续。", None),
        ("一、热线归并方式", None),
    ],
)
def test_junk_rules(line, reason):
    assert junk_reason(line) == reason


@pytest.mark.parametrize(
    ("line", "kept", "removed"),
    [
        (
            "甲乙丙丁戊己庚辛壬癸子丑。甲乙丙丁戊己庚辛壬癸子丑。寅",
            "甲乙丙丁戊己庚辛壬癸子丑。寅",
            ["甲乙丙丁戊己庚辛壬癸子丑。"],
        ),
        (
            "谁属地、谁负责，谁主管、谁负责，谁牵头、谁负责",
            "谁属地、谁负责，谁主管、谁负责，谁牵头、谁负责",
            [],
        ),
    ],
)
def test_tandem_repeats(line, kept, removed):
    assert remove_tandem_repeats(line) == (kept, removed)


DUPLICATES = [
    # (head lines, body lines, which body lines are dropped)
    (
        # a sentence that closes two sections is kept in both
        [],
        [
            "一、失业保险金",
            "（一）申领条件。可申领。",
            "如有疑问，请拨打12345政务服务便民热线或人社服务热线咨询。",
            "二、医疗补助金",
            "（一）申领条件。可享受。",
            "如有疑问，请拨打12345政务服务便民热线或人社服务热线咨询。",
        ],
        [False] * 6,
    ),
    (
        # a second copy of a passage goes, short lines and all
        [],
        [
            "一、修订背景",
            "2022年印发暂行办法，有力规范了热线。",
            "二、适用范围",
            "全省适用。",
            "一、修订背景",
            "2022年印发暂行办法，有力规范了热线。",
            "二、适用范围",
        ],
        [False, False, False, False, True, True, True],
    ),
    (
        # the page's title and date line again above the body
        ["省中心：《管理办法》解读", "2025年12月25日17时55分"],
        ["省中心：《管理办法》解读", "2025年12月25日17时55分", "近日印发《管理办法》。"],
        [True, True, False],
    ),
    (
        # a long line printed twice in a row
        [],
        [
            "各区县人民政府：",
            "现将有关事项通知如下，请认真贯彻落实。",
            "现将有关事项通知如下，请认真贯彻落实。",
        ],
        [False, False, True],
    ),
    (
        # the same two lines in a different order are not a copy
        [],
        [
            "甲乙丙丁戊己庚辛。",
            "子丑寅卯辰巳午未。",
            "中间一段文字。",
            "子丑寅卯辰巳午未。",
            "甲乙丙丁戊己庚辛。",
        ],
        [False] * 5,
    ),
    (
        # a short line (a heading) alone is never dropped
        [],
        ["（一）统一受理", "受理全部诉求。", "（一）统一受理"],
        [False, False, False],
    ),
]


@pytest.mark.parametrize(("head", "body", "drops"), DUPLICATES)
def test_duplicate_lines(head, body, drops):
    assert duplicate_lines(body, also_seen=head) == drops


@pytest.mark.parametrize(
    ("lines", "body", "doc_no"),
    [
        (
            ["示例市人民政府关于热线的通知", "示政办发﹝2026﹞12号", "各区县人民政府：", BODY],
            ["各区县人民政府：", BODY],
            "示政办发〔2026〕12号",
        ),
        (
            # a 文号 no pattern reads stays in the body instead of vanishing as "extracted"
            ["示例市人民政府关于热线的通知", "示政办发2026年第12号", "各区县人民政府：", BODY],
            ["示政办发2026年第12号", "各区县人民政府：", BODY],
            None,
        ),
    ],
)
def test_head_lines_are_only_dropped_when_read(lines, body, doc_no):
    doc = clean_text("\n".join(lines))
    assert doc.lines == body
    assert extract_metadata(doc).doc_no == doc_no
    if doc_no:
        assert (
            "示政办发﹝2026﹞12号".replace("﹝", "〔").replace("﹞", "〕"),
            "文号（已提取为元数据）",
        ) in doc.removed
