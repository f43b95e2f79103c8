"""The detailed address (road, number, 小区, 栋, 单元, 室, landmark) the caller gave.

Where callers give a place they usually say it top-down: district, street office, then the
rest ("南江区滨江街道江景花园2栋1单元801"). So the detail is what follows the last
district/street word in the same clause — or in the next clause when that one looks like an
address — with fillers (那个, 叫什么, 这边) dropped. When the caller names no district or
street, the privacy layer's address detections (road + number, estate, building …) in the
caller's turns are used. Nothing is ever made up: no place word, no detail.
"""

from __future__ import annotations

import re

from assistant.form.caller import ADDRESS, Found
from assistant.transcript import CALLER, Transcript

_CLAUSE_END = re.compile(r"[，,。！!？?；;\n]|\s")
_FILLERS = ("那个", "这个", "就是", "叫什么", "嗯", "啊", "呃")
_TRAILING = re.compile(
    r"(这边|那边|这里|那里|这块|那块|附近|一带|的|呢|啊|吧|了|(?<=[路街道])上)+$"
)
_LEADING = re.compile(r"^(的|在|是|那个|这个|就是|叫|住在|住)+")
_ADDRESSY = re.compile(
    r"(路|街|大道|巷|弄|村|组|社区|小区|花园|家园|苑|公寓|大厦|广场|市场|号|栋|幢|单元|室|楼|"
    r"新村|集市|中心|工业园|园区|站|口|学校|小学|中学|医院)"
)
# where the place ends and the appeal begins (工业园|有个厂偷排污水)
_STOP = re.compile(
    r"(我|你|他|她|们|想|要|投诉|举报|反映|请问|怎么|能不能|有没有|是不是|有个|有一|有人|有家|"
    r"天天|每天|一直|总是|老是|晚上|半夜|白天|经常|突然|已经)"
)


def _clean(text: str) -> str:
    for filler in _FILLERS:
        text = text.replace(filler, "")
    text = _LEADING.sub("", text.strip())
    return _TRAILING.sub("", text).strip()


def _detail_after(text: str, end: int) -> str | None:
    rest = text[end:]
    match = _CLAUSE_END.search(rest)
    piece = rest[: match.start()] if match else rest
    if not _clean(piece) and match and match.group(0) in "，, ":
        # 东湖区湖滨街道，湖滨路跟滨湖二路交叉那个新楼盘 — the detail is in the next clause
        nxt = rest[match.end() :]
        second = _CLAUSE_END.search(nxt)
        piece = nxt[: second.start()] if second else nxt
    stop = _STOP.search(piece)
    if stop:
        piece = piece[: stop.start()]
    piece = _clean(piece)
    if len(piece) < 2 or not _ADDRESSY.search(piece):
        return None
    return piece


def address_detail(
    transcript: Transcript, place_spans: list[tuple[int, int]], found: list[Found], text: str
) -> str | None:
    """The detail after the place words said by the caller, else the caller's address spans."""
    callers = [t for t in transcript.turns if t.speaker == CALLER]
    pieces: list[str] = []
    for turn in callers:
        lo, hi = turn.start, turn.start + len(turn.text)
        ends = [e for s, e in place_spans if lo <= s and e <= hi]
        if not ends:
            continue
        detail = _detail_after(text[:hi], max(ends))
        if detail and detail not in pieces:
            pieces.append(detail)
    if pieces:
        return "".join(pieces)
    spans = [f for f in found if f.entity_type == ADDRESS and f.turn.speaker == CALLER]
    if spans:
        return _clean(re.sub(r"[，,\s]", "", spans[0].value)) or None
    return None
