"""Repeated appeals (重复诉求): find the open order a new appeal should be merged into (并单).

甘政办发〔2025〕69号 (八): "同一诉求正在办理期间产生的重复诉求应并单处理"; 国办函〔2025〕66号
三(五): "重复诉求事项原则上并单处理". A candidate is an OPEN order accepted within the window
(``HOTLINE_DUPLICATE_WINDOW_DAYS``, default 30) that concerns the same matter:

* the texts are very similar (character-bigram cosine ≥ ``STRONG_TEXT``), or
* they are fairly similar (≥ ``WEAK_TEXT``) and share the caller (keyed hash of phone or ID
  number), the address (keyed hash) or the place and category (same street office, same
  level-3 category).

Similar text is required, with one exception: the same caller (phone or ID hash), the same
level-3 category, and the caller saying it is a repeat (上次反映过, 又开始, 还是没人管 …;
bare 又/还是 are too common to count) is a repeat whatever the words — people describe the
same matter differently the second time.
Otherwise the same caller with a different matter is a new appeal, not a repeat.
Comparison runs on masked text and keyed hashes only — no plaintext needed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from assistant.dispatch.learning import bigrams, cosine, matter_text
from kb.clock import as_utc, utcnow

STRONG_TEXT = 0.6
WEAK_TEXT = 0.3
# the caller says this is the same matter again (longest first: the reason quotes the cue)
AGAIN_CUES = tuple(
    sorted(
        (
            "上次反映过",
            "上次反映",
            "之前反映过",
            "之前反映",
            "以前反映过",
            "上回反映",
            "反映过",
            "投诉过",
            "举报过",
            "打过电话",
            "打过12345",
            "再次反映",
            "再次投诉",
            "又来反映",
            "第二次",
            "第三次",
            "好几次了",
            "还没解决",
            "一直没解决",
            "还是没",
            "还是这样",
            "还是老样子",
            "又来了",
            "又开始",
            "又打电话",
            "又反映",
        ),
        key=len,
        reverse=True,
    )
)


@dataclass(frozen=True)
class Appeal:
    """What is compared: masked text, keyed hashes and place/category of one appeal.

    ``text_masked`` may be a whole masked transcript: only the caller's words are compared.
    """

    text_masked: str
    phone_hash: str | None = None
    id_number_hash: str | None = None
    address_hash: str | None = None
    district: str | None = None
    street: str | None = None
    category_code: str | None = None
    accepted_at: dt.datetime | None = None

    @classmethod
    def of_order(cls, order) -> Appeal:
        """The appeal a stored work order holds (its masked text, hashes, place, category)."""
        return cls(
            order.text_masked,
            order.phone_hash,
            order.id_number_hash,
            order.address_hash,
            order.district,
            order.street,
            order.category_code,
            order.accepted_at,
        )


@dataclass
class DuplicateCandidate:
    """An open order the appeal may repeat, with the evidence."""

    order_no: str
    order_id: int
    similarity: float
    reasons: list[str] = field(default_factory=list)
    title: str = ""
    accepted_at: dt.datetime | None = None
    reason: str = ""  # the reasons in one Chinese sentence, for display

    def __post_init__(self) -> None:
        if not self.reason:
            self.reason = "；".join(self.reasons) + "，建议并单"


def appeal_of_call(filled, accepted_at: dt.datetime | None = None) -> Appeal:
    """The comparable parts of a filled call (masked text, keyed hashes, place, category)."""
    from assistant.workorders import hashes
    from kb.sealing import get_sealer

    draft = filled.draft
    keyed = hashes(
        get_sealer(),
        phone=draft.phone,
        id_number=draft.id_number,
        district=draft.district,
        street=draft.street,
        address_detail=draft.address_detail,
    )
    return Appeal(
        filled.text_masked,
        keyed["phone_hash"],
        keyed["id_number_hash"],
        keyed["address_hash"],
        draft.district,
        draft.street,
        draft.category_code,
        accepted_at,
    )


def _said_again(appeal: Appeal, order, cue: str | None) -> list[str]:
    """Reasons when the same caller says it is the same matter again (else empty)."""
    if cue is None or not appeal.category_code or appeal.category_code != order.category_code:
        return []
    same = []
    if appeal.phone_hash and appeal.phone_hash == order.phone_hash:
        same.append("同一来电号码")
    if appeal.id_number_hash and appeal.id_number_hash == order.id_number_hash:
        same.append("同一身份证号")
    if not same:
        return []
    return [f"来电人说是再次反映（“{cue}”）", *same, "同一诉求分类"]


def find_duplicates(
    session, appeal, *, window_days: int | None = None, exclude_id: int | None = None
) -> list[DuplicateCandidate]:
    """Open orders within the window that ``appeal`` repeats, most similar first.

    ``session`` may also be a :class:`kb.db.Database` (a session is opened), and ``appeal``
    a filled call (:class:`assistant.form.FillResult`) — what the live-call panel has.
    """
    from kb.orders import open_orders_since
    from kb.settings import get_settings

    if hasattr(session, "session") and not hasattr(session, "execute"):
        with session.session() as own:
            return find_duplicates(own, appeal, window_days=window_days, exclude_id=exclude_id)
    if not isinstance(appeal, Appeal):
        appeal = appeal_of_call(appeal)

    days = window_days or get_settings().duplicate_window_days
    now = as_utc(appeal.accepted_at) if appeal.accepted_at else utcnow()
    since = now - dt.timedelta(days=days)
    words = matter_text(appeal.text_masked)
    grams = bigrams(words)
    again = next((cue for cue in AGAIN_CUES if cue in words), None)
    out = []
    for order in open_orders_since(session, since):
        if order.id == exclude_id or as_utc(order.accepted_at) > now + dt.timedelta(minutes=1):
            continue
        similarity = cosine(grams, bigrams(matter_text(order.text_masked) or order.title))
        if similarity < WEAK_TEXT:
            repeat = _said_again(appeal, order, again)
            if repeat:
                out.append(
                    DuplicateCandidate(
                        order.order_no,
                        order.id,
                        round(similarity, 3),
                        repeat,
                        order.title,
                        order.accepted_at,
                    )
                )
            continue
        reasons = [f"诉求内容相似（{similarity:.2f}）"]
        if appeal.phone_hash and appeal.phone_hash == order.phone_hash:
            reasons.append("同一来电号码")
        if appeal.id_number_hash and appeal.id_number_hash == order.id_number_hash:
            reasons.append("同一身份证号")
        if appeal.address_hash and appeal.address_hash == order.address_hash:
            reasons.append("同一地址")
        if (
            appeal.street
            and appeal.street == order.street
            and appeal.district == order.district
            and appeal.category_code
            and appeal.category_code == order.category_code
        ):
            reasons.append(f"同一街道（{order.street}）同一诉求分类")
        if similarity < STRONG_TEXT and len(reasons) == 1:
            continue
        out.append(
            DuplicateCandidate(
                order.order_no,
                order.id,
                round(similarity, 3),
                reasons,
                order.title,
                order.accepted_at,
            )
        )
    return sorted(out, key=lambda c: (-len(c.reasons), -c.similarity))
