"""Joining lines that a PDF or a page layout broke in the middle of a sentence.

PDF text extraction ends a line wherever the printed line ended
(``完善12345热线统筹协调`` / ``机制，政府办公厅……``), and pages break a clause across
paragraphs. A line is joined to the next one when it does not end a sentence and the next
line does not start something new (a clause number, a salutation, a dateline, a title).
The rule never joins across a clause start, so numbered clauses stay on their own lines.
"""

from __future__ import annotations

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
    if is_pure_heading(prev):
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
