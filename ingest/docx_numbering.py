"""Word's automatic paragraph numbering, rendered as the text a reader sees.

python-docx returns a paragraph's runs only; a number that Word draws from a list definition
(``w:numPr`` on the paragraph or its style, defined in numbering.xml) is not in them. Chinese
official documents number their clauses this way (一、 （一） 1. （1）), and without the
number the clause splitter finds neither markers nor heading paths. This module follows the
list definitions — level format (``numFmt``), level text (``lvlText`` such as ``（%2）``),
start values, overrides and restarts — and gives each numbered paragraph its label.

Counters are kept per abstract list: Word continues a list across ``w:num`` instances that
share one definition unless an instance overrides the start value, which restarts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip
_PLACEHOLDER = re.compile(r"%([1-9])")


def chinese_count(n: int, digits: str = _CN_DIGITS, ten: str = "十") -> str:
    """``n`` in Chinese counting form: 1 → 一, 10 → 十, 12 → 十二, 25 → 二十五, 101 → 一百零一."""
    if n <= 0:
        return digits[0]
    if n >= 1000:
        return "".join(digits[int(d)] for d in str(n))  # past 999 lists are not clauses
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += digits[hundreds] + "百"
        if rest and tens == 0:
            out += digits[0]
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + ten
    if ones:
        out += digits[ones]
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in _ROMAN:
        while n >= value:
            out += numeral
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    """One counter value in a ``w:numFmt`` format."""
    if fmt in ("decimal", "decimalHalfWidth", "decimalFullWidth"):
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    ):
        return chinese_count(n)
    if fmt == "chineseLegalSimplified":
        return chinese_count(n, _CN_LEGAL, "拾")
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)  # an exotic format: the number itself is better than nothing


@dataclass(frozen=True)
class _Level:
    fmt: str
    text: str
    start: int
    restart: int | None  # restart after this 1-based level; 0 = never; None = any higher
    legal: bool  # w:isLgl: every placeholder in decimal
    style: str | None  # a paragraph style bound to this level


def _val(element, tag: str) -> str | None:
    child = element.find(W + tag) if element is not None else None
    return None if child is None else child.get(W + "val")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(lvl) -> _Level:
    restart = _val(lvl, "lvlRestart")
    return _Level(
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText") or "",
        start=_int(_val(lvl, "start"), 1),
        restart=None if restart is None else _int(restart, 0),
        legal=lvl.find(W + "isLgl") is not None,
        style=_val(lvl, "pStyle"),
    )


class ListNumbering:
    """Labels for the numbered paragraphs of one document, in reading order.

    Call :meth:`label` once per paragraph, in document order: counters advance as Word's do.
    """

    def __init__(self, numbering, styles) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()
        if numbering is not None:
            for node in numbering.iter(W + "abstractNum"):
                levels = {_int(lvl.get(W + "ilvl"), 0): _level(lvl) for lvl in node.iter(W + "lvl")}
                self._abstract[node.get(W + "abstractNumId")] = levels
            for node in numbering.iter(W + "num"):
                overrides = {}
                for override in node.iter(W + "lvlOverride"):
                    start = _val(override, "startOverride")
                    if start is not None:
                        overrides[_int(override.get(W + "ilvl"), 0)] = _int(start, 1)
                abstract = _val(node, "abstractNumId")
                if abstract is not None:
                    self._nums[node.get(W + "numId")] = (abstract, overrides)
        self._styles = self._style_numbering(styles)

    def _style_numbering(self, styles) -> dict[str, tuple[str | None, int | None]]:
        """styleId → (numId, ilvl) after following ``basedOn``."""
        own: dict[str, tuple[str | None, int | None]] = {}
        parent: dict[str, str] = {}
        if styles is None:
            return {}
        for style in styles.iter(W + "style"):
            sid = style.get(W + "styleId")
            based = _val(style, "basedOn")
            if based:
                parent[sid] = based
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                ilvl = _val(num_pr, "ilvl")
                own[sid] = (_val(num_pr, "numId"), None if ilvl is None else _int(ilvl, 0))
        resolved: dict[str, tuple[str | None, int | None]] = {}
        for sid in {*own, *parent}:
            seen, current = set(), sid
            while current and current not in own and current not in seen:
                seen.add(current)
                current = parent.get(current)
            if current in own:
                resolved[sid] = own[current]
        return resolved

    def _num_of(self, paragraph) -> tuple[str, int] | None:
        p_pr = paragraph.find(W + "pPr")
        style = _val(p_pr, "pStyle")
        num_id, ilvl = self._styles.get(style, (None, None)) if style else (None, None)
        num_pr = p_pr.find(W + "numPr") if p_pr is not None else None
        if num_pr is not None:
            num_id = _val(num_pr, "numId") or num_id
            own_lvl = _val(num_pr, "ilvl")
            if own_lvl is not None:
                ilvl = _int(own_lvl, 0)
        if not num_id or num_id == "0" or num_id not in self._nums:
            return None
        if ilvl is None:
            # a style-bound list: the level whose pStyle is this paragraph's style
            levels = self._abstract.get(self._nums[num_id][0], {})
            ilvl = next((i for i, lv in levels.items() if style and lv.style == style), 0)
        return num_id, ilvl

    def label(self, paragraph) -> str:
        """The number Word shows before ``paragraph`` (a ``w:p`` element), or ``""``."""
        found = self._num_of(paragraph)
        if found is None:
            return ""
        num_id, ilvl = found
        abstract_id, overrides = self._nums[num_id]
        levels = self._abstract.get(abstract_id, {})
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for lvl, start in overrides.items():  # an overriding instance restarts the list
                counters[lvl] = start - 1
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [lvl for lvl in counters if lvl > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart and restart >= ilvl + 1):
                del counters[deeper]

        def value(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            lv = levels.get(at)
            if lv is None:
                return ""
            n = counters.get(at, lv.start)
            return str(n) if level.legal and lv.fmt != "bullet" else format_number(n, lv.fmt)

        if level.fmt == "bullet":
            return ""  # a bullet glyph (often a Symbol-font private character) says nothing
        return _PLACEHOLDER.sub(value, level.text)
