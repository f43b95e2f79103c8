"""Triage rules as data: loading and validating ``rules.yaml``.

The rules live in YAML so that a hotline centre can add a phrase without touching code; they
are validated once when loaded (unknown kind, bad regex, missing sentence → a clear error).

Concepts rather than fixed phrases: ``lexicons`` are named word lists (things that burn,
weapons, people, road words …) that a pattern uses as ``<name>``, so "an object + 着了" or
"拿着 + a weapon" is written once and covers every object or weapon in the list. ``<~N>`` is
a gap of up to N characters inside one clause that never crosses a negation or hypothetical
cue, so the engine still sees the cue right before the event word. A rule's
``near`` patterns must also match in the trigger's sentence (commas allowed): a fallen tree
is a 122 matter only when the sentence also says the road is blocked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from kb.errors import InvalidInput

RULES_PATH = Path(__file__).resolve().parent / "rules.yaml"

EMERGENCY = "emergency"
LEGAL_CHANNEL = "legal_channel"
EXPLAIN = "explain"
KINDS = (EMERGENCY, LEGAL_CHANNEL, EXPLAIN)
EMERGENCY_TARGETS = ("110", "119", "120", "122")
CONTEXT_KEYS = (
    "negation",
    "question_before_negation",
    "hypothetical",
    "past",
    "live",
    "not_live",
    "aftermath",
    "progress",
    "negation_filler",
    "topic",
    "habitual",
    "suggestion",
    "handled",
)
# ``<name>`` but not a regex's own ``(?<=…``, ``(?<!…`` or ``(?P<name>…``
_LEXICON_REF = re.compile(r"(?<!\(\?)(?<!\(\?P)<([a-z_]+|~\d{1,2})>")
# What a gap ``<~N>`` may not cross besides clause breaks: a gap must not swallow the cue
# that changes a trigger's meaning (电动车在楼道充电容易着火 is a hazard, 电动车没有着火 a denial)
_GAP_STOP_KEYS = ("negation", "hypothetical")


@dataclass(frozen=True)
class Rule:
    """One triage rule: what triggers it and what the operator should do."""

    id: str
    kind: str
    target: str
    priority: int
    reason: str
    say: str
    trigger: re.Pattern[str]
    exclude: tuple[str, ...] = ()
    clause_exclude: tuple[str, ...] = ()
    text_exclude: tuple[str, ...] = ()
    resolved: tuple[str, ...] = ()
    chronic: tuple[str, ...] = ()  # before it in its clause: a recurring nuisance (天天冒黑烟)
    stale: tuple[str, ...] = ()  # in the sentence: the event is long over (好几天了没人修)
    near: re.Pattern[str] | None = None  # must also match in the trigger's sentence
    near_missing: str = ""  # why a trigger without its ``near`` concept is ignored
    part_of: str | None = None  # when that rule also alerts, this one's matches join it
    category: str | None = None  # level-3 category code of this kind of emergency, if any


@dataclass(frozen=True)
class RuleSet:
    """Every rule plus the shared context cue lists."""

    rules: tuple[Rule, ...]
    context: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def cues(self, name: str) -> tuple[str, ...]:
        """The cue phrases of one context list (empty if absent)."""
        return self.context.get(name, ())


def _strings(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise InvalidInput(f"分流规则 {where} 应为字符串列表。")
    return tuple(str(v) for v in value if str(v).strip())


def _lexicons(raw: object) -> dict[str, str]:
    """Each named word list as a regex alternation, longest words first."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InvalidInput("分流规则 lexicons 应为“名称: 词语列表”。")
    out = {}
    for name, words in raw.items():
        if not re.fullmatch(r"[a-z_]+", str(name)):
            raise InvalidInput(f"分流规则词表名“{name}”只能用小写英文字母和下划线。")
        listed = _strings(words, f"lexicons.{name}")
        if not listed:
            raise InvalidInput(f"分流规则词表 {name} 是空的。")
        out[str(name)] = "(?:" + "|".join(re.escape(w) for w in sorted(listed, key=len)[::-1]) + ")"
    return out


def _gap(context: dict[str, tuple[str, ...]]) -> str:
    """Regex for one character of a gap: not a clause break, not the start of a cue."""
    cues = sorted({c for key in _GAP_STOP_KEYS for c in context.get(key, ())}, key=len)[::-1]
    stop = "|".join(re.escape(c) for c in cues)
    return f"(?:(?!{stop})[^，,。.！!？?；;、\\s])" if stop else r"[^，,。.！!？?；;、\s]"


