"""QQ numbers and WeChat ids, recognised only right after the words that introduce them.

A bare 5–11 digit number is an amount or a count far more often than a QQ number, so the
cue (QQ号, 微信号 …) is part of the match and only the id itself becomes the entity.
"""

from __future__ import annotations

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from assistant.privacy.digits import digit_view
from assistant.privacy.entities import CN_SOCIAL_ACCOUNT
from assistant.privacy.nlp_engine import LANGUAGE

_LINK = r"(?:号码?|账号|帐号|号是|号码是|是|为|:|：|\s|(?i:id)(?![A-Za-z]))*"
# Latin cues only as whole words: "wx" inside "appId":"wxcccd…" introduces nothing.
_QQ = regex.compile(
    r"(?:(?<![A-Za-z0-9])(?i:qq)(?![A-Za-z])|扣扣|企鹅号)" + _LINK + r"(?P<id>[1-9]\d{4,10})(?!\d)"
)
# WeChat ids: 6–20 characters, a letter first (wxid_…); a phone used as WeChat id is left
# to the mobile recognizer.
_WECHAT = regex.compile(
    r"(?:(?<![A-Za-z0-9])(?i:weixin|wechat|vx|wx)(?![A-Za-z])|微信|[vV]信|威信)"
    + _LINK
    + r"(?P<id>[A-Za-z][A-Za-z0-9_\-]{5,19})(?![A-Za-z0-9_\-])"
)


class ZhSocialAccountRecognizer(LocalRecognizer):
    """QQ numbers and WeChat ids introduced by their cue word (score 0.85)."""

    SCORE = 0.85

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[CN_SOCIAL_ACCOUNT],
            name=type(self).__name__,
            supported_language=LANGUAGE,
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Find ids that follow a QQ / WeChat cue."""
        view = digit_view(text)
        results = []
        for pattern in (_QQ, _WECHAT):
            for match in pattern.finditer(view):
                results.append(
                    RecognizerResult(
                        entity_type=CN_SOCIAL_ACCOUNT,
                        start=match.start("id"),
                        end=match.end("id"),
                        score=self.SCORE,
                        recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        },
                    )
                )
        return results
