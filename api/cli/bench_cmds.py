"""`hotline bench` and `hotline eval retrieval`: the retrieval figures in BENCHMARKS.md."""

from __future__ import annotations

from pathlib import Path

import typer

from api.cli.ask_cmds import current_runtime, ensure_index_with_progress, progress_bar
from api.cli.context import database
from api.cli.output import JsonOpt, console, emit, table, warn
from kb.clock import parse_date
from kb.errors import InvalidInput


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
    calibrate: bool = typer.Option(
        False,
        "--calibrate",
        help="在评测集上（交叉验证）为当前嵌入模型校准“有无答案”判定，写入 HOME/calibration/",
    ),
    into: Path | None = typer.Option(
        None, "--into", help="与 --calibrate 同用：写入此文件（连同字面匹配模型），而非 HOME"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """检索评测：系统与 BM25、向量两个基线的 hit@1 / hit@5 / MRR@10，及“无答案”精确率/召回率。"""
    from eval.retrieval import DEV_SET, DEV_SET_DAY, evaluate

    if into is not None and not calibrate:
        raise InvalidInput("--into 只能与 --calibrate 一起使用。")
    day = parse_date(date, "评测日期") or DEV_SET_DAY
    path = dataset or DEV_SET
    runtime = current_runtime()
    ensure_index_with_progress(runtime)
    calibration = None
    if calibrate:
        calibration = _calibrate(runtime, path, day, into)
    with database().session() as session, progress_bar() as progress:
        task = progress.add_task("检索评测", total=None)
        report = evaluate(
            session, runtime, path=path, day=day, progress=lambda n: progress.advance(task, n)
        )
    from api.cli.output import to_jsonable

    data = to_jsonable(report)
    if calibration is not None:
        data["calibration"] = calibration
    emit(data, as_json, lambda: _render_retrieval(report, calibration))


def _calibrate(runtime, path: Path, day, into: Path | None) -> dict:
    """Fit the answer decision on ``path`` and store it (see eval/retrieval_fit.py)."""
    from assistant.answerability import LEXICAL, user_models_path, write_model
    from eval.retrieval_fit import collect, fit_both

    with database().session() as session, progress_bar() as progress:
        task = progress.add_task("校准“有无答案”判定", total=None)
        pairs = collect(
            session, runtime, path=path, day=day, progress=lambda n: progress.advance(task, n)
        )
    fits = fit_both(pairs, f"{path.name} ({len(pairs.ids)} questions, labels as of {day})")
    target = into or user_models_path(runtime.settings.home)
    about = (
        "Answer decision per embedding model (assistant/answerability.py), written by "
        "`hotline eval retrieval --calibrate` (eval/retrieval_fit.py)."
    )
    write_model(target, runtime.embedder.model_id, fits["model"].model, about)
    if into is not None:
        write_model(target, LEXICAL, fits[LEXICAL].model, about)
    return {
        "written_to": str(target),
        "embed_model": runtime.embedder.model_id,
        "cut": fits["model"].model.cut,
        "tradeoff_cv": fits["model"].table,
        "lexical_cut": fits[LEXICAL].model.cut,
        "lexical_tradeoff_cv": fits[LEXICAL].table,
    }


def _tradeoff_table(title: str, rows: list[dict], cut: float, key: str = "threshold"):
    return table(
        title,
        ["判定阈值（概率）", "无答案精确率", "无答案召回率", "误拒可回答"],
        (
            [
                f"{r[key]:.2f}" + ("（采用）" if abs(r[key] - cut) < 1e-9 else ""),
                f"{r['precision']:.3f}",
                f"{r['recall']:.3f}",
                r["refused_answerable"],
            ]
            for r in rows
        ),
    )


def _render_retrieval(report, calibration: dict | None) -> None:
    from eval.retrieval import SYSTEMS

    if calibration is not None:
        console.print(
            _tradeoff_table(
                f"校准（交叉验证，{calibration['embed_model']}）",
                calibration["tradeoff_cv"],
                calibration["cut"],
                key="cut",
            )
        )
        console.print(
            f"[green]已写入[/green] {calibration['written_to']}（采用阈值 {calibration['cut']}）。"
        )
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
            ([k, m["n"], m["hit@1"], m["hit@5"], m["mrr@10"]] for k, m in report.by_source.items()),
        )
    )
    decision, na = report.decision, report.no_answer
    if decision.get("warning"):
        warn(decision["warning"])
    console.print(
        f"“有无答案”判定（{'、'.join(decision['features'])}；阈值 {na['threshold']}）："
        f"无答案精确率 {na['precision']:.3f}，召回率 {na['recall']:.3f}，"
        f"误拒可回答问题 {na['refused_answerable']} 个。"
    )
    console.print(_tradeoff_table("阈值取舍（本评测集，样本内）", report.tradeoff, decision["cut"]))
    if report.suggested_threshold:
        s = report.suggested_threshold
        console.print(
            f"本评测集上精确率 ≥ 0.9、误拒 ≤ 5% 时召回率最高的阈值：{s['threshold']}（精确率 "
            f"{s['precision']:.3f}，召回率 {s['recall']:.3f}）。换嵌入模型后请用 "
            "`hotline eval retrieval --calibrate` 校准，或设置 HOTLINE_ANSWER_THRESHOLD。"
        )
    if report.missing_targets:
        warn("评测集引用的条目不在知识库中：" + "；".join(report.missing_targets[:10]))
    if report.misses:
        console.print(
            "首位未命中："
            + "；".join(f"{m['id']}（第 {m['rank'] or '10+'} 位）" for m in report.misses)
        )


def register(app: typer.Typer) -> None:
    """Attach `hotline bench` and `hotline eval retrieval` (to the shared `eval` group)."""
    app.command("bench")(bench)
    try:
        from api.cli.eval_cmds import eval_app
    except ImportError:  # the shared `eval` group lives elsewhere; make ours if it is absent
        eval_app = typer.Typer(help="评测", no_args_is_help=True)
        app.add_typer(eval_app, name="eval")
    eval_app.command("retrieval")(eval_retrieval)