def _expand(rule_id: str, pattern: str, lexicons: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("~"):
            return f"{lexicons['~gap']}{{0,{int(name[1:])}}}"
        if name not in lexicons:
            raise InvalidInput(f"分流规则 {rule_id} 的正则引用了不存在的词表 <{name}>。")
        return lexicons[name]

    expanded = _LEXICON_REF.sub(one, pattern)
    if re.search(r"(?<!\(\?)(?<!\(\?P)<[a-z_~][a-z_0-9]*>", expanded):
        raise InvalidInput(f"分流规则 {rule_id} 的正则“{pattern}”中有无法识别的 <…> 引用。")
    try:
        re.compile(expanded)
    except re.error as exc:
        raise InvalidInput(f"分流规则 {rule_id} 的正则“{pattern}”无效：{exc}") from exc
    return expanded


def _trigger(
    rule_id: str,
    phrases: tuple[str, ...],
    patterns: tuple[str, ...],
    lexicons: dict[str, str],
) -> re.Pattern:
    # Longest phrases first so that 煤气泄漏 wins over 漏气 at the same position.
    parts = [re.escape(p) for p in sorted(phrases, key=len, reverse=True)]
    parts.extend(f"(?:{_expand(rule_id, pattern, lexicons)})" for pattern in patterns)
    if not parts:
        raise InvalidInput(f"分流规则 {rule_id} 没有任何触发短语（phrases 或 patterns）。")
    return re.compile("|".join(parts))


def _near(rule_id: str, value: object, lexicons: dict[str, str]) -> re.Pattern | None:
    patterns = _strings(value, f"{rule_id}.near")
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{_expand(rule_id, p, lexicons)})" for p in patterns))


def _category(rule_id: str, value: object) -> str | None:
    if value is None:
        return None
    code = str(value).strip()
    if len(code) != 6 or not code.isdigit():
        raise InvalidInput(f"分流规则 {rule_id} 的 category 应为 6 位三级分类编码。")
    return code


def parse_rules(raw: dict) -> RuleSet:
    """A validated :class:`RuleSet` from the parsed YAML document."""
    if not isinstance(raw, dict) or not isinstance(raw.get("rules"), list):
        raise InvalidInput("分流规则文件应包含 rules 列表。")
    context_raw = raw.get("context") or {}
    unknown = set(context_raw) - set(CONTEXT_KEYS)
    if unknown:
        raise InvalidInput(f"分流规则 context 中有未知项：{'、'.join(sorted(unknown))}。")
    context = {key: _strings(context_raw.get(key), f"context.{key}") for key in CONTEXT_KEYS}
    lexicons = _lexicons(raw.get("lexicons"))
    lexicons["~gap"] = _gap(context)
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, item in enumerate(raw["rules"], start=1):
        if not isinstance(item, dict):
            raise InvalidInput(f"分流规则第 {i} 条格式错误。")
        rule_id = str(item.get("id") or "").strip()
        if not rule_id or rule_id in seen:
            raise InvalidInput(f"分流规则第 {i} 条缺少 id 或 id 重复：“{rule_id}”。")
        seen.add(rule_id)
        kind = item.get("kind")
        if kind not in KINDS:
            raise InvalidInput(f"分流规则 {rule_id} 的 kind 应为 {'、'.join(KINDS)} 之一。")
        target = str(item.get("target") or "").strip()
        if kind == EMERGENCY and target not in EMERGENCY_TARGETS:
            raise InvalidInput(
                f"分流规则 {rule_id} 是紧急事项，target 应为 {'、'.join(EMERGENCY_TARGETS)} 之一。"
            )
        for key in ("reason", "say"):
            if not str(item.get(key) or "").strip():
                raise InvalidInput(f"分流规则 {rule_id} 缺少 {key}。")
        near = _near(rule_id, item.get("near"), lexicons)
        near_missing = str(item.get("near_missing") or "").strip()
        if near is not None and not near_missing:
            raise InvalidInput(
                f"分流规则 {rule_id} 有 near 时须写明 near_missing（缺少时的原因）。"
            )
        rules.append(
            Rule(
                id=rule_id,
                kind=kind,
                target=target,
                priority=int(item.get("priority", 100)),
                reason=str(item["reason"]).strip(),
                say=str(item["say"]).strip(),
                trigger=_trigger(
                    rule_id,
                    _strings(item.get("phrases"), f"{rule_id}.phrases"),
                    _strings(item.get("patterns"), f"{rule_id}.patterns"),
                    lexicons,
                ),
                exclude=_strings(item.get("exclude"), f"{rule_id}.exclude"),
                clause_exclude=_strings(item.get("clause_exclude"), f"{rule_id}.clause_exclude"),
                text_exclude=_strings(item.get("text_exclude"), f"{rule_id}.text_exclude"),
                resolved=_strings(item.get("resolved"), f"{rule_id}.resolved"),
                stale=_strings(item.get("stale"), f"{rule_id}.stale"),
                chronic=_strings(item.get("chronic"), f"{rule_id}.chronic"),
                near=near,
                near_missing=near_missing,
                part_of=str(item["part_of"]).strip() if item.get("part_of") else None,
                category=_category(rule_id, item.get("category")),
            )
        )
    for rule in rules:
        if rule.part_of is not None and rule.part_of not in seen:
            raise InvalidInput(f"分流规则 {rule.id} 的 part_of 指向不存在的规则“{rule.part_of}”。")
    return RuleSet(tuple(sorted(rules, key=lambda r: r.priority)), context)


def load_rules(path: Path | None = None) -> RuleSet:
    """Rules from ``path`` (default: the shipped ``rules.yaml``)."""
    path = path or RULES_PATH
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"找不到分流规则文件 {path}。") from None
    except yaml.YAMLError as exc:
        raise InvalidInput(f"分流规则文件 {path} 不是有效的 YAML：{exc}") from exc
    return parse_rules(raw)


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The shipped rules, loaded once per process."""
    return load_rules()
