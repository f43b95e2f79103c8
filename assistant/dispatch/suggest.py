"""Dispatch suggestions: the top catalog matters for an appeal, with 主办 and 协办 units.

Steps: find the event's place (given, or named in the text), score every catalog row in
force on the day (:mod:`assistant.dispatch.matcher`), add what past outcomes say about
similar texts (:mod:`assistant.dispatch.learning`), and resolve the best rows' unit rules
against the place. An unknown place is said plainly (``jurisdiction.missing``) and the
matters are still ranked; a rule that needs the place then has no unit. A functional
matter is never resolved to a street office, even if a rule or a directory change would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.categories import CategoryTree, default_tree
from assistant.dispatch.catalog import (
    FUNCTIONAL,
    FUNCTIONAL_TO_STREET_BASIS,
    Catalog,
    Resolution,
    default_catalog,
)
from assistant.dispatch.learning import OutcomeMemory
from assistant.dispatch.matcher import RowMatch, RowMatcher
from assistant.gazetteer import PlaceMention, PlaceRecognizer
from assistant.jurisdiction import STREET, UnitRef
from kb.clock import today
from kb.errors import InvalidInput

TOP_K = 3


@lru_cache(maxsize=1024)
def _shown(reason: str) -> str:
    """A stored 退单 reason as shown to the dispatcher: masked again, since reasons recorded
    before they were masked on the way in may still hold a caller's name or number."""
    from assistant.privacy import mask_for_storage

    return mask_for_storage(reason)


@dataclass
class Jurisdiction:
    """Where the matter is, and how we know."""

    district: str | None = None
    street: str | None = None
    how: str = "未知"
    missing: list[str] = field(default_factory=list)  # district / street
    notes: list[str] = field(default_factory=list)


@dataclass
class UnitChoice:
    """A resolved unit (or the rule that could not be resolved, and why)."""

    rule: str
    code: str | None
    name: str | None
    note: str = ""


@dataclass
class Suggestion:
    """One ranked catalog matter with its units."""

    rank: int
    catalog_id: str
    matter: str
    category_code: str
    category: str
    matter_kind: str
    level: str
    basis: str
    lead: UnitChoice
    co: list[UnitChoice]
    score: float
    why: list[str]


@dataclass
class DispatchResult:
    """The suggestions and the jurisdiction they were resolved for."""

    jurisdiction: Jurisdiction
    suggestions: list[Suggestion]
    on: dt.date


def _choice(resolution: Resolution) -> UnitChoice:
    unit = resolution.unit
    return UnitChoice(
        str(resolution.rule),
        unit.code if unit else None,
        unit.name if unit else None,
        resolution.note,
    )


