"""Triage: does this call belong to 110/119/120/122, a legal channel, or need an explanation?

How a trigger phrase found in the caller's words becomes (or does not become) an alert:

1. It is dropped when it lies inside an exclusion of its rule (油烟 is not 冒烟, 跟踪处理 is
   not stalking).
2. It is dropped when a negation stands right before it in the same clause (没有着火, 不是打架),
   unless the negation is part of a question (有没有人受伤, 是不是着火了 — doubt means alarm).
3. Emergency rules only: dropped when a hypothetical or hazard cue precedes it in its clause
   (如果着火, 容易着火, 火灾隐患), when a past cue precedes it in its clause and nothing in its
   sentence says it is happening now (上个月被打了), when its sentence says the danger is over
   (火已经扑灭了), or when the caller asks about the progress of something past and nothing
   near a trigger says it is live (去年被打的事想问问进度).

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
_NOT_NEGATION = ("没想到", "没办法", "没人管", "没人理", "没法", "没注意", "没多久", "没一会")
_YES = re.compile(r"^\s*(嗯|对|是|有|没错|着了|在|好像是|好像有)")
_NO = re.compile(r"^\s*(没|不|否|无)")


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


def _negated(text: str, start: int, clause_start: int, rules: RuleSet, kind: str) -> bool:
    width = _NEGATION_WINDOW.get(kind, _NEGATION_WINDOW["default"])
    window_start = max(clause_start, start - width)
    window = text[window_start:start]
    for cue in rules.cues("negation"):
        for hit in re.finditer(re.escape(cue), window):
            at = window_start + hit.start()
            if at > 0 and text[at - 1] in rules.cues("question_before_negation"):
                continue  # 有没有 / 是不是: a question, not a denial
            if any(text.startswith(word, at) for word in _NOT_NEGATION):
                continue
            return True
    return False


def _has(text: str, cues: tuple[str, ...]) -> bool:
    return any(cue in text for cue in cues)


def _live_near(text: str, start: int, rules: RuleSet) -> bool:
    """A live cue in the trigger's clause or the clause before or after it."""
    clause_start, clause_end = _span_of(text, start, _CLAUSE_BREAK)
    lo = _span_of(text, clause_start - 1, _CLAUSE_BREAK)[0] if clause_start > 0 else clause_start
    hi = _span_of(text, clause_end + 1, _CLAUSE_BREAK)[1] if clause_end < len(text) else clause_end
    window = text[lo:hi]
    for phrase in rules.cues("not_live"):  # 到现在都没结果: waiting, not happening
        window = window.replace(phrase, "")
    return _has(window, rules.cues("live"))


def _emergency_drop_reason(
    text: str, start: int, end: int, rule: Rule, rules: RuleSet, past_talk: bool
) -> str | None:
    clause_start, _ = _span_of(text, start, _CLAUSE_BREAK)
    sent_start, sent_end = _span_of(text, start, _SENTENCE_BREAK)
    before_in_clause = text[clause_start:start]
    if _has(before_in_clause, rules.cues("hypothetical")):
        return "假设或隐患，并非正在发生"
    if _has(text[end:sent_end], rule.resolved):
        return "来电人说险情已解除"
    live = _live_near(text, start, rules)
    if not live and _has(before_in_clause, rules.cues("past")):
        return "已经过去的事件"
    if not live and _has(text[sent_start:sent_end], rules.cues("aftermath")):
        return "事后咨询（住院、理赔、认定等）"
    if not live and past_talk:
        return "询问过去事件的进度或结果"
    return None


def _past_talk(text: str, rules: RuleSet) -> bool:
    """The caller talks about something past and asks for its progress or outcome."""
    return _has(text, rules.cues("progress")) and _has(text, rules.cues("past"))


def _scan(text: str, rules: RuleSet, result: TriageResult, hits: dict[str, list[str]]) -> None:
    past_talk = _past_talk(text, rules)
    for rule in rules.rules:
        vetoed = next((p for p in rule.text_exclude if p in text), None)
        for match in rule.trigger.finditer(text):
            if vetoed:
                result.ignored.append(Ignored(rule.id, match.group(0), f"来电人说明“{vetoed}”"))
                continue
            start, end = match.span()
            phrase = match.group(0)
            if _excluded(text, start, end, rule):
                result.ignored.append(Ignored(rule.id, phrase, "属于排除说法"))
                continue
            clause_start, clause_end = _span_of(text, start, _CLAUSE_BREAK)
            if _has(text[clause_start:clause_end], rule.clause_exclude):
                result.ignored.append(Ignored(rule.id, phrase, "属于排除说法"))
                continue
            if _negated(text, start, clause_start, rules, rule.kind):
                result.ignored.append(Ignored(rule.id, phrase, "来电人否定"))
                continue
            if rule.kind == EMERGENCY:
                why = _emergency_drop_reason(text, start, end, rule, rules, past_talk)
                if why:
                    result.ignored.append(Ignored(rule.id, phrase, why))
                    continue
            bucket = hits.setdefault(rule.id, [])
            if phrase not in bucket:
                bucket.append(phrase)


def _confirmed_by_answer(question: str, answer: str, rules: RuleSet) -> dict[str, list[str]]:
    """Emergency triggers in an operator's question that the caller answered with yes."""
    if not _YES.match(answer) or _NO.match(answer):
        return {}
    found: dict[str, list[str]] = {}
    for rule in rules.rules:
        if rule.kind != EMERGENCY:
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
