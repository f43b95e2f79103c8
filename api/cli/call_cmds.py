"""`hotline triage`, `hotline fill`, `hotline dispatch`, `hotline catalog check`.

The text comes from ``--text`` or standard input (a whole call transcript may be piped in;
``坐席：`` / ``市民：`` lines are understood). ``fill --file F`` fills one transcript per line
of a JSON Lines file (``text`` field) and writes JSON Lines in the same order, loading the
rules, catalog and model once.
"""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path

import typer
from rich.panel import Panel

from api.cli.output import JsonOpt, console, emit, emit_lines, table, warn
from kb.clock import parse_date
from kb.errors import HotlineError, InvalidInput

TextOpt = typer.Option(None, "--text", help="来电内容或诉求文本（默认读标准输入）")
CatalogOpt = typer.Option(
    None, "--catalog", help="派单目录 CSV（默认 data/policies/dispatch_catalog.csv）"
)
KIND_ZH = {"emergency": "紧急转接", "legal_channel": "法定途径", "explain": "解释说明"}


def read_text(text: str | None) -> str:
    """``--text``, else standard input; a clear error when there is neither."""
    if text is not None:
        value = text
    elif not sys.stdin.isatty():
        value = sys.stdin.read()
    else:
        value = ""
    if not value.strip():
        raise InvalidInput("没有输入内容：请用 --text 提供文本，或通过标准输入传入。")
    return value


def _desk(catalog: Path | None = None, *, need_db: bool = False):
    """A CallDesk on the KB (units, past outcomes) if initialised, else on the shipped files."""
    from api.cli.context import database
    from assistant.call_desk import CallDesk

    try:
        db = database()
    except HotlineError:
        if need_db:
            raise
        warn("知识库尚未初始化：使用随项目发布的单位表，派单不含历史退单/签收学习。")
        return CallDesk(catalog_path=catalog), None
    with db.session() as session:
        return CallDesk(session=session, catalog_path=catalog), db


def _alert_lines(alerts: list[dict]) -> None:
    for alert in alerts:
        colour = "red" if alert["kind"] == "emergency" else "yellow"
        console.print(
            Panel(
                f"{alert['reason']}\n话术：{alert['say']}\n触发：{'、'.join(alert['matched'])}",
                title=f"[{colour}]{KIND_ZH[alert['kind']]} → {alert['target']}[/{colour}]",
                border_style=colour,
            )
        )


# -- triage -------------------------------------------------------------------------------------


