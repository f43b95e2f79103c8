"""What an ingest or import run did, file by file, in a form both CLI and API can show."""

from __future__ import annotations

from dataclasses import dataclass, field

ACTION_ZH = {
    "created": "新建",
    "updated": "更新",
    "unchanged": "未变化",
    "rejected": "拒绝",
    "skipped": "跳过",
}

MISSING_ZH = {
    "title": "标题",
    "doc_no": "文号",
    "issuer": "发文单位",
    "published_on": "发布日期",
    "expires_on": "有效期",
    "region": "地区",
}


ASSUMED_ZH = {
    "title": "标题",
    "effective_from": "生效日期",
    "expires_on": "失效日期",
    "region": "地区",
}


@dataclass(frozen=True)
class Assumption:
    """A value the document did not state, what was taken instead, and why."""

    field: str  # title | effective_from | expires_on | region
    value: str | None
    reason: str

    @property
    def field_zh(self) -> str:
        """The field in Chinese."""
        return ASSUMED_ZH.get(self.field, self.field)

    def zh(self) -> str:
        """``生效日期 2025-12-25（文中未写明施行日期，有效期按发布日期起算）``."""
        value = f" {self.value}" if self.value else ""
        return f"{self.field_zh}{value}（{self.reason}）"

    def to_dict(self) -> dict:
        """JSON form."""
        return {
            "field": self.field,
            "field_zh": self.field_zh,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass
class FileResult:
    """The outcome for one file (a document, or a table of answer scripts)."""

    path: str
    kind: str  # document | table | other
    action: str  # created | updated | unchanged | rejected | skipped
    message: str = ""
    entry_id: int | None = None
    version: int | None = None
    title: str | None = None
    doc_no: str | None = None
    missing: list[str] = field(default_factory=list)
    assumed: list[Assumption] = field(default_factory=list)
    changes: dict | None = None  # clause-level diff counts for an update
    chunks: int = 0
    rows: dict[str, int] | None = None  # per action, for a table
    details: list[str] = field(default_factory=list)
    sha256: str | None = None  # of the original file as given (EntryVersion.source_sha256)
    original: str | None = None  # where the original is kept (HOTLINE_HOME/originals/…)

    @property
    def action_zh(self) -> str:
        """The action in Chinese."""
        return ACTION_ZH[self.action]

    def missing_zh(self) -> list[str]:
        """Missing metadata in Chinese."""
        return [MISSING_ZH.get(name, name) for name in self.missing]

    def note_zh(self) -> str:
        """The message with what was not found and what was assumed, for people."""
        note = self.message
        if self.missing:
            note += f"（未找到：{'、'.join(self.missing_zh())}）"
        if self.assumed:
            note += "（推定：" + "；".join(a.zh() for a in self.assumed) + "）"
        return note

    def to_dict(self) -> dict:
        """JSON form."""
        return {
            "path": self.path,
            "kind": self.kind,
            "action": self.action,
            "action_zh": self.action_zh,
            "message": self.message,
            "entry_id": self.entry_id,
            "version": self.version,
            "title": self.title,
            "doc_no": self.doc_no,
            "missing": self.missing,
            "assumed": [a.to_dict() for a in self.assumed],
            "changes": self.changes,
            "chunks": self.chunks,
            "rows": self.rows,
            "details": self.details,
            "sha256": self.sha256,
            "original": self.original,
        }


@dataclass
class IngestReport:
    """Every file of one run."""

    files: list[FileResult] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0

    def of(self, action: str) -> list[FileResult]:
        """Files with this outcome."""
        return [f for f in self.files if f.action == action]

    def counts(self) -> dict[str, int]:
        """How many files ended each way."""
        return {action: len(self.of(action)) for action in ACTION_ZH}

    @property
    def failed(self) -> bool:
        """Whether the run ends with exit code 1: some file was rejected (a bad document, a
        bad table, a path that does not exist). Skipped non-documents are not failures."""
        return any(f.action == "rejected" for f in self.files)

    @property
    def chunks(self) -> int:
        """Clause chunks of the documents and script rows created, updated or unchanged."""
        return sum(f.chunks for f in self.files if f.action != "rejected")

    @property
    def documents(self) -> int:
        """Document files that are in the KB after the run."""
        return sum(
            1
            for f in self.files
            if f.kind == "document" and f.action not in ("rejected", "skipped")
        )

    @property
    def script_rows(self) -> int:
        """Answer-script rows that are in the KB after the run."""
        return sum(
            (f.rows or {}).get(k, 0)
            for f in self.files
            if f.action != "rejected"
            for k in ("created", "updated", "unchanged")
        )

    def to_dict(self) -> dict:
        """JSON form."""
        return {
            "dry_run": self.dry_run,
            "seconds": round(self.seconds, 3),
            "counts": self.counts(),
            "documents": self.documents,
            "script_rows": self.script_rows,
            "chunks": self.chunks,
            "failed": self.failed,
            "files": [f.to_dict() for f in self.files],
        }
