"""Small server-side SVG charts (no JavaScript, no external library, works offline).

Every chart is a self-contained ``<svg>`` string with a ``<title>`` for screen readers; the
QA page inserts them as they are and the HTML report embeds the same markup.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
GOOD, FAIR, POOR, NEUTRAL = "#1d7a3e", "#d08a00", "#c62828", "#1f5fbf"


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a value, and optionally the text shown after it."""

    label: str
    value: float
    note: str = ""


def rate_colour(value: float) -> str:
    """Green from 90 %, amber from 70 %, red below."""
    if value >= 0.9:
        return GOOD
    if value >= 0.7:
        return FAIR
    return POOR


def _text_width(text: str, size: float) -> float:
    # CJK glyphs are about one em wide, Latin about half
    return sum(size if ord(ch) > 0x2E80 else size * 0.55 for ch in text)


def _clip(text: str, size: float, limit: float) -> str:
    if _text_width(text, size) <= limit:
        return text
    while text and _text_width(text + "…", size) > limit:
        text = text[:-1]
    return text + "…"


def bar_chart(
    title: str,
    bars: list[Bar],
    *,
    percent: bool = True,
    width: int = 560,
    css_class: str = "bar-chart",
) -> str:
    """Horizontal bars; ``percent`` bars are 0–1 rates coloured by level, others are counts."""
    size, row, value_w, pad = 13, 24, 110, 8
    # the label column fits the longest label (a unit's full name is ~13 characters), up
    # to a limit past which the label is clipped and the bar's tooltip gives it whole
    longest = max((_text_width(b.label, size) for b in bars), default=0.0)
    label_w = int(min(max(170.0, longest + 16), 320.0))
    width = max(width, label_w + value_w + 240)
    height = pad * 2 + max(1, len(bars)) * row
    plot_w = width - label_w - value_w
    top = max((b.value for b in bars), default=0) if not percent else 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" font-size="{size}">',
        f"<title>{escape(title)}</title>",
    ]
    if not bars:
        parts.append(f'<text x="{pad}" y="{pad + size}" fill="#5b6577">（没有数据）</text>')
    for i, bar in enumerate(bars):
        y = pad + i * row
        share = 0.0 if top <= 0 else max(0.0, min(1.0, bar.value / top))
        colour = rate_colour(bar.value) if percent else NEUTRAL
        shown = f"{bar.value * 100:.1f}%" if percent else f"{bar.value:g}"
        label = _clip(bar.label, size, label_w - 10)
        parts.append(
            f'<g class="bar"><title>{escape(bar.label)}：{escape(shown)} {escape(bar.note)}</title>'
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" fill="#1d2430">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{plot_w:.0f}" height="16" fill="#eef2f8"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{plot_w * share:.1f}" height="16" '
            f'fill="{colour}"/>'
            f'<text x="{label_w + plot_w + 6}" y="{y + 16}" fill="#1d2430">{escape(shown)}'
            f"{(' ' + escape(bar.note)) if bar.note else ''}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def score_gauge(title: str, score: float | None, *, size: int = 180) -> str:
    """A ring showing a 0–100 score."""
    r, stroke = size / 2 - 14, 16
    c = size / 2
    circumference = 2 * math.pi * r
    value = 0.0 if score is None else max(0.0, min(100.0, score))
    colour = rate_colour(value / 100) if score is not None else "#9aa4b5"
    shown = "—" if score is None else f"{value:.1f}"  # as the score is printed beside it
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="score-gauge" role="img" width="{size}" '
        f'height="{size}" viewBox="0 0 {size} {size}" font-family="{FONT}">'
        f"<title>{escape(title)}：{escape(shown)} 分</title>"
        f'<circle cx="{c}" cy="{c}" r="{r:.1f}" fill="none" stroke="#eef2f8" stroke-width="{stroke}"/>'
        f'<circle cx="{c}" cy="{c}" r="{r:.1f}" fill="none" stroke="{colour}" '
        f'stroke-width="{stroke}" stroke-dasharray="{circumference * value / 100:.1f} '
        f'{circumference:.1f}" transform="rotate(-90 {c} {c})"/>'
        f'<text x="{c}" y="{c + 12}" text-anchor="middle" font-size="40" font-weight="bold" '
        f'fill="#17325e">{escape(shown)}</text>'
        f'<text x="{c}" y="{c + 34}" text-anchor="middle" font-size="13" fill="#5b6577">满分 100</text>'
        "</svg>"
    )


def weights_bar(
    title: str, parts: list[tuple[str, float, float | None]], *, width: int = 560
) -> str:
    """One stacked bar of weights, each segment filled as far as its part scored, and a
    legend line per part below it (labels are too long to sit under narrow segments).

    ``parts`` are (label, weight, value 0–1 or None when not measured).
    """
    bar_y, bar_h, line = 8, 26, 20
    legend_y = bar_y + bar_h + 20
    height = legend_y + line * max(1, len(parts))
    total = sum(w for _, w, _ in parts) or 1.0
    x = 0.0
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="weights-bar" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, weight, value) in enumerate(parts):
        w = width * weight / total
        fill = "#9aa4b5" if value is None else rate_colour(value)
        filled = 0 if value is None else w * max(0.0, min(1.0, value))
        shown = "未测" if value is None else f"{value * 100:.0f}%"
        about = f"{label}：权重 {weight * 100:.0f}%，得分率 {shown}"
        y = legend_y + i * line
        out.append(
            f"<g><title>{escape(about)}</title>"
            f'<rect x="{x:.1f}" y="{bar_y}" width="{w:.1f}" height="{bar_h}" fill="#eef2f8" '
            f'stroke="#fff" stroke-width="2"/>'
            f'<rect x="{x:.1f}" y="{bar_y}" width="{filled:.1f}" height="{bar_h}" fill="{fill}" '
            f'stroke="#fff" stroke-width="2"/>'
            f'<text x="{x + w / 2:.1f}" y="{bar_y + 17}" text-anchor="middle" fill="#1d2430">'
            f"{escape(_clip(f'{weight * 100:.0f}%', 12, w - 4))}</text>"
            f'<rect x="0" y="{y - 10}" width="10" height="10" fill="{fill}"/>'
            f'<text x="16" y="{y}" fill="#1d2430">{escape(about)}</text></g>'
        )
        x += w
    out.append("</svg>")
    return "".join(out)
