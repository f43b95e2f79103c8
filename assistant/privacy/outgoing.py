"""The last check before a payload leaves the process: shapes of personal data, not models.

:func:`residual_personal_data` looks at text that has already been masked and says what
still looks like personal data there. It shares no code path with the recognizers on
purpose — it does not call :func:`~assistant.privacy.analyzer.detect`, its cache or its
scores — so that a bug or a blind spot in masking is not repeated by the check that is
meant to catch it. It is deliberately cruder and more suspicious than masking:

- any run of seven or more digits (ASCII, full-width or dictated 幺三八…), however split
  by spaces, dashes or dots, that is not a must-keep look-alike (date, 文号, work order …);
- anything shaped like a licence plate, an e-mail address, or an id after QQ/微信;
- a surname followed by an honorific or title (张先生, 刘主任) or a word jieba's own tagger
  calls a person's name (``nr``) that starts with a surname and is no blacklisted word.

A hit means the gateway refuses the call; it names only the kinds of data, never values.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import regex

from assistant.privacy.digits import digit_view
from assistant.privacy.entities import PLACEHOLDER_PATTERN
from assistant.privacy.must_keep import keep_spans
from assistant.privacy.name_cues import ADMIN_CHARS, HONORIFICS, PLACE_SUFFIXES, TITLES
from assistant.privacy.name_lexicon import name_lexicon
from assistant.privacy.recognizers.zh_license_plate_recognizer import PROVINCES

#: The kinds of leftovers, as the refusal names them (Chinese: operators read it).
DIGITS = "长数字串（手机号、证件号、卡号等）"
PLATE = "车牌号"
EMAIL = "电子邮箱"
ACCOUNT = "QQ/微信号"
NAME = "姓名"

_PLACEHOLDER = regex.compile(PLACEHOLDER_PATTERN)
# Seven digits or more, split by at most two separators at a time (139 1287-6543).
_DIGIT_RUN = regex.compile(r"\d(?:[ \-.．·]{0,2}\d){6,}")
_PLATE = regex.compile(
    rf"[{PROVINCES}]\s?[A-Za-z][·•・.\- ]?(?=(?:[A-Za-z]?\d){{3}})[A-Za-z0-9]{{5,6}}"
)
_EMAIL = regex.compile(r"[A-Za-z0-9._%+\-]+\s?(?:@|艾特|圈a)\s?[A-Za-z0-9\-]+")
_ACCOUNT = regex.compile(
    r"(?i:qq|扣扣|微信|weixin|wechat|vx|wx|v信)\s*(?:号码?|账号|id|是|为|[:：])*\s*[A-Za-z0-9_\-]{5,}"
)


# A credit code (letters inside an 18-character code) belongs to a company; a run of
# more than 19 digits in a row is no phone, ID or card (a bank transaction serial).
_COMPANY_CODE = regex.compile(r"(?<![0-9A-Za-z])(?=[0-9A-Z]*[A-Z])[0-9A-Z]{18}(?![0-9A-Za-z])")
_LONG_SERIAL = regex.compile(r"(?<!\d)\d{20,}(?!\d)")
# Words after a "name" that make it the name of a place or an organisation (东方红广场).
_PLACE_WORDS = (
    "广场", "公园", "大厦", "大楼", "大桥", "小区", "花园", "医院", "学校", "中学", "小学",
    "大学", "公司", "超市", "市场", "商场", "酒店", "宾馆", "饭店", "银行", "车站", "街道",
)  # fmt: skip


# Before a measure word that doubles as a surname (张, 位, 条 …).
_COUNTING = set("这那哪一二两三四五几每某该此整")


@lru_cache(maxsize=1)
def _polite():
    return regex.compile(rf"(?:{HONORIFICS}|{TITLES})")


def _blank_placeholders(text: str) -> str:
    """Placeholders replaced by as many NULs: same offsets, nothing left to match."""
    return _PLACEHOLDER.sub(lambda m: "\x00" * len(m.group(0)), text)


def _inside(start: int, end: int, spans: list[tuple[int, int, str]]) -> bool:
    return any(s <= start and end <= e for s, e, _ in spans)


def _digit_runs(view: str) -> bool:
    keep = None
    for run in _DIGIT_RUN.finditer(view):
        if keep is None:
            keep = keep_spans(view)
            keep += [(*m.span(), "company") for m in _COMPANY_CODE.finditer(view)]
            keep += [(*m.span(), "serial") for m in _LONG_SERIAL.finditer(view)]
        if not _inside(run.start(), run.end(), keep):
            return True
    return False


def _names(text: str) -> bool:
    """A surname word before an honorific or title, or a name by jieba's own tagger."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is no log line
    lexicon = name_lexicon()
    words = [(pair.word, pair.flag) for pair in jieba.posseg.dt.cut(text)]
    offsets = [0]
    for word, _ in words:
        offsets.append(offsets[-1] + len(word))
    for i, (word, tag) in enumerate(words):
        start, end = offsets[i], offsets[i + 1]
        surname = lexicon.surname_at(text, start)
        if surname is None or word in lexicon.blacklist or word[:2] in lexicon.blacklist:
            continue
        if text[start - 1 : start] in _COUNTING:
            continue  # 那张卡, 这位女士: a measure word, not a surname
        following = text[end : end + 2]
        if following[:1] in PLACE_SUFFIXES or following in _PLACE_WORDS:
            continue  # 华亭市, 白银|区, 东方红广场
        if any(ch in ADMIN_CHARS for ch in word[len(surname) :]):
            continue  # 白银区 as one word
        # 张先生, 刘主任 — the title a word of its own (not 班主任, 主管部门).
        titled = i + 1 < len(words) and _polite().fullmatch(words[i + 1][0]) is not None
        if len(word) <= 3 and titled:
            return True
        if tag == "nr" and 2 <= len(word) <= 4:
            return True
    return False


def residual_personal_data(text: str) -> list[str]:
    """The kinds of personal data that ``text`` (already masked) still seems to hold."""
    blank = _blank_placeholders(text)
    view = digit_view(blank)
    found = []
    if _digit_runs(view):
        found.append(DIGITS)
    if _PLATE.search(view):
        found.append(PLATE)
    if _EMAIL.search(view):
        found.append(EMAIL)
    if _ACCOUNT.search(view):
        found.append(ACCOUNT)
    if _names(blank):
        found.append(NAME)
    return found
