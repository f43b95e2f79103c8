"""Triage: does this call belong to 110/119/120/122, a legal channel, or need an explanation?

How a trigger phrase found in the caller's words becomes (or does not become) an alert:

1. It is dropped when it lies inside an exclusion of its rule (油烟 is not 冒烟, 跟踪处理 is
   not stalking), or when its rule needs a second concept in the same sentence (``near``: a
   fallen tree is a 122 matter only if the road is blocked) and that is absent.
2. It is dropped when it is negated. Emergencies: the negation must stand right before the
   trigger, at most with a filler between (没有着火, 不是打架, 没有人受伤, 没看到火苗) — a stray
   无 three characters earlier (无缘无故冒烟) negates nothing. Legal channels: a wider window,
   since a verb sits between (还没有申请仲裁). A question is not a denial (有没有人受伤,
   是不是着火了, 不是着火了吗).
3. Emergency rules only: dropped when a hypothetical or hazard cue precedes it in its clause
   (如果着火, 容易着火, 迟早要着火); and, when nothing near it says it is happening now, when
   a past cue is in its clause or the clause right after (上个月被打了, 投诉城管打人，上周…),
   when it is the topic of a complaint (打架的事…, 打人的问题), when it is habitual and the
   caller makes a suggestion (老有人打架，建议加装监控 — checked before the live cues, since
   天天 there is the habit), when a rule's ``chronic`` cue precedes it in its sentence (饭店天天冒黑烟 is
   an emission, not a fire), when its sentence talks about the
   aftermath (住院, 理赔, 处理完了, 后遗症) or says it is long over (好几天了没人修), or when
   the caller asks about the progress of something past (去年被打的事想问问进度). A sentence
   saying the danger is over (火已经扑灭了) drops it in any case, and so does anything the
   caller says after the trigger — later turns included — that it is not happening now or
   the emergency service is already there (不是现在，是前天的事; 交警已经到了在处理).

Everything dropped is reported as ``ignored`` with the reason, so the operator sees why the
system stayed quiet. The bias is deliberate: a missed fire is worse than a false alarm, so
every rule that drops a match is narrow and a live cue (现在, 正在, 救命 …) always wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.transcript import parse_transcript
from assistant.triage.rules import EMERGENCY, LEGAL_CHANNEL, Rule, RuleSet, default_rules

_CLAUSE_BREAK = re.compile(r"[，,。.！!？?；;、\n\s]")
_SENTENCE_BREAK = re.compile(r"[。.！!？?；;\n]")
# How far before a trigger a negation may stand: tight for emergencies (a stray 没 must not
# silence a fire), wider for legal channels where a verb sits between (没有申请仲裁).
_NEGATION_WINDOW = {EMERGENCY: 3, "default": 6}
# Words that start with a negation character but do not negate what follows.
_NOT_NEGATION = (
    "没想到",
    "没办法",
    "没人管",
    "没人理",
    "没法",
    "没注意",
    "没多久",
    "没一会",
    "无缘无故",
    "无故",
    "无论",
    "无奈",
    "无良",
    "未成年",
    "不知道",
    "不知",
)
_YES = re.compile(r"^\s*(嗯|对|是|有|没错|着了|在|好像是|好像有)")
_NO = re.compile(r"^\s*(没|不|否|无)")
_ECHO_YES = re.compile(r"^\s*([\u4e00-\u9fff]{1,3}?)了")


@dataclass(frozen=True)
class Alert:
    """One thing the operator must act on now."""

    kind: str  # emergency | legal_channel | explain
    target: str  # 119/110/120/122, or the legal channel / the kind of secret
    reason: str
    say: str  # the sentence the operator should say to the caller
    matched: tuple[str, ...]  # the caller's words that triggered it
    rule: str
    category: str | None = None  # the category code of this kind of emergency, if any


@dataclass(frozen=True)
class Ignored:
    """A trigger phrase that was found but did not raise an alert, and why."""

    rule: str
    phrase: str
    why: str


@dataclass
class TriageResult:
    """Alerts in order of urgency, plus the matches that were deliberately ignored."""

    alerts: list[Alert] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)

    @property
    def transfer(self) -> str | None:
        """The emergency line to transfer to first, if any."""
        return next((a.target for a in self.alerts if a.kind == EMERGENCY), None)

    @property
    def legal_channel(self) -> str | None:
        """The legal channel to point the caller to, if any."""
        return next((a.target for a in self.alerts if a.kind == LEGAL_CHANNEL), None)


def _span_of(text: str, pos: int, breaker: re.Pattern[str]) -> tuple[int, int]:
    start = pos
    while start > 0 and not breaker.match(text[start - 1]):
        start -= 1
    end = pos
    while end < len(text) and not breaker.match(text[end]):
        end += 1
    return start, end


def _excluded(text: str, start: int, end: int, rule: Rule) -> bool:
    for phrase in rule.exclude:
        lo = max(0, start - len(phrase) + 1)
        for hit in re.finditer(re.escape(phrase), text[lo : end + len(phrase) - 1]):
            if lo + hit.start() < end and lo + hit.end() > start:
                return True
    return False


def _negated(
    text: str, start: int, end: int, clause: tuple[int, int], rules: RuleSet, kind: str
) -> bool:
    clause_start, clause_end = clause
    if kind == EMERGENCY and "吗" in text[end:clause_end]:
        return False  # 不是着火了吗: a rhetorical question, the caller says it is burning
    width = _NEGATION_WINDOW.get(kind, _NEGATION_WINDOW["default"])
    window_start = max(clause_start, start - width)
    window = text[window_start:start]
    fillers = rules.cues("negation_filler")
    for cue in rules.cues("negation"):
        for hit in re.finditer(re.escape(cue), window):
            at = window_start + hit.start()
            if at > 0 and text[at - 1] in rules.cues("question_before_negation"):
                continue  # 有没有 / 是不是: a question, not a denial
            if any(text.startswith(word, at) for word in _NOT_NEGATION):
                continue
            if kind == EMERGENCY:
                # only right before the trigger, or with one filler between (没有人受伤)
                between = text[at + len(cue) : start]
                if between and between not in fillers:
                    continue
            return True
    return False


def _has(text: str, cues: tuple[str, ...]) -> bool:
    return any(cue in text for cue in cues)


def _live_near(text: str, start: int, rules: RuleSet, skip: tuple[str, ...] = ()) -> bool:
    """A live cue in the trigger's clause or the clause before or after it.

    ``skip``: cues that do not count here (天天 is live for stalking, but in 天天有人打架，
    希望多巡逻 it is the habit the suggestion is about)."""
    clause_start, clause_end = _span_of(text, start, _CLAUSE_BREAK)
    lo = _span_of(text, clause_start - 1, _CLAUSE_BREAK)[0] if clause_start > 0 else clause_start
    hi = _span_of(text, clause_end + 1, _CLAUSE_BREAK)[1] if clause_end < len(text) else clause_end
    window = text[lo:hi]
    for phrase in (*rules.cues("not_live"), *skip):  # 到现在都没结果: waiting, not happening
        window = window.replace(phrase, "")
    return _has(window, rules.cues("live"))


def _next_clause(text: str, clause_end: int) -> str:
    if clause_end >= len(text) or _SENTENCE_BREAK.match(text[clause_end]):
        return ""
    lo, hi = _span_of(text, clause_end + 1, _CLAUSE_BREAK)
    return text[lo:hi]


# A handled cue that names a service settles only that service's line: 救护车已经来了 after
# 着火了 still leaves the fire for 119.
_HANDLED_BY = (
    ("交警", "122"),
    ("拖走", "122"),
    ("消防", "119"),
    ("救护车", "120"),
    ("120", "120"),
    ("送医院", "120"),
    ("送到医院", "120"),
    ("110", "110"),
    ("警察", "110"),
    ("民警", "110"),
)


def _handled_line(cue: str) -> str | None:
    """The emergency line a handled cue is about (None: any — 不是现在, 是前天的事)."""
    return next((line for word, line in _HANDLED_BY if word in cue), None)


def _emergency_drop_reason(
    text: str, start: int, end: int, rule: Rule, rules: RuleSet, past_talk: bool
) -> str | None:
    clause_start, clause_end = _span_of(text, start, _CLAUSE_BREAK)
    sent_start, sent_end = _span_of(text, start, _SENTENCE_BREAK)
    before_in_clause = text[clause_start:start]
    sentence = text[sent_start:sent_end]
    if _has(before_in_clause, rules.cues("hypothetical")):
        return "假设或隐患，并非正在发生"
    if _has(text[end:sent_end], rule.resolved):
        return "来电人说险情已解除"
    # anywhere after the trigger, later turns included: 刚才撞车了 … 交警已经到了在处理
    later = text[end:]
    handled = next(
        (
            c
            for c in rules.cues("handled")
            if c in later and _handled_line(c) in (None, rule.target)
        ),
        None,
    )
    if handled:
        return f"来电人说明“{handled}”"
    # sentence-wide: 烟囱经常冒黑烟，附近都能闻到焦味 — the smell is the same chronic emission
    if _has(text[sent_start:start], rule.chronic) and not _live_near(
        text, start, rules, rule.chronic
    ):
        return "经常出现的情况（排放、油烟等投诉），不是正在发生的险情"
    habitual = rules.cues("habitual")
    if (
        _has(text[clause_start:end], habitual)  # 老打 may be inside the match
        and _has(text, rules.cues("suggestion"))
        and not _live_near(text, start, rules, habitual)
    ):
        return "经常发生的情况，来电人在提建议或反映扰民"
    if _live_near(text, start, rules):
        return None
    # the time may come after the event (投诉城管打人，上周在菜市场)
    if _has(text[clause_start:clause_end] + _next_clause(text, clause_end), rules.cues("past")):
        return "已经过去的事件"
    if any(text.startswith(cue, end) for cue in rules.cues("topic")):
        return "来电人在反映一件事（投诉或咨询），并非正在发生"
    if _has(sentence, rules.cues("aftermath")):
        return "事后咨询（住院、理赔、认定、处理结果等）"
    if _has(text[end:sent_end], rule.stale):
        return "早已发生，来电人反映的是后续处置"
    if past_talk:
        return "询问过去事件的进度或结果"
    return None


def _past_talk(text: str, rules: RuleSet) -> bool:
    """The caller talks about something past and asks for its progress or outcome."""
    return _has(text, rules.cues("progress")) and _has(text, rules.cues("past"))


def _drop_reason(
    text: str, start: int, end: int, rule: Rule, rules: RuleSet, past_talk: bool
) -> str | None:
    """Why a trigger match does not raise an alert (None: it does)."""
    clause = _span_of(text, start, _CLAUSE_BREAK)
    if rule.near is not None and not _near_in_sentence(text, start, rule):
        return rule.near_missing
    if _negated(text, start, end, clause, rules, rule.kind):
        return "来电人否定"
    if rule.kind == EMERGENCY:
        return _emergency_drop_reason(text, start, end, rule, rules, past_talk)
    return None


def _scan(text: str, rules: RuleSet, result: TriageResult, hits: dict[str, list[str]]) -> None:
    past_talk = _past_talk(text, rules)
    for rule in rules.rules:
        vetoed = next((p for p in rule.text_exclude if p in text), None)
        pos = 0
        while (match := rule.trigger.search(text, pos)) is not None:
            start, end = match.span()
            phrase = match.group(0)
            pos = end
            if vetoed:
                result.ignored.append(Ignored(rule.id, phrase, f"来电人说明“{vetoed}”"))
                continue
            clause = _span_of(text, start, _CLAUSE_BREAK)
            if _excluded(text, start, end, rule) or _has(
                text[clause[0] : clause[1]], rule.clause_exclude
            ):
                result.ignored.append(Ignored(rule.id, phrase, "属于排除说法"))
                # a long pattern match may hide a shorter valid one (烧炭…头晕…站不起来)
                pos = start + 1
                continue
            why = _drop_reason(text, start, end, rule, rules, past_talk)
            if why:
                result.ignored.append(Ignored(rule.id, phrase, why))
                continue
            bucket = hits.setdefault(rule.id, [])
            if phrase not in bucket:
                bucket.append(phrase)


def _near_in_sentence(text: str, start: int, rule: Rule) -> bool:
    sent_start, sent_end = _span_of(text, start, _SENTENCE_BREAK)
    return rule.near is not None and rule.near.search(text, sent_start, sent_end) is not None


def _says_yes(question: str, answer: str) -> bool:
    """嗯/对/是/有 …, or the question's own verb echoed with 了 (申请了, 起诉了, 报了)."""
    if _NO.match(answer):
        return False
    if _YES.match(answer):
        return True
    echo = _ECHO_YES.match(answer)
    return bool(echo and echo.group(1) in question)


