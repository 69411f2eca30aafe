"""The 部门整体支出绩效目标申报表's rules, each a small function yielding Problems."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from decimal import Context as DecimalContext
from typing import Any

from ...model import Document, Indicator, Share
from ...privacy import personal_data
from ...problems import Problem
from ...rules import (
    Context,
    Placed,
    Rule,
    at,
    column_problems,
    level_problems,
    phone_format,
    reads,
    required_problems,
    unprinted_problems,
    value_problems,
)
from .editions import Columns, edition_of
from .model import Declaration, FundingRow, FundingTotal, column_cell, column_sum, total_value

PUBLICATION_DAYS = 20  # 预算法: disclose within 20 days of approval


# -- header ------------------------------------------------------------------------------------


@reads("approval_date", "publication_date")
def publication_in_time(doc: Document, ctx: Context) -> Iterator[Problem]:
    approved, published = doc.decl.approval_date, doc.decl.publication_date
    if approved and published:
        days = (published - approved).days
        params = {"published": published, "approved": approved, "days": days}
        if days > PUBLICATION_DAYS:
            yield at(doc, "LATE_PUBLICATION", "publication_date", **params)
        elif days < 0:
            yield at(doc, "PUBLISHED_BEFORE_APPROVAL", "publication_date", **params)


# -- funding -----------------------------------------------------------------------------------

def _columns(doc: Document) -> list[tuple[str, tuple[str | int, ...], int | None]]:
    """(label, path suffix, column index) for the current-year column (None) and each history column."""
    assert doc.decl.funding
    cols: list[tuple[str, tuple[str | int, ...], int | None]] = [("当年", ("amount",), None)]
    for i, year in enumerate(doc.decl.funding.history_years):
        cols.append((f"{year}年" if year else f"近两年第 {i + 1} 列", ("history", i), i))
    return cols


@reads("funding", "year", "edition")
def history_shape(doc: Document, ctx: Context) -> Iterator[Problem]:
    funding = doc.decl.funding
    if not funding:
        return
    width = len(funding.history_years)
    for side in ("income", "expenditure", "income_total", "expenditure_total"):
        rows = getattr(funding, side)
        for i, row in enumerate(rows if isinstance(rows, tuple) else [rows] if rows else []):
            if len(row.history) != width:
                where = (side, i) if isinstance(rows, tuple) else (side,)
                yield at(doc, "HISTORY_LENGTH", "funding", *where, "history",
                          expected=width, actual=len(row.history))
    # The print's order: 2019, 2020 for a 2021 form of the seed's print; 上年, 前年 in 一体化's.
    expected = tuple(doc.decl.year - back for back in edition_of(doc.decl).history_offsets)
    filed = funding.history_years
    if width == len(expected) == 2 and None not in filed and tuple(filed) != expected:
        yield at(doc, "HISTORY_YEARS", "funding", "history_years",
                  expected="、".join(map(str, expected)), actual="、".join(map(str, filed)))


@reads("funding", "edition")
def funding_vocabulary(doc: Document, ctx: Context) -> Iterator[Problem]:
    """Row names outside the edition's funding rows (an edition without a vocabulary checks none)."""
    printed, funding = edition_of(doc.decl), doc.decl.funding
    for side, label, allowed in (("income", "收入构成", printed.income_rows),
                                 ("expenditure", "支出构成", printed.expenditure_rows)):
        rows: tuple[FundingRow, ...] = getattr(funding, side) if funding and allowed else ()
        for i, row in enumerate(rows):
            if row.name not in allowed:
                yield at(doc, "FUNDING_ROW_UNKNOWN", "funding", side, i, "name", side=label, actual=row.name,
                          edition=printed.named, allowed="、".join(allowed))


@reads("funding")
def totals_add_up(doc: Document, ctx: Context) -> Iterator[Problem]:
    funding = doc.decl.funding
    if not funding:
        return
    for side, total, name in (("income", funding.income_total, "INCOME_TOTAL"),
                              ("expenditure", funding.expenditure_total, "EXPENDITURE_TOTAL")):
        if total is None:
            continue
        for label, suffix, index in _columns(doc):
            expected, filed = column_sum(getattr(funding, side), index), column_cell(total, index)
            if expected is not None and filed is not None and filed.value != expected:
                yield at(doc, name, "funding", f"{side}_total", *suffix,
                          column=label, expected=expected, actual=filed.text)


def _totals(rows: Sequence[FundingRow], total: FundingTotal | None, index: int | None) -> set[Decimal]:
    """What a column's total may be: the filed 合计 cell and the sum of the rows.

    Where the two differ, one of them is wrong and INCOME_TOTAL / EXPENDITURE_TOTAL names it;
    a rule that leans on the total accepts either, so that one mistake is reported once.
    """
    return {v for v in (total_value(rows, total, index), column_sum(rows, index)) if v is not None}


