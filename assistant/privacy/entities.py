"""The personal-data types we mask, and the Chinese placeholder label of each.

Entity names follow presidio's convention (upper case, country prefix where the format is
country-specific). Several entities share one placeholder label: a caller's passport and
their Hong Kong/Macau permit are both a 证件 to the model.
"""

from __future__ import annotations

#: presidio language code of everything we analyse.
LANGUAGE = "zh"

PERSON = "PERSON"
CN_MOBILE = "CN_MOBILE"
CN_LANDLINE = "CN_LANDLINE"
CN_ID_CARD = "CN_ID_CARD"
CN_BANK_CARD = "CN_BANK_CARD"
EMAIL_ADDRESS = "EMAIL_ADDRESS"
CN_LICENSE_PLATE = "CN_LICENSE_PLATE"
CN_PASSPORT = "CN_PASSPORT"
CN_TRAVEL_PERMIT = "CN_TRAVEL_PERMIT"
CN_SOCIAL_ACCOUNT = "CN_SOCIAL_ACCOUNT"
CN_ADDRESS = "CN_ADDRESS"
CN_CREDIT_CODE = "CN_CREDIT_CODE"

#: entity → the label inside its placeholder (〔姓名1〕 …); read by people, so Chinese.
PLACEHOLDER_LABELS: dict[str, str] = {
    PERSON: "姓名",
    CN_MOBILE: "手机号",
    CN_ID_CARD: "身份证",
    CN_BANK_CARD: "银行卡",
    CN_ADDRESS: "地址",
    CN_LICENSE_PLATE: "车牌",
    EMAIL_ADDRESS: "邮箱",
    CN_LANDLINE: "固话",
    CN_PASSPORT: "证件",
    CN_TRAVEL_PERMIT: "证件",
    CN_SOCIAL_ACCOUNT: "社交账号",
    CN_CREDIT_CODE: "信用代码",
}

#: Chinese names of the entity types, for reports and CLI tables.
ENTITY_NAMES_ZH: dict[str, str] = {
    PERSON: "姓名",
    CN_MOBILE: "手机号",
    CN_ID_CARD: "身份证号",
    CN_BANK_CARD: "银行卡号",
    CN_ADDRESS: "详细地址",
    CN_LICENSE_PLATE: "车牌号",
    EMAIL_ADDRESS: "电子邮箱",
    CN_LANDLINE: "固定电话",
    CN_PASSPORT: "护照",
    CN_TRAVEL_PERMIT: "港澳台通行证",
    CN_SOCIAL_ACCOUNT: "QQ/微信号",
    CN_CREDIT_CODE: "统一社会信用代码",
}

ALL_ENTITIES: tuple[str, ...] = tuple(PLACEHOLDER_LABELS)

#: A placeholder as masking writes it (〔姓名1〕); re-scanning masked text must not see PII in it.
PLACEHOLDER_PATTERN = "〔(?:" + "|".join(sorted(set(PLACEHOLDER_LABELS.values()))) + r")\d*〕"


def placeholder_label(entity_type: str) -> str:
    """The Chinese label used in placeholders for ``entity_type``."""
    return PLACEHOLDER_LABELS[entity_type]
