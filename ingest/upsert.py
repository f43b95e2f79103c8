"""Putting a parsed document into the KB: create, new version, or nothing.

Identity for re-ingest, first match wins:

1. the normalised 文号 (``source_key = "文号:甘政办发〔2025〕69号"``);
2. the owner unit and source file name (``"文件:SL-RX/changzhi-12345-mechanism.txt"``), for
   documents without one;
3. the same bytes as a file already ingested (a renamed copy);
4. a policy entry with the same title in the same region *and the same, known issuer*.

Two documents that only share a title (``关于做好春节期间安全工作的通知`` from the education
bureau and from the civil affairs bureau, no 文号) are different documents: the second is
refused with a message saying how to tell them apart, because a region's titles are unique
and silently turning one unit's notice into a version of another's would be worse.

Changed content → a new draft version (published at once with ``publish``) whose change
note summarises the clause-level diff; identical content → nothing is written at all.
Documents the text says it abolishes become :func:`kb.sweep.add_relation` links.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.clauses import clause_texts
from ingest.document import ParsedDocument
from ingest.originals import keep_original, original_path
from ingest.report import Assumption, FileResult
from kb import lifecycle
from kb.actors import Actor
from kb.content import VersionContent
from kb.diff import FIELD_ZH, diff_contents
from kb.entries import create_entry, edit_entry, find_by_source, get_version
from kb.errors import Conflict
from kb.models import Entry, EntryKind, EntryVersion, PolicyRelation, Unit
from kb.sweep import add_relation

PUBLISH_REASON = "批量导入"


def _norm_title(title: str | None) -> str:
    # the form kb.sweep.add_relation stores target titles in
    return re.sub(r"[《》〈〉\s“”\"]", "", title or "")


def find_existing(session: Session, doc: ParsedDocument, unit: Unit, region: str) -> Entry | None:
    """The entry this document is a new version of, if any (see the module docstring)."""
    for key in (doc.source_key, doc.file_key(unit.code)):
        if key:
            entry = find_by_source(session, key)
            if entry is not None:
                return entry
    same_bytes = session.scalar(
        select(Entry)
        .join(EntryVersion, EntryVersion.entry_id == Entry.id)
        .where(Entry.kind == EntryKind.POLICY, EntryVersion.source_sha256 == doc.source.sha256)
    )
    if same_bytes is not None:
        return same_bytes
    named = _same_title(session, doc, region)
    if (
        named is not None
        and doc.meta.issuer
        and get_version(session, named.id).issuer == doc.meta.issuer
    ):
        return named
    return None


def _same_title(session: Session, doc: ParsedDocument, region: str) -> Entry | None:
    title = doc.content().title
    return session.scalar(select(Entry).where(Entry.region == region, Entry.title == title))


def _title_clash(session: Session, doc: ParsedDocument, region: str) -> Conflict | None:
    """Why ``doc`` cannot be a new entry: another document already has its title here."""
    clash = _same_title(session, doc, region)
    if clash is None:
        return None
    latest = get_version(session, clash.id)
    title = clash.title
    theirs = latest.issuer or "未写明"
    ours = doc.meta.issuer or "未写明"
    origin = f"，来自 {Path(latest.source_file).name}" if latest.source_file else ""
    if clash.kind is not EntryKind.POLICY:
        what = f"地区“{region}”已有同名条目“{title}”（ID {clash.id}{origin}），不是政策文件"
    else:
        what = (
            f"地区“{region}”已有同名政策条目“{title}”（ID {clash.id}{origin}，发文单位：{theirs}），"
            f"本文件发文单位：{ours}，且没有相同的文号，按另一份文件处理"
        )
    if doc.meta.issuer and title.startswith("关于"):
        rename = f"请把文件中的标题写全（如“{doc.meta.issuer}{title}”）后重新导入"
    else:
        rename = "请在文件中写明能区分两份文件的标题、文号或发文单位后重新导入"
    return Conflict(
        f"{what}；同一地区标题不能重复，本文件未导入。如是原文件的新版本，请用原文件名"
        f"或写明与原文件相同的文号、发文单位重新导入；如是另一份文件，{rename}。"
    )


def _link_relations(session: Session, actor: Actor, entry: Entry, doc: ParsedDocument) -> int:
    added = 0
    for ref in doc.meta.refs:
        same = (
            PolicyRelation.target_title == _norm_title(ref.title)
            if ref.title
            else PolicyRelation.target_doc_no == ref.doc_no
        )
        exists = session.scalar(
            select(PolicyRelation).where(
                PolicyRelation.entry_id == entry.id, PolicyRelation.relation == ref.relation, same
            )
        )
        if exists is None:
            add_relation(
                session,
                actor,
                entry.id,
                ref.relation,
                target_title=ref.title,
                target_doc_no=ref.doc_no,
            )
            added += 1
    return added


def _after_write(
    session: Session, actor: Actor, entry: Entry, *, publish: bool, submit: bool
) -> None:
    if publish:
        lifecycle.publish_trusted(session, actor, entry.id, PUBLISH_REASON)
    elif submit:
        lifecycle.submit(session, actor, entry.id)


def _change_note(name: str, counts: dict[str, int], fields: list[str]) -> str:
    parts = [f"条款新增 {counts['added']}、删除 {counts['removed']}、修改 {counts['changed']}"]
    if fields:
        parts.append("字段变化：" + "、".join(fields))
    return f"重新导入 {name}：" + "；".join(parts)


def write_document(
    session: Session,
    actor: Actor,
    doc: ParsedDocument,
    unit: Unit,
    *,
    originals_dir: Path,
    publish: bool = False,
    submit: bool = False,
    keep: bool = True,
) -> FileResult:
    """Create or update the entry for ``doc``; ``keep`` stores the original file."""
    content = doc.content()
    region = doc.meta.region
    assumed = dict(doc.meta.assumed)
    if region is None:
        region = unit.region
        assumed["region"] = "文中未写明地区，按责任单位所在地区"
        meta = dict(content.meta)
        meta["assumed"] = {**meta.get("assumed", {}), "region": assumed["region"]}
        content = content.with_changes(meta=meta)
    values = {
        "title": content.title,
        "effective_from": content.effective_from,
        "expires_on": content.expires_on,
        "region": region,
    }
    result = FileResult(
        path=doc.source.label,
        kind="document",
        action="unchanged",
        title=content.title,
        doc_no=content.doc_no,
        missing=list(doc.meta.missing),
        assumed=[
            Assumption(name, str(values[name]) if values.get(name) else None, reason)
            for name, reason in assumed.items()
        ],
        chunks=doc.chunk_count(),
        sha256=doc.source.sha256,
        original=str(original_path(originals_dir, doc.source.sha256, doc.source.suffix)),
    )
    existing = find_existing(session, doc, unit, region)
    if existing is None:
        clash = _title_clash(session, doc, region)
        if clash is not None:
            raise clash
        if keep:
            keep_original(doc.source, originals_dir)
        entry = create_entry(
            session,
            actor,
            kind=EntryKind.POLICY,
            region=region,
            owner_unit=unit.id,
            content=content,
            change_note=f"导入 {doc.source.name}",
            source_key=doc.source_key or doc.file_key(unit.code),
            source_file=doc.source.label,
            source_sha256=doc.source.sha256,
        )
        _link_relations(session, actor, entry, doc)
        _after_write(session, actor, entry, publish=publish, submit=submit)
        result.action, result.entry_id, result.version = "created", entry.id, 1
        result.message = "已新建" + ("并发布" if publish else "")
        return result

    latest = get_version(session, existing.id)
    result.entry_id = existing.id
    result.version = latest.version_no
    if latest.content_hash == content.content_hash:
        result.message = f"与第 {latest.version_no} 版相同，未做任何改动"
        return result
    diff = diff_contents(
        latest.version_no,
        VersionContent.of_version(latest),
        latest.version_no + 1,
        content,
        split=clause_texts,
    )
    counts = diff.counts()
    fields = [FIELD_ZH.get(name, name) for name, _, _ in diff.fields]
    if keep:
        keep_original(doc.source, originals_dir)
    version = edit_entry(
        session,
        actor,
        existing.id,
        content,
        _change_note(doc.source.name, counts, fields),
        source_file=doc.source.label,
        source_sha256=doc.source.sha256,
    )
    _link_relations(session, actor, existing, doc)
    _after_write(session, actor, existing, publish=publish, submit=submit)
    result.action, result.version = "updated", version.version_no
    result.changes = {**counts, "fields": fields}
    result.message = f"第 {version.version_no} 版：" + version.change_note.split("：", 1)[-1]
    return result
