"""Shared output for CLI commands: rich for people, ``--json`` for machines.

Every command takes ``--json``; it calls :func:`emit` with plain data and a render function.
Errors are raised as :class:`kb.errors.HotlineError` and turned into exit codes in
:mod:`api.cli.main`, never printed by commands themselves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import sys
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from kb.clock import CHINA_TZ

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

JsonOpt = typer.Option(False, "--json", help="输出 JSON（供程序使用）")


def to_jsonable(value: Any) -> Any:
    """Dates, enums, paths, dataclasses and numpy scalars to JSON-friendly values."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(dataclasses.asdict(value))
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return value.item()
    return value


def dumps(data: Any) -> str:
    """Compact UTF-8 JSON of ``data``."""
    return json.dumps(to_jsonable(data), ensure_ascii=False)


def emit(data: Any, as_json: bool, render: Callable[[], None] | None = None) -> None:
    """Print ``data`` as JSON, or call ``render`` to show it to a person."""
    if as_json or render is None:
        sys.stdout.write(json.dumps(to_jsonable(data), ensure_ascii=False, indent=2) + "\n")
    else:
        render()


def emit_lines(rows: Iterable[Any], out: Any = None) -> None:
    """JSON Lines, one object per row, flushed as produced."""
    stream = out or sys.stdout
    for row in rows:
        stream.write(dumps(row) + "\n")
        stream.flush()


def table(title: str | None, columns: list[str], rows: Iterable[Iterable[Any]]) -> Table:
    """A rich table with Chinese headers; None cells shown as a dash."""
    tbl = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        tbl.add_column(column, overflow="fold")
    for row in rows:
        tbl.add_row(*("—" if cell is None or cell == "" else str(cell) for cell in row))
    return tbl


def warn(message: str) -> None:
    """A warning for people, on stderr so JSON on stdout stays clean."""
    err_console.print(f"[yellow]注意：{message}[/yellow]")


def local_time(ts: dt.datetime | None) -> str | None:
    """A stored timestamp as China time, ``2026-12-02 21:38:19`` (SQLite gives naive UTC)."""
    if ts is None:
        return None
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=dt.UTC)
    return ts.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")


def group(help_text: str) -> typer.Typer:
    """A command group that, called bare, shows its help and exits 0 (not a usage error)."""
    app = typer.Typer(help=help_text, invoke_without_command=True)

    @app.callback()
    def _bare(ctx: typer.Context) -> None:
        if ctx.invoked_subcommand is None:
            typer.echo(ctx.get_help())
            raise typer.Exit(0)

    return app