class Dispatcher:
    """Suggests handling units from one catalog; build once, call :meth:`suggest` per appeal."""

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        tree: CategoryTree | None = None,
        embedder=None,
        memory: OutcomeMemory | None = None,
    ) -> None:
        self.catalog = catalog or default_catalog()
        self.tree = tree or default_tree()
        self.matcher = RowMatcher(self.catalog, self.tree, embedder)
        self.places = PlaceRecognizer(self.catalog.directory)
        self.memory = memory or OutcomeMemory([])

    def refresh_outcomes(self, session) -> None:
        """Reload past dispatch outcomes from the KB (after new 签收/退单/改派)."""
        from assistant.dispatch.learning import memory_from_session

        self.memory = memory_from_session(session)

    def jurisdiction(
        self, text: str, district: str | None, street: str | None, mention: PlaceMention | None
    ) -> tuple[Jurisdiction, object, object]:
        """The event's district and street objects, given or read from the text."""
        directory = self.catalog.directory
        info = Jurisdiction()
        d_obj = s_obj = None
        if district:
            d_obj = directory.district(district)
            if d_obj is None:
                names = "、".join(directory.districts)
                raise InvalidInput(f"未知区县“{district}”，应为 {names} 之一。")
        if street:
            s_obj = directory.street(d_obj.name if d_obj else None, street)
            if s_obj is None:
                where = f"{d_obj.name}的" if d_obj else ""
                raise InvalidInput(f"未知{where}街道（乡镇）“{street}”，请检查名称或所属区县。")
            d_obj = d_obj or s_obj.district
        if d_obj is not None:
            info.how = "调用方指定" if district else "由指定街道推出所属区县"
        else:
            mention = mention or self.places.find(text)
            info.notes.extend(mention.notes)
            if mention.district is not None:
                d_obj, s_obj = mention.district, mention.street
                info.how = "来电内容中识别" if mention.district_said else "由识别到的街道推出区县"
        if d_obj is not None and s_obj is None and not street and district:
            mention = mention or self.places.find(text)
            if mention.street is not None and mention.street.district.name == d_obj.name:
                s_obj = mention.street
                info.notes.append(f"街道由来电内容识别：{s_obj.name}")
        info.district = d_obj.name if d_obj else None
        info.street = s_obj.name if s_obj else None
        if d_obj is None:
            info.missing.append("district")
        if s_obj is None:
            info.missing.append("street")
        return info, d_obj, s_obj

    def suggest(
        self,
        text: str,
        district: str | None = None,
        street: str | None = None,
        on: dt.date | None = None,
        *,
        category_code: str | None = None,
        mention: PlaceMention | None = None,
        top_k: int = TOP_K,
    ) -> DispatchResult:
        """The top ``top_k`` matters for ``text`` with their 主办/协办 units."""
        if not (text or "").strip():
            raise InvalidInput("请提供诉求内容（--text 或标准输入）。")
        on = on or today()
        info, d_obj, s_obj = self.jurisdiction(text, district, street, mention)
        feedback = self.memory.feedback(text) if len(self.memory) else {}
        ranked: list[tuple[float, RowMatch]] = []
        for match in self.matcher.match(text, category_code):
            if not match.row.valid_on(on):
                continue
            adj = feedback[match.row.id].adjustment if match.row.id in feedback else 0.0
            ranked.append((match.score + adj, match))
        ranked.sort(key=lambda t: -t[0])
        out = []
        for rank, (score, match) in enumerate(ranked[:top_k], start=1):
            out.append(self._suggestion(rank, score, match, feedback, d_obj, s_obj))
        return DispatchResult(info, out, on)

    def _suggestion(self, rank, score, match: RowMatch, feedback, d_obj, s_obj) -> Suggestion:
        row = match.row
        lead = self.catalog.resolve(row.lead, d_obj, s_obj)
        co = [self.catalog.resolve(rule, d_obj, s_obj) for rule in row.co]
        lead_choice = _choice(lead)
        if row.matter_kind == FUNCTIONAL and lead.unit is not None and lead.unit.level == STREET:
            # the catalog is validated against this, but units can change after loading
            lead_choice = UnitChoice(str(row.lead), None, None, FUNCTIONAL_TO_STREET_BASIS)
        why = []
        if match.matched_terms:
            why.append(f"关键词：{'、'.join(match.matched_terms)}")
        if match.semantic >= 0.5:
            why.append(f"语义相近（{match.semantic:.2f}）")
        if match.category == 1.0:
            why.append("与智能填单的诉求分类一致")
        if row.id in feedback:
            fb = feedback[row.id]
            why.append(
                f"相似工单的派单结果：签收 {fb.confirms:.1f}、退单/改派 {fb.rejects:.1f}"
                f"（调整 {fb.adjustment:+.2f}）"
                + (
                    f"；退单原因：{'；'.join(_shown(r) for r in fb.reasons[:2])}"
                    if fb.reasons
                    else ""
                )
            )
        if row.matter_kind == FUNCTIONAL and s_obj is not None:
            why.append("职能部门事项：按权责清单派部门，不因属地优先派街道（乡镇）")
        node = self.tree.get(row.category_code)
        return Suggestion(
            rank=rank,
            catalog_id=row.id,
            matter=row.matter,
            category_code=row.category_code,
            category=self.tree.path_names(row.category_code) if node else "",
            matter_kind=row.matter_kind,
            level=row.level,
            basis=row.basis,
            lead=lead_choice,
            co=[_choice(c) for c in co if c.unit is None or c.unit.code != lead_choice.code],
            score=round(score, 4),
            why=why,
        )


def unit_label(unit: UnitRef | None) -> str:
    """``名称（编码）`` or a dash."""
    return f"{unit.name}（{unit.code}）" if unit else "—"
