"""Appeal type (诉求类型): 咨询 求助 投诉 举报 意见建议 表扬, from the caller's words.

Cue phrases score their type; a type the caller names outright (我要投诉, 我想举报, 提个建议,
表扬一下) weighs most, then the typical shapes of each intent (a question → 咨询; 帮帮我,
能不能派人来 → 求助; 太吵, 不作为, 乱收费 → 投诉; 偷偷, 无证, 违法 → 举报; 希望, 能不能增加 →
意见建议; 谢谢你们, 点赞 → 表扬). A call that must go to an emergency line is 求助: the caller
needs help now. With no cue at all the call is 咨询, the most common and the safest default
(it carries the shortest time limit, so nothing waits too long).
"""

from __future__ import annotations

import re

APPEAL_TYPES = ("咨询", "求助", "投诉", "举报", "意见建议", "表扬")

# (type, weight, regex); explicit naming of the type weighs 3, typical shapes 1–2
_CUES: list[tuple[str, float, str]] = [
    ("投诉", 3.0, r"投诉|我要告|曝光"),
    ("举报", 3.0, r"举报|检举"),
    ("意见建议", 3.0, r"建议|提个意见|提意见|提议|意见建议"),
    ("表扬", 3.0, r"表扬|点赞|锦旗|感谢信|(特意|专门)打电话来(感)?谢|来感谢|感谢一下|表示感谢"),
    ("咨询", 2.0, r"咨询|想问|问一下|问问|请问|打听|了解一下|想知道"),
    ("求助", 2.0, r"求助|求求|帮帮|帮忙|帮我|救命|救救|能不能派人|派人来|找人来|来人|快来"),
    (
        "咨询",
        1.0,
        r"怎么办理|怎么申请|怎么交|怎么弄|怎么算|怎么改|需要什么|要什么材料|准备什么|准备些什么|"
        r"要多久|多长时间|多少钱|在哪办|在哪里办|去哪|哪里办|什么时候|是不是真的|算不算|"
        r"哪个部门|找谁|归谁管|谁管|该找|"
        r"能不能(办|申请|补缴|翻建|改|加装|报销)|可以吗|有没有(什么)?(补贴|政策)|吗[？?]?$|吗[，,。]",
    ),
    ("求助", 2.0, r"催一下|催催|再催|帮我催|督促一下"),
    ("求助", 1.5, r"回不了家|急需|没办法了|没人管我|赶紧|尽快|能不能快|来看看|找找"),
    ("求助", 1.5, r"停水|没水|停电|没电|没气|来水|来电"),
    ("求助", 1.0, r"漏水|爆了|进水|联系不上|困难|走丢"),
    (
        "投诉",
        1.5,
        r"太差|不作为|不管|没人管|不理|推诿|扯皮|态度|扰民|太吵|吵得|乱收费|多收|缺斤少两|"
        r"不给(退|办|修|开)|拖着|拖欠|欠了|过分|骂人|坑|欺骗|骗|太臭|脏|堵死|堵满|一直没|好几次|"
        r"跑了(好几|三|两)趟|不负责|不退|不处理|不解决|什么都不干|影响|能不能让(他们|他|她|对方|他家)|"
        r"没回复|没有回复|不回复|不答复|没答复|没有答复",
    ),
    # a problem described without a question is most often a complaint
    (
        "投诉",
        0.75,
        r"天天|每天|整天|一直|总是|老是|经常|好几天|半年|几个月|半夜|吵|嗡嗡|噪音|臭|异味|脏|"
        r"乱(停|扔|倒|搭|收|贴)|灰尘|熏|绕路|关门了|跑路|打不通|没人清|没人修|不修|受不了|睡不着|"
        r"坏了",
    ),
    (
        "举报",
        1.5,
        r"偷偷|私自|违法|违规|非法|偷排|无证|无照|没有执照|黑作坊|黑诊所|赌博|传销|卖假|造假|"
        r"贪污|受贿|收别人钱|红包|放未成年人|偷税|不给交社保|吃拿卡要|送礼|索要好处|索贿|"
        r"偷倒|乱倒|排污|死了好多鱼|死鱼",
    ),
    (
        "意见建议",
        1.5,
        r"希望(能|可以|政府|你们|相关)|最好能|能不能(增加|多加|多开|调整|调一下|改到|设置|安排)|"
        r"能不能把[^，。？?]{0,12}(规划|调整|调|改|增加|安排|设置)|应该(增加|多|安排)",
    ),
    ("表扬", 1.5, r"谢谢你们|感谢你们|太感谢|非常感谢|特别感谢|辛苦了|给力|负责任|很满意"),
]
_COMPILED = [(t, w, re.compile(p)) for t, w, p in _CUES]
# 谢谢 at the end of every call is politeness, not praise; a question that names another
# type ("这种事找你们还是找纪委？") is still that type — the explicit cues outweigh it.


def appeal_scores(text: str) -> dict[str, float]:
    """Each type's cue score for ``text``."""
    scores = dict.fromkeys(APPEAL_TYPES, 0.0)
    for appeal_type, weight, pattern in _COMPILED:
        hits = pattern.findall(text)
        if hits:
            # repeated cues add up, but slowly: one loud complaint is not three
            scores[appeal_type] += weight * (1 + 0.25 * (len(hits) - 1))
    return scores


def classify_appeal(text: str, *, emergency: bool = False) -> tuple[str, dict[str, float]]:
    """The appeal type and the scores it came from."""
    scores = appeal_scores(text)
    if emergency:
        return "求助", scores
    best = max(APPEAL_TYPES, key=lambda t: (scores[t], -APPEAL_TYPES.index(t)))
    if scores[best] == 0:
        return "咨询", scores
    return best, scores
