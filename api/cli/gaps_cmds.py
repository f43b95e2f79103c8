"""`hotline gaps …`: the questions the KB could not answer (stored masked), for QA."""

from __future__ import annotations

import typer

from api.cli.context import ActorOpt, database, unit_of_work
from api.cli.output import JsonOpt, console, emit, table
from kb.gaps import close_gap, gap_dict, list_gaps

gaps_app = typer.Typer(
    help="知识库缺口：答不出的问题（已脱敏），供质检补充条目", no_args_is_help=True
)


@gaps_app.command("list")
def gaps_list(
    status: str = typer.Option(
        "open", help="状态：open 待处理 / resolved 已补充 / dismissed 已忽略 / all"
    ),
    region: str | None = typer.Option(None, help="只看某地区（前缀匹配）"),
    limit: int = typer.Option(200, min=1, max=10_000, help="最多列出多少条"),
    as_json: bool = JsonOpt,
) -> None:
    """列出知识库缺口（最新在前）。"""
    with database().session() as session:
        rows = [
            gap_dict(g)
            for g in list_gaps(
                session, status=None if status == "all" else status, region=region, limit=limit
            )
        ]
    emit(
        rows,
        as_json,
        lambda: console.print(
            table(
                f"知识库缺口（{len(rows)}）",
                ["编号", "提问时间", "问题（已脱敏）", "地区", "最接近条目", "得分", "状态"],
                (
                    [
                        r["id"],
                        r["asked_at"].strftime("%Y-%m-%d %H:%M") if r["asked_at"] else None,
                        r["question_masked"],
                        r["region"],
                        r["best_entry_id"],
                        f"{r['best_score']:.2f}" if r["best_score"] is not None else None,
                        r["status_zh"],
                    ]
                    for r in rows
                ),
            )
        ),
    )


@gaps_app.command("close")
def gaps_close(
    gap_id: int = typer.Argument(..., help="缺口编号"),
    entry: int | None = typer.Option(None, "--entry", help="已补充的条目 ID（不填则为忽略）"),
    note: str = typer.Option("", "--note", help="说明；忽略缺口时必填原因"),
    as_user: str | None = ActorOpt,
    as_json: bool = JsonOpt,
) -> None:
    """处理一个缺口：已由某条目补充，或说明原因后忽略。"""
    with unit_of_work(as_user) as (session, actor):
        data = gap_dict(close_gap(session, actor, gap_id, resolved_entry_id=entry, note=note))
    emit(
        data,
        as_json,
        lambda: console.print(f"[green]缺口 {gap_id} 已标记为“{data['status_zh']}”[/green]"),
    )


def register(app: typer.Typer) -> None:
    """Attach `hotline gaps`."""
    app.add_typer(gaps_app, name="gaps")