@reads("funding")
def budget_balances(doc: Document, ctx: Context) -> Iterator[Problem]:
    funding = doc.decl.funding
    if not funding:
        return
    for label, suffix, index in _columns(doc):
        income = _totals(funding.income, funding.income_total, index)
        spending = _totals(funding.expenditure, funding.expenditure_total, index)
        if income and spending and not income & spending:
            where = ("funding", "expenditure_total", *suffix) if funding.expenditure_total else ("funding",)
            yield at(doc, "UNBALANCED", *where, column=label,
                      income=total_value(funding.income, funding.income_total, index),
                      expenditure=total_value(funding.expenditure, funding.expenditure_total, index))


def _at_precision(percent: Decimal, filed: Share) -> str:
    """A computed share written to the filed share's decimals (四舍五入), as the form would show it."""
    digits = max(percent.adjusted(), 0) - filed.tolerance.adjusted() + 2  # a filed share's decimals are unbounded
    context = DecimalContext(prec=max(28, digits))  # (the default 28 digits would raise on 30 filed decimals)
    return f"{percent.quantize(filed.tolerance, rounding=ROUND_HALF_UP, context=context)}%"


@reads("funding")
def shares_agree(doc: Document, ctx: Context) -> Iterator[Problem]:
    funding = doc.decl.funding
    if not funding:
        return
    for side, label in (("income", "收入构成"), ("expenditure", "支出构成")):
        rows: tuple[FundingRow, ...] = getattr(funding, side)
        totals = _totals(rows, getattr(funding, f"{side}_total"), None) - {Decimal(0)}
        if not totals:
            continue
        # The expected share is computed against the rows' sum: a wrong filed 合计 is its own error.
        base = column_sum(rows, None) or max(totals)
        for i, row in enumerate(rows):
            if row.share is None or row.amount is None:
                continue
            share, amount = row.share, row.amount.value
            if all(abs(share.percent - amount * 100 / total) > share.tolerance for total in totals):
                yield at(doc, "SHARE_MISMATCH", "funding", side, i, "share",
                          name=row.name, actual=share.text, expected=_at_precision(amount * 100 / base, share))
        shares = [r.share for r in rows]
        if shares and all(shares):
            filed = sum((s.percent for s in shares if s), Decimal(0))
            if abs(filed - 100) > max(s.tolerance for s in shares if s):
                yield at(doc, "SHARE_SUM", "funding", side, side=label, actual=f"{filed}%")


@reads("funding")
def total_shares(doc: Document, ctx: Context) -> Iterator[Problem]:
    """A 合计 row's 占比 is 100% (within its filed precision), whatever the rows say."""
    funding = doc.decl.funding
    for side, label in (("income", "收入构成"), ("expenditure", "支出构成")):
        total: FundingTotal | None = getattr(funding, f"{side}_total") if funding else None
        if total and total.share and abs(total.share.percent - 100) > total.share.tolerance:
            yield at(doc, "TOTAL_SHARE", "funding", f"{side}_total", "share", side=label, actual=total.share.text)


# -- projects ----------------------------------------------------------------------------------


@reads("funding", "projects", "edition")
def projects_sum(doc: Document, ctx: Context) -> Iterator[Problem]:
    """The print's project row (项目支出; 一体化: 特定目标类项目支出) is the Σ 本年度预算 of its projects."""
    edition = edition_of(doc.decl)
    funding = doc.decl.funding
    rows = [(i, r) for i, r in enumerate(funding.expenditure if funding else ()) if r.name == edition.project_row]
    if not rows or rows[0][1].amount is None:
        return
    i, row = rows[0]
    assert row.amount
    if edition.project_class and any(p.type not in edition.project_types for p in doc.decl.projects):
        return  # which projects count is unknown until PROJECT_TYPE is fixed
    budgets = sum((p.budget.value for p in doc.decl.projects if p.budget and edition.counted(p.type)), Decimal(0))
    if budgets != row.amount.value:
        projects = f"各{edition.project_class}" if edition.project_class else "各项目"
        yield at(doc, "PROJECT_SUM", "funding", "expenditure", i, "amount",
                  row=edition.project_row, projects=projects, expected=row.amount.text, actual=budgets)


@reads("projects")
def project_budgets(doc: Document, ctx: Context) -> Iterator[Problem]:
    for i, p in enumerate(doc.decl.projects):
        if p.budget and p.total_budget and p.budget.value > p.total_budget.value:
            yield at(doc, "PROJECT_OVER_TOTAL", "projects", i, "budget",
                      budget=p.budget.text, total=p.total_budget.text)


