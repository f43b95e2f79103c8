"""E-mail addresses, written or dictated ("zhangwei 艾特 163 点 com").

Written here instead of using presidio's EmailRecognizer, which validates domains with
tldextract — and tldextract downloads the public suffix list at run time.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from assistant.privacy.entities import EMAIL_ADDRESS
from assistant.privacy.recognizers.zh_pattern_recognizer import ZhPatternRecognizer

_LOCAL = r"[A-Za-z0-9][A-Za-z0-9._%+\-]*"
_WRITTEN = (
    r"(?<![A-Za-z0-9._%+\-])" + _LOCAL + r"@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
# Speech recognition spells out "@" and "." ; the top-level domains callers actually say.
_SPOKEN = (
    r"(?<![A-Za-z0-9._%+\-])"
    + _LOCAL
    + r" ?(?:艾特|圈a|圈A|at) ?[A-Za-z0-9\-]+ ?(?:点|\.) ?(?:com|cn|net|org|com ?(?:点|\.) ?cn)"
    + r"(?![A-Za-z])"
)


class ZhEmailRecognizer(ZhPatternRecognizer):
    """E-mail addresses (full-width ＠ and ． are folded by the digit view)."""

    ENTITY = EMAIL_ADDRESS
    PATTERNS = (
        Pattern("email", _WRITTEN, 1.0),
        Pattern("email_spoken", _SPOKEN, 0.8),
    )
    CONTEXT = ("邮箱", "邮件", "email", "e-mail", "mail")
