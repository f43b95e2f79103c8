"""Readers for every supported format, and every kind of bad input refused with a reason."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from ingest.clauses import split_clauses
from ingest.document import parse_document
from ingest.docx_numbering import format_number
from ingest.readers import decode_text, extract_text, load_file
from kb.errors import InvalidInput
from tests.fixtures.ingest.makers import make_docx, make_numbered_docx, make_pdf, write

POLICY_LINES = [
    "示例市人民政府办公室关于做好12345热线知识库维护工作的通知",
    "示政办发〔2026〕7号",
    "各区县人民政府，市直各部门：",
    "为做好热线知识库维护，现将有关事项通知如下。",
    "一、明确责任",
    "（一）谁录入谁负责。各承办单位要明确专人负责知识库维护，政策信息自发布之日起3个工作日内",
    "录入知识库。",
    "（二）按季度巡检。每季度开展一次全覆盖巡检，清理过期、失效内容。",
    "二、其他事项",
    "本通知自印发之日起施行，有效期3年。",
    "示例市人民政府办公室 2026年3月2日",
]

EXPECTED_BODY = [
    "各区县人民政府，市直各部门：",
    "为做好热线知识库维护，现将有关事项通知如下。",
    "一、明确责任",
    "（一）谁录入谁负责。各承办单位要明确专人负责知识库维护，政策信息自发布之日起3个工作日内录入知识库。",
    "（二）按季度巡检。每季度开展一次全覆盖巡检，清理过期、失效内容。",
    "二、其他事项",
    "本通知自印发之日起施行，有效期3年。",
    "示例市人民政府办公室2026年3月2日",
]


def _html() -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in POLICY_LINES)
    return (
        "<html><head><meta charset='utf-8'><title>通知_示例市人民政府</title>"
        "<meta name='PubDate' content='2026-03-02 10:00'>"
        "<script>var x = '{{ item.content }}';</script><style>p{}</style></head><body>"
        "<nav><a>首页</a> | <a>政务公开</a></nav>"
        "<div class='crumb'>您现在的位置：首页 &gt; 通知公告</div>"
        f"<div id='zoom'>{paragraphs}</div>"
        "<div>责任编辑：张三</div><footer>版权所有 示例市人民政府</footer>"
        "</body></html>"
    ).encode()


def _pdf() -> bytes:
    # two pages, clause (一) broken across the page break as a PDF prints it
    return make_pdf([POLICY_LINES[:7], POLICY_LINES[7:]])


FORMATS = {
    "policy.txt": lambda: "\n".join(POLICY_LINES).encode("utf-8"),
    "policy-bom.txt": lambda: "\n".join(POLICY_LINES).encode("utf-8-sig"),
    "policy-gbk.txt": lambda: "\r\n".join(POLICY_LINES).encode("gbk"),
    "policy-gb18030.txt": lambda: "\n".join(POLICY_LINES).encode("gb18030"),
    "policy-utf16.txt": lambda: "\n".join(POLICY_LINES).encode("utf-16"),
    "policy.md": lambda: ("# " + POLICY_LINES[0] + "\n\n" + "\n\n".join(POLICY_LINES[1:])).encode(),
    "policy.html": _html,
    "policy.htm": _html,
    "policy.docx": lambda: make_docx(POLICY_LINES),
    "policy.pdf": _pdf,
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_gives_the_same_document(tmp_path: Path, name: str):
    path = write(tmp_path / name, FORMATS[name]())
    doc = parse_document(path, max_mb=1)
    assert doc.clean.lines == EXPECTED_BODY
    meta = doc.meta
    assert meta.title == POLICY_LINES[0]
    assert meta.doc_no == "示政办发〔2026〕7号"
    assert meta.issuer == "示例市人民政府办公室"
    assert meta.published_on == dt.date(2026, 3, 2)
    assert meta.effective_from == dt.date(2026, 3, 2)
    assert meta.expires_on == dt.date(2029, 3, 1)
    assert meta.region == "示例市"
    assert meta.missing == []


def test_html_hints_fill_what_the_page_text_lacks(tmp_path: Path):
    html = (
        "<html><head><title>居住证办理指南 - 示例市公安局</title>"
        "<meta name='PubDate' content='2026-01-05'></head>"
        "<body><p>在示例市居住半年以上的非本市户籍人员，可以申领居住证，办理时请携带身份证和居住证明。</p></body></html>"
    )
    doc = parse_document(write(tmp_path / "page.html", html.encode()), max_mb=1)
    assert doc.meta.title == "居住证办理指南"
    assert doc.meta.published_on == dt.date(2026, 1, 5)
    assert doc.meta.assumed["title"] == "取自网页标题"


def test_docx_tables_are_read_row_by_row(tmp_path: Path):
    data = make_docx(
        ["示例市办事指南", "办理材料如下，请按表格准备齐全后到窗口办理相关手续。"],
        table=[["材料", "份数"], ["居民身份证", "1"]],
    )
    text = extract_text(load_file(write(tmp_path / "t.docx", data), 1)).text
    assert text.splitlines()[-2:] == ["材料 份数", "居民身份证 1"]


def _corrupt_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<not really word>")
    return buffer.getvalue()


def _truncated_pdf() -> bytes:
    return _pdf()[:200]


BAD = [
    ("empty.txt", b"", "文件为空"),
    ("binary.txt", bytes(range(256)) * 8, "不是文本文件"),
    ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "不支持的文件类型“.png”"),
    ("old.doc", b"\xd0\xcf\x11\xe0" + bytes(100), "旧版 .doc 请另存为 .docx"),
    ("not-a-zip.docx", b"this is plain text, not a zip", "无法打开 Word 文档"),
    ("corrupt.docx", _corrupt_docx(), "无法打开 Word 文档"),
    ("garbage.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 4, "PDF"),
    ("truncated.pdf", _truncated_pdf(), "PDF"),
    ("blank.pdf", make_pdf([[]]), "没有可提取的文字"),
    (
        "undecodable.txt",
        bytes([0x81, 0x30, 0xFF, 0xFE, 0x80]) * 50 + b"\x7f" * 100,
        "无法识别文本编码",
    ),
    (
        "empty-body.html",
        b"<html><head><title>x</title></head><body><script>1</script></body></html>",
        "网页中没有正文文字",
    ),
    (
        "only-chrome.html",
        "<html><body><p>首页 | 新闻 | 政务 | 服务 | 互动</p><p>扫一扫</p></body></html>".encode(),
        "没有剩下正文",
    ),
    ("spaces.txt", "   \n\u3000\n".encode(), "没有文字内容"),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_naming_file_and_reason(tmp_path: Path, name, data, reason):
    path = write(tmp_path / name, data)
    with pytest.raises(InvalidInput) as err:
        parse_document(path, max_mb=1)
    assert str(path) in err.value.message
    assert reason in err.value.message


def test_missing_file_is_refused(tmp_path: Path):
    with pytest.raises(InvalidInput, match="文件不存在"):
        parse_document(tmp_path / "nope.txt", max_mb=1)


def test_oversize_file_is_refused(tmp_path: Path):
    path = write(tmp_path / "big.txt", ("十二三四五六七八九十。" * 12000).encode())
    with pytest.raises(InvalidInput, match=r"文件过大（0\.4 MB，上限 0\.1 MB"):
        parse_document(path, max_mb=0.1)


DECODE = [
    ("utf-8", "热线知识库维护。".encode()),
    ("gbk", "热线知识库维护，谁录入谁负责。".encode("gbk")),
    ("gb18030", "热线知识库维护，谁录入谁负责。𠀀".encode("gb18030")),
    ("big5", "熱線知識庫維護，誰錄入誰負責。".encode("big5")),
]


@pytest.mark.parametrize(("encoding", "data"), DECODE)
def test_decode_chinese_encodings(tmp_path: Path, encoding: str, data: bytes):
    source = load_file(write(tmp_path / f"{encoding}.txt", data), 1)
    assert decode_text(source) == data.decode(encoding)


def test_gbk_html_page(tmp_path: Path):
    html = (
        "<html><head><meta charset='gbk'><title>通知</title></head><body>"
        + "".join(f"<p>{line}</p>" for line in POLICY_LINES)
        + "</body></html>"
    )
    doc = parse_document(write(tmp_path / "gbk.html", html.encode("gbk")), max_mb=1)
    assert doc.clean.lines == EXPECTED_BODY


def test_html_with_long_menu_finds_the_declared_title(tmp_path: Path):
    menu = (
        "".join(f"<li><a>栏目{n}</a></li>" for n in range(80))
        + "<li>通知公告</li><li>政策解读</li>"
    )
    html = (
        f"<html><head><title>{POLICY_LINES[0]}_示例市人民政府门户网站</title></head><body>"
        f"<div class='menu'><ul>{menu}</ul></div>"
        + "".join(f"<p>{line}</p>" for line in POLICY_LINES)
        + "<div><p>相关阅读</p><p>示例市召开热线工作会议</p></div></body></html>"
    )
    doc = parse_document(write(tmp_path / "long-menu.html", html.encode()), max_mb=1)
    assert doc.meta.title == POLICY_LINES[0]
    assert doc.clean.lines == EXPECTED_BODY
    assert "title" not in doc.meta.assumed


def test_aspnet_page_with_body_inside_a_form(tmp_path: Path):
    # ASP.NET pages wrap the whole page in <form id="form1">; only its controls are furniture
    html = (
        "<html><head><meta charset='utf-8'><title>通知</title></head><body>"
        "<form name='form1' method='post' action='./show.aspx?id=123' id='form1'>"
        "<input type='hidden' name='__VIEWSTATE' value='/wEPDwUKMTY1NDU2MTA1MmRk' />"
        "<div class='search'><input type='text' value='请输入关键字'/><button>搜索</button>"
        "<select><option>站群导航</option></select><textarea>留言内容</textarea></div>"
        + "".join(f"<p>{line}</p>" for line in POLICY_LINES)
        + "</form></body></html>"
    )
    doc = parse_document(write(tmp_path / "show.aspx.html", html.encode()), max_mb=1)
    assert doc.clean.lines == EXPECTED_BODY
    assert doc.meta.doc_no == "示政办发〔2026〕7号"


# Word list numbering (w:numPr → numbering.xml) that python-docx does not render
NUMBERED = [
    (None, "示例市城市管理局关于规范户外广告设置的通知"),
    (None, "各区县城管局："),
    (None, "为规范户外广告设置，现将有关事项通知如下。"),
    (0, "设置要求"),
    (1, "依法许可。设置户外广告应当依法取得许可，按照批准的位置、规格和期限设置。"),
    (2, "申请材料。营业执照、设计图和安全评估报告。"),
    (3, "安全评估报告须由有资质的机构出具。"),
    (3, "设计图须标明尺寸和材质。"),
    (2, "办理时限。材料齐全的，10个工作日内办结。"),
    (1, "定期维护。户外广告设施应当定期检查维护，确保安全牢固。"),
    (0, "监督管理"),
    (1, "日常巡查。城管部门应当加强日常巡查，发现隐患及时督促整改。"),
    (None, "示例市城市管理局"),
    (None, "2026年4月1日"),
]
NUMBERED_BODY = [
    "各区县城管局：",
    "为规范户外广告设置，现将有关事项通知如下。",
    "一、设置要求",
    "（一）依法许可。设置户外广告应当依法取得许可，按照批准的位置、规格和期限设置。",
    "1.申请材料。营业执照、设计图和安全评估报告。",
    "（1）安全评估报告须由有资质的机构出具。",
    "（2）设计图须标明尺寸和材质。",
    "2.办理时限。材料齐全的，10个工作日内办结。",
    "（二）定期维护。户外广告设施应当定期检查维护，确保安全牢固。",
    "二、监督管理",
    "（一）日常巡查。城管部门应当加强日常巡查，发现隐患及时督促整改。",
    "示例市城市管理局",
    "2026年4月1日",
]


@pytest.mark.parametrize("style_list", [False, True], ids=["paragraph-numPr", "style-numPr"])
def test_docx_auto_numbering_is_rendered(tmp_path: Path, style_list: bool):
    data = make_numbered_docx(NUMBERED, style_list=style_list)
    doc = parse_document(write(tmp_path / "autonum.docx", data), max_mb=1)
    assert doc.clean.lines == NUMBERED_BODY
    assert doc.meta.issuer == "示例市城市管理局"
    # short enough to be one chunk; without the numbers it would have no heading path
    assert [c.heading_path for c in split_clauses(doc.body)] == [("一、设置要求", "（一）依法许可")]


def test_docx_list_style_from_the_default_template(tmp_path: Path):
    # python-docx's own "List Number" style: decimal "%1." bound to the style, not the paragraph
    import docx

    document = docx.Document()
    document.add_paragraph("示例市城市管理局关于规范户外广告设置的通知")
    document.add_paragraph("为规范户外广告设置，现将有关事项通知如下。")
    document.add_paragraph("设置户外广告应当依法取得许可。", style="List Number")
    document.add_paragraph("户外广告设施应当定期检查维护。", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    text = extract_text(load_file(write(tmp_path / "list.docx", buffer.getvalue()), 1)).text
    assert text.splitlines()[-2:] == [
        "1.设置户外广告应当依法取得许可。",
        "2.户外广告设施应当定期检查维护。",
    ]


@pytest.mark.parametrize(
    ("n", "fmt", "text"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (12, "chineseCountingThousand", "十二"),
        (20, "chineseCounting", "二十"),
        (25, "chineseCounting", "二十五"),
        (101, "chineseCounting", "一百零一"),
        (110, "chineseCounting", "一百一十"),
        (3, "chineseLegalSimplified", "叁"),
        (3, "ideographTraditional", "丙"),
        (3, "decimalEnclosedCircle", "③"),
        (3, "decimal", "3"),
        (3, "decimalZero", "03"),
        (28, "lowerLetter", "bb"),
        (4, "upperRoman", "IV"),
        (3, "bullet", ""),
    ],
)
def test_word_number_formats(n, fmt, text):
    assert format_number(n, fmt) == text


def test_wrapped_pdf_clauses_are_joined(tmp_path: Path):
    # 28 characters a printed line: the first line of a clause looks like a heading
    pages = [
        [
            "示例市医疗保障局关于城乡居民医保缴费的通知",
            "示医保发﹝2026﹞8号",
            "各区县医保局：",
            "一、缴费时间",
            "（一）新生儿参保时间不受集中缴费期限制，出生后90日内参",
            "保缴费的，自出生之日起享受待遇。",
            "- 1 -",
        ],
        [
            "示例市医疗保障局文件",
            "（二）成年居民每人每年400元，学生儿童每人每年350元",
            "，特困人员、低保对象由财政全额资助。",
            "示例市医疗保障局",
            "2026年8月20日",
        ],
    ]
    doc = parse_document(write(tmp_path / "wrapped.pdf", make_pdf(pages)), max_mb=1)
    assert doc.clean.lines == [
        "各区县医保局：",
        "一、缴费时间",
        "（一）新生儿参保时间不受集中缴费期限制，出生后90日内参保缴费的，自出生之日起享受待遇。",
        "（二）成年居民每人每年400元，学生儿童每人每年350元，特困人员、低保对象由财政全额资助。",
        "示例市医疗保障局",
        "2026年8月20日",
    ]
    assert (doc.meta.doc_no, doc.meta.issuer) == ("示医保发〔2026〕8号", "示例市医疗保障局")
    assert doc.clean.removed_counts()["页眉（发文机关标志）"] == 1  # page 2's running banner
