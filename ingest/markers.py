"""The numbering grammar of Chinese official documents, and a few line shapes.

Official documents nest ``第X章`` → ``第X节`` → ``第X条`` → ``一、`` → ``（一）`` → ``1.`` →
``（1）`` → ``①``. The cleaner (joining broken lines), the metadata extractor and the clause
splitter all need to know where a clause starts, so the grammar lives here, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_NUM = "一二三四五六七八九十百零〇"

# (level, pattern) — lower level = higher in the hierarchy
MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(rf"^第[{_CN_NUM}\d]{{1,4}}章")),
    (1, re.compile(rf"^第[{_CN_NUM}\d]{{1,4}}节")),
    (2, re.compile(rf"^第[{_CN_NUM}\d]{{1,5}}条(?=[\s\u4e00-\u9fff“（])")),
    (3, re.compile(rf"^[{_CN_NUM}]{{1,3}}、")),
    (4, re.compile(rf"^[（(][{_CN_NUM}]{{1,3}}[）)]")),
    (5, re.compile(r"^\d{1,2}[.．、](?!\d)")),
    (6, re.compile(r"^[（(]\d{1,2}[）)]")),
    (7, re.compile(r"^[①-⑳]")),
)

TERMINAL = "。！？；：!?;:…"
_SENTENCE_STOP = re.compile(r"[。！？；]")

# endings of an official document's title (order: longest first where it matters)
DOC_TYPES = (
    "实施意见",
    "指导意见",
    "实施方案",
    "实施细则",
    "工作方案",
    "管理办法",
    "暂行办法",
    "运行机制",
    "通知",
    "意见",
    "决定",
    "办法",
    "规定",
    "条例",
    "细则",
    "方案",
    "机制",
    "批复",
    "通报",
    "公告",
    "通告",
    "规则",
    "规范",
    "指南",
    "解读",
    "标准",
    "函",
)
_ANNOTATION = re.compile(r"^[（(](?:试行|暂行|修订|修正|征求意见稿|送审稿|草案)[）)]$")
_DOC_TYPE_END = re.compile(
    r"(?:" + "|".join(DOC_TYPES) + r")(?:[（(](?:试行|暂行|修订|修正|征求意见稿|草案)[）)])?$"
)


@dataclass(frozen=True)
class Marker:
    """A clause number at the start of a line."""

    level: int
    text: str  # the marker itself, e.g. "（五）"


def clause_marker(line: str) -> Marker | None:
    """The clause number that starts ``line``, if any."""
    for level, pattern in MARKERS:
        match = pattern.match(line)
        if match:
            return Marker(level, match.group(0).strip())
    return None


def ends_sentence(line: str) -> bool:
    """True when the line ends a sentence or a paragraph (。；：！？ and closing quotes)."""
    stripped = line.rstrip("”’」』\"'")
    return bool(stripped) and stripped[-1] in TERMINAL


def is_pure_heading(line: str) -> bool:
    """A numbered heading with no clause text of its own (``三、运行机制``)."""
    marker = clause_marker(line)
    if marker is None:
        return False
    if marker.level <= 3 and len(line) <= 25 and not line.endswith("。"):
        # 第X章 / 一、 headings; PDF text sometimes turns their comma into 。
        return True
    body = line[:-1] if line.endswith("：") else line
    return len(line) <= 40 and _SENTENCE_STOP.search(body) is None


def is_title_like(line: str) -> bool:
    """A line shaped like a document title: ends with 通知/意见/办法… and has no sentence."""
    if len(line) > 100 or _SENTENCE_STOP.search(line) or "，" in line:
        return False
    return _DOC_TYPE_END.search(line) is not None


def is_annotation(line: str) -> bool:
    """A title annotation on its own line: （试行）, （征求意见稿）…"""
    return _ANNOTATION.match(line) is not None


def is_salutation(line: str) -> bool:
    """The addressee line of an official document: ``各省、自治区……：``."""
    return line.endswith(("：", ":")) and len(line) <= 120 and line.startswith("各")


_DATE_AT_END = re.compile(
    r"(?:\d{4}|[〇零一二三四五六七八九]{4})年[\d〇零一二三四五六七八九十]{1,3}月[\d〇零一二三四五六七八九十]{1,3}日$"
)


def ends_with_date(line: str) -> bool:
    """True for a dateline such as ``甘肃省人民政府办公厅 2025年11月18日``."""
    return _DATE_AT_END.search(line) is not None
