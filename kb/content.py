"""The content of one entry version, validated once and hashed.

Everything that comes in from a person or a file (CLI, API, ingest, import) is turned into
:class:`VersionContent` first; the rest of kb/ trusts it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, fields, replace

from kb.clock import parse_date
from kb.docno import normalize_doc_no
from kb.errors import InvalidInput

MAX_TITLE = 300
MAX_BODY = 2_000_000  # characters; a whole policy document, far beyond any real one

_SPACES = re.compile(r"[ \t\u3000]+")


def _clean_line(text: str | None) -> str | None:
    if text is None:
        return None
    text = _SPACES.sub(" ", str(text)).strip()
    return text or None


def _clean_list(values: list[str] | str | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = re.split(r"[|｜\n]", values)
    out: list[str] = []
    for value in values:
        cleaned = _clean_line(value)
        if cleaned and cleaned not in out:
            out.append(cleaned)
    return out


@dataclass(frozen=True)
class VersionContent:
    """What a version says: title, body, alternative questions, basis, dates."""

    title: str
    body: str
    questions: list[str] = field(default_factory=list)
    basis_title: str | None = None
    doc_no: str | None = None
    basis_clause: str | None = None
    issuer: str | None = None
    published_on: dt.date | None = None
    category: str | None = None
    keywords: list[str] = field(default_factory=list)
    effective_from: dt.date | None = None
    expires_on: dt.date | None = None
    meta: dict = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        *,
        title: str,
        body: str,
        questions: list[str] | str | None = None,
        basis_title: str | None = None,
        doc_no: str | None = None,
        basis_clause: str | None = None,
        issuer: str | None = None,
        published_on: str | dt.date | None = None,
        category: str | None = None,
        keywords: list[str] | str | None = None,
        effective_from: str | dt.date | None = None,
        expires_on: str | dt.date | None = None,
        meta: dict | None = None,
    ) -> VersionContent:
        """Normalise and validate raw values; raises :class:`InvalidInput` in Chinese."""
        title_clean = _clean_line(title)
        if not title_clean:
            raise InvalidInput("标题不能为空。")
        if len(title_clean) > MAX_TITLE:
            raise InvalidInput(f"标题过长（{len(title_clean)} 字，上限 {MAX_TITLE} 字）。")
        body_clean = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
        if not body_clean:
            raise InvalidInput("正文（答复口径或条文）不能为空。")
        if len(body_clean) > MAX_BODY:
            raise InvalidInput(f"正文过长（{len(body_clean)} 字，上限 {MAX_BODY} 字）。")
        start = parse_date(effective_from, "生效日期")
        end = parse_date(expires_on, "失效日期")
        if start and end and end < start:
            raise InvalidInput(f"失效日期 {end} 早于生效日期 {start}，请核对有效期。")
        return cls(
            title=title_clean,
            body=body_clean,
            questions=_clean_list(questions),
            basis_title=_clean_line(basis_title),
            doc_no=normalize_doc_no(_clean_line(doc_no)),
            basis_clause=_clean_line(basis_clause),
            issuer=_clean_line(issuer),
            published_on=parse_date(published_on, "发布日期"),
            category=_clean_line(category),
            keywords=_clean_list(keywords),
            effective_from=start,
            expires_on=end,
            meta=dict(meta or {}),
        )

    def with_changes(self, **changes: object) -> VersionContent:
        """A copy with some fields replaced, validated again."""
        merged = {f.name: getattr(self, f.name) for f in fields(self)}
        merged.update(changes)
        return VersionContent.build(**merged)

    @property
    def content_hash(self) -> str:
        """SHA-256 over everything a reader sees (meta excluded): equal hash, equal content."""
        data = asdict(replace(self, meta={}))
        data.pop("meta")
        blob = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def as_columns(self) -> dict:
        """Column values for an EntryVersion row."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["content_hash"] = self.content_hash
        return data

    @classmethod
    def of_version(cls, version: object) -> VersionContent:
        """The content of an existing EntryVersion row."""
        return cls(**{f.name: getattr(version, f.name) for f in fields(cls)})
