"""Turning extracted text into a clean document body, one paragraph or clause per line.

Steps, each a general rule (see the modules named):

1. normalise every line (:mod:`ingest.normalize`);
2. flag page furniture line by line (:mod:`ingest.junk`);
3. find the document title; everything before it is the page head (menus, headline lists,
   the issuing banner and 文号, which metadata extraction reads), and so are the lines
   between the title and the first body line (date, source, a repeated title, 文号);
4. cut the page tail at the first related-links / ranking / comments heading;
5. join lines broken in mid-sentence (:mod:`ingest.lines`);
6. drop repeated passages (:mod:`ingest.repeats`);
7. set aside the 版记 (抄送, 印发 line, 此件公开发布): metadata, not body.

Nothing is invented or reworded: every body line is text from the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.junk import is_tail_marker, junk_reason
from ingest.lines import join_broken_lines
from ingest.markers import clause_marker, is_salutation, is_title_like
from ingest.normalize import normalize_line, normalize_text
from ingest.repeats import duplicate_lines, remove_tandem_repeats
from kb.docno import DOC_NO

HEAD_WINDOW = 40  # the title is looked for among the first lines only
MIN_TITLE = 8  # "通知公告", "政策解读" are menu items, not titles

DATE_META = re.compile(
    r"^(?:(?:发布|发文|发表|更新|成文|公开|印发)?(?:日期|时间)[：:]?)?"
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})日?"
    r"(?:\s*\d{1,2}\s*[:：时]\s*\d{2}(?:\s*[:：分]\s*(?:\d{2}秒?)?)?)?"
)
_TRAILER = re.compile(
    r"^(?:抄送|抄报|主送|分送)[：:]|印发$|^（此件(?:公开发布|主动公开|不予公开|依申请公开|删减后公开)）$"
)
_BODY_PUNCT = re.compile(r"[。，；]")
# anything ending in "<year> … <number>号" is meant as a 文号, read or not
_DOC_NO_SHAPE = re.compile(r"(?:19|20)\d{2}\D{0,3}\d{1,5}\s*号$")


@dataclass
class CleanDocument:
    """The body of a document and what was set aside, with reasons."""

    lines: list[str]  # the body: one paragraph / clause per line
    title: str | None = None  # the title line as found (before metadata tidies it)
    head: list[str] = field(default_factory=list)  # lines before the body (incl. flagged)
    trailer: list[str] = field(default_factory=list)  # 版记
    page_info: list[str] = field(default_factory=list)  # 来源 / date / view-count lines
    removed: list[tuple[str, str]] = field(default_factory=list)  # (line, reason)

    @property
    def body(self) -> str:
        """The body text, one line per paragraph."""
        return "\n".join(self.lines)

    def removed_counts(self) -> dict[str, int]:
        """How many lines were dropped for each reason."""
        counts: dict[str, int] = {}
        for _, reason in self.removed:
            counts[reason] = counts.get(reason, 0) + 1
        return counts


def is_date_meta(line: str) -> bool:
    """A line that is a publication date/time (optionally with page info), not a dateline."""
    match = DATE_META.match(line)
    return match is not None and not line.endswith("印发") and len(line) - match.end() <= 40


def _body_like(line: str) -> bool:
    if is_salutation(line) or clause_marker(line) is not None:
        return True
    if line.endswith("。"):
        return True
    return len(line) >= 30 and _BODY_PUNCT.search(line) is not None


def _header_line(line: str) -> bool:
    """A line that belongs to a document's head: 文号, date line, label."""
    bare = re.sub(r"^文号[：:]\s*", "", line)
    return DOC_NO.fullmatch(bare) is not None or is_date_meta(line)


def _head_reason(line: str) -> str | None:
    """Why a line between the title and the body is not body text; None for a line that looks
    like a 文号 the pattern cannot read (it stays in the body rather than vanish unread)."""
    bare = re.sub(r"^文号[：:]\s*", "", line)
    if DOC_NO.fullmatch(bare):
        return "文号（已提取为元数据）"
    if is_date_meta(line):
        return "发布日期（已提取为元数据）"
    if _DOC_NO_SHAPE.search(line):
        return None
    return "页面头部（标题下方的署名、副标题等，未作为正文）"


def _hint_matches(line: str, hint: str) -> bool:
    return len(line) >= 6 and (line == hint or (hint.startswith(line) and len(line) >= 8))


