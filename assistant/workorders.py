"""Turning a call into a stored work order, the way data protection requires.

What is stored (kb/orders.py):

* the transcript and the summary **masked** (``assistant.privacy`` placeholders);
* the masking vault — what is needed to call the citizen back — **encrypted** with Fernet
  (:mod:`kb.sealing`; key ``HOTLINE_SECRET_KEY`` or ``HOTLINE_HOME/secret.key``);
* phone, ID number and address as **keyed hashes** (HMAC-SHA256) for duplicate detection;
* the recognised fields (type, category, place, urgency, due date) and the dispatch choice;
* free text written later by people — the reason of a 退单 or 改派, a close note — masked
  too (:func:`record_outcome`, :func:`close_order`): a unit may well write "来电人黄秀英
  13907316625说明…", and that reason is stored, audited and shown again to the dispatcher.

Nothing else: the caller's name, number and address never reach the database in clear.
Every way in (CLI, API, import) records outcomes and closes orders through this module, not
``kb.orders`` directly, which stores what it is given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from assistant.duplicates import Appeal, DuplicateCandidate, find_duplicates
from kb import orders as kb_orders
from kb.clock import CHINA_TZ, utcnow
from kb.orders import DispatchOutcome, WorkOrder, add_order
from kb.sealing import Sealer, get_sealer
from kb.units import get_unit


@dataclass
class CreatedOrder:
    """A stored order, the suggestions it was dispatched from, and possible duplicates."""

    order: WorkOrder
    suggestions: list = field(default_factory=list)
    duplicates: list[DuplicateCandidate] = field(default_factory=list)
    alerts: list[dict] = field(default_factory=list)


def hashes(
    sealer: Sealer,
    *,
    phone: str | None,
    id_number: str | None,
    district: str | None,
    street: str | None,
    address_detail: str | None,
) -> dict[str, str | None]:
    """Keyed hashes of the caller's phone, ID number and the full address (when known)."""
    address = None
    if address_detail:
        address = f"{district or ''}|{street or ''}|{address_detail}"
    return {
        "phone_hash": sealer.keyed_hash("phone", phone) if phone else None,
        "id_number_hash": sealer.keyed_hash("id", id_number) if id_number else None,
        "address_hash": sealer.keyed_hash("address", address) if address else None,
    }


def create_from_call(
    session,
    desk,
    text: str,
    *,
    actor: str,
    channel: str = "电话",
    accepted_at: dt.datetime | None = None,
    catalog_id: str | None = None,
) -> CreatedOrder:
    """Fill, dispatch and store one call as an open work order (text masked).

    The order goes to the first suggestion's 主办 unit unless ``catalog_id`` picks another of
    the suggested rows (the operator's choice). Possible duplicates are returned, not merged:
    并单 is the operator's decision (`hotline orders merge`).

    A call the triage transfers to 110/119/120/122 is not dispatched (unless the operator picks
    a catalog row): it is stored with no lead unit and no due date — no unit has a time limit
    on it — and closed at once with the note 已转接 N，无需派单; no duplicates are offered, since
    a closed order cannot be merged and the emergency service has the matter. kb.orders has no
    "transferred" status; the transfer is in ``meta`` and the close note. CLI and API both
    come through here, so they agree.
    """
    accepted_at = (accepted_at or utcnow()).astimezone(dt.UTC)
    accepted_on = accepted_at.astimezone(CHINA_TZ).date()
    call = desk.handle(text, accepted_on=accepted_on, session=session)
    draft = call.fill.draft
    chosen = None
    if catalog_id:
        chosen = next((s for s in call.dispatch.suggestions if s.catalog_id == catalog_id), None)
        if chosen is None:
            from kb.errors import InvalidInput

            ids = "、".join(s.catalog_id for s in call.dispatch.suggestions)
            raise InvalidInput(f"派单目录事项 {catalog_id} 不在本次建议中（{ids}）。")
    elif call.dispatch.suggestions and not draft.transfer:
        chosen = call.dispatch.suggestions[0]
    transferred = bool(draft.transfer) and chosen is None
    sealer = get_sealer()
    vault = call.fill.vault.export() if call.fill.vault else {}
    lead_unit = get_unit(session, chosen.lead.code) if chosen and chosen.lead.code else None
    region = f"{desk.catalog.directory.city}{draft.district or ''}"
    order = WorkOrder(
        accepted_at=accepted_at,
        channel=channel,
        appeal_type=draft.appeal_type,
        category_code=draft.category_code,
        region=region,
        district=draft.district,
        street=draft.street,
        title=draft.title,
        summary_masked=draft.summary,
        text_masked=call.fill.text_masked,
        urgency=draft.urgency,
        confidential=draft.confidential,
        lead_unit_id=lead_unit.id if lead_unit else None,
        co_unit_codes=[c.code for c in chosen.co if c.code] if chosen else [],
        catalog_row_id=chosen.catalog_id if chosen else None,
        due_on=None if transferred else draft.due_on,
        due_assumed=False if transferred else bool(draft.due and draft.due.warning),
        vault_sealed=sealer.seal(vault) if vault else None,
        meta={
            "transfer": draft.transfer,
            "legal_channel": draft.legal_channel,
            "missing": draft.missing,
            "jurisdiction": call.dispatch.jurisdiction.how,
        },
        **hashes(
            sealer,
            phone=draft.phone,
            id_number=draft.id_number,
            district=draft.district,
            street=draft.street,
            address_detail=draft.address_detail,
        ),
    )
    # a transferred call is closed at once: nothing to merge, so no search for repeats
    duplicates = [] if transferred else find_duplicates(session, Appeal.of_order(order))
    add_order(session, order, actor)
    if transferred:
        kb_orders.close_order(session, order, actor, note=f"已转接 {draft.transfer}，无需派单")
    return CreatedOrder(order, call.dispatch.suggestions, duplicates, draft.alerts)


