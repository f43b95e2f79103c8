"""The jurisdiction: which units exist, which districts and street offices they cover.

Built from the KB's units table when a session is at hand, or from ``units.csv`` (the same
data ``hotline init --sample`` loads) when not — form filling and dispatch must also work in
a plain eval run without a database. Regions follow the units file: ``示例市`` for the city,
``示例市东湖区`` for a district, ``示例市东湖区湖滨街道`` for a street office.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.errors import InvalidInput

CITY, DISTRICT, STREET = "市", "区县", "街道"
LOCAL_GOVERNMENT = "属地政府"
_DISTRICT_SUFFIXES = ("区", "县", "市", "旗")
_STREET_SUFFIXES = ("街道", "镇", "乡")


@dataclass(frozen=True)
class UnitRef:
    """What dispatch needs to know about one handling unit."""

    code: str
    name: str
    region: str
    level: str  # 市 / 区县 / 街道
    kind: str  # 职能部门 / 属地政府 / 公共服务企业 / 热线管理机构


@dataclass(frozen=True)
class District:
    """A district or county: ``name`` 东湖区, ``region`` 示例市东湖区."""

    name: str
    region: str
    city: str


@dataclass(frozen=True)
class Street:
    """A street office, town or township: ``name`` 湖滨街道 inside ``district``."""

    name: str
    region: str
    district: District


class Directory:
    """Units and places of one city."""

    def __init__(self, units: list[UnitRef]) -> None:
        self.units = units
        self.by_code = {u.code: u for u in units}
        cities = sorted({u.region for u in units if u.level == CITY}, key=len)
        self.city = cities[0] if cities else ""
        self.districts: dict[str, District] = {}
        for unit in units:
            if unit.level == DISTRICT and unit.region.startswith(self.city):
                name = unit.region[len(self.city) :]
                if name.endswith(_DISTRICT_SUFFIXES) and name not in self.districts:
                    self.districts[name] = District(name, unit.region, self.city)
        self.streets: dict[tuple[str, str], Street] = {}
        for unit in units:
            if unit.level != STREET:
                continue
            for district in self.districts.values():
                rest = unit.region[len(district.region) :]
                if unit.region.startswith(district.region) and rest.endswith(_STREET_SUFFIXES):
                    self.streets[(district.name, rest)] = Street(rest, unit.region, district)

    def district(self, name: str | None) -> District | None:
        """A district by name (东湖区) or region (示例市东湖区)."""
        if not name:
            return None
        name = name.strip()
        if name.startswith(self.city) and name != self.city:
            name = name[len(self.city) :]
        return self.districts.get(name)

    def street(self, district: str | None, name: str | None) -> Street | None:
        """A street office by name within a district (or anywhere if it is unique)."""
        if not name:
            return None
        name = name.strip()
        if district:
            found = self.district(district)
            return self.streets.get((found.name, name)) if found else None
        matches = [s for (_, n), s in self.streets.items() if n == name]
        return matches[0] if len(matches) == 1 else None

    def units_in(self, region: str) -> list[UnitRef]:
        """Units whose region is exactly ``region``."""
        return [u for u in self.units if u.region == region]

    def district_government(self, district: District) -> UnitRef | None:
        """The 区/县 people's government (or 管委会) of a district."""
        return next(
            (
                u
                for u in self.units_in(district.region)
                if u.level == DISTRICT and u.kind == LOCAL_GOVERNMENT
            ),
            None,
        )

    def district_unit(self, district: District, suffix: str) -> UnitRef | None:
        """The district-level unit of ``district`` whose name ends with ``suffix``."""
        return next(
            (
                u
                for u in self.units_in(district.region)
                if u.level == DISTRICT and u.name.endswith(suffix)
            ),
            None,
        )

    def street_office(self, street: Street) -> UnitRef | None:
        """The 街道办事处 / 镇（乡）人民政府 of a street."""
        return next((u for u in self.units_in(street.region) if u.level == STREET), None)


def _row_ref(row: dict[str, str]) -> UnitRef:
    return UnitRef(row["code"], row["name"], row["region"], row["level"], row["kind"])


def directory_from_csv(path: Path) -> Directory:
    """A directory from a units CSV (code,name,region,level,kind,parent)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(handle)]
    except FileNotFoundError:
        raise InvalidInput(f"找不到承办单位文件 {path}。") from None
    return Directory([_row_ref(r) for r in rows if r.get("code")])


def directory_from_session(session: Session) -> Directory:
    """A directory of the active units in the KB."""
    from kb.models import Unit

    units = session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code))
    return Directory(
        [UnitRef(u.code, u.name, u.region, u.level.value, u.kind.value) for u in units]
    )


@lru_cache(maxsize=4)
def _cached_csv(path: str, mtime: float) -> Directory:
    return directory_from_csv(Path(path))


def default_directory(session: Session | None = None) -> Directory:
    """The KB's units when a session is given and has any, else the shipped units.csv."""
    if session is not None:
        directory = directory_from_session(session)
        if directory.units:
            return directory
    from kb.settings import get_settings

    path = get_settings().data_dir / "policies" / "units.csv"
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return _cached_csv(str(path), mtime)
