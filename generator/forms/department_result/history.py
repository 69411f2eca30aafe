"""A unit's self-evaluations year by year, for its history page: 预算 vs 执行 as a small chart (the table after it
is its long description and its fallback) and each year's 自评总分, all as filed."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from ...chart import COLOURS, Bar, Column, draw
from ...model import Document
from .model import UnitResult

SERIES = dict(zip(("预算", "执行"), COLOURS.values(), strict=True))  # the funding chart's two colours


def result_history(others: Sequence[Document]) -> list[Document]:
    """The unit's 部门整体 self-evaluations among its other forms, the earliest year first."""
    return sorted((d for d in others if isinstance(d.decl, UnitResult)), key=lambda d: d.decl.year)


def history_chart(results: Sequence[Document], chart_id: str) -> Markup:
    """全年（调整）预算数 beside 全年执行数 per year; nothing when no year has either, or when the years' money units
    differ (amounts in different units are never drawn on one scale)."""
    units = {str(d.decl.money_unit) for d in results}
    columns = []
    for doc in results:
        decl: UnitResult = doc.decl
        label = f"{decl.year}年"
        pair = [Bar(label, series, m.value if m else None, m.text if m else "—")
                for series, m in (("预算", decl.budget.budget), ("执行", decl.budget.spent))]
        if any(b.value is not None for b in pair):
            columns.append(Column(label, int(decl.year), (pair[0], pair[1])))
    if not columns or len(units) != 1:
        return Markup("")
    years = "、".join(c.label for c in columns)
    return draw(columns, f"{years}预算与执行（单位：{units.pop()}）", chart_id, SERIES)
