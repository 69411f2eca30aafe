"""The 项目支出绩效自评表's rules: its sums within the filed precision, its indicators, a miss left unexplained."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal

from ...model import Document, Indicator, Text
from ...privacy import personal_data
from ...problems import Problem
from ...rules import Context, Rule, at, level_problems, phone_format, reads
from ..results import MISSED, attainment, execution_problems, points_sum, score_over, total_problems
from .editions import FUNDS, INDICATORS, edition_of
from .model import FUND_ROWS, FundRow, ProjectResult, ResultFunds, ResultIndicator


@reads("funds")
def fund_sums(doc: Document, ctx: Context) -> Iterator[Problem]:
    """执行率 and 得分 of each 项目资金 row."""
    for name, label in FUND_ROWS.items():
        row: FundRow | None = getattr(doc.decl.funds, name)
        if row is not None:
            yield from execution_problems(doc, row, ("funds", name), label)


_AMOUNTS = {f.name: str(f.metadata["title"]) for f in dataclasses.fields(FundRow) if f.name in FUNDS[:3]}


@reads("funds", "edition")
def fund_parts(doc: Document, ctx: Context) -> Iterator[Problem]:
    """年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金, column by column, where the total and every part are
    filed (exactly: amounts are added, not rounded); the column named as the file's print heads it."""
    funds: ResultFunds = doc.decl.funds
    parts = [funds.fiscal, funds.carried, funds.other]
    printed = dict(edition_of(doc.decl).fund_columns)
    for column, title in _AMOUNTS.items():
        label = printed.get(column) or title
        total = getattr(funds.total, column)
        cells = [getattr(p, column) for p in parts if p is not None and getattr(p, column) is not None]
        if total is not None and len(cells) == len(parts):
            expected = sum((c.value for c in cells), Decimal(0))
            if expected != total.value:
                yield at(doc, "RESULT_FUND_PARTS", "funds", "total", column, column=label, actual=total.text,
                         expected=format(expected, "f"))


@reads("indicators")
def indicator_scores(doc: Document, ctx: Context) -> Iterator[Problem]:
    yield from score_over(doc, doc.decl.indicators, ("indicators",), "points", lambda i: f"指标「{i.name}」")


@reads("funds", "indicators", "edition")
def points_add_up(doc: Document, ctx: Context) -> Iterator[Problem]:
    """Σ 分值 = 100 (budget + indicators), and Sichuan's split: budget 10, indicators 90."""
    decl: ProjectResult = doc.decl
    edition = edition_of(decl)
    budget, indicators = decl.funds.total.points, [i.points for i in decl.indicators]
    if edition.budget_points is not None and edition.points_total is not None:
        yield from points_sum(doc, [budget], edition.budget_points, "预算执行", "funds", "total", "points")
        yield from points_sum(doc, indicators, edition.points_total - edition.budget_points, "绩效指标",
                              "indicators")
    elif edition.points_total is not None:
        yield from points_sum(doc, [budget, *indicators], edition.points_total, "", "indicators")


@reads("funds", "indicators", "total_score")
def total_adds_up(doc: Document, ctx: Context) -> Iterator[Problem]:
    decl: ProjectResult = doc.decl
    yield from total_problems(doc, decl.total_score, [decl.funds.total.score, *(i.score for i in decl.indicators)],
                              "total_score")


@reads("indicators")
def missed_without_reason(doc: Document, ctx: Context) -> Iterator[Problem]:
    """A 实际完成值 that misses the row's own 年度指标值 needs its 偏差原因分析 (a warning: the form asks for it)."""
    for i, ind in enumerate(doc.decl.indicators):
        target, actual = ind.own_target, ind.own_actual
        if not ind.deviation and attainment(target, actual).text == MISSED:
            yield at(doc, "RESULT_NO_REASON", "indicators", i, "actual", name=ind.name, actual=actual,
                     target=target)


def as_indicators(decl: ProjectResult) -> Iterator[tuple[tuple[str | int, ...], Indicator]]:
    """The rows as target indicators (levels, name, value): what the shared indicator rules read."""
    for i, ind in enumerate(decl.indicators):
        yield ("indicators", i), Indicator(ind.level1, ind.level2, ind.name, Text(ind.own_target or "-"))


@reads("indicators")
def indicator_levels(doc: Document, ctx: Context) -> Iterator[Problem]:
    return level_problems(doc, ctx, as_indicators(doc.decl))


def _title(model: type, name: str) -> str:
    return str(next(f.metadata["title"] for f in dataclasses.fields(model) if f.name == name))


@reads("funds", "indicators", "edition", "category", "attribute", "project_type", "conclusion", "issues",
       "measures")
def not_in_edition(doc: Document, ctx: Context) -> Iterator[Problem]:
    """A cell filed that the file's print has no place for (湖北-旧版 has no 年初预算数, only 四川 has 评价结论, only
    湖北-旧版 ticks 项目类别…): the page would not show it while the downloads publish it, so it is said."""
    decl: ProjectResult = doc.decl
    edition = edition_of(decl)
    printed = f"{edition.name}（{edition.title}）"
    header = {"category": edition.ticks, "attribute": edition.ticks, "project_type": edition.ticks,
              "conclusion": edition.closing, "issues": edition.closing, "measures": edition.closing}
    for name, shown in header.items():
        if getattr(decl, name) and not shown:
            yield at(doc, "NOT_IN_EDITION", name, what=_title(ProjectResult, name), edition=printed)
    fund_columns = {name for name, _ in edition.fund_columns}
    for row_name, label in FUND_ROWS.items():
        row: FundRow | None = getattr(decl.funds, row_name)
        for column in FUNDS:
            if row is not None and column not in fund_columns and getattr(row, column) is not None:
                yield at(doc, "NOT_IN_EDITION", "funds", row_name, column,
                         what=f"{label}的{_title(FundRow, column)}", edition=printed)
    indicator_columns = {name for name, _ in edition.indicator_columns}
    for i, ind in enumerate(decl.indicators):
        for column in INDICATORS:
            if column not in indicator_columns and getattr(ind, column):
                yield at(doc, "NOT_IN_EDITION", "indicators", i, column,
                         what=f"指标「{ind.name}」的{_title(ResultIndicator, column)}", edition=printed)


RULES: tuple[Rule, ...] = (
    phone_format,
    personal_data,
    fund_sums,
    fund_parts,
    indicator_scores,
    points_add_up,
    total_adds_up,
    missed_without_reason,
    indicator_levels,
    not_in_edition,
)
