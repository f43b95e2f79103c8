"""Character-level normalisation of one line of Chinese text.

Scraped pages and PDF text come with layout spaces between Chinese characters
(``关于印发 12345 政务服务热线运行机制的 通 知``), half-width punctuation next to Chinese
(``(一)``, ``诉求办,``), bullets from list markup and odd spaces (U+3000, NBSP, zero-width).
Everything downstream (junk rules, clause markers, 文号, dates) is simpler on one form, so
each line is normalised once here. Digits, Latin words, URLs and times are left alone.
"""

from __future__ import annotations

import re

# CJK ideographs plus the CJK and full-width punctuation that sits between them.
CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》〈〉【】〔〕…—·"
_IDEO = r"\u3400-\u4dbf\u4e00-\u9fff"

_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BULLET = re.compile(r"^(?:[•●○■□◆◇▪▫►▶‣∙·]|[-*+](?=\s))\s*")
_SPACE_AROUND_CJK = re.compile(rf"(?<=[{CJK}]) +| +(?=[{CJK}])")
_PAREN_CJK = re.compile(rf"\(([^()]*[{_IDEO}][^()]*)\)")
_REPEATED_STOP = re.compile(r"([。！？；])\1+")
# a year in brackets is only ever a 文号 (示政办发﹝2026﹞12号); kb.docno knows 〔〕[]()【】〖〗,
# so the other bracket shapes that government typesetting uses are made 〔〕 here
_YEAR_BRACKETS = re.compile(r"[﹝〘⦅⟮︹﹙｟⸨〈＜｛]\s*((?:19|20)\d{2})\s*[﹞〙⦆⟯︺﹚｠⸩〉＞｝]")

# half-width → full-width when touching a Chinese character
_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_PUNCT_NEAR_CJK = re.compile(rf"(?<=[{_IDEO}“”》）])([,:;?!])|([,:;?!])(?=[{_IDEO}“《（])")


def _full_width(match: re.Match[str]) -> str:
    return _HALF_TO_FULL[match.group(1) or match.group(2)]


def _curly_quotes(line: str) -> str:
    # ASCII double quotes around Chinese become “ ”; only when they pair up.
    if '"' not in line or line.count('"') % 2 or not re.search(f"[{_IDEO}]", line):
        return line
    parts = line.split('"')
    out = [parts[0]]
    for i, part in enumerate(parts[1:]):
        out.append("“" if i % 2 == 0 else "”")
        out.append(part)
    return "".join(out)


def normalize_line(line: str) -> str:
    """One line in canonical form: spaces, bullets and punctuation next to Chinese fixed."""
    line = _INVISIBLE.sub("", line)
    line = _SPACES.sub(" ", line).strip()
    line = _BULLET.sub("", line).strip()
    if not re.search(f"[{_IDEO}]", line):
        return line
    line = _SPACE_AROUND_CJK.sub("", line)
    line = _curly_quotes(line)
    line = _PAREN_CJK.sub(r"（\1）", line)
    line = _PUNCT_NEAR_CJK.sub(_full_width, line)
    line = _REPEATED_STOP.sub(r"\1", line)
    line = _YEAR_BRACKETS.sub(r"〔\1〕", line)
    return line


def normalize_text(text: str) -> list[str]:
    """Every non-empty line of ``text``, normalised."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    out = []
    for raw in text.split("\n"):
        line = normalize_line(raw)
        if line:
            out.append(line)
    return out


def has_chinese(text: str) -> bool:
    """True when ``text`` contains at least one Chinese character."""
    return re.search(f"[{_IDEO}]", text) is not None
