"""Entry identity: titles held by live and pending versions, regions, racing writers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy.exc import IntegrityError

from kb import lifecycle
from kb.actors import Actor
from kb.clock import frozen
from kb.content import VersionContent
from kb.db import conflict_from_integrity
from kb.entries import (
    EntryFilter,
    create_entry,
    edit_entry,
    get_entry,
    list_entries,
    set_superseded_by,
)
from kb.errors import Conflict, InvalidInput
from tests.conftest import snapshot

LIVE = "失业保险金申领"
RENAMED = "失业金申领（新）"


@pytest.fixture(autouse=True)
def _today():
    with frozen(dt.date(2026, 12, 2)):
        yield


def act(db, who: str, fn, *args, **kwargs):
    with db.session() as s:
        return fn(s, Actor.load(s, who), *args, **kwargs)


def add(db, title: str, *, region: str = "示例市", who: str = "rs_editor", **kw) -> int:
    with db.session() as s:
        return create_entry(
            s,
            Actor.load(s, who),
            kind="script",
            region=region,
            owner_unit=kw.pop("unit", "SL-RS"),
            content=VersionContent.build(title=title, body=f"{title}的答复口径。"),
            **kw,
        ).id


def publish(db, entry_id: int) -> None:
    act(db, "rs_editor", lifecycle.submit, entry_id)
    act(db, "rs_reviewer", lifecycle.approve, entry_id)


def rename(db, entry_id: int, title: str) -> None:
    content = VersionContent.build(title=title, body=f"{LIVE}的答复口径。")
    act(db, "rs_editor", edit_entry, entry_id, content, "改标题")


@pytest.fixture
def renaming(sample_db) -> int:
    """Entry 1: v1 live as 失业保险金申领, v2 (draft) renames it to 失业金申领（新）."""
    entry_id = add(sample_db, LIVE)
    publish(sample_db, entry_id)
    rename(sample_db, entry_id, RENAMED)
    return entry_id


def titles(db) -> list[str]:
    with db.session() as s:
        return [e.title for e in list_entries(s, EntryFilter(region="示例市"))]


def test_a_pending_rename_keeps_the_live_title(sample_db, renaming) -> None:
    assert titles(sample_db) == [LIVE]  # the list shows what operators get, not the draft


@pytest.mark.parametrize(
    ("title", "message"),
    [
        (LIVE, f"已有同名条目“{LIVE}”（ID 1，已发布），"),
        (RENAMED, f"已有同名条目“{RENAMED}”（ID 1，已发布）（其待审核的新版本使用了该标题）"),
    ],
)
def test_both_titles_stay_taken_while_the_rename_is_pending(
    sample_db, renaming, title: str, message: str
) -> None:
    before = snapshot(sample_db)
    with pytest.raises(Conflict, match=re.escape(message)):
        add(sample_db, title)
    assert snapshot(sample_db) == before
    other = add(sample_db, "另一个口径")
    with pytest.raises(Conflict, match="同一地区标题不能重复"):
        rename(sample_db, other, title)


def test_rollback_still_works_during_a_pending_rename(sample_db, renaming) -> None:
    act(sample_db, "rs_editor", lifecycle.submit, renaming)
    act(sample_db, "rs_reviewer", lifecycle.approve, renaming)
    assert titles(sample_db) == [RENAMED]
    act(sample_db, "rs_reviewer", lifecycle.rollback, renaming, 1)
    assert titles(sample_db) == [LIVE]


def test_publishing_the_rename_frees_the_old_title(sample_db, renaming) -> None:
    act(sample_db, "rs_editor", lifecycle.submit, renaming)
    act(sample_db, "rs_reviewer", lifecycle.approve, renaming)
    newcomer = add(sample_db, LIVE)
    assert titles(sample_db) == [LIVE, RENAMED]
    # and rolling entry 1 back to its old title is now refused, not a crash
    before = snapshot(sample_db)
    with pytest.raises(Conflict, match=f"已有同名条目“{LIVE}”（ID {newcomer}"):
        act(sample_db, "rs_reviewer", lifecycle.rollback, renaming, 1)
    assert snapshot(sample_db) == before


def test_a_withdrawn_rename_gives_its_title_back(sample_db, renaming) -> None:
    rename(sample_db, renaming, LIVE + "（修订）")  # v3 withdraws v2
    add(sample_db, RENAMED)
    assert titles(sample_db) == [RENAMED, LIVE]


def test_an_unpublished_entry_is_known_by_its_newest_draft(sample_db) -> None:
    entry_id = add(sample_db, "草稿标题")
    rename(sample_db, entry_id, "改过的草稿标题")
    assert titles(sample_db) == ["改过的草稿标题"]
    add(sample_db, "草稿标题")  # nothing holds the old draft title any more


@pytest.mark.parametrize(
    ("region", "kwargs", "accepted"),
    [
        ("示例市", {}, True),
        ("示例市东湖区", {}, True),  # a district the units table knows
        ("全国", {}, True),
        (" 示例市 ", {}, True),
        ("火星市", {}, False),
        ("示例市东湖", {}, False),  # a prefix is not a region
        ("甘肃省", {"source_sha256": "ab" * 32, "source_file": "gansu.txt"}, True),
    ],
)
def test_region_must_be_one_the_units_table_serves(sample_db, region, kwargs, accepted) -> None:
    before = snapshot(sample_db)
    if accepted:
        entry_id = add(sample_db, "地区测试", region=region, **kwargs)
        with sample_db.session() as s:
            assert get_entry(s, entry_id).region == region.strip()
        return
    with pytest.raises(InvalidInput, match=f"地区“{region}”不是已登记承办单位所在的地区"):
        add(sample_db, "地区测试", region=region, **kwargs)
    assert snapshot(sample_db) == before


def test_a_writer_losing_a_race_gets_a_conflict_not_a_traceback(sample_db, monkeypatch) -> None:
    import kb.entries

    add(sample_db, LIVE)
    before = snapshot(sample_db)
    # as if the other writer committed between our check and our insert
    monkeypatch.setattr(kb.entries, "title_holder", lambda *args, **kwargs: None)
    with pytest.raises(Conflict, match="同一地区已有同名条目（可能是他人刚刚同时保存）"):
        add(sample_db, LIVE)
    assert snapshot(sample_db) == before


class _DriverError(Exception):
    def __init__(self, text: str, sqlstate: str | None = None) -> None:
        super().__init__(text)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("text", "sqlstate", "expected"),
    [
        ("UNIQUE constraint failed: entries.region, entries.title", None, "同一地区已有同名条目"),
        (
            'duplicate key value violates unique constraint "uq_entries_region_title"',
            "23505",
            "同一地区已有同名条目",
        ),
        (
            "UNIQUE constraint failed: entry_versions.entry_id, entry_versions.version_no",
            None,
            "该条目刚刚被他人编辑",
        ),
        (
            'duplicate key value violates unique constraint "uq_sweep_review"',
            "23505",
            "该条目本季度刚刚已巡检",
        ),
        ("UNIQUE constraint failed: users.name", None, "用户名已存在"),
        ('duplicate key value violates unique constraint "other"', "23505", "数据与已有记录重复"),
        ("FOREIGN KEY constraint failed", None, None),
        ('null value in column "title" violates not-null constraint', "23502", None),
    ],
)
def test_unique_violations_become_conflicts(text, sqlstate, expected) -> None:
    conflict = conflict_from_integrity(IntegrityError("INSERT …", {}, _DriverError(text, sqlstate)))
    if expected is None:
        assert conflict is None
    else:
        assert conflict is not None and conflict.message.startswith(expected)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("a", "a", "不能被自身替代"),
        ("b", "a", "不能互相替代"),  # a is already superseded by b
        ("a", "b", "已标记为被条目"),
        ("a", "archived", "已归档，不能作为替代条目"),
    ],
)
def test_supersede_refusals(sample_db, old: str, new: str, message: str) -> None:
    ids = {"a": add(sample_db, "旧口径"), "b": add(sample_db, "新口径")}
    ids["archived"] = add(sample_db, "归档口径")
    act(sample_db, "rs_editor", lifecycle.archive, ids["archived"], "测试")
    act(sample_db, "rs_editor", set_superseded_by, ids["a"], ids["b"])
    before = snapshot(sample_db)
    with pytest.raises((Conflict, InvalidInput), match=message):
        act(sample_db, "rs_editor", set_superseded_by, ids[old], ids[new])
    assert snapshot(sample_db) == before


def test_migration_0005_restores_live_titles_it_can(tmp_path) -> None:
    """Entries renamed by a draft under 0004 get their live title back unless it was taken."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from kb.db import alembic_config

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    command.upgrade(alembic_config(url), "0004")
    engine = create_engine(url)
    now = "2026-12-01 00:00:00"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO units (id, code, name, region, level, kind, active, created_at)"
                " VALUES (1, 'U', '单位', '示例市', '市', '职能部门', 1, :now)"
            ),
            {"now": now},
        )
        # entry 1: live v1 甲, a draft renamed it 甲（新）, nothing took 甲 → restored;
        # entry 3: live v1 乙, a draft renamed it 丙, then entry 2 took 乙 → 3 keeps 丙
        rows = [(1, "甲（新）", 1, [(1, "甲"), (2, "甲（新）")]), (2, "乙", None, [(1, "乙")]),
                (3, "丙", 1, [(1, "乙"), (2, "丙")])]  # fmt: skip
        for entry_id, title, live, versions in rows:
            conn.execute(
                text(
                    "INSERT INTO entries (id, kind, region, title, owner_unit_id, maintainer,"
                    " status, latest_version_no, published_version_no, created_at, created_by)"
                    " VALUES (:id, 'script', '示例市', :title, 1, 'm', :status, :latest, :live,"
                    " :now, 'm')"
                ),
                {
                    "id": entry_id,
                    "title": title,
                    "latest": len(versions),
                    "live": live,
                    "status": "published" if live else "draft",
                    "now": now,
                },
            )
            for number, version_title in versions:
                conn.execute(
                    text(
                        "INSERT INTO entry_versions (entry_id, version_no, title, questions,"
                        " body, keywords, change_note, author, content_hash, meta, created_at,"
                        " status) VALUES (:e, :n, :t, '[]', 'b', '[]', '', 'm', 'h', '{}', :now,"
                        " 'draft')"
                    ),
                    {"e": entry_id, "n": number, "t": version_title, "now": now},
                )
    command.upgrade(alembic_config(url), "head")
    with engine.connect() as conn:
        titles = dict(conn.execute(text("SELECT id, title FROM entries")).all())
        indexes = {r[1] for r in conn.execute(text("PRAGMA index_list('sweep_reviews')"))}
    engine.dispose()
    assert titles == {1: "甲", 2: "乙", 3: "丙"}  # 3 keeps its draft title: "乙" is taken
    assert "uq_sweep_review" in indexes
