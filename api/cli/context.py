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
    None, "--as", help="以哪个用户身份操作（默认取环境变量 HOTLINE_USER，否则 admin）"
)


def actor_name(value: str | None) -> str:
    """The acting user's name: --as, then HOTLINE_USER, then admin."""
    return value or os.environ.get("HOTLINE_USER") or "admin"


def database() -> Database:
    """The initialised database (a clear error if `hotline init` was never run)."""
    return get_database(get_settings())


@contextmanager
def unit_of_work(as_user: str | None = None) -> Iterator[tuple[Session, Actor]]:
    """A session committed on success, and the acting user loaded from it."""
    with database().session() as session:
        yield session, Actor.load(session, actor_name(as_user))
