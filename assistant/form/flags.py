"""Urgency (一般/紧急/特急) and whether the caller asked for confidentiality.

特急 is decided by triage alone: the call goes to 110/119/120/122 now. 紧急 is a matter the
hotline handles itself but that cannot wait: a danger to the public (a missing manhole cover,
a burst pipe, water in a garage, a live wire, something about to fall), many people affected
at once (a whole building without water, dozens of workers unpaid before the Spring
Festival), or a vulnerable person left without a basic need (a bedridden elder without water
or heating). Everything else is 一般.

Confidentiality is requested when the caller asks for it (保密, 别说是我, 不要透露, 匿名, 怕被
报复); merely not leaving a name (我不留名了) is not a request to keep the appeal secret.
"""

from __future__ import annotations

import re

_URGENT = [
    # danger to the public
    r"井盖[^，。！？]{0,4}(没了|丢了|不见|被偷|坏了|翻了)",
    r"(水管|管道|总阀|主管)[^，。！？]{0,6}(爆|裂|喷)",
    r"爆管|一直在喷水|喷水",
    r"(进水|淹到|淹了|被淹|内涝)",
    r"(漏电|电线[^，。！？]{0,4}(掉|垂|断|裸露)|高压线)",
    r"(随时|马上就要|快要?)会?(倒|塌|掉下来|砸)",
    r"(要|快)(倒了|塌了|掉下来了)",
    r"(塌陷|塌方|坍塌|裂缝越来越大)",
    # many affected
    r"(二十|三十|四十|五十|几十|上百|一百)多?(个|位|名)?(人|户|工人|家)",
    r"(整栋|整个小区|整片|一整栋|全村)[^，。！？]{0,6}(没水|没电|停水|停电|没暖气)",
    r"(快过年|过年前|春节前)[^。！？]{0,12}(工资|钱)|(工资|钱)[^。！？]{0,12}(快过年|过年前|春节前)",
    # vulnerable people without a basic need
    r"(瘫痪|卧床|行动不便|失能)[^。！？]{0,16}(停水|没水|停电|没电|没暖气|做不了饭)",
    r"(停水|没水|停电|没电|没暖气)[^。！？]{0,16}(瘫痪|卧床|行动不便|失能)",
]
_URGENT_RE = re.compile("|".join(f"(?:{p})" for p in _URGENT))

_CONFIDENTIAL = re.compile(
    r"保密|别说是我|不要说是我|别告诉(他|她|他们|对方)|不要透露|别透露|不要泄露|别让[^，。！？]{0,6}知道|"
    r"匿名|怕被报复|怕报复|电话也别记|信息别记|不要暴露"
)
_NOT_CONFIDENTIAL = re.compile(r"不用保密|不需要保密|无需保密|没关系可以说")


def urgency(text: str, *, emergency: bool) -> tuple[str, str | None]:
    """The urgency and the words that made it so (None for 一般)."""
    if emergency:
        return "特急", "需即时转接紧急热线"
    match = _URGENT_RE.search(text)
    if match:
        return "紧急", match.group(0)
    return "一般", None


def confidential(text: str) -> bool:
    """Whether the caller asked that their identity be kept confidential."""
    return bool(_CONFIDENTIAL.search(text)) and not _NOT_CONFIDENTIAL.search(text)