def triage_cmd(
    text: str | None = TextOpt,
    rules_only: bool = typer.Option(
        False, "--rules-only", help="只用分流规则（不载入脱敏与向量模型，最快）"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """紧急分流：是否应转 110/119/120/122、告知法定途径或解释说明。"""
    from dataclasses import asdict

    from assistant.triage import triage_report

    value = read_text(text)
    if rules_only:
        report = triage_report(value)
    else:
        # the same verdict as the form: the rules, and the similarity backstop over the call
        # desk's embedder (on the masked words) when the rules saw no emergency at all
        desk, _db = _desk()
        report = desk.fill(value).triage
    data = {
        "alerts": [asdict(a) for a in report.alerts],
        "transfer": report.transfer,
        "legal_channel": report.legal_channel,
        "ignored": [asdict(i) for i in report.ignored],
    }

    def render() -> None:
        if not report.alerts:
            console.print("[green]无需转接，也不涉及法定途径。[/green]")
        _alert_lines(data["alerts"])
        for item in report.ignored:
            console.print(f"[dim]已忽略“{item.phrase}”：{item.why}[/dim]")

    emit(data, as_json, render)


# -- fill ---------------------------------------------------------------------------------------


def _draft_rows(draft: dict) -> list[list]:
    from assistant.form import FIELD_LABELS

    rows = []
    for name, label in FIELD_LABELS.items():
        value = draft.get(name)
        if name == "category_code" and value:
            value = f"{value} {draft.get('category_name') or ''}"
        if name == "due_on" and draft.get("due"):
            due = draft["due"]
            value = (
                f"{value}（{due['working_days']} 个工作日，{due['basis']}）"
                if value
                else due["basis"]
            )
        if isinstance(value, bool):
            value = "是" if value else "否"
        if name in draft.get("missing", []):
            value = "（未说，待询问）"
        rows.append([label, value])
    return rows


def _read_jsonl(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InvalidInput(f"找不到文件 {path}。") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"文件 {path} 不是 UTF-8 文本。") from None
    records, errors = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            errors.append(f"第 {number} 行不是合法的 JSON")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            errors.append(f"第 {number} 行缺少文本字段 text")
            continue
        records.append(record)
    if errors:
        raise InvalidInput(f"{path} 有 {len(errors)} 行无法读取，未处理任何一行。", details=errors)
    return records


def fill_cmd(
    text: str | None = TextOpt,
    file: Path | None = typer.Option(
        None, "--file", help="JSON Lines 文件，每行一个含 text 字段的通话，按原顺序输出 JSON Lines"
    ),
    accepted_on: str | None = typer.Option(None, "--accepted-on", help="受理日期（默认今天）"),
    as_json: bool = JsonOpt,
) -> None:
    """智能填单：只按来电人所说填写工单，未说到的字段留空并列为待询问。"""
    day = parse_date(accepted_on, "受理日期")
    if file is not None:
        if text is not None:
            raise InvalidInput("--text 与 --file 只能二选一。")
        records = _read_jsonl(file)
        desk, db = _desk()
        with db.session() if db else nullcontext() as session:

            def rows():
                for record in records:
                    result = desk.fill(record["text"], accepted_on=day, session=session)
                    out = {k: v for k, v in record.items() if k != "text"}
                    yield {**out, **result.draft.to_dict()}

            emit_lines(rows())
        return
    transcript = read_text(text)
    desk, db = _desk()
    if db is not None:
        with db.session() as session:
            result = desk.fill(transcript, accepted_on=day, session=session)
    else:
        result = desk.fill(transcript, accepted_on=day)
    data = result.draft.to_dict()

    def render() -> None:
        _alert_lines(data["alerts"])
        console.print(table("工单草稿", ["字段", "内容"], _draft_rows(data)))
        if data["missing"]:
            console.print(f"[yellow]还需询问：{'、'.join(data['missing_labels'])}[/yellow]")
        for note in data["notes"]:
            console.print(f"[dim]说明：{note}[/dim]")

    emit(data, as_json, render)


# -- dispatch -----------------------------------------------------------------------------------


def render_dispatch(data: dict) -> None:
    """Print dispatch suggestions for people."""
    j = data["jurisdiction"]
    place = "".join(p for p in (j["district"], j["street"]) if p) or "未知"
    console.print(f"属地：{place}（{j['how']}）")
    if j["missing"]:
        labels = {"district": "区县", "street": "街道（乡镇）"}
        console.print(
            f"[yellow]事发地不完整：缺{'、'.join(labels[m] for m in j['missing'])}[/yellow]"
        )
    for note in j["notes"]:
        console.print(f"[dim]{note}[/dim]")
    rows = []
    for s in data["suggestions"]:
        lead = s["lead"]
        lead_text = (
            f"{lead['name']}（{lead['code']}）" if lead["code"] else f"未确定：{lead['note']}"
        )
        co = "、".join(c["name"] or f"未确定（{c['rule']}）" for c in s["co"]) or "—"
        rows.append(
            [
                s["rank"],
                f"{s['catalog_id']} {s['matter']}",
                lead_text,
                co,
                f"{s['score']:.2f}",
                "；".join(s["why"]),
            ]
        )
    console.print(table("派单建议", ["#", "事项", "主办", "协办", "得分", "理由"], rows))
    if data["suggestions"]:
        console.print(f"依据：{data['suggestions'][0]['basis']}")


def dispatch_cmd(
    text: str | None = TextOpt,
    district: str | None = typer.Option(None, "--district", help="事发区县，如 东湖区"),
    street: str | None = typer.Option(None, "--street", help="事发街道（乡镇），如 湖滨街道"),
    on: str | None = typer.Option(None, "--on", help="按哪一天的派单目录（默认今天）"),
    catalog: Path | None = CatalogOpt,
    as_json: bool = JsonOpt,
) -> None:
    """智能派单：按派单目录给出前三个事项及主办、协办单位；职能部门事项不派街道。"""
    from dataclasses import asdict

    appeal = read_text(text)
    desk, _db = _desk(catalog)
    result = desk.dispatch(appeal, district, street, parse_date(on, "日期"))
    emit(asdict(result), as_json, lambda: render_dispatch(asdict(result)))


def catalog_check_cmd(
    path: Path | None = typer.Argument(None, help="派单目录 CSV（默认随项目发布的示例目录）"),
    as_json: bool = JsonOpt,
) -> None:
    """检查派单目录：单位编码、规则、日期、分类，以及职能部门事项不以街道为主办。"""
    from assistant.dispatch.catalog import default_catalog_path, load_catalog
    from assistant.jurisdiction import default_directory

    file = path or default_catalog_path()
    try:
        from api.cli.context import database

        with database().session() as session:
            directory = default_directory(session)
    except HotlineError:
        directory = default_directory()
    loaded = load_catalog(file, directory)
    data = {
        "file": str(file),
        "rows": len(loaded.rows),
        "functional": sum(r.matter_kind == "职能" for r in loaded.rows),
        "local": sum(r.matter_kind == "属地" for r in loaded.rows),
    }
    emit(
        data,
        as_json,
        lambda: console.print(
            f"[green]派单目录检查通过[/green]：{file}，共 {data['rows']} 项"
            f"（职能 {data['functional']}，属地 {data['local']}）。"
        ),
    )


def eval_triage_cmd(
    dataset: Path | None = typer.Option(
        None, "--dataset", help="标注集（JSON Lines，默认 eval/datasets/triage_dev.jsonl）"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """紧急分流评测：各热线召回率与精确率、法定途径准确率，逐条列出漏报与误报。"""
    from eval.triage import DEFAULT_DATASET, render_triage_report, run_triage_eval

    report = run_triage_eval(dataset or DEFAULT_DATASET)
    emit(report.to_dict(), as_json, lambda: render_triage_report(report, console))


def register(app: typer.Typer) -> None:
    """Add the call commands to the CLI (and ``eval triage`` to the eval group)."""
    from api.cli.eval_cmds import eval_app

    # eval_cmds.py belongs to the eval owners; the triage eval sits with the triage commands
    eval_app.command("triage")(eval_triage_cmd)
    app.command("triage")(triage_cmd)
    app.command("fill")(fill_cmd)
    app.command("dispatch")(dispatch_cmd)
    catalog_app = typer.Typer(help="派单目录：检查", no_args_is_help=True)
    catalog_app.command("check")(catalog_check_cmd)
    app.add_typer(catalog_app, name="catalog")
