"""Render stage, charts: an SVG bar chart of income and expenditure over the filed years, drawn at build time.

Only years with at least one filed amount are drawn, and the title names exactly those years. Nothing is measured
at build time, so the layout keeps text apart by construction: the legend has a band of its own above the plot,
the plot leaves room for two label lines above its tallest bar, and the two labels of a year that would collide
sideways are stacked instead of drawn side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from .forms.department.model import Declaration, column_total
from .model import Money

WIDTH, HEIGHT, BOTTOM, LEFT = 560, 260, 40, 16
BAR, GAP = 44, 8
FONT = 12  # value and legend labels, px
# A text box is about 1.45 em tall in the CJK fonts of the stack (ascent + descent), so stacked labels are one box
# apart, and the plot starts below the legend band plus two such lines.
LINE = 18
LEGEND_BASELINE = 15
TOP = LEGEND_BASELINE + 4 + 2 * LINE + 6
COLOURS = {"收入": "#2f6f9f", "支出": "#c2602b"}
NUMERALS = {1: "一", 2: "两", 3: "三"}


@dataclass(frozen=True)
class Bar:
    year: str
    series: str
    value: Decimal | None
    label: str


@dataclass(frozen=True)
class Column:
    label: str  # "2021年", or "前第 2 年" when the form leaves the year blank
    year: int | None
    bars: tuple[Bar, Bar]  # income, expenditure


def columns(decl: Declaration) -> list[Column]:
    """The years to draw: every history year with a filed amount, then the current year if it has one."""
    f = decl.funding
    if f is None:
        return []
    years: list[tuple[str, int | None, int | None]] = [
        (f"{y}年" if y else f"前第 {len(f.history_years) - i} 年", int(y) if y else None, i)
        for i, y in enumerate(f.history_years)
    ]
    if all(f.history_years):  # oldest first, whatever order the print's columns have (一体化: 上年, 前年)
        years.sort(key=lambda column: column[1] or 0)
    years.append((f"{decl.year}年", int(decl.year), None))
    out = []
    for label, year, index in years:
        pair = []
        for series, rows, total in (("收入", f.income, f.income_total),
                                    ("支出", f.expenditure, f.expenditure_total)):
            value = column_total(rows, total, index)
            text = value.text if isinstance(value, Money) else (format(value, "f") if value is not None else "—")
            pair.append(Bar(label, series, value.value if isinstance(value, Money) else value, text))
        if any(b.value is not None for b in pair):
            out.append(Column(label, year, (pair[0], pair[1])))
    return out


def bars(decl: Declaration) -> list[Bar]:
    return [b for c in columns(decl) for b in c.bars]


def span_title(decl: Declaration, drawn: list[Column]) -> str:
    """The years drawn, truthfully: "近三年" only for three consecutive years up to this one, else their names."""
    years = [c.year for c in drawn]
    current = int(decl.year)
    if years == list(range(current - len(years) + 1, current + 1)) and len(years) > 1:
        return f"近{NUMERALS[len(years)]}年"
    return "、".join(c.label for c in drawn)


def text_width(text: str) -> float:
    """A generous estimate of a label's width in px: Latin digits and points under 0.62 em, anything else 1 em."""
    return sum(FONT * (0.62 if ord(ch) < 0x2000 else 1.0) for ch in text)


def _label(x: float, baseline: float, text: str, cap: float) -> str:
    # Wider than the room it has (a very long amount): squeezed to fit rather than drawn over its neighbour.
    fit = f' textLength="{cap:.1f}" lengthAdjust="spacingAndGlyphs"' if text_width(text) > cap else ""
    return (f'<text class="dc-chart-value" x="{x:.1f}" y="{baseline:.1f}" text-anchor="middle" '
            f'font-size="{FONT}"{fit}>{escape(text)}</text>')


def _baselines(tops: tuple[float, float], labels: tuple[str, str]) -> tuple[float, float]:
    """Each label sits 6 px above its bar; when the pair would touch sideways, the taller bar's label goes a line up."""
    base = [tops[0] - 6, tops[1] - 6]
    if (text_width(labels[0]) + text_width(labels[1])) / 2 + 4 > BAR + GAP:
        high, low = (0, 1) if tops[0] < tops[1] else (1, 0)
        base[high] = min(base[high], base[low] - LINE)
    return base[0], base[1]


def bar_chart(decl: Declaration, chart_id: str) -> Markup:
    """The chart's figure, inline SVG and caption; the funding table that follows is its accessible long description."""
    drawn = columns(decl)
    if not drawn:
        return Markup("")
    return draw(drawn, f"{span_title(decl, drawn)}收入与支出合计（单位：{decl.money_unit}）", chart_id, COLOURS)


def draw(drawn: list[Column], title: str, chart_id: str, colours: dict[str, str]) -> Markup:
    """Two bars a column (the series named by `colours`, in order), each labelled with its filed text; the table
    that follows the figure is its accessible long description."""
    top = max((b.value for c in drawn for b in c.bars if b.value is not None), default=Decimal(0)) or Decimal(1)
    plot = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="dc-chart-svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}，数据见下表</title>',
        f'<line x1="{LEFT}" y1="{TOP + plot}" x2="{WIDTH - LEFT}" y2="{TOP + plot}" stroke="#666"/>',
    ]
    group = 2 * BAR + GAP
    step = (WIDTH - 2 * LEFT) / len(drawn)
    cap = step - (BAR + GAP) - 8  # a label's widest, so it never reaches the next year's labels
    for k, column in enumerate(drawn):
        x0 = LEFT + k * step + (step - group) / 2
        heights = [float(b.value / top) * plot if b.value is not None else 0.0 for b in column.bars]
        tops = (TOP + plot - heights[0], TOP + plot - heights[1])
        baselines = _baselines(tops, (column.bars[0].label, column.bars[1].label))
        for j, b in enumerate(column.bars):
            x = x0 + j * (BAR + GAP)
            tip = f"{escape(b.year)}{b.series} {escape(b.label)}"
            parts.append(f'<rect x="{x:.1f}" y="{tops[j]:.1f}" width="{BAR}" height="{heights[j]:.1f}" '
                         f'fill="{colours[b.series]}"><title>{tip}</title></rect>')
            parts.append(_label(x + BAR / 2, baselines[j], b.label, cap))
        parts.append(f'<text class="dc-chart-year" x="{x0 + group / 2:.1f}" y="{HEIGHT - BOTTOM + 18}" '
                     f'text-anchor="middle" font-size="13">{escape(column.label)}</text>')
    for j, (series, colour) in enumerate(colours.items()):
        lx = WIDTH - LEFT - 120 + j * 60
        parts.append(f'<rect x="{lx}" y="{LEGEND_BASELINE - 11}" width="12" height="12" fill="{colour}"/>'
                     f'<text class="dc-chart-legend" x="{lx + 16}" y="{LEGEND_BASELINE}" '
                     f'font-size="{FONT}">{series}</text>')
    parts.append("</svg>")
    return Markup('<figure class="dc-chart">\n{}\n<figcaption>{}；数据见下表。</figcaption>\n</figure>').format(
        Markup("".join(parts)), title)
