"""Title (≤ 20 characters) and summary of a work order, without and with a language model.

Without a model: the title is built from what was recognised — place, category and appeal
type ("湖滨街道建筑施工噪声投诉"), or for an emergency the kind of alert; the summary is the
caller's own words, masked (placeholders instead of names and numbers), with fillers and
the operator's lines removed. With a model configured (``HOTLINE_LLM_URL``) both MAY be
rewritten, and only through the privacy gateway: the model only ever sees masked text, and
its answer is kept as written (still masked) — work orders store masked text.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger("hotline.form")

TITLE_MAX = 20
SUMMARY_MAX = 300
_SUFFIX = {
    "咨询": "咨询",
    "求助": "求助",
    "投诉": "投诉",
    "举报": "举报",
    "意见建议": "建议",
    "表扬": "表扬",
}
_FILLERS = re.compile(r"嗯+|啊+|呃+|喂+|那个|就是说|就是|这个这个|然后呢|叫什么|你好|您好|12345吗?")
# a clause that is only about how to reach the caller (电话就是这个): its own field has it
_CONTACT_CLAUSE = re.compile(r"^\s*(我的)?(电话|手机|联系电话|手机号)")
_SPACES = re.compile(r"\s+")
_ALERT_TITLES = {
    "fire": "火情",
    "smoke": "冒烟疑似火情",
    "gas_leak": "疑似燃气泄漏",
    "trapped": "人员被困",
    "traffic_accident": "交通事故",
    "violence": "人身安全警情",
    "missing_person": "人员走失",
    "self_harm": "疑似轻生",
    "medical": "急病或受伤",
    "gas_smell": "疑似燃气泄漏",
    "burning_smell": "焦糊味疑似火情",
    "road_blocked": "道路阻断",
    "lift_trapped": "电梯困人",
    "similar_call": "疑似紧急情况",  # the similarity backstop: the operator confirms
}


def make_title(
    *,
    place: str | None,
    category_name: str | None,
    appeal_type: str,
    alert_rule: str | None,
    caller_text_masked: str,
) -> str:
    """A title of at most 20 characters from the recognised fields."""
    suffix = _SUFFIX.get(appeal_type, "")
    if alert_rule in _ALERT_TITLES:
        core = f"{_ALERT_TITLES[alert_rule]}（转接）"
        suffix = ""
    elif category_name:
        core = category_name
    else:
        first = clean_words(caller_text_masked)
        core = re.split(r"[，,。！!？?；;]", first, maxsplit=1)[0][:12] if first else "来电"
    title = f"{place or ''}{core}{suffix}"
    if len(title) > TITLE_MAX and place:
        title = f"{core}{suffix}"
    return title[:TITLE_MAX]


# clauses that only say who the caller is: those details have their own fields (a number
# said to be someone else's is part of the matter and stays, masked). A name is
# the caller's introduction only with a self cue (我叫〔姓名1〕) or when the clause is little
# more than the name (姓〔姓名1〕); 举报窗口的〔姓名1〕 is the matter and stays (masked).
_IDENTITY_CLAUSE = re.compile(r"〔(手机号|身份证|固话|证件|社交账号)\d+〕")
_NAME = re.compile(r"〔姓名\d+〕")
_SELF_NAME = re.compile(r"(我叫|我姓|我是|本人|名字|免贵|叫我|姓)")
_CLAUSES = re.compile(r"[^，,。！!？?；;\n]+[，,。！!？?；;]?")


def _identity_clause(clause: str) -> bool:
    """A clause giving the caller's own number; a third party's (物业电话〔手机号1〕) stays."""
    from assistant.form.caller import names_third_party

    hit = _IDENTITY_CLAUSE.search(clause)
    return hit is not None and not names_third_party(clause[: hit.start()])


def _name_clause(clause: str) -> bool:
    if not _NAME.search(clause):
        return False
    rest = _NAME.sub("", clause).strip("，,。！!？?；; ")
    return bool(_SELF_NAME.search(rest)) or len(rest) <= 2


def clean_words(text: str) -> str:
    """Caller's words without fillers, identity clauses and repeated spaces, turns joined."""
    text = _FILLERS.sub("", text)
    kept = []
    for clause in _CLAUSES.findall(_SPACES.sub("，", text.strip())):
        if (
            _identity_clause(clause)
            or _name_clause(clause)
            or _CONTACT_CLAUSE.match(clause)
            or not clause.strip("，,。！!？?；; ")
        ):
            continue
        kept.append(clause)
    joined = "".join(kept).strip("，,")
    return re.sub(r"([。！？!?；;])[，,]+", r"\1", joined)


def make_summary(
    *, caller_text_masked: str, place: str | None, appeal_type: str, detail: str | None
) -> str:
    """来电人反映（地点）：caller's masked words. 诉求类型：…"""
    words = clean_words(caller_text_masked)
    if len(words) > SUMMARY_MAX:
        words = words[: SUMMARY_MAX - 1] + "…"
    where = "".join(p for p in (place, detail) if p)
    head = f"来电人反映（{where}）：" if where else "来电人反映："
    return f"{head}{words}（诉求类型：{appeal_type}）"


def improve_with_llm(title: str, summary: str, caller_text_masked: str) -> tuple[str, str] | None:
    """A model-written title and summary via the privacy gateway, or None when unavailable.

    The input is already masked; the gateway masks and re-scans again before sending. The
    reply is used as the model wrote it (masked), never unmasked into the order.
    """
    from assistant.privacy.gateway import chat
    from kb.errors import HotlineError

    prompt = (
        "你是12345热线的工单录入员。根据来电人的话，写一个不超过20个字的工单标题和一段不超过150字的"
        "诉求摘要。保留〔〕里的占位符原样，不要编造任何姓名、号码或地址。"
        "只输出两行：第一行“标题：…”，第二行“摘要：…”。\n\n"
        f"来电内容：{caller_text_masked}\n参考标题：{title}\n参考摘要：{summary}"
    )
    try:
        reply = chat([{"role": "user", "content": prompt}], temperature=0.1, max_tokens=300)
    except HotlineError as exc:
        log.warning("llm title/summary skipped: %s", exc.message)
        return None
    text = reply.masked_text
    new_title = re.search(r"标题[:：]\s*(.+)", text)
    new_summary = re.search(r"摘要[:：]\s*(.+)", text, re.S)
    if not new_title or not new_summary:
        return None
    return new_title.group(1).strip()[:TITLE_MAX], new_summary.group(1).strip()[:SUMMARY_MAX]
