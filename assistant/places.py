"""Is the caller asking about another place?

"北京的居住证积分怎么算" must not be answered with 示例市's 居住证 script: the script is right
about the topic and wrong about the place. When a question names provinces or major cities
(``places.txt``: every provincial-level division, their capitals and the cities with
provincial-level planning status) and a candidate's region names none of them, the candidate
does not apply. Entries for the whole country (全国) apply everywhere.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

PLACES_PATH = Path(__file__).resolve().parent / "places.txt"
NATIONWIDE = "全国"


@lru_cache(maxsize=1)
def _places() -> dict[str, str | None]:
    """Place → the provincial-level division it lies in (None for a province itself)."""
    places: dict[str, str | None] = {}
    for line in PLACES_PATH.read_text(encoding="utf-8").splitlines():
        for item in line.split("#", 1)[0].split():
            name, _, province = item.partition("/")
            places[name] = province or None
    return places


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    # longest first, so 呼和浩特 or 内蒙古 win over any shorter overlapping name
    names = sorted(_places(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def mentioned_places(text: str) -> frozenset[str]:
    """Short names of the listed places that ``text`` mentions."""
    return frozenset(_pattern().findall(text))


def applies_to(places: frozenset[str], region: str | None) -> bool:
    """Can an entry of ``region`` answer a question about ``places``?

    Yes when the question names no listed place, the entry is nationwide, or the entry's
    region contains one of the places or the province one of them lies in.
    """
    if not places or not region or region == NATIONWIDE:
        return True
    table = _places()
    return any(place in region or (table.get(place) or "\0") in region for place in places)


def mentioned_regions(text: str, local_names: dict[str, str]) -> frozenset[str]:
    """Known regions whose own name (东湖区, 青石县, 湖滨街道 …) ``text`` mentions."""
    return frozenset(region for region, local in local_names.items() if local in text)


def applies_within(regions: frozenset[str], region: str | None) -> bool:
    """Can an entry of ``region`` answer a question naming these known regions?

    Yes when the question names none, or the entry's region lies on the path of one of
    them: an entry of 示例市 applies to a question about 示例市西山区, one of 示例市东湖区
    does not.
    """
    if not regions or not region or region == NATIONWIDE:
        return True
    return any(named.startswith(region) or region.startswith(named) for named in regions)
