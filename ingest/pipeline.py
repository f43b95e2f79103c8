"""`hotline ingest PATH…`: files and folders in, one outcome per file out.

* Folders are walked recursively in sorted order (hidden files and README files skipped).
* Document files (.txt .md .html .htm .docx .pdf) are parsed and written as policy entries
  (:mod:`ingest.upsert`).
* Tables (.csv .xlsx .jsonl) whose header is the answer-script import format are imported
  with the same code as ``hotline kb import`` (atomic per file). A table with the format's
  kind, title and answer columns but not all the others is meant as answer scripts and is
  rejected, naming the missing columns; other tables — the unit list, users, a dispatch
  catalog — are skipped with a note saying what they look like.
* Each file is its own transaction: a bad file is rejected with a reason and changes
  nothing, and the other files of the run are still processed. ``IngestReport.failed``
  (exit code 1) says whether any file was rejected.
* ``dry_run`` does every step, then rolls each transaction back and stores no original.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.clauses import split_clauses
from ingest.document import parse_document
from ingest.importer import run_import
from ingest.readers import DOCUMENT_TYPES, TABLE_TYPES
from ingest.report import FileResult, IngestReport
from ingest.tables import (
    REQUIRED,
    SCRIPT_CORE,
    describe_other_table,
    looks_like_scripts,
    missing_columns,
    read_table,
)
from ingest.upsert import write_document
from kb.actors import Actor, check_can_edit_unit
from kb.db import Database
from kb.errors import HotlineError, InvalidInput, PermissionDenied
from kb.settings import Settings
from kb.units import get_unit

DEFAULT_UNIT = "SL-RX"  # 示例市12345政务服务便民热线中心, when the sample units are loaded


@dataclass(frozen=True)
class IngestOptions:
    """How to ingest: as whom, for which unit, and what to do after writing."""

    actor: str = "admin"
    unit: str | None = None
    publish: bool = False
    submit: bool = False
    dry_run: bool = False


@dataclass(frozen=True)
class Task:
    """One file found under the given paths and what will be done with it."""

    path: Path
    kind: str  # document | table | skip | reject
    note: str = ""


def _classify(path: Path, explicit: bool) -> Task:
    suffix = path.suffix.lower()
    if path.name.lower().startswith("readme"):
        return Task(path, "skip", "说明文件，已跳过")
    if suffix in DOCUMENT_TYPES:
        return Task(path, "document")
    if suffix in TABLE_TYPES:
        return Task(path, "table")
    if explicit:
        return Task(path, "document")  # let the reader refuse it with the reason
    return Task(path, "skip", f"不支持的文件类型（{suffix or '无扩展名'}），已跳过")


def collect(paths: Iterable[Path]) -> list[Task]:
    """Every file under ``paths`` with what to do about it, in a stable order."""
    tasks: list[Task] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if any(part.startswith(".") for part in relative) or not child.is_file():
                    continue
                tasks.append(_classify(child, explicit=False))
        elif path.exists():
            tasks.append(_classify(path, explicit=True))
        else:
            tasks.append(Task(path, "reject", f"文件 {path}：路径不存在。"))
    return tasks


def _resolve_unit(db: Database, options: IngestOptions) -> tuple[int, str]:
    with db.session() as session:
        actor = Actor.load(session, options.actor)
        if options.publish and not actor.is_admin:
            raise PermissionDenied(
                "只有管理员可以在导入时直接发布（--publish）；请去掉该选项，导入后走审核流程。"
            )
        key = options.unit or DEFAULT_UNIT
        try:
            unit = get_unit(session, key)
        except HotlineError:
            if options.unit:
                raise
            raise InvalidInput(
                "请用 --unit 指定责任单位（未找到默认的热线中心 SL-RX；可先运行 `hotline init --sample`）。"
            ) from None
        check_can_edit_unit(actor, unit.id, unit.name)
        return unit.id, unit.name


def _ingest_document(
    db: Database,
    settings: Settings,
    options: IngestOptions,
    unit_id: int,
    path: Path,
    display: str | None,
) -> FileResult:
    doc = parse_document(path, max_mb=settings.max_file_mb, display=display)
    with db.session() as session:
        actor = Actor.load(session, options.actor)
        unit = get_unit(session, unit_id)
        result = write_document(
            session,
            actor,
            doc,
            unit,
            originals_dir=settings.originals_dir,
            publish=options.publish,
            submit=options.submit,
            keep=not options.dry_run,
        )
        if options.dry_run:
            session.rollback()
    return result


def _ingest_table(
    db: Database, settings: Settings, options: IngestOptions, path: Path, display: str | None
) -> FileResult:
    table = read_table(path, max_mb=settings.max_file_mb, display=display)
    label = display or str(path)
    missing = missing_columns(table.columns)
    if missing and looks_like_scripts(table.columns):
        raise InvalidInput(
            f"文件 {label}：像是答复口径表（有 {'、'.join(SCRIPT_CORE)} 列），但表头缺少列："
            f"{'、'.join(missing)}。请补上这些列（内容可以留空）后重新导入；"
            f"应有列：{', '.join(REQUIRED)}。"
        )
    if missing:
        return FileResult(label, "other", "skipped", describe_other_table(table.columns))
    imported = run_import(
        db,
        options.actor,
        table,
        publish=options.publish,
        submit=options.submit,
        dry_run=options.dry_run,
    )
    counts = imported.counts()
    message = "答复口径导入：" + "，".join(
        f"{label} {counts[key]} 条"
        for key, label in (("created", "新建"), ("updated", "更新"), ("unchanged", "未变化"))
    )
    action = "created" if counts["created"] else "updated" if counts["updated"] else "unchanged"
    answers = dict(table.rows)
    chunks = sum(
        len(split_clauses(answers[r.row].get("answer", "")))
        for r in imported.rows
        if r.action != "rejected"
    )
    return FileResult(label, "table", action, message, rows=counts, chunks=chunks)


def run_ingest(
    db: Database,
    settings: Settings,
    paths: list[Path],
    options: IngestOptions,
    *,
    on_file: Callable[[Task], None] | None = None,
    tasks: list[Task] | None = None,
    display_names: dict[Path, str] | None = None,
) -> IngestReport:
    """Ingest every file under ``paths``; ``on_file`` is called before each (progress).

    ``display_names`` maps a path to the name it was given under (uploads saved to a
    temporary folder): reports, messages and the KB's source_file use that name.
    """
    names = display_names or {}
    started = time.perf_counter()
    unit_id, _ = _resolve_unit(db, options)
    report = IngestReport(dry_run=options.dry_run)
    for task in tasks if tasks is not None else collect(paths):
        if on_file is not None:
            on_file(task)
        display = names.get(task.path)
        label = display or str(task.path)
        if task.kind == "skip":
            report.files.append(FileResult(label, "other", "skipped", task.note))
            continue
        if task.kind == "reject":
            report.files.append(FileResult(label, "other", "rejected", task.note))
            continue
        try:
            if task.kind == "table":
                result = _ingest_table(db, settings, options, task.path, display)
            else:
                result = _ingest_document(db, settings, options, unit_id, task.path, display)
        except HotlineError as exc:
            result = FileResult(
                label, task.kind, "rejected", exc.message, details=list(exc.details)
            )
        report.files.append(result)
    report.seconds = time.perf_counter() - started
    return report
