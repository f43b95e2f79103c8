"""Coverage and KB health as HTML (the QA page and a self-contained report) and as text.

The QA page and ``hotline coverage FILE --html report.html`` show the same sections; the
report file inlines its stylesheet and SVG charts, so it opens offline and can be mailed.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from eval.charts import Bar, bar_chart, score_gauge, weights_bar
from eval.coverage import CoverageReport
from eval.health import KB_SHARE_OF_HOTLINE, HealthPart, HealthReport

MAX_TOPICS = 12


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _kpi(value: str, label: str) -> str:
    return f'<div class="kpi"><div class="value">{escape(value)}</div><div class="label">{escape(label)}</div></div>'


def _figure(caption: str, svg: str) -> str:
    return f'<figure class="chart"><figcaption>{escape(caption)}</figcaption>{svg}</figure>'


def coverage_section(report: CoverageReport) -> str:
    """Coverage KPIs, charts by category and unit, and the unanswered topics."""
    parts = [
        '<section class="coverage">',
        f'<p class="small muted">数据来源：{escape(report.source)}</p>',
        '<div class="kpis">',
        _kpi(str(report.total), "来电记录"),
        _kpi(str(report.answered), "知识库能有把握答复"),
        _kpi(_pct(report.rate), "覆盖率"),
        _kpi(str(report.unanswered), "未覆盖"),
        "</div>",
        '<div class="qa-grid">',
        _figure(
            "按分类的覆盖率",
            bar_chart(
                "按分类的覆盖率",
                [
                    Bar(g.name, g.rate or 0.0, f"({g.answered}/{g.total})")
                    for g in report.by_category
                ],
                css_class="bar-chart coverage-by-category",
            ),
        ),
        _figure(
            "按承办单位的覆盖率",
            bar_chart(
                "按承办单位的覆盖率",
                [Bar(g.name, g.rate or 0.0, f"({g.answered}/{g.total})") for g in report.by_unit],
                css_class="bar-chart coverage-by-unit",
            ),
        ),
        "</div>",
    ]
    if report.topics:
        top = report.topics[:MAX_TOPICS]
        parts.append(
            _figure(
                f"未覆盖问题的主题（前 {len(top)} 个，共 {len(report.topics)} 个）",
                bar_chart(
                    "未覆盖问题的主题",
                    [Bar(t.label, t.count) for t in top],
                    percent=False,
                    css_class="bar-chart gap-topics",
                ),
            )
        )
        rows = "".join(
            f"<tr><td>{escape(t.label)}</td><td>{t.count}</td>"
            f"<td>{'<br>'.join(escape(e) for e in t.examples)}</td></tr>"
            for t in report.topics
        )
        parts.append(
            '<table class="topics"><thead><tr><th>主题（关键词）</th><th>次数</th>'
            f"<th>问题示例（已脱敏）</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    else:
        parts.append('<p class="muted">没有未覆盖的问题。</p>')
    for note in report.notes:
        parts.append(f'<p class="small muted">{escape(note)}</p>')
    if report.skipped:
        items = "".join(f"<li>{escape(s)}</li>" for s in report.skipped)
        parts.append(
            f'<details class="small"><summary>跳过的行（{len(report.skipped)}）</summary><ul>{items}</ul></details>'
        )
    parts.append("</section>")
    return "".join(parts)


def _part_row(part: HealthPart) -> str:
    counted = f"{part.numerator}/{part.denominator}" if part.denominator else "—"
    return (
        f"<tr><td>{escape(part.label)}</td><td>{part.weight * 100:.0f}%</td>"
        f"<td>{'未测' if part.value is None else _pct(part.value)}</td><td>{counted}</td>"
        f"<td>{escape(part.basis)}</td></tr>"
    )


def health_section(health: HealthReport) -> str:
    """The score, its parts and weights, and every unit's figures."""
    points = "—" if health.hotline_points is None else f"{health.hotline_points:.1f}"
    unit_rows = "".join(
        f"<tr><td>{escape(u.unit)}</td><td>{u.published}</td><td>{_pct(u.expired_share)}</td>"
        f"<td>{_pct(u.unreviewed_share)}</td><td>{_pct(u.part('sweep').value)}</td>"
        f"<td>{_pct(u.part('timeliness').value)}</td>"
        f"<td>{'—' if u.score is None else f'{u.score:.0f}'}</td></tr>"
        for u in health.units
    )
    return "".join(
        [
            '<section class="health">',
            '<div class="row">',
            score_gauge("知识库健康分", health.score),
            '<div class="kpis">',
            _kpi("—" if health.score is None else f"{health.score:.1f}", "健康分（百分制）"),
            _kpi(f"{points} / {KB_SHARE_OF_HOTLINE * 100:.0f}", "折合热线考核得分"),
            "</div></div>",
            f'<p class="small">按甘政办发〔2025〕69号（十一），知识库建设在热线考核中占比不低于 '
            f"{KB_SHARE_OF_HOTLINE * 100:.0f}%；本分数即该部分的得分率（{escape(str(health.on))}，"
            f"{escape(health.quarter)}）。</p>",
            _figure(
                "健康分的构成（宽度为权重，填充为得分率）",
                weights_bar("健康分的构成", [(p.label, p.weight, p.value) for p in health.parts]),
            ),
            '<table class="health-parts"><thead><tr><th>部分</th><th>权重</th><th>得分率</th>'
            "<th>计数</th><th>口径</th></tr></thead><tbody>",
            "".join(_part_row(p) for p in health.parts),
            "</tbody></table>",
            '<p class="small muted">权重说明：准确（30%）与好用（30%）并重——过期或依据已废止的口径读给市民是最严重的错误，'
            "而查不到答案的知识库同样无用；及时入库（20%）与季度巡检（20%）是保持准确的两项日常工作。"
            "未测得的部分不计入，其余按比例折算。</p>",
            _figure(
                "各单位健康分",
                bar_chart(
                    "各单位健康分",
                    [
                        Bar(u.unit, (u.score or 0.0) / 100)
                        for u in health.units
                        if u.score is not None
                    ],
                    css_class="bar-chart unit-health",
                ),
            ),
            '<table class="unit-health"><thead><tr><th>单位</th><th>已发布</th><th>过期占比</th>'
            "<th>本季未巡检占比</th><th>巡检完成率</th><th>按时录入率</th><th>健康分</th></tr></thead>"
            f"<tbody>{unit_rows}</tbody></table>",
            "".join(f'<p class="small muted">{escape(n)}</p>' for n in health.notes),
            "</section>",
        ]
    )