@reads("projects", "year", "edition")
def project_types(doc: Document, ctx: Context) -> Iterator[Problem]:
    year, edition = doc.decl.year, edition_of(doc.decl)
    for i, p in enumerate(doc.decl.projects):
        if p.type not in edition.project_types:
            yield at(doc, "PROJECT_TYPE", "projects", i, "type", label=edition.project_type_label,
                      expected="、".join(edition.project_types), actual=p.type)
        elif p.type == "延续性项目" and not (p.from_year and p.to_year and p.from_year <= year <= p.to_year):
            span = f"{p.from_year or '？'}–{p.to_year or '？'}"
            yield at(doc, "PROJECT_YEARS", "projects", i, "type", year=year, actual=span)


# -- goals and indicators ----------------------------------------------------------------------


def _indicators(doc: Document) -> Iterator[tuple[tuple[str | int, ...], Indicator]]:
    """(path, indicator) for every indicator row, long-term and annual."""
    for _, placed in _tables(doc):
        yield from placed


def _tables(doc: Document) -> Iterator[tuple[Columns, Placed]]:
    """Each indicator table (long-term, then each annual goal's) with the columns the edition prints in it."""
    printed = edition_of(doc.decl)
    yield printed.long_term_columns, [(("long_term", "indicators", i), ind)
                                      for i, ind in enumerate(doc.decl.long_term.indicators)]
    for g, goal in enumerate(doc.decl.annual.goals):
        yield printed.annual_columns, [(("annual", "goals", g, "indicators", i), ind)
                                       for i, ind in enumerate(goal.indicators)]


@reads("long_term", "annual")
def indicator_levels(doc: Document, ctx: Context) -> Iterator[Problem]:
    return level_problems(doc, ctx, _indicators(doc))


@reads("long_term", "annual")
def indicator_values(doc: Document, ctx: Context) -> Iterator[Problem]:
    return value_problems(doc, _indicators(doc))


@reads("long_term", "annual", "edition")
def indicator_columns(doc: Document, ctx: Context) -> Iterator[Problem]:
    """The new columns against the value, the edition's required cells, and cells it does not print."""
    printed = edition_of(doc.decl)
    labels = {**_column_titles(), **printed.labels()}
    for columns, placed in _tables(doc):
        yield from column_problems(doc, placed)
        yield from required_problems(doc, placed, printed.required, labels, edition=printed.named)
        yield from unprinted_problems(doc, placed, [name for name, _ in columns], labels,
                                      edition=printed.named)


@reads("edition", "functions", "tasks", "projects", "funding", "long_term", "annual")
def edition_sections(doc: Document, ctx: Context) -> Iterator[Problem]:
    """The sections the edition requires, filled; those it does not print, empty."""
    printed = edition_of(doc.decl)
    for path in printed.required_sections:
        if not _value(doc.decl, path):
            yield at(doc, "SECTION_REQUIRED", *path, what=printed.title_of(path, _title(path)),
                     edition=printed.named)
    for path in printed.absent:
        if _value(doc.decl, path) not in (None, (), _default(path)):
            yield at(doc, "NOT_IN_EDITION", *path, what=printed.title_of(path, _title(path)),
                     edition=printed.named)


def _value(decl: object, path: tuple[str, ...]) -> object:
    for name in path:
        decl = getattr(decl, name)
    return decl


def _field(path: tuple[str, ...]) -> dataclasses.Field[Any]:
    """The model field at a path of field names from the Declaration."""
    cls: Any = Declaration
    for name in path[:-1]:
        cls = typing.get_type_hints(cls)[name]
    return {f.name: f for f in dataclasses.fields(cls)}[path[-1]]


def _title(path: tuple[str, ...]) -> str:
    return str(_field(path).metadata["title"])


def _default(path: tuple[str, ...]) -> object:
    fld = _field(path)
    return fld.default if fld.default is not dataclasses.MISSING else None


def _column_titles() -> dict[str, str]:
    return {f.name: str(f.metadata["title"]) for f in dataclasses.fields(Indicator)}


@reads("annual")
def goals_have_indicators(doc: Document, ctx: Context) -> Iterator[Problem]:
    for g, goal in enumerate(doc.decl.annual.goals):
        if not goal.indicators:
            yield at(doc, "GOAL_NO_INDICATORS", "annual", "goals", g, number=g + 1)


RULES: tuple[Rule, ...] = (
    publication_in_time,
    phone_format,
    personal_data,
    history_shape,
    totals_add_up,
    budget_balances,
    shares_agree,
    total_shares,
    projects_sum,
    project_budgets,
    project_types,
    indicator_levels,
    indicator_values,
    goals_have_indicators,
    funding_vocabulary,
    indicator_columns,
    edition_sections,
)
