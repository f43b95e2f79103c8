"""Differences between two versions: changed fields, and the body clause by clause."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kb.content import VersionContent

FIELD_ZH = {
    "title": "标题",
    "questions": "相似问法",
    "basis_title": "依据文件",
    "doc_no": "文号",
    "basis_clause": "依据条款",
    "issuer": "发文单位",
    "published_on": "发布日期",
    "category": "分类",
    "keywords": "关键词",
    "effective_from": "生效日期",
    "expires_on": "失效日期",
}


# a sentence or clause: up to 。；！？ (closing quotes and brackets stay with it), or to the
# end of the line. Kept apart from ingest's clause splitter: kb depends on nothing above it.
_CLAUSE = re.compile(r"[^。；！？\n]*(?:[。；！？]+[”’」』）)\]》]*|$)")


def split_lines(body: str) -> list[str]:
    """Non-empty lines of a body (paragraphs)."""
    return [line.strip() for line in body.splitlines() if line.strip()]


def split_clauses(body: str) -> list[str]:
    """Default unit of a body diff: sentences and clauses, then lines.

    "第一条……。第二条……。" on one line diffs per clause: a changed sentence shows as one
    change, not as its whole paragraph.
    """
    out: list[str] = []
    for line in split_lines(body):
        out.extend(part.strip() for part in _CLAUSE.findall(line) if part.strip())
    return out


@dataclass
class BodyOp:
    """One block of the body diff."""

    op: str  # equal | insert | delete | replace
    old: list[str]
    new: list[str]


@dataclass
class VersionDiff:
    """Everything that differs between version ``a`` and version ``b``."""

    a: int
    b: int
    fields: list[tuple[str, object, object]] = field(default_factory=list)
    body: list[BodyOp] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when anything differs."""
        return bool(self.fields) or any(op.op != "equal" for op in self.body)

    def counts(self) -> dict[str, int]:
        """Clauses added, removed and changed."""
        out = {"added": 0, "removed": 0, "changed": 0}
        for op in self.body:
            if op.op == "insert":
                out["added"] += len(op.new)
            elif op.op == "delete":
                out["removed"] += len(op.old)
            elif op.op == "replace":
                out["changed"] += max(len(op.old), len(op.new))
        return out

    def to_dict(self) -> dict:
        """JSON form."""
        return {
            "from_version": self.a,
            "to_version": self.b,
            "fields": [
                {"field": name, "label": FIELD_ZH.get(name, name), "old": old, "new": new}
                for name, old, new in self.fields
            ],
            "body": [
                {"op": op.op, "old": op.old, "new": op.new} for op in self.body if op.op != "equal"
            ],
            "counts": self.counts(),
        }

    def to_text(self, context: int = 1) -> str:
        """Readable in a terminal: changed fields, then -/+ clauses with some context."""
        lines = [f"第 {self.a} 版 → 第 {self.b} 版"]
        for name, old, new in self.fields:
            lines.append(f"  {FIELD_ZH.get(name, name)}：{_show(old)} → {_show(new)}")
        for op in self.body:
            if op.op == "equal":
                keep = (
                    op.old
                    if len(op.old) <= 2 * context
                    else ([*op.old[:context], "…", *op.old[-context:]] if context else ["…"])
                )
                lines.extend(f"  {line}" for line in keep)
            else:
                lines.extend(f"- {line}" for line in op.old)
                lines.extend(f"+ {line}" for line in op.new)
        if not self.changed:
            lines.append("  （内容相同）")
        return "\n".join(lines)


def _show(value: object) -> str:
    if value is None or value == [] or value == "":
        return "（空）"
    if isinstance(value, list):
        return "｜".join(str(v) for v in value)
    return str(value)


def diff_contents(
    a_no: int,
    a: VersionContent,
    b_no: int,
    b: VersionContent,
    split: Callable[[str], list[str]] = split_clauses,
) -> VersionDiff:
    """Compare two contents; ``split`` cuts the body into clauses (default: sentences)."""
    result = VersionDiff(a_no, b_no)
    for name in FIELD_ZH:
        old, new = getattr(a, name), getattr(b, name)
        if old != new:
            result.fields.append(
                (
                    name,
                    old.isoformat() if hasattr(old, "isoformat") else old,
                    new.isoformat() if hasattr(new, "isoformat") else new,
                )
            )
    old_parts, new_parts = split(a.body), split(b.body)
    matcher = difflib.SequenceMatcher(a=old_parts, b=new_parts, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        result.body.append(BodyOp(tag, old_parts[i1:i2], new_parts[j1:j2]))
    return result
