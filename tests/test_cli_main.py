"""The ``hotline`` entry point: exit codes of bare groups, unknown commands, the help text."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        ((), 0, "未指定 --as 或 HOTLINE_USER 时以管理员 admin"),
        (("pii",), 0, "mask"),  # a bare group prints its help; nothing went wrong
        (("orders",), 0, "import"),
        (("kb",), 0, "rollback"),
        (("nosuch",), 1, "没有命令“nosuch”"),
        (("kb", "show"), 1, "缺少参数"),
    ],
)
def test_entry_point_exit_codes(cli, hotline_home, argv, code, needle) -> None:
    result = cli(*argv)
    assert result.code == code
    assert needle in result.out + result.err
    assert "用法错误：（" not in result.err  # never an empty message
