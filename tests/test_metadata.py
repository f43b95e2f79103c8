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
from ingest.repeats import remove_tandem_repeats

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
    ],
)
def test_metadata_rules(lines, field, expected):
    assert getattr(meta_of(lines), field) == expected


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
