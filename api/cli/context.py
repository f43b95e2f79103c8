"""What every CLI command needs: settings, the database, and who is acting."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from kb.actors import Actor
from kb.db import Database, get_database
from kb.settings import get_settings

ActorOpt = typer.Option(
    None,
    "--as",
    help="以哪个用户身份操作（默认取环境变量 HOTLINE_USER；都不给时以管理员 admin 身份操作——"
    "能运行命令行的人本就掌握数据库文件）",
)


def actor_name(value: str | None) -> str:
    """The acting user's name: --as, then HOTLINE_USER, then admin.

    Admin by default on purpose: whoever can run the CLI can open the database file, so
    a stricter default would protect nothing. Roles matter over HTTP, where tokens are.
    """
    return value or os.environ.get("HOTLINE_USER") or "admin"


def database() -> Database:
    """The initialised database (a clear error if `hotline init` was never run)."""
    return get_database(get_settings())


@contextmanager
def unit_of_work(as_user: str | None = None) -> Iterator[tuple[Session, Actor]]:
    """A session committed on success, and the acting user loaded from it."""
    with database().session() as session:
        yield session, Actor.load(session, actor_name(as_user))
