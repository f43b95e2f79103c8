"""The five real seed documents: metadata exactly, no page junk left, every clause kept.

Decisions recorded here (see ingest/metadata.py for the rules):

* The Sichuan seed is the *interpretation page* of the 管理办法, not the 管理办法 itself. Its
  title is the page's own, ``《四川省12345政务服务便民热线运行管理办法》解读`` (the
  ``省政务服务和资源交易服务中心：`` prefix of the headline is its author, so it becomes the
  issuer); it has no 文号 of its own (the only one on the page, 国办函〔2025〕66号, is a
  document it cites), so doc_no stays empty and is reported missing; the 管理办法 is its
  basis_title. Its "有效期5年" runs from the page date (no 施行 date is given; recorded as an
  assumption) and it reports the abolished 《暂行办法》 under its full name.
* The news page about the 2021 merger guidance names no issuer of its own: 湖北市场监管 is the
  outlet it was copied from (kept as ``source``), so issuer is empty; its region comes from
  the guidance it reports on (国务院办公厅 → 全国).
* The Changzhi notice is undated and has no 文号: both stay empty and are reported.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.document import ParsedDocument, parse_document

SEEDS = Path(__file__).resolve().parent.parent / "data" / "policies" / "seeds"
D = dt.date.fromisoformat


def parsed(name: str) -> ParsedDocument:
    return parse_document(SEEDS / name, max_mb=50)


META = [
    # file, title, doc_no, issuer, published_on, effective_from, expires_on, region, missing
    (
        "guobanhan-2025-66-scraped.txt",
        "国务院办公厅关于进一步规范和提升12345热线服务的意见",
        "国办函〔2025〕66号",
        "国务院办公厅",
        D("2025-06-26"),
        None,
        None,
        "全国",
        ["expires_on"],
    ),
    (
        "sichuan-2025-measures-interpretation-scraped.txt",
        "《四川省12345政务服务便民热线运行管理办法》解读",
        None,
        "省政务服务和资源交易服务中心",
        D("2025-12-25"),
        D("2025-12-25"),
        D("2030-12-24"),
        "四川省",
        ["doc_no"],
    ),
    (
        "changzhi-12345-mechanism.txt",
        "长治市12345政务热线服务中心关于印发12345政务服务热线运行机制的通知",
        None,
        "长治市12345政务热线服务中心",
        None,
        None,
        None,
        "长治市",
        ["doc_no", "published_on", "expires_on"],
    ),
    (
        "gansu-2025-69-implementation.txt",
        "甘肃省人民政府办公厅关于进一步规范和提升12345热线服务的实施意见",
        "甘政办发〔2025〕69号",
        "甘肃省人民政府办公厅",
        D("2025-11-18"),
        None,
        None,
        "甘肃省",
        ["expires_on"],
    ),
    (
        "hotline-merger-2021-news-scraped.txt",
        "定了！12345和12315双号并行！",
        None,
        None,
        D("2021-01-08"),
        None,
        None,
        "全国",
        ["doc_no", "issuer", "expires_on"],
    ),
]


@pytest.mark.parametrize(
    ("name", "title", "doc_no", "issuer", "published", "effective", "expires", "region", "missing"),
    META,
    ids=[row[0].split("-")[0] for row in META],
)
def test_seed_metadata(name, title, doc_no, issuer, published, effective, expires, region, missing):
    meta = parsed(name).meta
    assert meta.title == title
    assert meta.doc_no == doc_no
    assert meta.issuer == issuer
    assert meta.published_on == published
    assert meta.effective_from == effective
    assert meta.expires_on == expires
    assert meta.region == region
    assert meta.missing == missing


ABOLISHES = [
    ("guobanhan-2025-66-scraped.txt", []),
    (
        "sichuan-2025-measures-interpretation-scraped.txt",
        [("abolishes", "四川省12345政务服务便民热线运行管理暂行办法", None)],
    ),
    ("changzhi-12345-mechanism.txt", []),
    ("gansu-2025-69-implementation.txt", []),
    ("hotline-merger-2021-news-scraped.txt", []),
]


@pytest.mark.parametrize(("name", "expected"), ABOLISHES)
def test_seed_abolished_documents(name, expected):
    refs = parsed(name).meta.refs
    assert [(r.relation, r.title, r.doc_no) for r in refs] == expected


def test_sichuan_basis_validity_and_assumption_are_recorded():
    meta = parsed("sichuan-2025-measures-interpretation-scraped.txt").meta
    assert meta.basis_title == "四川省12345政务服务便民热线运行管理办法"
    assert meta.validity == "有效期5年"
    assert "effective_from" in meta.assumed
    assert meta.refs[0].evidence == "2022年制定的《暂行办法》同步废止。"


def test_news_page_keeps_its_outlet_as_source_not_issuer():
    meta = parsed("hotline-merger-2021-news-scraped.txt").meta
    assert meta.source == "湖北市场监管"
    assert meta.issuer is None
    assert meta.basis_title == "国务院办公厅关于进一步优化地方政务服务便民热线的指导意见"


# Lines (or fragments) of page furniture that must not survive in the body.
JUNK = {
    "guobanhan-2025-66-scraped.txt": [
        "设为首页",
        "首页|综合",
        "各地：北京",
        "祝全国人民新春快乐",
        "网站公告",
        "您现在的位置",
        "发布日期",
        "查看次数",
        "核心提示",
        "热门·推荐",
        "看守所内酿酒",
        "点击·排行",
        "西星幼儿园",
        "投票·调查",
        "你是从哪里知道本网站的",
        "百度搜索的",
        "关于我们",
        "Copyright",
        "ICP备",
        "国办函〔2025〕66号",  # the header 文号 line is metadata, not body
    ],
    "sichuan-2025-measures-interpretation-scraped.txt": [
        "17时55分",
        "来源：",
        "【字体",
        "关于印发《四川省12345政务服务便民热线运行管理办法》的通知",
        "责任编辑",
        "扫一扫",
        "主办单位",
        "运行维护单位",
        "微信公众号",
        "政务微博",
        "头条号",
        "手机版",
        "×",
    ],
    "changzhi-12345-mechanism.txt": [],
    "gansu-2025-69-implementation.txt": [
        "甘肃省人民政府办公厅文件",
        "甘政办发",
        "抄送",
        "印发",
        "此件公开发布",
    ],
    "hotline-merger-2021-news-scraped.txt": [
        "此为临时链接",
        "广西高中教师",
        "哈尔滨冰雪大世界",
        "美国纽约",
        "悉尼邦迪滩",
        "林诗栋",
        "阅读：0",
        "来源：湖北市场监管",
        "责任编辑",
        "小贴士",
        "2步分享",
        "点击右上角",
        "朋友圈",
        "长江云",
        "推荐阅读",
        "湖北深入开展学习贯彻",
        "评论",
        "{{",
        "}}",
        "抢沙发",
        "点击加载更多",
        "验证码",
        "确定",
        "https://",
        "appId",
        "nonceStr",
    ],
}


@pytest.mark.parametrize("name", sorted(JUNK))
def test_no_junk_survives(name):
    body = parsed(name).body
    for fragment in JUNK[name]:
        assert fragment not in body, fragment
    for line in body.splitlines():
        assert line.strip() not in ("x", "发送", "确定"), line


# The start of every numbered clause (and the opening/closing paragraphs) of each body, in
# order: all of them must be there, each on a line of its own, and no other line may start
# with a clause number (nothing glued, nothing duplicated).
CLAUSES = {
    "guobanhan-2025-66-scraped.txt": [
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
        "12345政务服务便民热线（简称12345热线）是倾听群众",
        "一、总体要求",
        "以习近平新时代中国特色社会主义思想为指导",
        "二、规范12345热线运行管理",
        "（一）健全热线工作管理体系。",
        "（二）明确诉求分类处理方式。",
        "（三）规范管理第三方服务。",
        "三、提升12345热线接办质效",
        "（四）完善诉求受理渠道。",
        "（五）强化诉求精准分办。",
        "（六）提升诉求办理实效。",
        "（七）更好赋能政府治理。",
        "四、夯实12345热线工作基础",
        "（八）推进数字化建设。",
        "（九）加强信息安全保障。",
        "（十）强化标准化规范化建设。",
        "（十一）做好培训交流和宣传引导。",
        "各地区各部门要切实提高政治站位",
    ],
    "sichuan-2025-measures-interpretation-scraped.txt": [
        "近日，省政府办公厅印发",
        "一、修订背景",
        "2022年3月省政府办公厅印发",
        "二、适用范围",
        "《管理办法》在我省范围内适用",
        "三、主要内容",
        "《管理办法》共8章、32条内容。",
        "第一章总则",
        "第二章职责分工",
        "第三章受理范围",
        "第四章运行流程",
        "第五章监督管理",
        "第六章知识库管理",
        "第七章平台和数据管理",
        "第八章附则",
        "四、主要修订内容及特色",
        "一是健全热线工作管理体系。",
        "二是提升12345热线接办质效。",
        "三是夯实12345热线工作基础。",
    ],
    "changzhi-12345-mechanism.txt": [
        "各热线承办单位：",
        "为规范12345政务服务热线运行方式",
        "长治市12345政务服务热线运行机制（试行）",
        "为深入贯彻国家和省市",
        "一、目标要求",
        "坚持以习近平新时代中国特色社会主义思想为指导",
        "二、热线接转",
        "我市12345政务服务热线已按标准和要求",
        "（一）优化扩大并行接听通道",
        "（二）整合原有热线号码",
        "（三）对接省级平台和县里承办工作站",
        "三、运行机制",
        "我市12345热线按照一站式受理",
        "（一）统一受理。",
        "（二）按责转办。",
        "（三）限时办结。",
        "（四）统一督办。",
        "（五）评价反馈。",
        "（六）绩效管理。",
        "（七）分析研判。",
        "四、保障措施",
        "（一）加强组织领导。",
        "（二）明确责任分工。",
        "（三）强化舆论宣传。",
    ],
    "gansu-2025-69-implementation.txt": [
        "各市、自治州人民政府，甘肃矿区办事处",
        "为贯彻落实《国务院办公厅关于进一步规范和提升12345热线服务的意见》",
        "一、加强统筹协调。完善工作体系",
        "（一）强化12345热线统筹协调。",
        "（二）深化与紧急类热线协同联动。",
        "（三）加强政务服务热线管理。",
        "（四）分类规范做好诉求受理。",
        "（五）加强第三方服务机构监管。",
        "二、深化接诉即办，提高服务质效",
        "（六）完善诉求精准分派机制。",
        "（七）提升诉求办理质效水平。",
        "（八）规范重复诉求处理流程。",
        "三、丰富平台功能，提升运行水平",
        "（九）优化诉求受理渠道。",
        "（十）丰富热线平台智能化应用。",
        "（十一）强化热线知识库建设。",
        "（十二）加强话务人员队伍建设。",
        "四、优化数据共享，提高辅政能力",
        "（十三）深化系统对接和数据共享。",
        "（十四）强化诉求数据分析应用。",
        "（十五）加强信息安全保障。",
        "甘肃省人民政府办公厅2025年11月18日",
    ],
    "hotline-merger-2021-news-scraped.txt": [
        "1月6日，中国政府网公布了",
        "按照文件要求将加快各地政务服务便民热线归并工作。",
        "一、热线归并方式",
        "1.整体并入。",
        "2.双号并行。",
        "3.设分中心。",
        "二、归并要求",
        "1.分级分类推进热线归并。",
        "2.确保热线归并平稳过渡。",
        "三、优化12345热线运行机制",
        "（一）建立健全热线工作管理体系。",
        "（二）明确热线受理范围。",
        "（三）优化热线工作流程。",
        "（四）建立热线信息共享机制。",
        "（五）强化信息安全保障。",
        "（六）建立热线工作督办问责机制。",
    ],
}


@pytest.mark.parametrize("name", sorted(CLAUSES))
def test_every_clause_kept_once_in_order(name):
    lines = parsed(name).clean.lines
    assert [
        next((line for line in lines if line.startswith(start)), None) is not None
        for start in CLAUSES[name]
    ] == [True] * len(CLAUSES[name])
    # one line per listed paragraph, in document order, nothing else
    assert len(lines) == len(CLAUSES[name])
    for line, start in zip(lines, CLAUSES[name], strict=True):
        assert line.startswith(start)


def test_sichuan_second_copy_is_dropped():
    body = parsed("sichuan-2025-measures-interpretation-scraped.txt").body
    assert body.count("一、修订背景") == 1
    assert body.count("2022年制定的《暂行办法》同步废止。") == 1


def test_gansu_duplicated_run_and_broken_lines_repaired():
    lines = parsed("gansu-2025-69-implementation.txt").clean.lines
    five = next(line for line in lines if line.startswith("（五）"))
    assert five.count("要指导第三方机构严格人员管理，加强安全保密、") == 1
    assert "加强安全保密、服务运行等方面日常巡查和监督管理。（省大数据中心牵头）" in five
    one = next(line for line in lines if line.startswith("（一）"))
    assert "完善12345热线统筹协调机制，政府办公厅（室）统筹协调" in one
    nine = next(line for line in lines if line.startswith("（九）"))
    assert "健全完善话务接听应急保障预案，加强省市联动接听能力建设" in nine
    assert "社会公开联系电话" in nine  # the PDF's "社会公 开" space is gone


def test_changzhi_pdf_breaks_joined():
    lines = parsed("changzhi-12345-mechanism.txt").clean.lines
    assert any("承办省、市热线平台转办、督办、反馈事项" in line for line in lines)
    assert any("承担12345热线转办事项的具体办理职责" in line for line in lines)
    assert any("各县区、市直各部门要高度重视，提高认识" in line for line in lines)


@pytest.mark.parametrize("name", sorted(CLAUSES))
def test_body_is_verbatim_text_of_the_input(name):
    """Cleaning removes and joins; it never rewords: every body line comes from the input
    once spaces and half-width punctuation are normalised."""
    from ingest.normalize import normalize_line, normalize_text

    lines = normalize_text((SEEDS / name).read_text(encoding="utf-8"))
    raw = normalize_line("".join(lines)).replace(" ", "")
    for line in parsed(name).clean.lines:
        if "以包代管" in line:  # the repaired duplicate run
            continue
        assert line.replace(" ", "") in raw, line
