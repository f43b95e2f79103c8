"""Motor-vehicle plates (GA 36-2018), including 8-character new-energy plates."""

from __future__ import annotations

from presidio_analyzer import Pattern

from assistant.privacy.entities import CN_LICENSE_PLATE
from assistant.privacy.recognizers.zh_pattern_recognizer import (
    NOT_BEFORE_ALNUM,
    ZhPatternRecognizer,
)

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Serial letters never use I or O (they read as 1 and 0); typed text has them in lower
# case too (甘a12345), and a space after the province character (甘 A12345).
_L = "A-HJ-NP-Za-hj-np-z"
_HEAD = rf"[{PROVINCES}] ?[{_L}][·•・.\- ]?"
# Ordinary: five characters with at most two letters; police, coach, trailer, HK/Macau,
# consulate plates end in a Chinese character instead.
_ORDINARY = rf"(?=(?:[{_L}]?\d){{3}})[{_L}0-9]{{5}}(?![{_L}0-9])"
_SPECIAL = rf"[{_L}0-9]{{4}}[挂学警港澳领使]"
# New energy: small cars D/F + 5 (GA 36-2018: a letter or digit, then 4 digits — callers and
# ASR misplace the letter, so any one letter among the five is accepted), large vehicles
# 5 digits + D/F.
_NEW_ENERGY = rf"(?:[DFdf](?=(?:[{_L}]?\d){{4}})[{_L}0-9]{{5}}|\d{{5}}[DFdf])"
_PLATE = _HEAD + rf"(?:{_NEW_ENERGY}|{_SPECIAL}|{_ORDINARY})" + NOT_BEFORE_ALNUM


class ZhLicensePlateRecognizer(ZhPatternRecognizer):
    """Plates such as 京A12345, 粤B·D12345, 甘A12345D (new energy), 甘A1234学."""

    ENTITY = CN_LICENSE_PLATE
    PATTERNS = (Pattern("plate", _PLATE, 0.85),)
    CONTEXT = ("车牌", "牌照", "车号", "号牌", "车辆", "汽车", "车主")
