"""Who is calling: the caller's own name, phone and ID number.

The personal data itself is found by the privacy layer's recognizers
(:func:`assistant.privacy.analyzer.detect` — names, mobiles incl. spoken digits, ID numbers
with checksum); this module only decides which of the detections are *the caller's*:

* only detections inside the caller's turns count — an operator's "请问您贵姓？" or
  "蒋先生，请问…" never yields a name by itself;
* a name is the caller's when the caller introduces themself (我叫, 我姓, 我是…的居民, 本人),
  when it opens the caller's answer to a question about their name, or when it repeats the
  surname the caller already gave (我姓黄，黄秀英). Names of other people (他叫…, 村支书…)
  are left out, and so is a name followed by 的 (我是张先生的女儿, 我是李明的家属: the
  caller names the person they are related to, not themself);
* a bare surname (我姓蒋) is kept as the surname; when the operator then addresses the caller
  as 蒋先生/蒋女士, that form is used — the surname is still the caller's word;
* phone and ID numbers preceded by a third party (物业电话, 老板的手机, 车主电话, 他的身份证)
  are never the caller's — not even as a fallback when no other number was said; they stay,
  masked, in the summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.privacy.digits import digit_view
from assistant.transcript import CALLER, OPERATOR, Transcript, Turn

PERSON, MOBILE, LANDLINE, ID_CARD, ADDRESS = (
    "PERSON",
    "CN_MOBILE",
    "CN_LANDLINE",
    "CN_ID_CARD",
    "CN_ADDRESS",
)
_CLAUSE = re.compile(r"[，,。！!？?；;\n]|\s{1,}")
_SELF_CUE = re.compile(
    r"(我叫|我是|本人|我姓|免贵姓|免贵|我的名字|名字叫|名字是|叫我|我这边是|我们家是|我家是)"
    r"[^，,。！!？?；;]{0,14}$"
)
_SURNAME_CUE = re.compile(r"(我|本人|免贵)?姓$")
_NAME_QUESTION = re.compile(r"(贵姓|称呼|姓名|名字|您是哪位|怎么叫)")
_THIRD_PARTY = re.compile(
    r"(物业|房东|老板|对方|他的|她的|他们的|公司|商家|店家|司机|邻居|中介|老师|医生|村支书|"
    r"包工头|开发商|工地|师傅|车主|店主|摊主|老板娘|经理|负责人|前夫|前妻|男友|女友|男朋友|"
    r"女朋友|快递员|外卖员|保安|网格员|工作人员|厂家|客服|租客|他家|她家|那家|那个人|对象)"
    r"[^，,。！!？?；;]{0,8}$"
)
# "X的电话是…" where X is not the caller (我的 / 我家的 / 本人的 are the caller's own)
_SOMEONES = re.compile(
    r"(?<![我家人])的(电话|手机|手机号|号码|联系方式|座机|身份证|身份证号)[^，,。！!？?；;]{0,3}$"
)
_HONORIFIC = ("先生", "女士")


@dataclass(frozen=True)
class Found:
    """One detection with its turn."""

    entity_type: str
    start: int
    end: int
    value: str
    turn: Turn


def in_turns(transcript: Transcript, text: str, detections: list) -> list[Found]:
    """Detections placed in the turn that contains them."""
    out = []
    for det in detections:
        for turn in transcript.turns:
            if turn.start <= det.start and det.end <= turn.start + len(turn.text):
                out.append(
                    Found(det.entity_type, det.start, det.end, text[det.start : det.end], turn)
                )
                break
    return out


def _clause_before(found: Found) -> str:
    local = found.start - found.turn.start
    before = found.turn.text[:local]
    cut = max((m.end() for m in _CLAUSE.finditer(before)), default=0)
    return before[cut:]


def _previous_operator(transcript: Transcript, turn: Turn) -> Turn | None:
    previous = None
    for t in transcript.turns:
        if t is turn or t == turn:
            return previous
        if t.speaker == OPERATOR:
            previous = t
        elif t.speaker == CALLER:
            previous = None
    return None


def _related_to(found: Found) -> bool:
    after = found.turn.text[found.end - found.turn.start :]
    return after.startswith("的")


def caller_name(transcript: Transcript, found: list[Found]) -> str | None:
    """The caller's own name as they gave it (or 蒋先生 when only the surname was said)."""
    names: list[str] = []
    surnames: list[str] = []
    for item in found:
        if item.entity_type != PERSON or item.turn.speaker != CALLER:
            continue
        before = _clause_before(item)
        value = item.value
        if _SURNAME_CUE.search(before):
            surnames.append(value)
            continue
        if _related_to(item):
            continue  # 我是张先生的女儿: the caller names someone they are related to
        opens_answer = not before.strip() and item.start - item.turn.start <= 2
        asked = _previous_operator(transcript, item.turn)
        if (
            _SELF_CUE.search(before)
            or (opens_answer and asked is not None and _NAME_QUESTION.search(asked.text))
            or (not before.strip() and any(value.startswith(s) for s in surnames))
        ):
            names.append(value)
    if names:
        full = [n for n in names if not n.endswith(_HONORIFIC)]
        return max(full or names, key=len)
    if not surnames:
        return None
    surname = surnames[0]
    for turn in transcript.turns:
        if turn.speaker == OPERATOR:
            for honorific in _HONORIFIC:
                if f"{surname}{honorific}" in turn.text:
                    return f"{surname}{honorific}"
    return surname


def _digits(value: str) -> str:
    return re.sub(r"[^0-9Xx]", "", digit_view(value)).upper()


def names_third_party(before: str) -> bool:
    """Whether the words right before a number say it is someone else's (物业电话是…)."""
    return bool(_THIRD_PARTY.search(before) or _SOMEONES.search(before))


def _third_party(found: Found) -> bool:
    return names_third_party(_clause_before(found))


def _own_number(found: list[Found], types: tuple[str, ...]) -> str | None:
    own = [
        f
        for f in found
        if f.entity_type in types and f.turn.speaker == CALLER and not _third_party(f)
    ]
    return _digits(own[0].value) if own else None


def caller_phone(found: list[Found]) -> str | None:
    """The caller's mobile (or, failing that, landline) as digits."""
    return _own_number(found, (MOBILE,)) or _own_number(found, (LANDLINE,))


def caller_id_number(found: list[Found]) -> str | None:
    """The caller's ID number as 18 (or 15) characters."""
    return _own_number(found, (ID_CARD,))
