"""`hotline pii …`: mask personal data in text (stdin, --text, or one text per line of a file).

The masked text and the entity list (type, span, score, placeholder) are printed; the
original values are never printed or logged — the vault stays in this process and is
discarded when the command ends.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from api.cli.output import JsonOpt, console, dumps, emit, table
from kb.errors import InvalidInput

pii_app = typer.Typer(
    help="个人信息脱敏：姓名、手机号、身份证、银行卡、地址、车牌等", no_args_is_help=True
)


def _masked(text: str) -> dict:
    from assistant.privacy.masking import mask

    result = mask(text)
    return {"text": result.text, "entities": [e.to_dict() for e in result.entities]}


def _read_file(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InvalidInput(f"找不到文件 {path}。") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"文件 {path} 不是 UTF-8 文本，请转换编码后重试。") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} 是目录，请给出一个文本文件。") from None


def _is_json_lines(lines: list[str]) -> bool:
    """JSON Lines when the first non-empty line is a JSON object."""
    first = next((line for line in lines if line.strip()), "")
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def mask_lines(lines: list[str]) -> list[dict]:
    """One output row per input line, in order (plain text, or JSON Lines with ``text``)."""
    rows = []
    if _is_json_lines(lines):
        for number, line in enumerate(lines, 1):
            if not line.strip():
                rows.append({"line": number, "text": "", "entities": []})
                continue
            try:
                record = json.loads(line)
            except ValueError:
                raise InvalidInput(f"第 {number} 行不是合法的 JSON。") from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise InvalidInput(f"第 {number} 行缺少文本字段 text。")
            rows.append({**record, **_masked(record["text"])})
        return rows
    for number, line in enumerate(lines, 1):
        rows.append({"line": number, **_masked(line)})
    return rows


@pii_app.command("mask")
def mask_cmd(
    text: str | None = typer.Option(None, "--text", help="要脱敏的文本（默认读标准输入）"),
    file: Path | None = typer.Option(
        None, "--file", help="逐行脱敏：纯文本或含 text 字段的 JSON Lines，输出 JSON Lines"
    ),
    out: Path | None = typer.Option(None, "--out", help="与 --file 同用：结果写入该文件"),
    as_json: bool = JsonOpt,
) -> None:
    """脱敏：把个人信息替换为〔姓名1〕〔手机号1〕等占位符。"""
    if text is not None and file is not None:
        raise InvalidInput("--text 与 --file 只能二选一。")
    if out is not None and file is None:
        raise InvalidInput("--out 只能与 --file 一起使用。")
    if file is not None:
        rows = mask_lines(_read_file(file))
        payload = "".join(dumps(row) + "\n" for row in rows)
        if out is None:
            sys.stdout.write(payload)
        else:
            out.write_text(payload, encoding="utf-8")
            console.print(f"已脱敏 {len(rows)} 行，结果写入 {out}。")
        return
    if text is None:
        text = sys.stdin.read()
    if not text.strip():
        raise InvalidInput("没有要脱敏的文本：请用 --text、--file 或标准输入提供。")
    data = _masked(text)

    def render() -> None:
        console.print(data["text"], markup=False, end="" if data["text"].endswith("\n") else "\n")
        if data["entities"]:
            from assistant.privacy.entities import ENTITY_NAMES_ZH

            rows = [
                [
                    ENTITY_NAMES_ZH.get(e["type"], e["type"]),
                    e["placeholder"],
                    f"{e['start']}–{e['end']}",
                    e["score"],
                ]
                for e in data["entities"]
            ]
            console.print(table("检出的个人信息", ["类型", "占位符", "位置", "置信度"], rows))

    emit(data, as_json, render)


def register(app: typer.Typer) -> None:
    """Add `hotline pii` to the CLI."""
    app.add_typer(pii_app, name="pii")
