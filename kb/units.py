"""Handling units (承办单位) and the people who act for them."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kb import audit
from kb.errors import Conflict, InvalidInput, NotFound
from kb.models import Role, Unit, UnitKind, UnitLevel, User


def _parse_level(level: str) -> UnitLevel:
    aliases = {
        "市": "市",
        "city": "市",
        "区县": "区县",
        "区": "区县",
        "县": "区县",
        "district": "区县",
        "街道": "街道",
        "乡镇": "街道",
        "镇": "街道",
        "street": "街道",
    }
    value = aliases.get(str(level).strip())
    if value is None:
        raise InvalidInput(f"单位层级“{level}”无效，应为 市、区县 或 街道。")
    return UnitLevel(value)


def _parse_kind(kind: str) -> UnitKind:
    try:
        return UnitKind(str(kind).strip())
    except ValueError:
        options = "、".join(k.value for k in UnitKind)
        raise InvalidInput(f"单位类型“{kind}”无效，应为 {options} 之一。") from None


def add_unit(
    session: Session,
    *,
    code: str,
    name: str,
    region: str,
    level: str,
    kind: str,
    parent: str | None = None,
    actor: str = "system",
) -> Unit:
    """Register a handling unit; code and name must be new."""
    code, name, region = code.strip(), name.strip(), region.strip()
    if not code or not name or not region:
        raise InvalidInput("单位编码、名称和所属地区都不能为空。")
    clash = session.scalar(select(Unit).where(or_(Unit.code == code, Unit.name == name)))
    if clash is not None:
        raise Conflict(f"单位“{clash.name}”（编码 {clash.code}）已存在。")
    parent_unit = get_unit(session, parent) if parent else None
    unit = Unit(
        code=code,
        name=name,
        region=region,
        level=_parse_level(level),
        kind=_parse_kind(kind),
        parent_id=parent_unit.id if parent_unit else None,
    )
    session.add(unit)
    session.flush()
    audit.record(session, actor, "unit.add", unit=name, code=code)
    return unit


def get_unit(session: Session, key: str | int) -> Unit:
    """A unit by id, code or name; a clear error if there is none."""
    text = str(key).strip()
    conditions = [Unit.code == text, Unit.name == text]
    # ASCII digits only ("³".isdigit() is true but int("³") fails) and within an INTEGER id
    if text.isascii() and text.isdigit() and len(text) <= 9:
        conditions.append(Unit.id == int(text))
    unit = session.scalar(select(Unit).where(or_(*conditions)))
    if unit is None:
        raise NotFound(f"未知承办单位“{text}”，可用 `hotline unit list` 查看已登记的单位。")
    return unit


def list_units(session: Session, region: str | None = None) -> list[Unit]:
    """Every unit, optionally of one region (prefix match: 示例市 includes its districts)."""
    stmt = select(Unit).order_by(Unit.code)
    if region:
        stmt = stmt.where(Unit.region.startswith(region))
    return list(session.scalars(stmt))


def add_user(
    session: Session,
    *,
    name: str,
    role: str,
    unit: str | None = None,
    display_name: str = "",
    actor: str = "system",
) -> User:
    """Register a user; maintainers must belong to a unit."""
    name = name.strip()
    if not name:
        raise InvalidInput("用户名不能为空。")
    try:
        role_value = Role(role)
    except ValueError:
        options = "、".join(r.value for r in Role)
        raise InvalidInput(f"角色“{role}”无效，应为 {options} 之一。") from None
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise Conflict(f"用户“{name}”已存在。")
    unit_row = get_unit(session, unit) if unit else None
    if role_value is Role.MAINTAINER and unit_row is None:
        raise InvalidInput("维护员必须绑定一个承办单位（--unit）。")
    user = User(
        name=name,
        display_name=display_name or name,
        role=role_value,
        unit_id=unit_row.id if unit_row else None,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "user.add",
        user=name,
        role=role_value.value,
        unit=unit_row.name if unit_row else None,
    )
    return user


def get_user(session: Session, name: str) -> User:
    """A user by name; a clear error if there is none."""
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None or not user.active:
        raise NotFound(
            f"未知用户“{name}”，可用 `hotline user list` 查看，或 `hotline user add` 登记。"
        )
    return user


def list_users(session: Session) -> list[User]:
    """Every user."""
    return list(session.scalars(select(User).order_by(User.name)))


# Applies everywhere; retrieval shows 全国 entries in every region.
NATIONWIDE = "全国"


def known_regions(session: Session) -> list[str]:
    """Every region some registered unit works in, sorted."""
    return sorted(set(session.scalars(select(Unit.region).distinct())))


def check_entry_region(session: Session, region: str) -> str:
    """``region`` stripped, if it is 全国 or the region of a registered unit.

    Region is what retrieval filters on, so a typo (or 火星市) would make an entry
    invisible to every operator; the units table is the list of regions this KB serves.
    """
    region = (region or "").strip()
    if not region:
        raise InvalidInput("所属地区不能为空。")
    known = known_regions(session)
    if region == NATIONWIDE or region in known:
        return region
    shown = "、".join(known[:8]) + (f" 等 {len(known)} 个" if len(known) > 8 else "")
    raise InvalidInput(
        f"地区“{region}”不是已登记承办单位所在的地区（可用：{NATIONWIDE}、{shown or '无'}）；"
        "请核对地区名称，或先用 `hotline unit add` 登记该地区的单位。"
    )
