"""Render stage, charts: an SVG bar chart of income and expenditure over three years, drawn at build time."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from .model import Declaration, Money, column_total

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 560, 240, 28, 40, 16
BAR, GAP = 44, 8
COLOURS = {"收入": "#2f6f9f", "支出": "#c2602b"}


@dataclass(frozen=True)
class Bar:
    year: str
    series: str
    value: Decimal | None
    label: str


def bars(decl: Declaration) -> list[Bar]:
    f = decl.funding
    if f is None:
        return []
    columns: list[tuple[str, int | None]] = [
        (f"{y}年" if y else f"前第 {len(f.history_years) - i} 年", i) for i, y in enumerate(f.history_years)
    ]
    columns.append((f"{decl.year}年", None))
    out = []
    for label, index in columns:
        for series, rows, total in (("收入", f.income, f.income_total),
                                    ("支出", f.expenditure, f.expenditure_total)):
            value = column_total(rows, total, index)
            text = value.text if isinstance(value, Money) else (format(value, "f") if value is not None else "—")
            out.append(Bar(label, series, value.value if isinstance(value, Money) else value, text))
    return out


def bar_chart(decl: Declaration, chart_id: str) -> Markup:
    """Inline SVG; the funding table that follows is its accessible long description."""
    data = bars(decl)
    if not data:
        return Markup("")
    top = max((b.value for b in data if b.value is not None), default=Decimal(0)) or Decimal(1)
    plot = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="dc-chart-svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">近三年收入与支出合计（单位：{escape(decl.money_unit)}），数据见下表</title>',
        f'<line x1="{LEFT}" y1="{TOP + plot}" x2="{WIDTH - LEFT}" y2="{TOP + plot}" stroke="#666"/>',
    ]
    group = 2 * BAR + GAP
    step = (WIDTH - 2 * LEFT) / (len(data) // 2)
    for i, b in enumerate(data):
        x = LEFT + (i // 2) * step + (step - group) / 2 + (i % 2) * (BAR + GAP)
        h = float(b.value / top) * plot if b.value is not None else 0.0
        y = TOP + plot - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{BAR}" height="{h:.1f}" '
                     f'fill="{COLOURS[b.series]}"><title>{escape(b.year)}{b.series} {escape(b.label)}</title></rect>')
        parts.append(f'<text x="{x + BAR / 2:.1f}" y="{y - 6:.1f}" text-anchor="middle" '
                     f'font-size="12">{escape(b.label)}</text>')
        if i % 2 == 0:
            parts.append(f'<text x="{x + group / 2:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
                         f'font-size="13">{escape(b.year)}</text>')
    for j, (series, colour) in enumerate(COLOURS.items()):
        lx = WIDTH - LEFT - 120 + j * 60
        parts.append(f'<rect x="{lx}" y="6" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{lx + 16}" y="16" font-size="12">{series}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
