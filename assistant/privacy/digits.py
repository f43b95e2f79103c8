"""A digit-normalised view of a text, the same length as the text.

Speech recognition writes phone and ID numbers as spoken digits (幺三八…), operators type
full-width digits (１３８…). Numeric recognizers match on this view instead of the raw text;
because every character maps to exactly one character, a span found in the view is the same
span in the original, and the placeholder replaces exactly what the caller said.
"""

from __future__ import annotations

import re
from functools import lru_cache

# 幺 is how "1" is read out on the phone; 两 appears in "两两" style readings; 洞 is radio "0".
SPOKEN_DIGITS = {
    "幺": "1",
    "一": "1",
    "二": "2",
    "两": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
    "零": "0",
    "〇": "0",
    "洞": "0",
}
_SPOKEN = "".join(SPOKEN_DIGITS)

# Full-width ASCII (！…～, U+FF01–U+FF5E) folds onto ASCII; the ideographic space onto " ".
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20
_SPOKEN_TABLE = str.maketrans(SPOKEN_DIGITS)

# Only long runs are read as numbers: "一二三" in prose stays prose, but seven or more spoken
# digits in a row (optionally split by spaces or dashes) is a number being dictated.
_SPOKEN_RUN = re.compile(rf"[{_SPOKEN}0-9](?:[ \-]?[{_SPOKEN}0-9]){{6,}}")


def _fold_spoken(match: re.Match[str]) -> str:
    return match.group(0).translate(_SPOKEN_TABLE)


@lru_cache(maxsize=256)
def digit_view(text: str) -> str:
    """``text`` with full-width ASCII folded and dictated digit runs turned into 0–9.

    The result always has the same length as ``text`` (cached: every numeric recognizer
    asks for the view of the same text).
    """
    folded = text.translate(_FULL_WIDTH)
    if not any(ch in _SPOKEN for ch in folded):
        return folded
    return _SPOKEN_RUN.sub(_fold_spoken, folded)
