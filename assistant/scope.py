"""The regions and units the KB knows: what ``--region`` / ``--unit`` may name.

An unknown region used to be accepted silently and filtered to nothing but 全国 entries
(``hotline ask "低保怎么申请" --region 火星市`` answered with a national clause); an unknown
unit filtered to nothing. Both are now refused with a Chinese message
(:class:`~kb.errors.InvalidInput`: exit 1 in the CLI, 422 in the API).

Known = the regions of the KB's units and entries; units by code or full name. Read once
per process and database, and read again before refusing, so a unit added while the server
runs is accepted at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select

from kb.errors import InvalidInput
from kb.settings import Settings

NATIONWIDE = "全国"
_EXAMPLES = 6


@dataclass(frozen=True)
class Scope:
    """What the KB knows about places and units."""

    regions: frozenset[str]
    units: frozenset[str]  # codes and full names

    def local_names(self) -> dict[str, str]:
        """Known region → its own name below the nearest known parent (示例市东湖区 → 东湖区).

        Used to see that a question names another district than an entry is for.
        """
        return dict(_local_names(self.regions))


@lru_cache(maxsize=8)
def _local_names(regions: frozenset[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for region in sorted(regions):
        parents = [r for r in regions if r != region and region.startswith(r)]
        if parents:
            local = region[len(max(parents, key=len)) :]
            if len(local) >= 2:
                out.append((region, local))
    return tuple(out)


def _load(settings: Settings) -> Scope:
    from kb.db import get_database
    from kb.models import Entry, Unit

    with get_database(settings).session() as session:
        unit_rows = session.execute(select(Unit.code, Unit.name, Unit.region)).all()
        entry_regions = session.scalars(select(Entry.region).distinct()).all()
    regions = {r for _, _, r in unit_rows} | set(entry_regions) | {NATIONWIDE}
    units = {c for c, _, _ in unit_rows} | {n for _, n, _ in unit_rows}
    return Scope(frozenset(r for r in regions if r), frozenset(units))


_lock = threading.Lock()
_scopes: dict[str, Scope] = {}


def known_scope(settings: Settings, *, fresh: bool = False) -> Scope:
    """The KB's regions and units (cached per database; ``fresh`` reads them again)."""
    key = settings.db_url
    with _lock:
        scope = None if fresh else _scopes.get(key)
    if scope is None:
        scope = _load(settings)
        with _lock:
            _scopes[key] = scope
    return scope


def reset_scopes() -> None:
    """Forget cached scopes (tests switch databases)."""
    with _lock:
        _scopes.clear()


def _examples(values: frozenset[str], prefer: str = "") -> str:
    shown = sorted(values, key=lambda v: (not v.startswith(prefer), len(v), v))[:_EXAMPLES]
    more = "等" if len(values) > _EXAMPLES else ""
    return "、".join(shown) + more


def check_scope(settings: Settings, region: str | None, unit: str | None) -> None:
    """Refuse a region or unit the KB does not know (nothing is searched or recorded)."""
    if not region and not unit:
        return
    scope = known_scope(settings)
    if (region and region not in scope.regions) or (unit and unit not in scope.units):
        scope = known_scope(settings, fresh=True)  # added since we last looked?
    if region and region not in scope.regions:
        raise InvalidInput(
            f"未知地区“{region}”：知识库中没有这个地区的单位或条目。"
            f"请填写知识库中已有的地区，如 {_examples(scope.regions, '示例市')}。"
        )
    if unit and unit not in scope.units:
        codes = frozenset(u for u in scope.units if u.isascii())
        raise InvalidInput(
            f"未知单位“{unit}”：请填写知识库中已有单位的编码或全称，如 {_examples(codes)}。"
        )