def callback_data(order: WorkOrder) -> dict[str, str]:
    """The decrypted callback vault of an order (placeholder → value); empty if none."""
    if not order.vault_sealed:
        return {}
    return get_sealer().unseal(order.vault_sealed)


def mask_free_text(text: str) -> str:
    """People's free text (a 退单 reason, a note) masked for storing; empty stays empty."""
    text = (text or "").strip()
    if not text:
        return ""
    from assistant.privacy import mask_for_storage

    return mask_for_storage(text)


def record_outcome(
    session, order: WorkOrder, action: str, *, reason: str = "", **kw
) -> DispatchOutcome:
    """:func:`kb.orders.record_outcome` with the reason masked before it is stored.

    A 改派 is checked against the dispatch catalog first: the new catalog row must exist, and
    a functional department's matter (the new row's, or the order's own when none is given)
    never goes to a street office — the rule dispatch itself follows.
    """
    if action == "reassign":
        check_reassignment(order, kw.get("to_unit"), kw.get("to_catalog_row_id"))
    return kb_orders.record_outcome(session, order, action, reason=mask_free_text(reason), **kw)


def check_reassignment(order: WorkOrder, to_unit, to_catalog_row_id: str | None) -> None:
    """Refuse a 改派 to an unknown catalog row or a functional matter to a street office."""
    from assistant.dispatch.catalog import FUNCTIONAL, FUNCTIONAL_TO_STREET_BASIS, default_catalog
    from kb.errors import InvalidInput
    from kb.models import UnitLevel

    catalog = default_catalog()
    if to_catalog_row_id and to_catalog_row_id not in catalog.by_id:
        raise InvalidInput(f"派单目录中没有事项“{to_catalog_row_id}”。")
    row = catalog.by_id.get(to_catalog_row_id or order.catalog_row_id or "")
    functional = row is not None and row.matter_kind == FUNCTIONAL
    if functional and to_unit is not None and to_unit.level == UnitLevel.STREET:
        raise InvalidInput(
            f"“{row.matter}”是职能部门事项，不能改派给街道（乡镇）{to_unit.name}："
            f"{FUNCTIONAL_TO_STREET_BASIS}。"
        )


def close_order(session, order: WorkOrder, actor: str, note: str = "") -> WorkOrder:
    """:func:`kb.orders.close_order` with the note masked before it is audited."""
    return kb_orders.close_order(session, order, actor, note=mask_free_text(note))
