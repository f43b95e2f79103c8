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
# digits in a row is a number being dictated. Inside a run, single spaces or dashes may
# split the digits; between groups of two or more digits a caller's pause may also be
# written as a comma or 、 by the recogniser, and 杠 is a spoken dash
# ("幺三九，幺二八七，六五四三零", "幺三八杠幺二三四杠五六七八"). Those separators become
# "-" in the view, so a number split that way still has the shape the recognizers expect
# (11 digits for a mobile …) — nothing else about the shape is relaxed.
_GROUP = rf"[{_SPOKEN}0-9](?:[ \-]?[{_SPOKEN}0-9])*"
_PAUSE = r"\s?(?:[，,、]|杠)\s?"
# An 18-digit ID ends in X, which callers read as 叉 or 艾克斯.
_X_TAIL = "(?:叉|艾克斯|爱克斯|埃克斯)"
# The lookahead asks for seven digits (with at most three separator characters between
# two) before the engine tries a run: most digit characters in prose (三栋, 一直) start none.
_SEVEN = rf"(?=(?:[{_SPOKEN}0-9][ \-，,、杠]{{0,3}}){{6}}[{_SPOKEN}0-9])"
_SPOKEN_RUN = re.compile(rf"{_SEVEN}{_GROUP}(?:{_PAUSE}{_GROUP})*(?:{_X_TAIL})?")
_PLAIN_RUN = re.compile(rf"[{_SPOKEN}0-9](?:[ \-]?[{_SPOKEN}0-9]){{6,}}")
_PAUSE_RE = re.compile(_PAUSE)
_X_TAIL_RE = re.compile(_X_TAIL + "$")
_DIGIT_CHARS = frozenset(_SPOKEN + "0123456789")

#: Pads a spoken "艾克斯" after its "X" in the view (same length, neither digit nor letter).
X_PAD = "\u2060"


def _digits_in(piece: str) -> int:
    return sum(ch in _DIGIT_CHARS for ch in piece)


def _fold_plain(match: re.Match[str]) -> str:
    return match.group(0).translate(_SPOKEN_TABLE)


def _fold_spoken(match: re.Match[str]) -> str:
    run = match.group(0)
    tail = _X_TAIL_RE.search(run)
    body = run[: tail.start()] if tail else run
    if not any(ch in _SPOKEN for ch in run):
        # Written digits: nothing to fold, only a written-out X after 17 digits.
        if tail and _digits_in(body) == 17:
            return body + "X" + X_PAD * (len(tail.group(0)) - 1)
        return run
    groups = _PAUSE_RE.split(body)
    if len(groups) > 1 and any(_digits_in(group) < 2 for group in groups):
        # "一、二、三、四" is a list, not a number: read each group on its own.
        return _PLAIN_RUN.sub(_fold_plain, body) + run[len(body) :]
    if _digits_in(body) < 7:
        return run
    folded = _PAUSE_RE.sub(lambda m: "-" * len(m.group(0)), body).translate(_SPOKEN_TABLE)
    if tail is None:
        return folded
    if _digits_in(body) == 17:
        return folded + "X" + X_PAD * (len(tail.group(0)) - 1)
    return folded + tail.group(0)


@lru_cache(maxsize=256)
def digit_view(text: str) -> str:
    """``text`` with full-width ASCII folded and dictated digit runs turned into 0–9.

    The result always has the same length as ``text`` (cached: every numeric recognizer
    asks for the view of the same text).
    """
    folded = text.translate(_FULL_WIDTH)
    if not any(ch in _SPOKEN or ch in "叉斯" for ch in folded):
        return folded
    return _SPOKEN_RUN.sub(_fold_spoken, folded)
