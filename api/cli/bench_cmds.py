"""`hotline bench` and `hotline eval retrieval`: the retrieval figures in BENCHMARKS.md."""

from __future__ import annotations

from pathlib import Path

import typer

from api.cli.ask_cmds import current_runtime, ensure_index_with_progress, progress_bar
from api.cli.context import database
from api.cli.output import JsonOpt, console, emit, table, warn
from kb.clock import parse_date


def bench(
    scale: int = typer.Option(
        20_000, "--scale", min=0, help="放大到多少个分块测延迟（0 = 不放大）"
    ),
    queries: int = typer.Option(200, "--queries", min=10, help="每组测多少次问答"),
    as_json: bool = JsonOpt,
) -> None:
    """性能基准：问答延迟 p50/p95（预热后，示例库与放大库）、入库吞吐（首次与未变更重入）。"""
    from eval.bench import run_bench

    with progress_bar() as progress:
        task = progress.add_task("基准测试", total=None)
        report = run_bench(
            scale=scale, queries=queries, say=lambda text: progress.update(task, description=text)
        )
    data = report.as_dict()

    def render() -> None:
        console.print(f"机器：{report.machine}")
        console.print(
            f"负载（1/5/15 分钟平均）：开始 {report.load_before}，结束 {report.load_after}"
            "（高于核数说明有其他程序争用 CPU，延迟会偏高）"
        )
        console.print(
            table(
                "问答延迟（预热后，毫秒）",
                [
                    "知识库",
                    "分块数",
                    "次数",
                    "p50",
                    "p95",
                    "最大",
                    "检索+重排 p50",
                    "检索+重排 p95",
                ],
                (
                    [
                        r.label,
                        r.points,
                        r.n,
                        f"{r.p50:.1f}",
                        f"{r.p95:.1f}",
                        f"{r.max:.1f}",
                        f"{r.search_p50:.1f}",
                        f"{r.search_p95:.1f}",
                    ]
                    for r in report.latency
                ),
            )
        )
        console.print(
            table(
                "入库吞吐（示例语料全部条目）",
                ["情形", "条目", "分块", "新算向量", "秒", "分块/秒"],
                (
                    [r.label, r.entries, r.points, r.embedded, f"{r.seconds:.2f}", f"{r.rate:.1f}"]
                    for r in report.ingest
                ),
            )
        )
        console.print(f"未变更重入比首次快 {report.reingest_speedup:.0f} 倍。")

    emit(data, as_json, render)


def eval_retrieval(
    dataset: Path | None = typer.Option(
        None, "--dataset", help="评测集（JSON Lines，默认 eval/datasets/retrieval_dev.jsonl）"
    ),
    date: str | None = typer.Option(
        None, "--date", help="按哪一天判断有效性（默认评测集标注所用的 2026-11-22）"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """检索评测：系统与 BM25、向量两个基线的 hit@1 / hit@5 / MRR@10，及“无答案”精确率/召回率。"""
    from eval.retrieval import DEV_SET, DEV_SET_DAY, SYSTEMS, evaluate

    day = parse_date(date, "评测日期") or DEV_SET_DAY
    runtime = current_runtime()
    ensure_index_with_progress(runtime)
    with database().session() as session, progress_bar() as progress:
        task = progress.add_task("检索评测", total=None)
        report = evaluate(
            session,
            runtime,
            path=dataset or DEV_SET,
            day=day,
            progress=lambda n: progress.advance(task, n),
        )
    from api.cli.output import to_jsonable

    data = to_jsonable(report)

    def render() -> None:
        console.print(
            f"评测集 {report.dataset}：{report.questions} 题（可回答 {report.answerable}，"
            f"不可回答 {report.unanswerable}），有效性日期 {report.day}，用时 {report.seconds} 秒。"
        )
        console.print(
            table(
                "检索效果（可回答问题）",
                ["方法", "hit@1", "hit@5", "MRR@10"],
                (
                    [SYSTEMS[name], m["hit@1"], m["hit@5"], m["mrr@10"]]
                    for name, m in report.systems.items()
                ),
            )
        )
        console.print(
            table(
                "系统按来源",
                ["来源", "题数", "hit@1", "hit@5", "MRR@10"],
                (
                    [k, m["n"], m["hit@1"], m["hit@5"], m["mrr@10"]]
                    for k, m in report.by_source.items()
                ),
            )
        )
        na = report.no_answer
        console.print(
            f"“无答案”判定（阈值 {na['threshold']}）：精确率 {na['precision']:.3f}，召回率 "
            f"{na['recall']:.3f}，误拒可回答问题 {na['refused_answerable']} 个。"
        )
        console.print(
            table(
                "阈值取舍（低于阈值即答“无答案”）",
                ["阈值", "精确率", "召回率", "误拒可回答"],
                (
                    [p["threshold"], p["precision"], p["recall"], p["refused_answerable"]]
                    for p in report.tradeoff
                ),
            )
        )
        if report.suggested_threshold:
            s = report.suggested_threshold
            console.print(
                f"在精确率 ≥ 0.9 下召回率最高的阈值：{s['threshold']}（精确率 {s['precision']:.3f}，"
                f"召回率 {s['recall']:.3f}）。"
            )
        if report.missing_targets:
            warn("评测集引用的条目不在知识库中：" + "；".join(report.missing_targets[:10]))
        if report.misses:
            console.print(
                "首位未命中："
                + "；".join(f"{m['id']}（第 {m['rank'] or '10+'} 位）" for m in report.misses)
            )

    emit(data, as_json, render)


def register(app: typer.Typer) -> None:
    """Attach `hotline bench` and `hotline eval retrieval` (to the shared `eval` group)."""
    app.command("bench")(bench)
    try:
        from api.cli.eval_cmds import eval_app
    except ImportError:  # the shared `eval` group lives elsewhere; make ours if it is absent
        eval_app = typer.Typer(help="评测", no_args_is_help=True)
        app.add_typer(eval_app, name="eval")
    eval_app.command("retrieval")(eval_retrieval)
