"""`hotline ask`, `hotline reindex`, `hotline check`.

Registering this module also subscribes the vector index to KB lifecycle events, so every
CLI command that publishes, rolls back or archives keeps the index in step.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api.cli.context import database
from api.cli.output import JsonOpt, console, dumps, emit, err_console, table, warn
from kb.clock import parse_date, today
from kb.entries import parse_kind
from kb.errors import HotlineError, InvalidInput

DateOpt = typer.Option(None, "--date", help="按哪一天判断有效性（默认今天），如 2026-11-22")


def progress_bar() -> Progress:
    """A transient progress bar on stderr (stdout stays clean for --json)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def current_runtime():
    """The retrieval runtime for the current settings."""
    from assistant.runtime import get_runtime

    return get_runtime()


def ensure_index_with_progress(runtime) -> None:
    """Build the index from the KB on first use, with a progress bar."""
    if runtime.index_exists():
        return
    from assistant.sync import reindex

    err_console.print("首次使用：正在根据知识库建立检索索引……")
    with database().session() as session, progress_bar() as progress:
        task = progress.add_task("建立索引", total=None)
        reindex(
            session,
            runtime,
            progress=lambda n: progress.advance(task, n),
            on_total=lambda n: progress.update(task, total=n),
        )


# -- ask ----------------------------------------------------------------------------------------


def _render_answer(data: dict) -> None:
    if not data["answered"]:
        console.print(
            f"[yellow]知识库中没有足够可靠的答案[/yellow]（置信度 {data['confidence']:.2f}），"
            "请按业务规范记录诉求并转派，不要凭印象答复。"
        )
        if data.get("gap_id"):
            console.print(f"已记录为知识库缺口 #{data['gap_id']}（问题已脱敏），供质检补充。")
        return
    top = data["suggestions"][0]
    source = "　".join(
        part
        for part in (
            f"依据：{top['basis_title']}" if top["basis_title"] else "",
            f"文号：{top['doc_no']}" if top["doc_no"] else "",
            f"责任单位：{top['owner_unit']}",
            f"有效期至：{top['expires_on'] or '长期有效'}",
        )
        if part
    )
    heading = " › ".join(top["heading_path"])
    title = f"[bold]{top['title']}[/bold]（{top['kind_zh']}）" + (f"\n{heading}" if heading else "")
    console.print(
        Panel(f"{title}\n\n{top['text']}\n\n[dim]{source}[/dim]", expand=False), soft_wrap=False
    )
    console.print(f"置信度 {data['confidence']:.2f}；查询日期 {data['on']}。")
    others = data["suggestions"][1:]
    if others:
        console.print(
            table(
                "其他参考",
                ["类型", "标题", "条款位置", "得分", "达到答复标准"],
                (
                    [
                        s["kind_zh"],
                        s["title"],
                        " › ".join(s["heading_path"]),
                        f"{s['score']:.3f}",
                        "是" if s["answers"] else "否",
                    ]
                    for s in others
                ),
            )
        )


def _result_dict(result) -> dict:
    from api.cli.output import to_jsonable

    data = to_jsonable(result)
    for suggestion, raw in zip(data["suggestions"], result.suggestions, strict=True):
        suggestion["kind_zh"] = raw.kind_zh
    return data


#: how much of a refused line is echoed back (a 96,000-character line must not be)
ECHO_CHARS = 40


