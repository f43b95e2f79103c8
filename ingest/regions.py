"""Which jurisdiction a document belongs to, from the name of its issuer or its title.

The State Council and ministries → 全国; otherwise the province, then the city or
prefecture and the district/county written at the start of the name
(``甘肃省人民政府办公厅`` → 甘肃省, ``长治市12345政务热线服务中心`` → 长治市).
"""

from __future__ import annotations

import re

PROVINCES = [
    "北京市",
    "天津市",
    "上海市",
    "重庆市",
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "青海省",
    "台湾省",
    "内蒙古自治区",
    "广西壮族自治区",
    "西藏自治区",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "香港特别行政区",
    "澳门特别行政区",
]

_NATIONAL_BODIES = (
    "国务院",
    "国办",
    "中共中央",
    "中央办公厅",
    "全国人大",
    "全国人民代表大会",
    "最高人民法院",
    "最高人民检察院",
)
_CITY = re.compile(r"^([\u4e00-\u9fff]{1,6}?(?:市|自治州|地区|盟))")
_COUNTY = re.compile(r"^([\u4e00-\u9fff]{1,6}?(?:区|县|旗|市))(?![场民委政级])")
_NOT_PLACE = ("市场", "市民", "市委", "市政", "市级", "地区")
# words ending in 市/区 that start an organ's name after the city, not a district:
# 长沙市城市管理和综合执法局, 北京市城市管理委员会, 示例市社区服务中心
_NOT_COUNTY = (
    "城市",
    "都市",
    "超市",
    "门市",
    "夜市",
    "社区",
    "小区",
    "园区",
    "景区",
    "市区",
    "辖区",
    "片区",
    "街区",
)
# a district name never contains these; a match that does has run into the organ's name
_ORGAN_CHARS = re.compile(r"[局委办厅院部会所署管理和与及的]")
# the Party organ prefix: 中共示例市委办公室 belongs to 示例市
_PARTY = re.compile(r"^(?:中共|中国共产党)(?!中央)")


def _short(province: str) -> str:
    return re.sub(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", province)


def region_of(name: str | None) -> str | None:
    """The region an issuer or title names, or None if it names none."""
    if not name:
        return None
    text = _PARTY.sub("", name.strip().lstrip("《“"))
    if text.startswith(_NATIONAL_BODIES) or re.match(
        r"^国家[\u4e00-\u9fff]{1,12}(?:局|委员会|部)", text
    ):
        return "全国"
    region = ""
    for province in PROVINCES:
        short = _short(province)
        if text.startswith(province) or (len(short) >= 2 and text.startswith(short + "省")):
            region, text = province, text[len(province) :]
            break
    city = _CITY.match(text)
    if city and (city.group(1).startswith(_NOT_PLACE) or len(city.group(1)) < 2):
        city = None
    if (
        not region
        and city is None
        and re.match(r"^[\u4e00-\u9fff]{2,10}?(?:部|总局|总署)(?:办公厅|令|关于|$)", text)
    ):
        return "全国"  # ministries and national administrations (示例市委宣传部 is not one)
    if region.endswith("市"):  # municipalities: districts come next
        return region + _county(text)
    if city is not None:
        region += city.group(1)
        region += _county(text[len(city.group(1)) :])
    return region or None


def _county(text: str) -> str:
    """The district/county at the start of ``text`` (after the city), or ``""``."""
    county = _COUNTY.match(text)
    if county is None:
        return ""
    name = county.group(1)
    if name.startswith(_NOT_PLACE + _NOT_COUNTY) or _ORGAN_CHARS.search(name):
        return ""
    return name
