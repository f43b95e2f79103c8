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
    changes: dict | None = None  # clause-level diff counts for an update
    chunks: int = 0
    rows: dict[str, int] | None = None  # per action, for a table
    details: list[str] = field(default_factory=list)

    @property
    def action_zh(self) -> str:
        """The action in Chinese."""
        return ACTION_ZH[self.action]

    def missing_zh(self) -> list[str]:
        """Missing metadata in Chinese."""
        return [MISSING_ZH.get(name, name) for name in self.missing]


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
            "files": [
                {
                    "path": f.path,
                    "kind": f.kind,
                    "action": f.action,
                    "action_zh": f.action_zh,
                    "message": f.message,
                    "entry_id": f.entry_id,
                    "version": f.version,
                    "title": f.title,
                    "doc_no": f.doc_no,
                    "missing": f.missing,
                    "changes": f.changes,
                    "chunks": f.chunks,
                    "rows": f.rows,
                    "details": f.details,
                }
                for f in self.files
            ],
        }
