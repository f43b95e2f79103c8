"""Creating and upgrading a KB, and loading the shipped sample jurisdiction (示例市)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb import timelimits
from kb.db import Database, get_database
from kb.errors import InvalidInput
from kb.models import Role, Unit, User
from kb.settings import Settings, get_settings
from kb.units import add_unit, add_user


@dataclass
class InitResult:
    """What `hotline init` did."""

    database: str
    revision: str
    units_added: int = 0
    users_added: int = 0
    time_limits_added: int = 0


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise InvalidInput(f"找不到示例数据文件 {path}。")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def load_units(session: Session, path: Path) -> int:
    """Add units from a CSV (code,name,region,level,kind,parent) that are not there yet."""
    added = 0
    for row in _read_csv(path):
        if session.scalar(select(Unit).where(Unit.code == row["code"])) is not None:
            continue
        add_unit(
            session,
            code=row["code"],
            name=row["name"],
            region=row["region"],
            level=row["level"],
            kind=row["kind"],
            parent=row.get("parent") or None,
        )
        added += 1
    return added


def load_users(session: Session, path: Path) -> int:
    """Add users from a CSV (name,role,unit,display_name) that are not there yet."""
    added = 0
    for row in _read_csv(path):
        if session.scalar(select(User).where(User.name == row["name"])) is not None:
            continue
        add_user(
            session,
            name=row["name"],
            role=row["role"],
            unit=row.get("unit") or None,
            display_name=row.get("display_name", ""),
        )
        added += 1
    return added


def initialise(settings: Settings | None = None, *, sample: bool = False) -> InitResult:
    """Create or upgrade the KB; seed the admin user and default time limits.

    With ``sample``, also load the fictional 示例市 units and users from data/policies/.
    Safe to run again: nothing that exists is touched.
    """
    settings = settings or get_settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    db: Database = get_database(settings, check=False)
    revision = db.upgrade()
    result = InitResult(database=db.url, revision=revision)
    with db.session() as session:
        if session.scalar(select(User).where(User.name == "admin")) is None:
            add_user(session, name="admin", role=Role.ADMIN.value, display_name="系统管理员")
            result.users_added += 1
        result.time_limits_added = timelimits.seed_defaults(session)
        if sample:
            policies = settings.data_dir / "policies"
            result.units_added = load_units(session, policies / "units.csv")
            session.flush()
            result.users_added += load_users(session, policies / "sample_users.csv")
    return result
