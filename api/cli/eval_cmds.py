"""`hotline eval …`: quality evals. Each eval is a function in ``eval/<name>.py``; this module
only wires them to the CLI and renders their reports."""

from __future__ import annotations

from pathlib import Path

import typer

from api.cli.output import JsonOpt, console, emit, table

eval_app = typer.Typer(help="评测：脱敏、检索等质量指标", no_args_is_help=True)


@eval_app.command("pii")
def eval_pii(
    dataset: Path | None = typer.Option(
        None, "--dataset", help="标注集（JSON Lines，默认 eval/datasets/pii_dev.jsonl）"
    ),
    passes: int = typer.Option(3, "--passes", min=1, max=20, help="计时轮数（取最快一轮）"),
    as_json: bool = JsonOpt,
) -> None:
    """脱敏评测：各类型召回率与精确率、泄漏数、误脱敏率、吞吐量。"""
    from eval.pii import (
        DEFAULT_DATASET,
        OVER_MASKING_TARGET,
        THROUGHPUT_TARGET_KBPS,
        run_pii_eval,
        type_rows,
    )

    report = run_pii_eval(dataset or DEFAULT_DATASET, passes=passes)
    data = report.to_dict()

    def render() -> None:
        console.print(f"评测集 {report.dataset}：{report.texts} 条，{report.kilobytes:.1f} KB")
        console.print(
            table(
                "各类型召回率 / 精确率",
                ["类型", "标注数", "检出数", "召回率", "精确率", "召回目标"],
                type_rows(report),
            )
        )
        console.print(f"泄漏（原值原样留在脱敏结果中）：{report.leaks} 处")
        console.print(
            f"误脱敏（必须保留的文号/日期/金额/热线号/工单号/信用代码/区街名被破坏）："
            f"{report.keep_destroyed}/{report.keep_total}（{report.over_masking:.2%}，"
            f"目标 ≤{OVER_MASKING_TARGET:.0%}）"
        )
        console.print(
            f"吞吐量：{report.throughput_kbps:.0f} KB/s（{passes} 轮取最快；按本进程 CPU 时间 "
            f"{report.cpu_throughput_kbps:.0f} KB/s；目标 ≥{THROUGHPUT_TARGET_KBPS:.0f}；"
            f"分析器构建 {report.build_seconds:.1f} 秒，不计入）"
        )
        if report.misses:
            console.print("漏检：" + "，".join(report.misses[:20]))
        if report.false_positives:
            console.print("误检：" + "，".join(report.false_positives[:20]))

    emit(data, as_json, render)


@eval_app.command("fill")
def eval_fill(
    dataset: Path | None = typer.Option(
        None, "--dataset", help="标注集（JSON Lines，默认 eval/datasets/fill_dev.jsonl）"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """智能填单评测：各字段准确率、紧急事项召回率与精确率、填单+派单耗时。"""
    from eval.fill import DEFAULT_DATASET, render_fill_report, run_fill_eval

    report = run_fill_eval(dataset or DEFAULT_DATASET)
    emit(report.to_dict(), as_json, lambda: render_fill_report(report, console))


@eval_app.command("dispatch")
def eval_dispatch(
    dataset: Path | None = typer.Option(
        None, "--dataset", help="标注集（JSON Lines，默认 eval/datasets/dispatch_dev.jsonl）"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """智能派单评测：前 1 / 前 3 准确率、主办与协办单位准确率、基线与耗时。"""
    from eval.dispatch import DEFAULT_DATASET, render_dispatch_report, run_dispatch_eval

    report = run_dispatch_eval(dataset or DEFAULT_DATASET)
    emit(report.to_dict(), as_json, lambda: render_dispatch_report(report, console))


def register(app: typer.Typer) -> None:
    """Add `hotline eval` to the CLI."""
    app.add_typer(eval_app, name="eval")
