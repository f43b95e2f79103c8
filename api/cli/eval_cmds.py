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

    report = run_pii_eval(dataset or DEFAULT_DATASET)
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
            f"吞吐量：{report.throughput_kbps:.0f} KB/s（目标 ≥{THROUGHPUT_TARGET_KBPS:.0f}；"
            f"分析器构建 {report.build_seconds:.1f} 秒，不计入）"
        )
        if report.misses:
            console.print("漏检：" + "，".join(report.misses[:20]))
        if report.false_positives:
            console.print("误检：" + "，".join(report.false_positives[:20]))

    emit(data, as_json, render)


def register(app: typer.Typer) -> None:
    """Add `hotline eval` to the CLI."""
    app.add_typer(eval_app, name="eval")
