"""Chinese passports (E/G/P/D/S + 7–8 characters); plausible only with context."""

from __future__ import annotations

from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from assistant.privacy.entities import CN_PASSPORT
from assistant.privacy.recognizers.zh_pattern_recognizer import (
    NOT_AFTER_ALNUM,
    NOT_BEFORE_ALNUM,
    ZhPatternRecognizer,
)

# E12345678 / EA1234567 (ordinary, since 2012/2017), G12345678 (older), P/D/S + 7–8 digits.
_PASSPORT = NOT_AFTER_ALNUM + r"(?i:E[A-HJ-NP-Z]\d{7}|[EG]\d{8}|[PDS]\d{7,8})" + NOT_BEFORE_ALNUM


class ZhPassportRecognizer(ZhPatternRecognizer):
    """Passport numbers: 0.4 alone, over the threshold next to 护照/证件号."""

    ENTITY = CN_PASSPORT
    PATTERNS = (Pattern("passport", _PASSPORT, 0.4),)
    CONTEXT = ("护照", "passport", "证件号", "证件号码", "出国", "签证")
    # "护照丢了，补办的时候需要填原来的号码，号码是E12345678": the word that says what the
    # number is may stand a whole clause before it, beyond the context window.
    FAR_CUE = "护照"
    FAR_WINDOW = 40

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Passport-shaped matches; 护照 anywhere in the preceding clauses lifts them."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            if self.FAR_CUE in text[max(0, result.start - self.FAR_WINDOW) : result.start]:
                result.score = max(result.score, 0.6)
        return results
