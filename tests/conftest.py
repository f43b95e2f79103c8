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


@pytest.fixture
def sample_db(hotline_home: Path) -> Database:
    """An initialised KB with the sample 示例市 units and users loaded."""
    from kb.bootstrap import initialise

    initialise(sample=True)
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