def find_title(lines: list[str], flags: list[str | None], hint: str | None = None) -> int | None:
    """Index of the document title.

    The line equal to the page's declared title (HTML ``<title>``/ArticleTitle) if there is
    one; else the earliest title-shaped line (``…关于…的通知``) or headline just above the
    publication date in the page head. The head is the first 40 lines or the first half of
    the page, whichever is longer, so long menus rendered one item per line do not hide it.
    """
    window = min(len(lines), max(HEAD_WINDOW, len(lines) // 2))
    if hint:
        hint = normalize_line(re.split(r"\s*[_|｜]\s*|\s+[—–-]\s+", hint)[0])
        for i in range(len(lines)):
            if not flags[i] and _hint_matches(lines[i], hint):
                return i
    candidates: list[int] = []
    for i in range(window):
        line = lines[i]
        if flags[i] or clause_marker(line) or not 4 <= len(line) <= 100:
            continue
        if is_title_like(line) and len(line) >= MIN_TITLE:
            candidates.append(i)
            continue
        if (
            i + 1 < len(lines)
            and is_date_meta(lines[i + 1])
            and not _BODY_PUNCT.search(line)
            and not line.endswith(("：", ":"))
            and not is_date_meta(line)
        ):
            candidates.append(i)
    if candidates:
        return min(candidates)
    # last resort: a short first line with no sentence in it
    for i in range(window):
        if flags[i]:
            continue
        line = lines[i]
        if len(line) <= 40 and not _BODY_PUNCT.search(line) and not clause_marker(line):
            return i if i + 1 < len(lines) else None
        return None
    return None


def clean_text(text: str, *, title_hint: str | None = None) -> CleanDocument:
    """Clean extracted ``text`` into a :class:`CleanDocument`; ``title_hint`` is the title a
    format declares (HTML), used to find the title line in the text."""
    lines = normalize_text(text)
    flags: list[str | None] = [junk_reason(line) for line in lines]
    doc = CleanDocument(lines=[])
    doc.page_info = [
        line
        for line, flag in zip(lines, flags, strict=True)
        if flag in ("来源署名", "页面信息（日期/浏览量）")
    ]

    title_at = find_title(lines, flags, title_hint)
    search_from = 0 if title_at is None else title_at + 1
    body_at = next(
        (i for i in range(search_from, len(lines)) if not flags[i] and _body_like(lines[i])),
        None,
    )
    if body_at is None:  # no paragraph looks like running text: start after the head lines
        body_at = next(
            (
                i
                for i in range(search_from, len(lines))
                if not flags[i] and not _header_line(lines[i])
            ),
            len(lines),
        )
    if title_at is not None:
        doc.title = lines[title_at]
    doc.head = lines[:body_at]
    unread: list[str] = []  # head lines that look like a 文号 but could not be read as one
    for i in range(body_at):
        if i < (title_at or 0):
            reason = flags[i] or "页面头部（标题之前的栏目、导航或无关标题）"
        elif i == title_at:
            reason = "标题（已提取为元数据）"
        else:
            reason = flags[i] or _head_reason(lines[i])
        if reason is None:
            unread.append(lines[i])
        else:
            doc.removed.append((lines[i], reason))

    end = len(lines)
    for i in range(body_at, len(lines)):
        if not flags[i] and is_tail_marker(lines[i]):
            end = i
            break
    for i in range(end, len(lines)):
        doc.removed.append((lines[i], flags[i] or "页尾无关链接/评论区"))

    kept: list[str] = list(unread)  # never dropped unread: the reader sees it in the body
    for i in range(body_at, end):
        if flags[i]:
            doc.removed.append((lines[i], flags[i]))
        else:
            kept.append(lines[i])

    joined = []
    for line in join_broken_lines(kept):
        line, repeats = remove_tandem_repeats(line)
        doc.removed.extend((r, "重复语句") for r in repeats)
        joined.append(line)

    # a body line equal to a head line (a second copy of the page) is a repeat too
    drops = duplicate_lines(joined, also_seen=[h for h in doc.head if h not in unread])
    for line, drop in zip(joined, drops, strict=True):
        if drop:
            doc.removed.append((line, "重复段落"))
        elif _TRAILER.search(line):
            doc.trailer.append(line)
            doc.removed.append((line, "版记（抄送、印发等）"))
        else:
            doc.lines.append(line)
    return doc
