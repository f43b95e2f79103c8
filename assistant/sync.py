"""Keeping the index a faithful copy of the KB: event listener, rebuild, consistency check.

What is indexed: the live (published) version of every published entry that is not
archived — *whatever its validity dates*. Validity is filtered at query time, so a version
that takes effect next month appears on its first day and one that expires tonight is gone
at 00:00, with no job having to run. (``kb.entries.in_force(session, day)`` — the one query
of what retrieval may show on a day — is what :func:`check` compares the index against.)

Lifecycle events (``kb.events``) fire inside the KB transaction, before commit: publishing,
rolling back or archiving updates the index in the same operation (:func:`apply_event`, via
:mod:`assistant.listener`), and an index failure rolls the KB change back. The listener only
maintains an index that exists; a process that never built one pays nothing, and the first
``ask`` builds it from the KB.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from sqlalchemy.orm import Session

from assistant.chunks import node_payload, nodes_for
from assistant.index.base import QueryFilter, VectorIndex
from assistant.index.store import rebuild_index
from assistant.pipeline import IndexingStats, index_versions
from assistant.runtime import Runtime, get_runtime
from kb.entries import in_force
from kb.models import Entry, EntryVersion
from kb.queries import live_pairs  # re-exported: the sync compares against it

# -- lifecycle events (see assistant.listener) ----------------------------------------------


def apply_event(kind: str, entry: Entry, version: EntryVersion | None) -> None:
    """Publish/rollback: replace the entry's points; retire (archive): remove them.

    No flush per event: Qdrant Edge writes every update to its WAL first (durable, replayed
    on open), and flushing segments costs ~0.1–0.7 s; segments are flushed on close.
    """
    runtime = get_runtime()
    index = runtime.index()
    if kind == "published" and version is not None:
        index_versions(index, [(entry, version)], runtime.embedder, runtime.sparse, runtime.options)
    elif kind == "retired":
        index.delete_entries([entry.id])


# -- rebuild ----------------------------------------------------------------------------------


def reindex(
    session: Session,
    runtime: Runtime | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> IndexingStats:
    """Rebuild the index from the KB (a new index is swapped in only when complete)."""
    runtime = runtime or get_runtime()
    pairs = live_pairs(session)
    if on_total:
        on_total(len(pairs))
    stats = IndexingStats()

    def fill(index: VectorIndex) -> None:
        result = index_versions(
            index,
            pairs,
            runtime.embedder,
            runtime.sparse,
            runtime.options,
            replace=False,
            progress=progress,
        )
        stats.__dict__.update(result.__dict__)

    rebuild_index(runtime.manifest, fill, runtime.settings)
    return stats


def ensure_index(session: Session, runtime: Runtime | None = None) -> IndexingStats | None:
    """Build the index from the KB if there is none yet; None if one exists."""
    runtime = runtime or get_runtime()
    if runtime.index_exists():
        return None
    return reindex(session, runtime)


# -- consistency check ------------------------------------------------------------------------

#: payload fields compared point by point (the rest are derived from these)
CHECKED_FIELDS = (
    "entry_id",
    "version",
    "kind",
    "role",
    "seq",
    "region",
    "unit",
    "unit_name",
    "category",
    "valid_from",
    "valid_to",
    "title",
    "doc_no",
    "basis_title",
    "heading_path",
    "questions",
    "content_hash",
    "text",
)


@dataclass
class Difference:
    """One way the index differs from the KB."""

    kind: str  # missing | stale | orphan | payload | extra_point | missing_point | in_force
    entry_id: int | None
    detail: str

    KIND_ZH: ClassVar[dict[str, str]] = {
        "missing": "索引缺少条目",
        "stale": "索引版本过旧",
        "orphan": "索引中有不应检索的条目",
        "payload": "索引内容与知识库不一致",
        "missing_point": "索引缺少分块",
        "extra_point": "索引多出分块",
        "in_force": "当日可检索条目不一致",
    }

    @property
    def kind_zh(self) -> str:
        """Chinese label."""
        return self.KIND_ZH[self.kind]


@dataclass
class CheckReport:
    """Everything ``hotline check`` found."""

    day: dt.date
    kb_entries: int
    index_entries: int
    index_points: int
    in_force_kb: int
    in_force_index: int
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the index matches the KB exactly."""
        return not self.differences


def check(session: Session, day: dt.date, runtime: Runtime | None = None) -> CheckReport:
    """Compare the index with the KB point by point and report every difference."""
    runtime = runtime or get_runtime()
    index = runtime.index()
    pairs = live_pairs(session)
    live = {e.id: v.version_no for e, v in pairs}
    expected = {n.node_id: node_payload(n) for n in nodes_for(pairs, runtime.options)}
    stored = dict(index.iter_payloads())
    diffs: list[Difference] = []

    stored_versions: dict[int, set[int]] = {}
    for payload in stored.values():
        stored_versions.setdefault(int(payload.get("entry_id", -1)), set()).add(
            int(payload.get("version", -1))
        )
    for entry_id, version_no in live.items():
        have = stored_versions.get(entry_id)
        if not have:
            diffs.append(Difference("missing", entry_id, f"第 {version_no} 版已发布，索引中没有"))
        elif have != {version_no}:
            old = "、".join(str(v) for v in sorted(have))
            diffs.append(
                Difference(
                    "stale", entry_id, f"索引为第 {old} 版，知识库当前发布第 {version_no} 版"
                )
            )
    for entry_id, versions in stored_versions.items():
        if entry_id not in live:
            shown = "、".join(str(v) for v in sorted(versions))
            diffs.append(
                Difference("orphan", entry_id, f"索引中有第 {shown} 版，但该条目没有发布中的版本")
            )
    problem_entries = {d.entry_id for d in diffs}
    for point_id, want in expected.items():
        if want["entry_id"] in problem_entries:
            continue
        have = stored.get(point_id)
        if have is None:
            diffs.append(
                Difference(
                    "missing_point", want["entry_id"], f"分块 {want['role']}#{want['seq']} 缺失"
                )
            )
            continue
        wrong = [f for f in CHECKED_FIELDS if _norm(have.get(f)) != _norm(want.get(f))]
        if wrong:
            diffs.append(
                Difference(
                    "payload",
                    want["entry_id"],
                    f"分块 {want['role']}#{want['seq']} 字段不一致：{'、'.join(wrong)}",
                )
            )
    for point_id, have in stored.items():
        entry_id = have.get("entry_id")
        if point_id not in expected and entry_id not in problem_entries:
            diffs.append(
                Difference(
                    "extra_point", entry_id, f"分块 {have.get('role')}#{have.get('seq')} 多余"
                )
            )
    kb_today = {e.id for e, _ in in_force(session, day)}
    index_today = {p["entry_id"] for _, p in index.iter_payloads(QueryFilter(day=day))}
    for entry_id in sorted(kb_today ^ index_today):
        where = "知识库" if entry_id in kb_today else "索引"
        diffs.append(Difference("in_force", entry_id, f"{day} 仅在{where}中有效"))
    diffs.sort(key=lambda d: (d.entry_id or 0, d.kind))
    return CheckReport(
        day=day,
        kb_entries=len(live),
        index_entries=len(stored_versions),
        index_points=len(stored),
        in_force_kb=len(kb_today),
        in_force_index=len(index_today),
        differences=diffs,
    )


def _norm(value: object) -> object:
    # payloads come back from the engines with tuples as lists
    if isinstance(value, tuple):
        return list(value)
    return value
