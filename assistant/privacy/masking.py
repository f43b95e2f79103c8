"""Masking and unmasking with typed, numbered placeholders.

    >>> result = mask("我叫张伟，电话13812345678")
    >>> result.text
    '我叫〔姓名1〕，电话〔手机号1〕'
    >>> unmask(result.text, result.vault)
    '我叫张伟，电话13812345678'

Pass the same vault for every turn of one call and the same value keeps its placeholder;
values already in the vault are masked in later turns even where no recognizer would fire
again ("张伟这个名字" after "我叫张伟"). For text that is stored rather than sent
(KB-gap questions, query logs, analytics exports) use :func:`mask_for_storage`: the same
placeholders, with the vault thrown away.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from assistant.privacy.analyzer import (
    PLACEHOLDER_RE,
    Detection,
    detect,
    keep_credit_codes_setting,
)
from assistant.privacy.vault import Vault

# Models sometimes rewrite 〔〕 as 【】, [] or full-width brackets; unmask accepts all of them.
_LOOSE_PLACEHOLDER = regex.compile(
    r"[〔【\[［]\s*(姓名|手机号|身份证|银行卡|地址|车牌|邮箱|固话|证件|社交账号|信用代码)\s*(\d+)\s*[〕】\]］]"
)
# Values shorter than this are not searched for again in later text (a lone surname "刘"
# would mask every 刘 in the conversation).
_MIN_PROPAGATED = 2
# A value found again right before an administrative level is a place name, whatever it
# was taken for earlier ("我叫安宁" … "安宁区那边"): it is never replaced there.
_PLACE_AFTER = regex.compile(r"[区县市镇乡村省州旗]|街道|社区")


@dataclass(frozen=True)
class MaskedEntity:
    """Where one placeholder went: type, original span, score and the placeholder."""

    entity_type: str
    start: int
    end: int
    score: float
    placeholder: str

    def to_dict(self) -> dict:
        """JSON-friendly form — without the value."""
        return {
            "type": self.entity_type,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 2),
            "placeholder": self.placeholder,
        }


@dataclass(frozen=True)
class MaskResult:
    """The masked text, the vault that can restore it, and what was masked where."""

    text: str
    vault: Vault
    entities: tuple[MaskedEntity, ...]


def _known_values(text: str, vault: Vault, found: list[Detection]) -> list[Detection]:
    """Other occurrences of values already detected or already in the vault."""
    from assistant.privacy.entities import PERSON, PLACEHOLDER_LABELS
    from assistant.privacy.must_keep import keep_spans

    label_to_entity = {}
    for entity, label in PLACEHOLDER_LABELS.items():
        label_to_entity.setdefault(label, entity)
    wanted: dict[str, str] = {}
    for det in found:
        wanted.setdefault(text[det.start : det.end], det.entity_type)
    for label, value in vault.values():
        wanted.setdefault(value, label_to_entity.get(label, label))
    if not wanted:
        return []
    taken = [(d.start, d.end) for d in found]
    taken += [m.span() for m in PLACEHOLDER_RE.finditer(text)]
    # Never inside a must-keep look-alike (a date, a work-order number, a 文号 …).
    taken += [(s, e) for s, e, _ in keep_spans(text, keep_credit_codes_setting())]
    extra: list[Detection] = []
    for value, entity in sorted(wanted.items(), key=lambda kv: -len(kv[0])):
        if len(value) < _MIN_PROPAGATED:
            continue
        start = text.find(value)
        while start >= 0:
            end = start + len(value)
            place = entity == PERSON and _PLACE_AFTER.match(text, end) is not None
            if not place and not any(start < t_end and t_start < end for t_start, t_end in taken):
                extra.append(Detection(entity, start, end, 1.0))
                taken.append((start, end))
            start = text.find(value, end)
    return extra


def mask(text: str, vault: Vault | None = None) -> MaskResult:
    """Replace every piece of personal data in ``text`` with its placeholder."""
    from assistant.privacy.entities import placeholder_label

    vault = vault if vault is not None else Vault()
    for existing in _LOOSE_PLACEHOLDER.finditer(text):
        if vault.value_of(f"〔{existing.group(1)}{existing.group(2)}〕") is None:
            vault.reserve(existing.group(1), int(existing.group(2)))
    found = detect(text)
    found = sorted(found + _known_values(text, vault, found), key=lambda d: d.start)
    pieces: list[str] = []
    entities: list[MaskedEntity] = []
    cursor = 0
    for det in found:
        placeholder = vault.placeholder_for(
            placeholder_label(det.entity_type), text[det.start : det.end]
        )
        pieces.append(text[cursor : det.start])
        pieces.append(placeholder)
        entities.append(MaskedEntity(det.entity_type, det.start, det.end, det.score, placeholder))
        cursor = det.end
    pieces.append(text[cursor:])
    return MaskResult("".join(pieces), vault, tuple(entities))


def unmask(text: str, vault: Vault) -> str:
    """Put the original values back for every placeholder ``vault`` issued.

    Placeholders the vault does not know are left as they are.
    """

    def restore(match: regex.Match[str]) -> str:
        value = vault.value_of(f"〔{match.group(1)}{match.group(2)}〕")
        return match.group(0) if value is None else value

    return _LOOSE_PLACEHOLDER.sub(restore, text)


def mask_for_storage(text: str) -> str:
    """``text`` masked for storing (query logs, KB-gap questions, exports); not reversible."""
    return mask(text).text


def scan(text: str) -> list[Detection]:
    """What personal data ``text`` still contains (placeholders are not counted)."""
    return detect(text)


def contains_pii(text: str) -> bool:
    """True when ``text`` contains personal data — the re-scan before anything leaves."""
    return bool(detect(text))
