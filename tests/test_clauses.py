"""The clause splitter: nesting, long clauses, short neighbours, broken PDF lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.clauses import Clause, clause_texts, split_clauses
from ingest.document import parse_document
from ingest.lines import join_broken_lines
from ingest.markers import clause_marker

SEEDS = Path(__file__).resolve().parent.parent / "data" / "policies" / "seeds"


def sentence(n: int, tag: str = "甲") -> str:
    """A sentence of exactly ``n`` characters ending with 。"""
    return tag * (n - 1) + "。"


NESTED = "\n".join(
    [
        "第一章 总则",
        "第一条 " + sentence(200, "总"),
        "第二章 办理",
        "一、受理",
        "（一）电话受理。" + sentence(190, "电"),
        "1.工作日。" + sentence(170, "工"),
        "（1）上午。" + sentence(160, "上"),
        "（2）下午。" + sentence(160, "下"),
        "2.节假日。" + sentence(170, "节"),
        "（二）网络受理。" + sentence(170, "网"),
        "二、办理",
        sentence(170, "理"),
    ]
)


def test_nesting_gives_heading_paths():
    paths = [c.heading_path for c in split_clauses(NESTED)]
    assert paths == [
        ("第一章 总则", "第一条"),
        ("第二章 办理", "一、受理", "（一）电话受理"),
        ("第二章 办理", "一、受理", "（一）电话受理", "1.工作日"),
        ("第二章 办理", "一、受理", "（一）电话受理", "1.工作日", "（1）上午"),
        ("第二章 办理", "一、受理", "（一）电话受理", "1.工作日", "（2）下午"),
        ("第二章 办理", "一、受理", "（一）电话受理", "2.节假日"),
        ("第二章 办理", "一、受理", "（二）网络受理"),
        ("第二章 办理", "二、办理"),
    ]


def test_text_has_no_heading_prefix_and_pure_headings_live_in_the_path():
    clauses = split_clauses(NESTED)
    assert clauses[0].text == "第一条 " + sentence(200, "总")
    assert clauses[1].text.startswith("（一）电话受理。")
    assert clauses[-1].text == sentence(170, "理")
    assert all("二、办理" not in c.text for c in clauses)
    assert [c.seq for c in clauses] == list(range(len(clauses)))


def test_seed_heading_path_example_from_the_issue():
    doc = parse_document(SEEDS / "guobanhan-2025-66-scraped.txt", max_mb=50)
    five = next(c for c in split_clauses(doc.body) if c.text.startswith("（五）"))
    assert five.heading_path == ("三、提升12345热线接办质效", "（五）强化诉求精准分办")
    assert five.text.startswith("（五）强化诉求精准分办。要完善诉求分办规则")


LONG = [
    # (sentence lengths, expected piece lengths)
    ([150, 150, 150], [300, 150]),
    ([100] * 9, [300, 300, 300]),
    ([390, 20, 390], [390, 20, 390]),  # the short piece cannot merge within 400
    ([500, 100], [500, 100]),  # one sentence longer than the limit stays whole
]


@pytest.mark.parametrize(("lengths", "expected"), LONG)
def test_long_clause_split_at_sentence_ends(lengths, expected):
    text = "".join(sentence(n, "长乙丙丁戊己庚辛壬癸"[i]) for i, n in enumerate(lengths))
    clauses = split_clauses(text)
    assert [len(c.text) for c in clauses] == expected
    for clause in clauses:
        assert clause.text.endswith("。")  # never cut mid-sentence
    assert "".join(c.text for c in clauses) == text


def test_long_clause_pieces_keep_the_heading_path():
    body = "一、总体要求\n（一）统一受理。" + sentence(300, "受") + sentence(300, "理")
    clauses = split_clauses(body)
    assert len(clauses) == 2
    assert {c.heading_path for c in clauses} == {("一、总体要求", "（一）统一受理")}
    assert clauses[1].text == sentence(300, "理")


def test_semicolons_end_sentences_too():
    text = "；".join(["丙" * 199] * 3) + "。"
    clauses = split_clauses(text)
    assert [len(c.text) for c in clauses] == [400, 200]
    assert clauses[0].text.endswith("；")


def test_short_neighbours_merged_within_a_section():
    body = "\n".join(
        ["三、运行机制"] + [f"（{n}）事项{n}。" + sentence(60, n) for n in "一二三四五六"]
    )
    clauses = split_clauses(body)
    assert [c.heading_path for c in clauses] == [("三、运行机制",), ("三、运行机制",)]
    assert [c.text.count("\n") + 1 for c in clauses] == [3, 3]
    assert clauses[0].text.splitlines()[0].startswith("（一）事项一")


def test_merge_across_sections_keeps_the_inner_heading_in_the_text():
    body = "一、适用范围\n" + sentence(40, "适") + "\n二、主要内容\n" + sentence(200, "主")
    clauses = split_clauses(body)
    # the text is the whole run with both headings; the path is the first clause's
    assert clauses == [
        Clause(
            0,
            ("一、适用范围",),
            "一、适用范围\n" + sentence(40, "适") + "\n二、主要内容\n" + sentence(200, "主"),
        )
    ]


MERGED_PATHS = [
    # (body, heading path of each chunk) — a merged chunk never loses its path
    (
        # a short last clause of section 三 merged with the start of section 四
        "三、运行机制\n（七）分析研判。"
        + sentence(60, "析")
        + "\n四、保障措施\n（一）加强组织领导。"
        + sentence(200, "领"),
        [("三、运行机制", "（七）分析研判")],
    ),
    (
        # the preamble merged with the first section: the section's path
        "各区县人民政府：\n" + sentence(60, "序") + "\n一、总体要求\n" + sentence(200, "总"),
        [("一、总体要求",)],
    ),
    (
        # the preamble with the first item of a section
        sentence(60, "序") + "\n一、加强统筹\n（一）强化协调。" + sentence(200, "协"),
        [("一、加强统筹", "（一）强化协调")],
    ),
    (
        # only numbered list items, no section: nothing to name
        "请携带以下材料：\n1.居民身份证；\n2.户口簿。",
        [()],
    ),
    (
        # a preamble on its own (long enough not to merge) has no heading
        sentence(200, "序") + "\n一、总体要求\n" + sentence(200, "总"),
        [(), ("一、总体要求",)],
    ),
]


@pytest.mark.parametrize(("body", "paths"), MERGED_PATHS)
def test_merged_chunks_keep_a_heading_path(body, paths):
    assert [c.heading_path for c in split_clauses(body)] == paths


# chunks of each seed with an empty heading path: only the opening paragraphs before the
# first heading (the notice's preamble, the news lead)
SEED_UNHEADED = {
    "changzhi-12345-mechanism.txt": [0, 1],
    "gansu-2025-69-implementation.txt": [],
    "guobanhan-2025-66-scraped.txt": [],
    "hotline-merger-2021-news-scraped.txt": [0],
    "sichuan-2025-measures-interpretation-scraped.txt": [],
}


@pytest.mark.parametrize("name", sorted(SEED_UNHEADED))
def test_seed_chunks_keep_their_heading_paths(name):
    clauses = split_clauses(parse_document(SEEDS / name, max_mb=50).body)
    assert [c.seq for c in clauses if not c.heading_path] == SEED_UNHEADED[name]
    for clause in clauses:
        if not clause.heading_path:
            assert not any(clause_marker(line) for line in clause.text.splitlines())


BROKEN = [
    # a PDF line break inside a clause, and one right after a comma
    (
        "（一）强化热线统筹协调。完善热线统筹协调\n机制，政府办公厅统筹协调，及时研究解决问题。\n（二）深化协同。加强联动。",
        [
            "（一）强化热线统筹协调。完善热线统筹协调机制，政府办公厅统筹协调，及时研究解决问题。\n（二）深化协同。加强联动。"
        ],
    ),
    (
        "（一）加强组织领导。各县区、市直各部门要高度重视，\n提高认识，加强领导。\n二、保障措施\n（一）明确分工。做好统筹。",
        [
            "（一）加强组织领导。各县区、市直各部门要高度重视，提高认识，加强领导。\n二、保障措施\n（一）明确分工。做好统筹。"
        ],
    ),
    # heading-shaped first printed lines of clauses (numbered, no 。；, ≤ 40 characters) that
    # wrap at 28 characters a line (the audit's wrapped.pdf)
    (
        "（二）新生儿参保时间不受集中缴费期限制，出生后90日内参\n保缴费的，自出生之日起享受待遇。",
        ["（二）新生儿参保时间不受集中缴费期限制，出生后90日内参保缴费的，自出生之日起享受待遇。"],
    ),
    (
        "（一）成年居民每人每年400元，学生儿童每人每年350元\n，特困人员、低保对象由财政全额资助。",
        ["（一）成年居民每人每年400元，学生儿童每人每年350元，特困人员、低保对象由财政全额资助。"],
    ),
    (
        "（二）已参加职工医保的人员不得重复参加城乡居民医保，重复\n缴费的可申请退费。",
        ["（二）已参加职工医保的人员不得重复参加城乡居民医保，重复缴费的可申请退费。"],
    ),
    (
        "1.养犬人应当自取得犬只之日起30日内到所在地派出所办理登\n记，领取犬牌。",
        ["1.养犬人应当自取得犬只之日起30日内到所在地派出所办理登记，领取犬牌。"],
    ),
    (
        "（三）申请人可以通过线上平台或者线下窗口提交全部申请材料\n并按要求进行现场核验。",
        ["（三）申请人可以通过线上平台或者线下窗口提交全部申请材料并按要求进行现场核验。"],
    ),  # no comma in the first line, but as long as a printed line
]


@pytest.mark.parametrize(("body", "texts"), BROKEN)
def test_broken_pdf_lines_are_joined_before_splitting(body, texts):
    assert clause_texts(body) == texts


NOT_BROKEN = [
    # a heading followed by its first paragraph stays two lines
    "一、总体要求\n以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大精神。",
    "（一）优化扩大并行接听通道\n对专业性、政策性较强、话务量较大的热线，设立分中心。",
    "二、深化接诉即办，提高服务质效\n各地要完善诉求精准分派机制，提高办理质效。",
    "（十一）做好培训交流和宣传引导\n要加强业务培训。",
    "第三章 受理范围\n第九条 12345热线受理企业和群众的各类非紧急诉求。",
]


@pytest.mark.parametrize("body", NOT_BROKEN)
def test_headings_are_not_glued_to_their_paragraph(body):
    assert join_broken_lines(body.splitlines()) == body.splitlines()


def test_broken_lines_never_glue_a_clause_start():
    body = "（一）完善受理渠道，优化互联网受理\n（二）强化诉求精准分办。要完善分办规则。"
    assert clause_texts(body) == [body]  # still two lines: (二) was not glued onto (一)


def test_articles_contain_numbered_items():
    body = (
        "第五条 办理时限如下：\n（一）咨询类。"
        + sentence(160, "咨")
        + "\n（二）投诉类。"
        + sentence(160, "投")
    )
    paths = [c.heading_path for c in split_clauses(body)]
    assert paths == [("第五条",), ("第五条", "（二）投诉类")]


def test_answer_script_is_one_clause_with_empty_path():
    body = (
        "新生儿出生后，由父亲或母亲持《出生医学证明》到户籍所在地派出所办理出生登记。办理不收费。"
    )
    assert split_clauses(body) == [Clause(0, (), body)]


def test_answer_script_with_numbered_materials_stays_whole():
    body = "请携带以下材料：\n1.居民身份证；\n2.户口簿；\n3.《出生医学证明》。"
    assert split_clauses(body) == [Clause(0, (), body)]


def test_empty_body_has_no_clauses():
    assert split_clauses("") == []
    assert split_clauses("\n \n") == []


def test_chapter_words_inside_a_sentence_are_not_headings():
    body = "三、主要内容\n第一章总则，明确适用范围。\n第二章职责分工，明确各方职责。"
    clauses = split_clauses(body)
    assert [c.heading_path for c in clauses] == [("三、主要内容",)]


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seed_chunks_sized_deterministic_and_verbatim(name):
    body = parse_document(SEEDS / name, max_mb=50).body
    first, second = split_clauses(body), split_clauses(body)
    assert first == second
    assert all(len(c.text) <= 400 for c in first)
    assert sum(len(c.text) < 150 for c in first) <= 2
    for clause in first:
        for line in clause.text.splitlines():
            assert line in body  # chunks are body text, nothing added
