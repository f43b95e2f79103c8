"""Shared fixtures: an isolated HOTLINE_HOME per test, an initialised sample KB, the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kb.db import Database, get_database, reset_databases
from kb.settings import get_settings

SEEDS = Path(__file__).resolve().parent.parent / "data" / "policies" / "seeds"


@pytest.fixture
def hotline_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh, empty HOTLINE_HOME for one test (settings and engines reset around it)."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOTLINE_HOME", str(home))
    monkeypatch.delenv("HOTLINE_DATABASE_URL", raising=False)
    monkeypatch.delenv("HOTLINE_USER", raising=False)
    get_settings.cache_clear()
    reset_databases()
    yield home
    reset_databases()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def _sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised sample KB per test session; each test gets a copy of its file."""
    import os

    from kb.bootstrap import initialise
    from kb.settings import Settings

    home = tmp_path_factory.mktemp("template-home")
    old = os.environ.get("HOTLINE_HOME")
    os.environ["HOTLINE_HOME"] = str(home)
    get_settings.cache_clear()
    reset_databases()
    try:
        initialise(Settings(home=home), sample=True)
    finally:
        reset_databases()  # closes connections: the WAL is checkpointed into the file
        get_settings.cache_clear()
        if old is None:
            os.environ.pop("HOTLINE_HOME", None)
        else:
            os.environ["HOTLINE_HOME"] = old
    return home / "kb.sqlite3"


@pytest.fixture
def sample_db(hotline_home: Path, _sample_template: Path) -> Database:
    """An initialised KB with the sample 示例市 units and users loaded."""
    import shutil

    hotline_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_sample_template, hotline_home / "kb.sqlite3")
    return get_database()


@dataclass
class CliResult:
    """What one CLI run printed and returned."""

    code: int
    out: str
    err: str

    def json(self):
        """stdout parsed as JSON."""
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run ``hotline`` in-process: ``cli("kb", "list", "--json")`` → CliResult."""
    from api.cli.main import main

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def snapshot(db: Database) -> dict[str, list[tuple]]:
    """Every row of every KB table, to prove that a refused operation changed nothing."""
    from sqlalchemy import select

    import kb.tables  # noqa: F401 - registers every table
    from kb.models import Base

    with db.engine.connect() as conn:
        return {
            table.name: sorted((tuple(row) for row in conn.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }
