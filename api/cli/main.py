"""Entry point of the ``hotline`` command.

Each command group lives in its own module exposing ``register(app)``; add a module to
:data:`COMMAND_MODULES` to add commands. Exit codes: 0 ok, 1 user error (a
:class:`~kb.errors.HotlineError`, bad arguments), 2 internal error.
"""

from __future__ import annotations

import importlib
import logging
import re
import sys
import traceback

import click
import typer

from api.cli.output import dumps, err_console
from kb.errors import HotlineError

COMMAND_MODULES = [
    "api.cli.setup_cmds",
    "api.cli.kb_cmds",
    "api.cli.clock_cmds",
    "api.cli.ingest_cmds",
    "api.cli.serve_cmds",
    "api.cli.ask_cmds",
    "api.cli.gaps_cmds",
    "api.cli.bench_cmds",
    "api.cli.pii_cmds",
    "api.cli.eval_cmds",
    "api.cli.call_cmds",
    "api.cli.order_cmds",
]

app = typer.Typer(
    name="hotline",
    help=(
        "12345 热线知识库与坐席辅助（Hotline Desk）。\n\n"
        "未指定 --as 或 HOTLINE_USER 时以管理员 admin 身份操作"
        "（能运行命令行的人本就掌握数据库文件）。"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


# Typer vendors its own copy of click; a bare group raises whichever copy built it.
_NO_ARGS_IS_HELP: tuple[type[BaseException], ...] = (click.exceptions.NoArgsIsHelpError,)
try:
    from typer._click.exceptions import NoArgsIsHelpError as _TyperNoArgsIsHelp

    _NO_ARGS_IS_HELP += (_TyperNoArgsIsHelp,)
except ImportError:  # a Typer that uses the installed click
    pass

_USAGE_ZH = [
    (re.compile(r"No such command '(.+?)'\.?"), r"没有命令“\1”"),
    (re.compile(r"No such option: (\S+?)\.?$"), r"没有选项 \1"),
    (re.compile(r"Missing option '(.+?)'\.?"), r"缺少必填选项 \1"),
    (re.compile(r"Missing argument '(.+?)'\.?"), r"缺少参数 \1"),
    (re.compile(r"Invalid value for '(.+?)': (.*)", re.S), r"参数 \1 的值无效（\2）"),
    (re.compile(r"Option '(.+?)' requires an argument\.?"), r"选项 \1 需要一个值"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), r"多余的参数：\1"),
]


def usage_message_zh(message: str) -> str:
    """Click's English usage errors, in Chinese where we know the pattern."""
    for pattern, replacement in _USAGE_ZH:
        if pattern.search(message):
            return pattern.sub(replacement, message).strip()
    return message


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv``; returns the exit code instead of exiting."""
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        result = app(args=args, prog_name="hotline", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except HotlineError as exc:
        if as_json:
            sys.stdout.write(dumps(exc.to_dict()) + "\n")
        err_console.print(f"[red]错误：{exc.message}[/red]")
        for detail in exc.details:
            err_console.print(f"  - {detail}")
        return 1
    except (click.exceptions.Exit, typer.Exit) as exc:
        return exc.exit_code
    except _NO_ARGS_IS_HELP:
        # a bare command group (``hotline pii``) has printed its help: nothing went wrong
        return 0
    except (click.exceptions.Abort, typer.Abort):
        err_console.print("[red]已取消。[/red]")
        return 1
    except (click.ClickException, typer.TyperException) as exc:
        # bad arguments or options (Typer vendors its own copy of click)
        message = usage_message_zh(
            exc.format_message() if hasattr(exc, "format_message") else str(exc)
        )
        if as_json:
            sys.stdout.write(dumps({"error": "usage", "message": message}) + "\n")
        ctx = getattr(exc, "ctx", None)
        hint = f"（查看帮助：{ctx.command_path} --help）" if ctx is not None else ""
        err_console.print(f"[red]用法错误：{message}{hint}[/red]")
        return 1
    except KeyboardInterrupt:
        err_console.print("[red]已中断。[/red]")
        return 1
    except Exception as exc:
        if as_json:
            sys.stdout.write(dumps({"error": "internal", "message": str(exc)}) + "\n")
        err_console.print(f"[red]内部错误：{type(exc).__name__}: {exc}[/red]")
        err_console.print(traceback.format_exc(), markup=False)
        return 2


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
