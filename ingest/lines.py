"""Joining lines that a PDF or a page layout broke in the middle of a sentence.

PDF text extraction ends a line wherever the printed line ended
(``完善12345热线统筹协调`` / ``机制，政府办公厅……``), and pages break a clause across
paragraphs. A line is joined to the next one when it does not end a sentence and the next
line does not start something new (a clause number, a salutation, a dateline, a title).
The rule never joins across a clause start, so numbered clauses stay on their own lines.

A numbered line with no sentence stop looks like a heading (``（一）优化扩大并行接听通道``),
but at 28 characters a printed line (GB/T 9704) the first line of most clauses looks the same:
``（二）新生儿参保时间不受集中缴费期限制，出生后90日内参`` / ``保缴费的，……``. Such a line is
joined when it ends mid-phrase and shows it is running text rather than a heading: it ends
with ，、 (or the next line starts with one), it has a comma inside and is as long as a
printed line's worth of text, or it is longer than any heading is. A short heading followed
by its first paragraph (``一、总体要求`` / ``以习近平……``) is never joined.
"""

from __future__ import annotations

import re

from ingest.markers import (
    clause_marker,
    ends_sentence,
    ends_with_date,
    is_annotation,
    is_pure_heading,
    is_salutation,
    is_title_like,
)
from ingest.normalize import normalize_line
from kb.docno import DOC_NO

MIN_BROKEN = 10  # a line shorter than this is a label, not a printed line that wrapped
WRAPPED_WITH_COMMA = 20  # a numbered line this long with a comma inside is a sentence
WRAPPED_LINE = 26  # 28 characters a printed line, less the 2-character indent

_MID_PHRASE = re.compile(r"[\u4e00-\u9fff\dA-Za-z，、]$")
_CONTINUATION = re.compile(r"^[，、。；：！？）」』”]")


def _wrapped_clause(prev: str, nxt: str) -> bool:
    """Is the heading-shaped numbered line ``prev`` really a clause's first printed line?"""
    if not _MID_PHRASE.search(prev):
        return False
    if prev.endswith(("，", "、")) or _CONTINUATION.match(nxt):
        return True
    marker = clause_marker(prev)
    rest = prev[len(marker.text) :] if marker else prev
    if len(prev) >= WRAPPED_WITH_COMMA and re.search("[，、]", rest):
        return True
    return len(prev) >= WRAPPED_LINE


def _continues(prev: str, nxt: str) -> bool:
    """Should ``nxt`` be glued to the end of ``prev``?"""
    if is_annotation(nxt):
        # "长治市12345政务服务热线运行机制" + "（试行）" is one title
        return is_title_like(prev)
    if ends_sentence(prev) or ends_with_date(prev) or len(prev) < MIN_BROKEN:
        return False
    if clause_marker(nxt) is not None or is_salutation(nxt) or nxt.startswith("附件"):
        return False
    if DOC_NO.fullmatch(prev) or DOC_NO.fullmatch(nxt):
        return False
    if is_pure_heading(prev) and not _wrapped_clause(prev, nxt):
        return False
    if is_title_like(prev):
        return False
    if is_title_like(nxt):
        # a title split over two lines: "……关于进一步规范和提升" + "12345热线服务的意见"
        return "关于" in prev
    return not ends_with_date(nxt)


def join_broken_lines(lines: list[str]) -> list[str]:
    """``lines`` with every mid-sentence break removed (lines are normalised again)."""
    out: list[str] = []
    for line in lines:
        if out and _continues(out[-1], line):
            out[-1] = normalize_line(out[-1] + line)
        else:
            out.append(line)
    return out
