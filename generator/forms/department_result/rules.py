"""The 部门整体支出绩效自评表's rules: budget execution, each indicator's score, Σ 权重 = 100, 自评总分 = Σ 得分."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ...model import Document
from ...privacy import personal_data
from ...problems import Problem
from ...rules import Context, Rule, at, phone_format, reads
from ..results import execution_problems, off, points_sum, score_over, shown, total_problems


@reads("budget")
def budget_sums(doc: Document, ctx: Context) -> Iterator[Problem]:
    yield from execution_problems(doc, doc.decl.budget, ("budget",), "预算执行")


@reads("indicators")
def indicator_scores(doc: Document, ctx: Context) -> Iterator[Problem]:
    """Each 指标得分 ≤ its 指标权重, and = 指标权重 × 得分系数 within the score's filed precision."""
    yield from score_over(doc, doc.decl.indicators, ("indicators",), "weight", lambda i: f"指标「{i.name}」")
    for i, ind in enumerate(doc.decl.indicators):
        if ind.score and ind.weight and ind.coefficient and ind.score.value <= ind.weight.value:
            expected = ind.weight.value * ind.coefficient.percent / 100
            if off(ind.score, expected):
                yield at(doc, "RESULT_INDICATOR_SCORE", "indicators", i, "score", name=ind.name,
                         actual=ind.score.text, weight=ind.weight.text, coefficient=ind.coefficient.text,
                         expected=shown(expected))


@reads("budget", "indicators")
def weights_add_up(doc: Document, ctx: Context) -> Iterator[Problem]:
    decl = doc.decl
    yield from points_sum(doc, [decl.budget.points, *(i.weight for i in decl.indicators)], Decimal(100), "",
                          "indicators")


@reads("budget", "indicators", "total_score")
def total_adds_up(doc: Document, ctx: Context) -> Iterator[Problem]:
    decl = doc.decl
    yield from total_problems(doc, decl.total_score, [decl.budget.score, *(i.score for i in decl.indicators)],
                              "total_score")


RULES: tuple[Rule, ...] = (phone_format, personal_data, budget_sums, indicator_scores, weights_add_up,
                           total_adds_up)
