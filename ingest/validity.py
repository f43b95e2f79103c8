"""When a document takes effect and when it expires, from the words that say so.

* effective_from — ``自2026年1月1日起施行``; ``有效期自2026年1月1日至…``;
  ``自发布之日起30日后施行`` (publication + 30 days); ``自印发之日起施行`` (publication).
* expires_on — ``有效期至2027年6月30日``; ``……施行，至2030年12月31日止`` (a sentence that
  speaks of 施行/有效期, never a payment period such as ``缴费期为9月1日至12月31日止``);
  ``有效期5年`` / ``试行期2年`` = effective_from + N years − 1 day.
* A period with no start date starts on the publication date; that is an assumption and is
  returned as one, with the reason, for both dates it touches.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ingest.dates import add_period, cn_number, first_date, validity_end

_N = r"[\d一二两三四五六七八九十]{1,3}"
_PERIOD = re.compile(rf"(?:有效期|试行期)\s*(?:为|是)?\s*(?P<n>{_N})\s*(?P<unit>年|个月)")
_UNTIL = re.compile(r"有效期\s*(?:为|是)?\s*(?:至|到)\s*(?P<date>.{6,16}?日)")
_UNTIL_END = re.compile(r"(?:至|到)\s*(?P<date>[^。；，至到]{6,16}?日)\s*(?:止|为止|失效)")
_VALIDITY_WORDS = re.compile(r"有效期|试行期|执行期|施行|实施|执行|试行|有效")
_FROM_DATE = re.compile(r"自\s*(?P<date>.{6,16}?日)\s*起\s*(?:施行|实施|执行|生效)")
_RANGE_START = re.compile(
    r"有效期\s*(?:为|是)?\s*自?\s*(?P<date>[^。；，至到]{6,16}?日)\s*(?:起)?\s*(?:至|到)"
)
_ISSUE = r"自(?:印发|发布|公布|发文)之日起"
_FROM_ISSUE = re.compile(_ISSUE + r"\s*(?:施行|实施|执行|生效)")
_AFTER_ISSUE = re.compile(
    _ISSUE + rf"\s*(?:满)?\s*(?P<n>{_N})\s*(?P<unit>日|天|个月)\s*(?:后|以后)?\s*(?:起)?"
    r"\s*(?:施行|实施|执行|生效)"
)


@dataclass
class Validity:
    """The validity a document states (or that follows from an assumption)."""

    effective_from: dt.date | None = None
    expires_on: dt.date | None = None
    words: str | None = None  # the words that set the expiry, e.g. "有效期5年"
    assumed: dict[str, str] = field(default_factory=dict)  # field → why it was assumed


def _until(text: str) -> tuple[str, dt.date] | None:
    until = _UNTIL.search(text)
    if until and first_date(until["date"]):
        return until.group(0), first_date(until["date"])
    for sentence in re.split(r"[。；\n]", text):
        match = _UNTIL_END.search(sentence)
        if match and _VALIDITY_WORDS.search(sentence[: match.start()]):
            day = first_date(match["date"])
            if day:
                return match.group(0), day
    return None


def _effective(text: str, published_on: dt.date | None) -> dt.date | None:
    start = _FROM_DATE.search(text) or _RANGE_START.search(text)
    if start and first_date(start["date"]):
        return first_date(start["date"])
    after = _AFTER_ISSUE.search(text)
    if after and published_on:
        count = cn_number(after["n"]) or 0
        if after["unit"] == "个月":
            return add_period(published_on, months=count)
        return published_on + dt.timedelta(days=count)
    if _FROM_ISSUE.search(text) and published_on:
        return published_on
    return None


def read_validity(text: str, published_on: dt.date | None) -> Validity:
    """The validity of a document whose body is ``text``, published on ``published_on``."""
    found = Validity(effective_from=_effective(text, published_on))
    until = _until(text)
    if until:
        found.words, found.expires_on = until
        return found
    period = _PERIOD.search(text)
    if period is None:
        return found
    found.words = period.group(0)
    count = cn_number(period["n"])
    if not count:
        return found
    if found.effective_from is None and published_on is not None:
        found.effective_from = published_on
        found.assumed["effective_from"] = "文中未写明施行日期，有效期按发布日期起算"
    if found.effective_from is None:
        return found  # a period with no start at all: not guessed
    if period["unit"] == "年":
        found.expires_on = validity_end(found.effective_from, years=count)
    else:
        found.expires_on = validity_end(found.effective_from, months=count)
    if "effective_from" in found.assumed:
        found.assumed["expires_on"] = f"按推定的生效日期加{found.words}计算"
    return found
