"""`hotline kb import`: answer scripts and FAQ from CSV / XLSX / JSON Lines.

Rules:

* Every row is checked before anything is written (kind, title, answer, unit, dates,
  permissions). **Atomic by default**: one bad row → nothing is imported and every bad row is
  listed with its row number. With ``skip_invalid`` the good rows are imported and the bad
  ones written to a rejects file with their reasons.
* A row whose (region, title) already exists — in the KB or earlier in the same file — is an
  **update** of that entry (a new version) and must say why in ``version_note``; without it
  the row is an error ("标题重复：如为更新请填写 version_note"). An update whose content is
  identical is "unchanged" and writes nothing.
* ``region`` left empty means the owner unit's region.
* ``publish`` (admins only) publishes each row's version as it is written, so a script
  updated later in the same file leaves its first version superseded, as in real history.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.tables import OPTIONAL, REQUIRED, ROW_ERROR, Table, missing_columns
from kb import lifecycle
from kb.actors import Actor, check_can_edit_unit
from kb.content import VersionContent
from kb.db import Database
from kb.entries import KIND_ZH, create_entry, edit_entry, parse_kind
from kb.errors import HotlineError, InvalidInput, PermissionDenied
from kb.models import Entry, EntryKind, EntryVersion, Unit
from kb.units import get_unit

PUBLISH_REASON = "批量导入"


@dataclass
class RowOutcome:
    """What happened to one row."""

    row: int
    action: str  # created | updated | unchanged | rejected
    title: str = ""
    entry_id: int | None = None
    version: int | None = None
    reason: str = ""


@dataclass
class ImportResult:
    """All rows of one imported file."""

    path: Path
    rows: list[RowOutcome] = field(default_factory=list)
    rejects_file: Path | None = None
    dry_run: bool = False

    def counts(self) -> dict[str, int]:
        """Rows per action."""
        out = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        for row in self.rows:
            out[row.action] += 1
        return out


@dataclass
class _Plan:
    row: int
    kind: EntryKind
    region: str
    unit: Unit
    content: VersionContent
    note: str
    update: bool
    unchanged: bool = False


class _RowFailed(Exception):
    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


def _content(row: dict[str, str]) -> VersionContent:
    return VersionContent.build(
        title=row.get("title", ""),
        body=row.get("answer", ""),
        questions=row.get("questions"),
        basis_title=row.get("basis") or None,
        doc_no=row.get("doc_no") or None,
        basis_clause=row.get("basis_clause") or None,
        issuer=row.get("issuer") or None,
        published_on=row.get("published_on") or None,
        category=row.get("category") or None,
        keywords=row.get("keywords"),
        effective_from=row.get("effective_from") or None,
        expires_on=row.get("expires_on") or None,
        meta={"imported_from": None},
    )


def _plan_rows(
    session: Session, actor: Actor, table: Table, exclude: set[int]
) -> tuple[list[_Plan], dict[int, str]]:
    """Check every row; the plans for good rows and the reason for each bad one."""
    plans: list[_Plan] = []
    errors: dict[int, str] = {}
    # (region, title) → (kind, unit id, content hashes of every version so far)
    known: dict[tuple[str, str], tuple[EntryKind, int, set[str]]] = {}
    for number, row in table.rows:
        if number in exclude:
            continue
        try:
            if ROW_ERROR in row:
                raise InvalidInput(row[ROW_ERROR])
            for name in ("kind", "title", "answer", "owner_unit"):
                if not row.get(name, "").strip():
                    raise InvalidInput(f"缺少必填项 {name}。")
            kind = parse_kind(row["kind"])
            unit = get_unit(session, row["owner_unit"])
            check_can_edit_unit(actor, unit.id, unit.name)
            region = (row.get("region") or "").strip() or unit.region
            content = _content(row)
            content = content.with_changes(meta={"imported_from": table.name, "row": number})
            key = (region, content.title)
            if key not in known:
                entry = session.scalar(
                    select(Entry).where(Entry.region == region, Entry.title == content.title)
                )
                if entry is not None:
                    hashes = set(
                        session.scalars(
                            select(EntryVersion.content_hash).where(
                                EntryVersion.entry_id == entry.id
                            )
                        )
                    )
                    known[key] = (entry.kind, entry.owner_unit_id, hashes)
            note = (row.get("version_note") or "").strip()
            update = key in known
            if update:
                kind_was, unit_was, hashes = known[key]
                if kind_was is not kind:
                    raise InvalidInput(
                        f"地区“{region}”已有同名的{KIND_ZH[kind_was]}条目，不能作为{KIND_ZH[kind]}更新。"
                    )
                if unit_was != unit.id:
                    raise PermissionDenied(f"同名条目属于其他单位，不能由“{unit.name}”更新。")
                if content.content_hash in hashes:
                    # already one of the entry's versions: importing the same file again
                    # (history rows included) changes nothing
                    plans.append(_Plan(number, kind, region, unit, content, note, True, True))
                    continue
                if not note:
                    raise InvalidInput("标题重复：如为更新请填写 version_note。")
                hashes.add(content.content_hash)
            else:
                known[key] = (kind, unit.id, {content.content_hash})
            plans.append(_Plan(number, kind, region, unit, content, note or "新建", update))
        except HotlineError as exc:
            errors[number] = exc.message
    return plans, errors


def _apply(
    session: Session, actor: Actor, plan: _Plan, *, publish: bool, submit: bool
) -> RowOutcome:
    outcome = RowOutcome(plan.row, "created", plan.content.title)
    if plan.update:
        entry = session.scalar(
            select(Entry).where(Entry.region == plan.region, Entry.title == plan.content.title)
        )
        outcome.entry_id = entry.id
        if plan.unchanged:
            same = session.scalar(
                select(EntryVersion.version_no).where(
                    EntryVersion.entry_id == entry.id,
                    EntryVersion.content_hash == plan.content.content_hash,
                )
            )
            outcome.action, outcome.version = "unchanged", same
            outcome.reason = f"与第 {same} 版相同"
            return outcome
        version = edit_entry(session, actor, entry.id, plan.content, plan.note)
        outcome.action, outcome.version = "updated", version.version_no
    else:
        entry = create_entry(
            session,
            actor,
            kind=plan.kind,
            region=plan.region,
            owner_unit=plan.unit.id,
            content=plan.content,
            change_note=plan.note,
        )
        outcome.entry_id, outcome.version = entry.id, 1
    if publish:
        lifecycle.publish_trusted(session, actor, entry.id, PUBLISH_REASON)
    elif submit:
        lifecycle.submit(session, actor, entry.id)
    return outcome


def import_rows(
    session: Session,
    actor: Actor,
    table: Table,
    *,
    publish: bool = False,
    submit: bool = False,
    skip_invalid: bool = False,
    exclude: dict[int, str] | None = None,
) -> ImportResult:
    """Import the rows of ``table`` in ``session`` (the caller commits or rolls back)."""
    if publish and not actor.is_admin:
        raise PermissionDenied(
            "只有管理员可以在导入时直接发布（--publish）；请去掉该选项，导入后走审核流程。"
        )
    missing = missing_columns(table.columns)
    if missing:
        raise InvalidInput(
            f"文件 {table.label or table.path} 的表头缺少列：{'、'.join(missing)}。"
            f"应有列：{', '.join(REQUIRED)}（可选：{', '.join(OPTIONAL)}）。"
        )
    exclude = dict(exclude or {})
    plans, errors = _plan_rows(session, actor, table, set(exclude))
    errors.update(exclude)
    if errors and not skip_invalid:
        raise InvalidInput(
            f"导入失败：{len(errors)} 行有错误，未导入任何内容（可用 --skip-invalid 只导入正确的行）。",
            details=[f"第 {row} 行：{errors[row]}" for row in sorted(errors)],
        )
    result = ImportResult(table.path)
    for plan in plans:
        try:
            result.rows.append(_apply(session, actor, plan, publish=publish, submit=submit))
        except HotlineError as exc:
            raise _RowFailed(plan.row, exc.message) from exc
    result.rows.extend(RowOutcome(row, "rejected", reason=errors[row]) for row in errors)
    result.rows.sort(key=lambda r: r.row)
    return result


def default_rejects_path(path: Path) -> Path:
    """``scripts.csv`` → ``scripts.rejects.csv`` next to it."""
    return path.with_name(f"{path.stem}.rejects.csv")


RAW_COLUMN = "raw"


def write_rejects(table: Table, result: ImportResult, target: Path) -> Path:
    """Write the rejected rows, with row number and reason, as UTF-8 CSV (Excel-friendly).

    The columns are the table's own, so the file can be fixed and imported again (``row``,
    ``reason`` and ``raw`` are ignored on import); ``raw`` is the row exactly as read — the
    line of JSON that did not parse, every cell of a CSV row wider than its header.
    """
    reasons = {r.row: r.reason for r in result.rows if r.action == "rejected"}
    rows = dict(table.rows)
    columns = [c for c in table.columns if c not in (ROW_ERROR, RAW_COLUMN)]
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "reason", *columns, RAW_COLUMN])
        for number in sorted(reasons):
            values = rows.get(number, {})
            writer.writerow(
                [
                    number,
                    reasons[number],
                    *(values.get(c, "") for c in columns),
                    table.raw.get(number, ""),
                ]
            )
    return target


def run_import(
    db: Database,
    actor_name: str,
    table: Table,
    *,
    publish: bool = False,
    submit: bool = False,
    skip_invalid: bool = False,
    dry_run: bool = False,
    rejects_path: Path | None = None,
    load_actor: Callable[[Session, str], Actor] = Actor.load,
) -> ImportResult:
    """Import ``table`` in one transaction; with ``skip_invalid``, rows that fail even after
    checking are set aside and the rest retried, so the result is still all-or-nothing per row."""
    exclude: dict[int, str] = {}
    while True:
        try:
            with db.session() as session:
                actor = load_actor(session, actor_name)
                result = import_rows(
                    session,
                    actor,
                    table,
                    publish=publish,
                    submit=submit,
                    skip_invalid=skip_invalid,
                    exclude=exclude,
                )
                if dry_run:
                    session.rollback()
            break
        except _RowFailed as failed:
            if not skip_invalid:
                raise InvalidInput(
                    "导入失败：1 行有错误，未导入任何内容。",
                    details=[f"第 {failed.row} 行：{failed.message}"],
                ) from None
            exclude[failed.row] = failed.message
    result.dry_run = dry_run
    if dry_run:
        # the rolled-back transaction's new ids and versions never existed
        for row in result.rows:
            if row.action == "created":
                row.entry_id = None
            if row.action in ("created", "updated"):
                row.version = None
    if skip_invalid and not dry_run and result.counts()["rejected"]:
        result.rejects_file = write_rejects(
            table, result, rejects_path or default_rejects_path(table.path)
        )
    return result