def _echo(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= ECHO_CHARS:
        return text
    return f"{text[:ECHO_CHARS]}…（共 {len(text)} 字）"


def _line_question(number: int, line: str) -> tuple[str | None, str | None]:
    """(question, error) of one line: plain text, or a JSON object with a string "text"."""
    from assistant.answer import validate_question

    if line[0] in '{["':
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            if line[0] == "{":
                return None, f"第 {number} 行不是合法 JSON：{exc.msg}"
            row = None  # "[急] 孩子上户口" is a question, not broken JSON
        if row is not None:
            text = row.get("text") if isinstance(row, dict) else None
            if not isinstance(text, str) or not text.strip():
                return None, f"第 {number} 行是 JSON，但不是带字符串字段 text 的对象"
            line = text
    try:
        return validate_question(line), None
    except HotlineError as exc:
        return None, f"第 {number} 行：{exc.message}"


def _read_questions(path: Path) -> list[tuple[int, str | None, str | None, str]]:
    """(line number, question, error, echo) for every non-empty line, validated as read:
    a refused line costs no masking and no model time, and is echoed only in part."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise InvalidInput(f"找不到问题文件 {path}。") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"问题文件 {path} 不是 UTF-8 文本。") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} 是目录，请给出问题文件。") from None
    out: list[tuple[int, str | None, str | None, str]] = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line:
            continue
        question, error = _line_question(number, line)
        out.append((number, question, error, question or _echo(line)))
    if not out:
        raise InvalidInput(f"问题文件 {path} 中没有问题（每行一个问题）。")
    return out


def _ask_file(
    path: Path, day, region, top_k, record: bool, as_json: bool, kinds=None, unit=None
) -> None:
    from assistant.answer import Prepared, mask_question
    from assistant.answer import ask as ask_one
    from assistant.retrieval import Retriever
    from assistant.scope import check_scope

    items = _read_questions(path)
    runtime = current_runtime()
    check_scope(runtime.settings, region, unit)  # a wrong --region fails the run, not each row
    ensure_index_with_progress(runtime)
    retriever = Retriever(runtime)
    _warn_uncalibrated(retriever)
    # masked once per question; then one batched pass through the model for the whole
    # file (ask() finds each vector in the in-memory query cache)
    prepared = {n: Prepared(q, mask_question(q)) for n, q, err, _ in items if err is None}
    runtime.embedder.embed_queries([p.search for p in prepared.values()])
    rows = []
    for number, _, error, echo in items:
        if error is None:
            try:
                result = ask_one(
                    prepared[number],
                    on=day,
                    region=region,
                    top_k=top_k,
                    kinds=kinds,
                    unit=unit,
                    record=record,
                    channel="batch",
                    runtime=runtime,
                    retriever=retriever,
                )
                row = {"line": number, **_result_dict(result)}
            except HotlineError as exc:
                row = {"line": number, "question": echo, **exc.to_dict()}
        else:
            row = {"line": number, "question": echo, "error": "invalid_input", "message": error}
        rows.append(row)
        if as_json:
            sys.stdout.write(dumps(row) + "\n")
            sys.stdout.flush()
    if not as_json:
        answered = sum(1 for r in rows if r.get("answered"))
        console.print(
            table(
                f"批量问答：{len(rows)} 个问题，{answered} 个有答案",
                ["行", "问题", "答复", "置信度", "首条建议"],
                (
                    [
                        r["line"],
                        r.get("question", ""),
                        "错误" if "error" in r else ("有" if r["answered"] else "无"),
                        f"{r['confidence']:.2f}" if "confidence" in r else "",
                        r["suggestions"][0]["title"]
                        if r.get("suggestions")
                        else r.get("message", ""),
                    ]
                    for r in rows
                ),
            )
        )


def _warn_uncalibrated(retriever) -> None:
    """Say it on stderr when the answer decision is not calibrated for this model."""
    if retriever.decision.warning:
        warn(retriever.decision.warning)


def ask(
    question: str | None = typer.Argument(None, help="来电人的问题"),
    file: Path | None = typer.Option(
        None, "--file", help="批量：每行一个问题（纯文本，或带 text 字段的 JSON Lines）"
    ),
    date: str | None = DateOpt,
    region: str | None = typer.Option(None, "--region", help="来电所属地区，如 示例市东湖区"),
    kind: list[str] | None = typer.Option(
        None, "--kind", help="只查某类条目：script / faq / policy / notice（可重复）"
    ),
    unit: str | None = typer.Option(None, "--unit", help="只查某责任单位的条目（编码或全称）"),
    top_k: int = typer.Option(5, "--top-k", min=1, max=50, help="最多返回几条建议"),
    record: bool = typer.Option(
        True, "--record/--no-record", help="是否记录问题（脱敏后）及知识库缺口"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """智能问答：给出答复口径与政策依据（含来源与有效期）；答不了时明确说明并记录缺口。"""
    day = parse_date(date, "查询日期") or today()
    kinds = [parse_kind(k).value for k in kind] if kind else None
    if file is not None:
        if question:
            raise InvalidInput("问题参数与 --file 只能二选一。")
        _ask_file(file, day, region, top_k, record, as_json, kinds, unit)
        return
    if not (question or "").strip():
        raise InvalidInput('请给出问题，如：hotline ask "孩子刚出生，怎么给他上户口？"')
    from assistant.answer import decide, prepare, record_decision, validate_question
    from assistant.retrieval import Retriever
    from assistant.scope import check_scope

    runtime = current_runtime()
    # bad input is refused before any model or index work
    validate_question(question)
    check_scope(runtime.settings, (region or "").strip() or None, (unit or "").strip() or None)
    prepared = prepare(question)
    ensure_index_with_progress(runtime)
    retriever = Retriever(runtime)
    _warn_uncalibrated(retriever)
    decision = decide(
        prepared,
        on=day,
        region=region,
        top_k=top_k,
        kinds=kinds,
        unit=unit,
        runtime=runtime,
        retriever=retriever,
    )
    result = decision.result
    if record and not result.answered:
        result.gap_id = record_decision(decision, runtime, channel="cli")
    data = _result_dict(result)
    emit(data, as_json, lambda: _render_answer(data))
    if record and result.answered:
        record_decision(decision, runtime, channel="cli")


# -- reindex / check ------------------------------------------------------------------------------


def reindex(as_json: bool = JsonOpt) -> None:
    """根据知识库重建检索索引（只收录已发布且未归档条目的现行版本；有效期在查询时过滤）。"""
    from assistant.sync import reindex as rebuild

    runtime = current_runtime()
    with database().session() as session, progress_bar() as progress:
        task = progress.add_task("重建索引", total=None)
        stats = rebuild(
            session,
            runtime,
            progress=lambda n: progress.advance(task, n),
            on_total=lambda n: progress.update(task, total=n),
        )
    data = {**stats.__dict__, "index": runtime.manifest.to_dict()}
    emit(
        data,
        as_json,
        lambda: console.print(
            f"[green]索引已重建[/green]：条目 {stats.entries} 个，索引点 {stats.points} 个，"
            f"新计算向量 {stats.embedded} 个（其余取自缓存），用时 {stats.seconds:.1f} 秒。"
        ),
    )


def check(date: str | None = DateOpt, as_json: bool = JsonOpt) -> None:
    """核对知识库与检索索引：缺失、版本过旧、多余条目、内容不一致、当日有效性差异。"""
    from assistant.sync import check as compare

    day = parse_date(date, "核对日期") or today()
    runtime = current_runtime()
    if not runtime.index_exists():
        raise InvalidInput("尚未建立检索索引，请先运行 `hotline reindex`。")
    with database().session() as session:
        report = compare(session, day, runtime)
    decision = runtime.answer_decision()
    data = {
        "answer_decision": {
            "embed_model": decision.embed_model,
            "calibrated": decision.calibrated,
            "cut": decision.model.cut,
            "warning": decision.warning,
        },
        "ok": report.ok,
        "day": report.day,
        "kb_entries": report.kb_entries,
        "index_entries": report.index_entries,
        "index_points": report.index_points,
        "in_force_kb": report.in_force_kb,
        "in_force_index": report.in_force_index,
        "differences": [
            {"kind": d.kind, "kind_zh": d.kind_zh, "entry_id": d.entry_id, "detail": d.detail}
            for d in report.differences
        ],
    }

    def render() -> None:
        console.print(
            f"知识库发布中条目 {report.kb_entries} 个；索引中条目 {report.index_entries} 个、"
            f"索引点 {report.index_points} 个；{report.day} 当日有效：知识库 "
            f"{report.in_force_kb} 个，索引 {report.in_force_index} 个。"
        )
        if decision.warning:
            warn(decision.warning)
        if report.ok:
            console.print("[green]索引与知识库一致。[/green]")
            return
        console.print(
            table(
                f"发现 {len(report.differences)} 处不一致",
                ["类型", "条目 ID", "说明"],
                ([d.kind_zh, d.entry_id, d.detail] for d in report.differences),
            )
        )
        warn("请运行 `hotline reindex` 按知识库重建索引。")

    emit(data, as_json, render)
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Attach the commands; subscribe the index to KB lifecycle events."""
    from assistant.listener import enable_index_sync

    app.command("ask")(ask)
    app.command("reindex")(reindex)
    app.command("check")(check)
    enable_index_sync()
