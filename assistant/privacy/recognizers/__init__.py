"""Our Chinese recognizers, one per file, in presidio's style."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from assistant.privacy.recognizers.zh_address_recognizer import ZhAddressRecognizer
from assistant.privacy.recognizers.zh_bank_card_recognizer import ZhBankCardRecognizer
from assistant.privacy.recognizers.zh_credit_code_recognizer import ZhCreditCodeRecognizer
from assistant.privacy.recognizers.zh_email_recognizer import ZhEmailRecognizer
from assistant.privacy.recognizers.zh_id_card_recognizer import ZhIdCardRecognizer
from assistant.privacy.recognizers.zh_landline_recognizer import ZhLandlineRecognizer
from assistant.privacy.recognizers.zh_license_plate_recognizer import ZhLicensePlateRecognizer
from assistant.privacy.recognizers.zh_mobile_recognizer import ZhMobileRecognizer
from assistant.privacy.recognizers.zh_passport_recognizer import ZhPassportRecognizer
from assistant.privacy.recognizers.zh_person_name_recognizer import ZhPersonNameRecognizer
from assistant.privacy.recognizers.zh_person_ner_recognizer import ZhPersonNerRecognizer
from assistant.privacy.recognizers.zh_social_account_recognizer import ZhSocialAccountRecognizer
from assistant.privacy.recognizers.zh_travel_permit_recognizer import ZhTravelPermitRecognizer

__all__ = [
    "ZhAddressRecognizer",
    "ZhBankCardRecognizer",
    "ZhCreditCodeRecognizer",
    "ZhEmailRecognizer",
    "ZhIdCardRecognizer",
    "ZhLandlineRecognizer",
    "ZhLicensePlateRecognizer",
    "ZhMobileRecognizer",
    "ZhPassportRecognizer",
    "ZhPersonNameRecognizer",
    "ZhPersonNerRecognizer",
    "ZhSocialAccountRecognizer",
    "ZhTravelPermitRecognizer",
    "chinese_recognizers",
]


def chinese_recognizers(
    mask_credit_codes: bool = False, person_ner: bool = True
) -> list[EntityRecognizer]:
    """A fresh instance of every recognizer (credit codes only when they are to be masked;
    the statistical name tagger unless ``person_ner`` is off)."""
    recognizers: list[EntityRecognizer] = [
        ZhIdCardRecognizer(),
        ZhMobileRecognizer(),
        ZhLandlineRecognizer(),
        ZhBankCardRecognizer(),
        ZhEmailRecognizer(),
        ZhLicensePlateRecognizer(),
        ZhPassportRecognizer(),
        ZhTravelPermitRecognizer(),
        ZhSocialAccountRecognizer(),
        ZhPersonNameRecognizer(),
        ZhAddressRecognizer(),
    ]
    if person_ner:
        recognizers.append(ZhPersonNerRecognizer())
    if mask_credit_codes:
        recognizers.append(ZhCreditCodeRecognizer())
    return recognizers
