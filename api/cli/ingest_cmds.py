"""`hotline ingest PATH…` and `hotline kb import FILE`.

Exit codes: every file is processed and reported whatever happens to the others; the run
then exits 1 if any file was rejected (a bad document or table, a file named on the command
line that cannot be read, a path that does not exist), so scripts notice, and 0 when every
file was ingested or only non-documents found in folders were skipped. ``--strict`` also
fails on skipped files (every file given must be a document or script table). Errors that
stop the whole run (unknown user or unit, ``--publish`` by a non-admin) exit 1 before
anything is written.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from api.cli.context import ActorOpt, actor_name, database
from api.cli.output import JsonOpt, console, emit, err_console, table
from ingest.importer import ImportResult, run_import
from ingest.pipeline import IngestOptions, Task, collect, run_ingest
from ingest.report import ACTION_ZH, IngestReport
from ingest.tables import read_table
from kb.settings import get_settings

PublishOpt = typer.Option(
    False, "--publish", help="导入后直接发布（仅管理员；审计记录原因“批量导入”）"
)
SubmitOpt = typer.Option(False, "--submit", help="导入后提交审核（默认保存为草稿）")
DryRunOpt = typer.Option(False, "--dry-run", help="只显示将要发生什么，不写入任何内容")


def _render_report(report: IngestReport) -> None:
    rows = []
    for f in report.files:
        rows.append([f.path, f.action_zh, f.entry_id, f.version, f.title or "", f.note_zh()])
    prefix = "【试运行，未写入】" if report.dry_run else ""
    console.print(
        table(f"{prefix}导入结果", ["文件", "结果", "条目", "版本", "标题", "说明"], rows)
    )
    if not report.dry_run:
        for f in report.files:
            if f.sha256 and f.action in ("created", "updated"):
                # what was stored is traceable to what was given (kb show: source_sha256)
                console.print(f"原件 {f.path}：sha256 {f.sha256}")
    for f in report.of("rejected"):
        console.print(f"[red]拒绝[/red] {f.path}：{f.message}")
        for detail in f.details:
            console.print(f"    - {detail}")
    counts = report.counts()
    summary = "，".join(f"{ACTION_ZH[k]} {v}" for k, v in counts.items() if v)
    console.print(
        f"{summary or '没有文件'}。文档 {report.documents} 个，答复口径 {report.script_rows} 条，"
        f"条款片段 {report.chunks} 个，用时 {report.seconds:.1f} 秒。"
    )


def ingest(
    paths: list[Path] = typer.Argument(..., help="文件或文件夹（递归）"),
    unit: str | None = typer.Option(
        None, "--unit", help="责任单位（编码或名称；默认热线中心 SL-RX）"
    ),
    publish: bool = PublishOpt,
    submit: bool = SubmitOpt,
    dry_run: bool = DryRunOpt,
    strict: bool = typer.Option(
        False, "--strict", help="有文件被跳过（不是文档或答复口径表）时也以退出码 1 结束"
    ),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """导入政策文件（txt/md/html/docx/pdf）和答复口径表格；重复导入时按文号或来源生成新版本。"""
    settings = get_settings()
    db = database()
    options = IngestOptions(
        actor=actor_name(as_user), unit=unit, publish=publish, submit=submit, dry_run=dry_run
    )
    tasks = collect(paths)
    if not as_json and err_console.is_terminal and tasks:
        with Progress(
            TextColumn("[bold]导入"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=err_console,
            transient=True,
        ) as progress:
            bar = progress.add_task("", total=len(tasks))

            def step(task: Task) -> None:
                progress.update(bar, advance=1, description=task.path.name)

            report = run_ingest(db, settings, paths, options, on_file=step, tasks=tasks)
    else:
        report = run_ingest(db, settings, paths, options, tasks=tasks)
    emit(report.to_dict(), as_json, lambda: _render_report(report))
    counts = report.counts()
    problems = []
    if counts["rejected"]:
        problems.append(f"{counts['rejected']} 个文件被拒绝")
    if strict and counts["skipped"]:
        problems.append(f"{counts['skipped']} 个文件被跳过（--strict）")
    if problems:
        # the report above is the answer; exit 1 so that scripts notice, without an error
        # object after the JSON report
        if not as_json:
            err_console.print(
                f"[red]有 {'，'.join(problems)}，退出码 1；其他文件已照常处理。[/red]"
            )
        raise typer.Exit(1)


def _render_import(result: ImportResult) -> None:
    counts = result.counts()
    prefix = "【试运行，未写入】" if result.dry_run else ""
    console.print(
        table(
            f"{prefix}导入 {result.path}",
            ["行", "结果", "条目", "版本", "标题", "说明"],
            (
                [r.row, ACTION_ZH[r.action], r.entry_id, r.version, r.title, r.reason]
                for r in result.rows
            ),
        )
    )
    console.print(
        f"新建 {counts['created']}，更新 {counts['updated']}，未变化 {counts['unchanged']}，"
        f"拒绝 {counts['rejected']}。"
    )
    if result.rejects_file:
        console.print(f"被拒绝的行及原因已写入：{result.rejects_file}")


def kb_import(
    file: Path = typer.Argument(..., help="CSV、XLSX 或 JSON Lines 文件"),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="只导入正确的行，错误行及原因写入拒绝文件"
    ),
    rejects: Path | None = typer.Option(
        None, "--rejects", help="拒绝文件路径（默认与输入同目录：<文件名>.rejects.csv）"
    ),
    publish: bool = PublishOpt,
    submit: bool = SubmitOpt,
    dry_run: bool = DryRunOpt,
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """批量导入答复口径/常见问答（默认整体导入：有一行错误则全部不导入）。"""
    settings = get_settings()
    db = database()
    data_table = read_table(file, max_mb=settings.max_file_mb)
    result = run_import(
        db,
        actor_name(as_user),
        data_table,
        publish=publish,
        submit=submit,
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        rejects_path=rejects,
    )
    data = {
        "file": str(result.path),
        "dry_run": result.dry_run,
        "counts": result.counts(),
        "rejects_file": str(result.rejects_file) if result.rejects_file else None,
        "rows": [vars(r) for r in result.rows],
    }
    emit(data, as_json, lambda: _render_import(result))


def register(app: typer.Typer) -> None:
    """Attach `ingest` to the main app and `import` to the existing `kb` group."""
    from api.cli.kb_cmds import kb_app

    app.command("ingest")(ingest)
    kb_app.command("import")(kb_import)
