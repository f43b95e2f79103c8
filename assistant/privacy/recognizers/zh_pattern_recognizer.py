"""Base class of the regex-based Chinese recognizers.

It is presidio's :class:`PatternRecognizer` with two additions every Chinese number format
needs: matching runs on :func:`~assistant.privacy.digits.digit_view` (spoken and full-width
digits read as 0–9, same offsets), and :meth:`score_match`, a finer version of
``validate_result`` that can lower a score instead of only keeping or dropping a match — an
ID number with a wrong check digit is still somebody's ID when the caller says 身份证.
A subclass may also name the cue that, written right before a match, says what the number
is (``CUE_BEFORE``: "身份证号…", "卡号…"); such a match scores :data:`CUE_SCORE`, above a
checksum that happens to fit another type (a Luhn-valid run after 身份证号 is an ID).
"""

from __future__ import annotations

import regex
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from assistant.privacy.digits import digit_view
from assistant.privacy.nlp_engine import LANGUAGE

# No IGNORECASE by default: plates and permits are upper case; patterns opt in with (?i).
FLAGS = regex.DOTALL | regex.MULTILINE

# A number never starts or ends in the middle of a longer run of letters and digits.
NOT_AFTER_ALNUM = r"(?<![0-9A-Za-z])"
NOT_BEFORE_ALNUM = r"(?![0-9A-Za-z])"

CUE_SCORE = 0.95
# What may stand between a cue and its number: 号码, 是, a colon, spaces.
CUE_LINK = r"(?:号码|号|编号|码)?(?:是|为|：|:|\s)*$"


class ZhPatternRecognizer(PatternRecognizer):
    """A pattern recognizer for Chinese text; subclasses override :meth:`score_match`."""

    ENTITY: str = ""
    PATTERNS: tuple[Pattern, ...] = ()
    CONTEXT: tuple[str, ...] = ()
    CUE_BEFORE: str | None = None

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            supported_language=LANGUAGE,
            patterns=[Pattern(p.name, p.regex, p.score) for p in self.PATTERNS],
            context=list(self.CONTEXT),
            global_regex_flags=FLAGS,
        )
        self._cue_before = regex.compile(self.CUE_BEFORE) if self.CUE_BEFORE else None

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Match on the digit view, then let :meth:`score_match` rescore each match."""
        view = digit_view(text)
        kept = []
        for result in super().analyze(view, entities, nlp_artifacts, regex_flags):
            score = self.score_match(view[result.start : result.end], result.score)
            if self._cued(text, result.start) and score > 0:
                score = max(score, CUE_SCORE)
            if score > 0:
                result.score = score
                kept.append(result)
        return kept

    def _cued(self, text: str, start: int) -> bool:
        """True when this recognizer's ``CUE_BEFORE`` ends right at ``start``."""
        cue = self._cue_before
        return cue is not None and cue.search(text, max(0, start - 12), start) is not None

    def score_match(self, matched: str, pattern_score: float) -> float:
        """The score of one match (0 drops it); ``matched`` is the digit-view text."""
        return pattern_score


def digits_only(value: str) -> str:
    """``value`` without separators (spaces, dashes, dots)."""
    return "".join(ch for ch in value if ch.isdigit() or ch in "Xx")
