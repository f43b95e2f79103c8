"""The detailed address (road, number, 小区, 栋, 单元, 室, landmark) the caller gave.

Where callers give a place they usually say it top-down: district, street office, then the
rest ("南江区滨江街道江景花园2栋1单元801"). So the detail is what follows the last
district/street word in the same clause — or in the next clause when that one looks like an
address — with fillers (那个, 叫什么, 这边) dropped, and it ends where the last place unit
ends (号, 栋, 小区, 路口, 饭店 …): what follows is the matter, not the place (幸福路12号|那个
井盖没了; 政务服务中心|的李明同志). Words that only start like a place (路灯, 路面) are not
units, so "那个路灯坏了好几天" gives no detail. When the caller names no district or
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
    r"(这边|那边|这里|那里|这块|那块|一带|中间|里面|里头|的|呢|啊|吧|了|(?<=[路街道子口])上)+$"
)
_LEADING = re.compile(r"^(的|在|是|那个|这个|就是|叫|住在|住)+")
_ADDRESSY = re.compile(
    r"(路|街|大道|巷|弄|村|组|社区|小区|花园|家园|苑|公寓|大厦|广场|市场|号|栋|幢|单元|室|楼|"
    r"新村|集市|中心|工业园|园区|站|口|学校|小学|中学|医院)"
)
# where the place ends and the appeal begins (工业园|有个厂偷排污水)
_STOP = re.compile(
    r"(我|你|他|她|们|想|要|投诉|举报|反映|请问|怎么|能不能|有没有|是不是|有个|有一|有人|有家|"
    r"有辆|有只|有条|有棵|有根|有块|有些|有很多|有好多|加个|加装|装个|设个|"
    r"天天|每天|一直|总是|老是|晚上|半夜|白天|经常|突然|已经)"
)
_NUM = r"(\d+|[零一二三四五六七八九十百两幺]+)"
# the end of a place: a numbered unit, a kind of place, or a landmark beside one
_UNIT = re.compile(
    rf"{_NUM}(号楼下|号楼上|号楼顶|号楼|号院|号|栋|幢|单元|室|楼|层|排|组|期)|"
    r"(?<=[元栋幢楼号])\d{2,4}|楼顶|楼下|楼上|楼道|地下车库|车库|地下室|"
    r"(小区|花园|家园|苑|公寓|大厦|广场|市场|新村|集市|中心|工业园|产业园|园区|楼盘|社区|"
    r"学校|小学|中学|幼儿园|医院|卫生院|车站|公交站|地铁站|站|路口子|路口|交叉口|口子|大道|巷|"
    r"弄|村|公园|大桥|桥|河|工地|书店|饭店|酒店|超市|商场|银行|菜场|窗口|夜市|药房|化工|公司|"
    r"厂|湾|[A-Za-z]{2,}|附近|"
    r"东门|西门|南门|北门|大门|正门|后门|门口|旁边|对面|后山|路(?![灯面况线费过人由])|"
    r"街(?![灯道办]))"
)
# a place word alone says nothing (社区的网格员 → 社区)
_GENERIC = {
    "社区",
    "小区",
    "村",
    "路",
    "街",
    "学校",
    "医院",
    "公园",
    "窗口",
    "旁边",
    "对面",
    "门口",
    "附近",
}
_SOME = re.compile(r"^(一家|一个|一所|一条|某)")  # 一家公司: not a place the caller named


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
    return _to_last_unit(_clean(piece))


def _to_last_unit(piece: str) -> str | None:
    """``piece`` up to the end of its last place unit (None when it has none)."""
    piece = piece.split("的")[0] if "的" in piece else piece  # 中心的李明同志, 锦绣苑的业主
    ends = [m.end() for m in _UNIT.finditer(piece)]
    if not ends:
        return None
    piece = _TRAILING.sub("", piece[: max(ends)]).strip()
    if len(piece) < 2 or piece in _GENERIC or _SOME.match(piece):
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