def render_sections(coverage: CoverageReport | None, health: HealthReport | None) -> str:
    """The HTML fragment the QA page inserts."""
    out = []
    if coverage is not None:
        out.append(f"<h2>知识库覆盖率</h2>{coverage_section(coverage)}")
    if health is not None:
        out.append(f"<h2>知识库健康度</h2>{health_section(health)}")
    return "".join(out)


_STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;color:#1d2430;
margin:2em auto;max-width:70em;padding:0 1em}h1{color:#17325e}h2{color:#17325e;border-bottom:2px solid #d6dbe4}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em}th,td{border-bottom:1px solid #d6dbe4;
padding:.3em .5em;text-align:left;vertical-align:top}th{background:#eef2f8}.kpis{display:flex;gap:1em;
flex-wrap:wrap;margin:.5em 0}.kpi{border:1px solid #d6dbe4;border-radius:6px;padding:.5em 1em;min-width:9em}
.kpi .value{font-size:1.6em;font-weight:bold;color:#17325e}.kpi .label,.muted{color:#5b6577}
.small{font-size:.88em}.row{display:flex;gap:1.5em;align-items:center;flex-wrap:wrap}
.qa-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(30em,1fr));gap:1em}
figure.chart{margin:.5em 0 1em}figcaption{font-weight:600}svg{max-width:100%;height:auto}
"""


def render_document(
    coverage: CoverageReport | None,
    health: HealthReport | None,
    *,
    title: str = "知识库覆盖率与健康度报告",
) -> str:
    """A complete, self-contained HTML document (inline CSS and SVG, no external files)."""
    made = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f'<h1>{escape(title)}</h1><p class="small muted">生成时间：{made} · Hotline Desk</p>'
        f"{render_sections(coverage, health)}</body></html>"
    )


def render_text(coverage: CoverageReport | None, health: HealthReport | None) -> str:
    """The same figures for a terminal."""
    lines: list[str] = []
    if coverage is not None:
        lines.append(
            f"覆盖率：{_pct(coverage.rate)}（{coverage.answered}/{coverage.total}，来源：{coverage.source}）"
        )
        lines.append(
            "按分类："
            + "；".join(
                f"{g.name} {_pct(g.rate)}（{g.answered}/{g.total}）" for g in coverage.by_category
            )
        )
        lines.append(
            "按单位："
            + "；".join(
                f"{g.name} {_pct(g.rate)}（{g.answered}/{g.total}）" for g in coverage.by_unit
            )
        )
        if coverage.topics:
            lines.append("未覆盖问题主题：")
            lines.extend(
                f"  {t.count:>4}  {t.label}　例：{t.examples[0]}"
                for t in coverage.topics[:MAX_TOPICS]
            )
        lines.extend(coverage.notes)
        if coverage.skipped:
            lines.append(f"跳过 {len(coverage.skipped)} 行：" + "；".join(coverage.skipped[:10]))
    if health is not None:
        score = "—" if health.score is None else f"{health.score:.1f}"
        lines.append(
            f"知识库健康分：{score}（折合热线考核 {health.hotline_points if health.hotline_points is not None else '—'}"
            f"/{KB_SHARE_OF_HOTLINE * 100:.0f} 分）"
        )
        for p in health.parts:
            lines.append(
                f"  {p.label}：权重 {p.weight * 100:.0f}%，得分率 {'未测' if p.value is None else _pct(p.value)}"
            )
        for u in health.units:
            lines.append(
                f"  {u.unit}：健康分 {'—' if u.score is None else f'{u.score:.0f}'}，过期 {_pct(u.expired_share)}，"
                f"未巡检 {_pct(u.unreviewed_share)}，巡检完成 {_pct(u.part('sweep').value)}，"
                f"按时录入 {_pct(u.part('timeliness').value)}"
            )
        lines.extend(health.notes)
    return "\n".join(lines)