def _confirmed_by_answer(question: str, answer: str, rules: RuleSet) -> dict[str, list[str]]:
    """Emergency and legal-channel triggers in an operator's question answered with yes.

    坐席：您有没有申请劳动仲裁？ 市民：申请了 … — the caller's own words never say 仲裁.
    """
    if not _says_yes(question, answer):
        return {}
    found: dict[str, list[str]] = {}
    for rule in rules.rules:
        if rule.kind not in (EMERGENCY, LEGAL_CHANNEL):
            continue
        if rule.near is not None and not rule.near.search(question + "，" + answer):
            continue
        for match in rule.trigger.finditer(question):
            if not _excluded(question, match.start(), match.end(), rule):
                found.setdefault(rule.id, []).append(match.group(0))
    return found


def triage_report(text: str, rules: RuleSet | None = None) -> TriageResult:
    """Alerts for a question or a call transcript, with the ignored matches."""
    rules = rules or default_rules()
    transcript = parse_transcript(text)
    caller_text = transcript.caller_text
    result = TriageResult()
    hits: dict[str, list[str]] = {}
    _scan(caller_text, rules, result, hits)
    for question, answer in transcript.pairs():
        for rule_id, phrases in _confirmed_by_answer(question.text, answer.text, rules).items():
            bucket = hits.setdefault(rule_id, [])
            bucket.extend(f"{p}（答“{answer.text[:6]}”）" for p in phrases if p not in bucket)
    for rule in rules.rules:
        if rule.part_of and rule.part_of in hits and rule.id in hits:
            hits[rule.part_of].extend(p for p in hits.pop(rule.id) if p not in hits[rule.part_of])
    # a long excluded match that hid a valid shorter one (烧炭…头晕…站不起来) is not news
    result.ignored = [
        i
        for n, i in enumerate(result.ignored)
        if i not in result.ignored[:n] and not any(p in i.phrase for p in hits.get(i.rule, ()))
    ]
    for rule in rules.rules:  # already in priority order
        if rule.id in hits:
            result.alerts.append(
                Alert(
                    rule.kind,
                    rule.target,
                    rule.reason,
                    rule.say,
                    tuple(hits[rule.id]),
                    rule.id,
                    rule.category,
                )
            )
    return result


def triage(text: str, rules: RuleSet | None = None) -> list[Alert]:
    """Alerts for ``text`` in order of urgency (empty when the call is ordinary)."""
    return triage_report(text, rules).alerts


def alert_dicts(text: str) -> list[dict]:
    """The alerts as plain dicts (what ``ask`` puts in its ``triage`` field)."""
    from dataclasses import asdict

    return [asdict(alert) for alert in triage(text)]


__all__ = ["Alert", "Ignored", "TriageResult", "alert_dicts", "triage", "triage_report"]
