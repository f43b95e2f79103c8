"""Engine, sessions and schema migrations.

SQLite (WAL, foreign keys on) by default; any SQLAlchemy URL (PostgreSQL) works the same.
The schema is only ever created by Alembic migrations (``kb/migrations``), never by
``create_all``, so a database made today can be upgraded tomorrow.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

import kb.guards  # noqa: F401 - registers the immutability guards on every Session
from kb.errors import Conflict, HotlineError
from kb.settings import Settings, get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    """Alembic configuration pointing at our migrations and ``url``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


# What a unique constraint protects, by a fragment of its name or columns as the drivers
# report it (SQLite: "UNIQUE constraint failed: entries.region, entries.title"; PostgreSQL:
# 'duplicate key value violates unique constraint "uq_entries_region_title"').
_UNIQUE_ZH = (
    (("uq_entries_region_title", "entries.region, entries.title"), "同一地区已有同名条目"),
    (("entries_source_key", "entries.source_key"), "该来源文件已对应一个条目"),
    (("uq_version_no", "entry_versions.entry_id"), "该条目刚刚被他人编辑，产生了同一版本号"),
    (("uq_sweep_review", "sweep_reviews."), "该条目本季度刚刚已巡检"),
    (("uq_intake_unit_doc_no", "intake_items."), "该单位已登记同一文号的待录入政策"),
    (("units_code", "units_name", "units.code", "units.name"), "单位编码或名称已存在"),
    (("users_name", "users.name"), "用户名已存在"),
)


def conflict_from_integrity(exc: IntegrityError) -> Conflict | None:
    """The Chinese conflict for a unique-constraint violation; None for any other integrity error.

    Our code checks for duplicates before writing, so this only fires when two writers race
    between the check and the commit; the loser gets a conflict (exit 1 / HTTP 409), not a
    traceback. Foreign-key and NOT NULL violations stay bugs.
    """
    text = str(exc.orig)
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if "UNIQUE constraint failed" not in text and "duplicate key" not in text and code != "23505":
        return None
    what = next(
        (zh for keys, zh in _UNIQUE_ZH if any(k in text for k in keys)), "数据与已有记录重复"
    )
    return Conflict(f"{what}（可能是他人刚刚同时保存），本次操作未保存；请刷新后重试。")


class Database:
    """One database: its engine, a session factory and migration helpers."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def upgrade(self) -> str:
        """Apply every pending migration; returns the revision now current."""
        with self.engine.begin() as conn:
            cfg = alembic_config(self.url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        return self.current_revision() or ""

    def current_revision(self) -> str | None:
        """The schema revision stored in the database (None if never initialised)."""
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def head_revision(self) -> str:
        """The newest revision the code knows."""
        script = ScriptDirectory.from_config(alembic_config(self.url))
        return script.get_current_head() or ""

    def ensure_current(self) -> None:
        """Refuse to work on a database that is missing or behind the code."""
        current = self.current_revision()
        if current is None:
            raise HotlineError("知识库尚未初始化，请先运行 `hotline init`。")
        if current != self.head_revision():
            raise HotlineError("知识库结构版本落后于程序，请运行 `hotline init` 升级。")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block succeeds, rolled back otherwise."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except IntegrityError as exc:
            session.rollback()
            conflict = conflict_from_integrity(exc)
            if conflict is None:
                raise
            raise conflict from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


_lock = threading.Lock()
_databases: dict[str, Database] = {}


def get_database(settings: Settings | None = None, *, check: bool = True) -> Database:
    """The process-wide :class:`Database` for the configured URL."""
    url = (settings or get_settings()).db_url
    with _lock:
        db = _databases.get(url)
        if db is None:
            db = _databases[url] = Database(url)
    if check:
        db.ensure_current()
    return db


def reset_databases() -> None:
    """Forget cached databases (tests switch HOTLINE_HOME between cases)."""
    with _lock:
        for db in _databases.values():
            db.dispose()
        _databases.clear()
