"""Districts and street offices named in a caller's words (the jurisdiction's gazetteer).

Recognised from the unit directory (units.csv or the KB's units table), never invented:
full names (东湖区, 湖滨街道, 石桥镇) and short forms (东湖 → 东湖区, 湖滨 → 湖滨街道) when the
short form is unambiguous in the city and is not the start of a road or estate name (东湖路,
湖滨花园 are places *in* some district, not the district); a street's short form also needs a
locator after it (湖滨这边), since many are ordinary words (东门, 创新). A street office implies its
district; when a caller names a district and a street office of another district, the
street office is dropped (the district is what they said first-hand) and a note says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.jurisdiction import Directory, District, Street

# After a short form these characters mean it is part of another name (东湖路, 西山公园).
_NAME_CONTINUES = (
    "路街道巷弄村组桥湖山河江园苑城府庄院站厂店馆楼号区县镇乡市省岛湾港坊门寺塔口中小大广"
    "花公家新学医酒宾超商技科"
)
# A street office's short form (湖滨 for 湖滨街道) is only taken when a locator follows it:
# many are ordinary words (东门, 创新, 江南) that would otherwise invent a place.
_STREET_SHORT_LOCATOR = re.compile(r"(这边|那边|这块|那块|一带|附近|那里|这里|片区|辖区)")
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|"
    "湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_PROVINCE_RE = re.compile(rf"({_PROVINCES})(省|市|自治区|特别行政区|壮族自治区|回族自治区)?")


@dataclass
class PlaceMention:
    """What the text says about where the matter is."""

    province: str | None = None
    city: str | None = None
    district: District | None = None
    street: Street | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)  # of every place word used
    notes: list[str] = field(default_factory=list)
    district_said: bool = False  # False when the district was inferred from the street


class PlaceRecognizer:
    """Finds the city's districts and street offices in text."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self.city = directory.city
        self._district_names: dict[str, District] = {}
        self._street_names: dict[str, list[Street]] = {}
        shorts: dict[str, set] = {}
        for district in directory.districts.values():
            self._district_names[district.name] = district
            short = district.name[:-1]
            if len(short) >= 2:
                shorts.setdefault(short, set()).add(("d", district.name))
        for street in directory.streets.values():
            self._street_names.setdefault(street.name, []).append(street)
            suffix = "街道" if street.name.endswith("街道") else street.name[-1]
            short = street.name[: -len(suffix)]
            if len(short) >= 2:
                shorts.setdefault(short, set()).add(("s", street.name))
        # a short form is usable only when it points at one district (东湖) or one street
        self._short: dict[str, tuple[str, str]] = {}
        for short, targets in shorts.items():
            districts = {t for t in targets if t[0] == "d"}
            if len(targets) == 1:
                self._short[short] = next(iter(targets))
            elif len(districts) == 1:
                # 青石 names both 青石县 and its 青石镇: the county is what is certain
                self._short[short] = next(iter(districts))
        full = sorted(list(self._district_names) + list(self._street_names), key=len, reverse=True)
        self._full_re = re.compile("|".join(map(re.escape, full))) if full else None
        self._short_re = (
            re.compile(
                "(" + "|".join(map(re.escape, sorted(self._short, key=len, reverse=True))) + ")"
                f"(?![{_NAME_CONTINUES}])"
            )
            if self._short
            else None
        )

    def find(self, text: str) -> PlaceMention:
        """The province, city, district and street office named in ``text``."""
        mention = PlaceMention()
        if self.city and self.city in text:
            mention.city = self.city
            at = text.index(self.city)
            mention.spans.append((at, at + len(self.city)))
        province = _PROVINCE_RE.search(text)
        if province and province.group(2):
            mention.province = province.group(0)
        districts: list[tuple[int, District]] = []
        streets: list[tuple[int, str]] = []
        taken: list[tuple[int, int]] = []
        if self._full_re is not None:
            for match in self._full_re.finditer(text):
                name = match.group(0)
                taken.append(match.span())
                if name in self._district_names:
                    districts.append((match.start(), self._district_names[name]))
                else:
                    streets.append((match.start(), name))
        if self._short_re is not None:
            for match in self._short_re.finditer(text):
                if any(s <= match.start() < e for s, e in taken):
                    continue
                kind, name = self._short[match.group(1)]
                if kind == "s" and not _STREET_SHORT_LOCATOR.match(text, match.end()):
                    continue
                taken.append(match.span())
                if kind == "d":
                    districts.append((match.start(), self._district_names[name]))
                else:
                    streets.append((match.start(), name))
        mention.spans.extend(sorted(taken))
        self._settle(mention, districts, streets)
        return mention

    def _settle(
        self,
        mention: PlaceMention,
        districts: list[tuple[int, District]],
        streets: list[tuple[int, str]],
    ) -> None:
        districts.sort(key=lambda t: t[0])
        streets.sort(key=lambda t: t[0])
        district = districts[0][1] if districts else None
        for _, name in streets:
            candidates = self._street_names[name]
            if district is not None:
                inside = [s for s in candidates if s.district.name == district.name]
                if inside:
                    mention.street = inside[0]
                    break
                mention.notes.append(f"{name}不属于{district.name}，未采用")
                continue
            if len(candidates) == 1:
                mention.street = candidates[0]
                break
            mention.notes.append(f"{name}在多个区县都有，需确认所属区县")
        if district is None and mention.street is not None:
            district = mention.street.district
            mention.district_said = False
        else:
            mention.district_said = district is not None
        mention.district = district
        others = {d.name for _, d in districts} - ({district.name} if district else set())
        if others:
            mention.notes.append(f"还提到了{'、'.join(sorted(others))}，请确认事发地")
