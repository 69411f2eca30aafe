"""The 部门整体支出绩效目标申报表: its dataclasses (the field metadata also generates its schema)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ...model import Indicator, Money, Share, Status, Text, UnitId, Waiver, Year, f
from .editions import PROJECT_TYPES, YITIHUA_PROJECT_TYPES, EditionName

__all__ = ["PROJECT_TYPES"]  # the seed's 项目类型 (the importer's template offers them)

@dataclass(frozen=True, slots=True)
class FundingRow:
    name: Text = f("项目", "收入或支出的构成项，如 财政拨款、其他资金、基本支出、项目支出")
    amount: Money | None = f("当年金额", "当年金额，按原表填写（单位见 money_unit）", None)
    share: Share | None = f("占比", "占比，按原表填写的百分数，如 97.27%；不填则按金额计算", None)
    history: tuple[Money | None, ...] = f(
        "近两年收支金额", "近两年金额，顺序与 history_years 相同；原表空白处填 ~", ()
    )


@dataclass(frozen=True, slots=True)
class FundingTotal:
    amount: Money | None = f("合计当年金额", "合计的当年金额，按原表填写；不填则由各行相加", None)
    share: Share | None = f("合计占比", "合计的占比，通常为 100%", None)
    history: tuple[Money | None, ...] = f("合计近两年金额", "合计的近两年金额，顺序与 history_years 相同", ())


def column_cell(row: FundingRow | FundingTotal, index: int | None) -> Money | None:
    """A row's cell in one column: the current year (index None) or the index-th history year."""
    if index is None:
        return row.amount
    return row.history[index] if index < len(row.history) else None


def column_sum(rows: Sequence[FundingRow], index: int | None) -> Decimal | None:
    """The sum of the rows in one column; None when there are no rows or a cell is blank."""
    cells = [column_cell(r, index) for r in rows]
    if not cells or None in cells:
        return None
    return sum((c.value for c in cells if c), Decimal(0))


def column_total(rows: Sequence[FundingRow], total: FundingTotal | None, index: int | None) -> Money | Decimal | None:
    """A column's total: the filed 合计 cell where there is one, else the sum of the rows."""
    filed = column_cell(total, index) if total else None
    return filed if filed is not None else column_sum(rows, index)


def total_value(rows: Sequence[FundingRow], total: FundingTotal | None, index: int | None) -> Decimal | None:
    value = column_total(rows, total, index)
    return value.value if isinstance(value, Money) else value


@dataclass(frozen=True, slots=True)
class Funding:
    history_years: tuple[Year | None, ...] = f(
        "近两年年份", "“近两年收支金额”两列的年份，如 [2019, 2020]；原表空白则填 ~，不要自行补写"
    )
    income: tuple[FundingRow, ...] = f("收入构成", "收入构成各行（财政拨款、其他资金……）")
    expenditure: tuple[FundingRow, ...] = f("支出构成", "支出构成各行（基本支出、项目支出……）")
    income_total: FundingTotal | None = f("收入合计", "收入构成的合计行，按原表填写", None)
    expenditure_total: FundingTotal | None = f("支出合计", "支出构成的合计行，按原表填写", None)


@dataclass(frozen=True, slots=True)
class Project:
    name: Text = f("项目名称", "按预算支出项目名称填写")
    type: Text = f(
        "项目类型", "常年性项目、延续性项目（填起止年度）或一次性项目；湖北-2022 为支出项目类别："
        "人员类项目、运转类项目或特定目标类项目", enum=PROJECT_TYPES + YITIHUA_PROJECT_TYPES
    )
    total_budget: Money | None = f("项目总预算", "项目总预算", None)
    budget: Money | None = f("项目本年度预算", "项目本年度预算", None)
    purpose: Text | None = f("项目主要支出方向和用途", "项目主要支出方向和用途", None)
    from_year: Year | None = f("起始年度", "延续性项目的起始年度（从 X 年）", None)
    to_year: Year | None = f("终止年度", "延续性项目的终止年度（至 Y 年）", None)


@dataclass(frozen=True, slots=True)
class AnnualGoal:
    title: Text = f("年度目标", "年度目标的内容（“年度目标 N：”之后的文字）")
    indicators: tuple[Indicator, ...] = f("年度目标绩效指标", "该年度目标的绩效指标，每行一个指标名称", ())


@dataclass(frozen=True, slots=True)
class LongTerm:
    deadline_year: Year | None = f("截止年度", "长期目标的截止年度（截止 X 年）；原表空白填 ~", None)
    targets: tuple[Text, ...] = f("长期目标", "长期目标各条，连同原表编号，如 “目标 1：……”", ())
    indicators: tuple[Indicator, ...] = f("长期目标绩效指标", "长期目标的绩效指标", ())


@dataclass(frozen=True, slots=True)
class Annual:
    targets: tuple[Text, ...] = f("年度目标（总目标）", "整体绩效总目标中的年度目标各条，连同原表编号", ())
    goals: tuple[AnnualGoal, ...] = f("年度目标及绩效指标", "“年度目标 N”各表：目标内容及其绩效指标", ())


@dataclass(frozen=True, slots=True)
class Declaration:
    year: Year = f("预算年度", "申报表所属预算年度，与文件所在目录一致")
    unit_id: UnitId = f("单位编号", "单位的稳定编号（小写字母、数字、连字符），用于文件名和网址")
    unit_name: Text = f("部门（单位）名称", "部门（单位）名称，按原表填写")
    # Required by every print that has them (editions.py `needs`: the loader reports them missing), not by 湖南's.
    filing_date: dt.date | None = f("填报日期", "填报日期，YYYY-MM-DD（湖南-整体 无此项）", None)
    money_unit: Text | None = f("金额单位", "金额单位，如 万元（湖南-整体 无此项）", None)
    leader: Text | None = f("单位领导审签", "单位领导审签人", None)
    filer: Text | None = f("填报人", "填报人", None)
    phone: Text | None = f("联系电话", "联系电话；个人手机号在公开网站上打码显示", None)
    status: Status = f("状态", "draft（草稿，不公开）或 published（公开）", "draft")
    edition: EditionName | None = f(
        "表式", "原表的表式：湖北-2021（默认，不填即是）、湖北-2022（一体化版）或 湖南-整体（整体绩效目标表）", None
    )
    approval_date: dt.date | None = f("批复日期", "预算批复日期（可选）", None)
    publication_date: dt.date | None = f("公开日期", "公开日期（可选）；应在批复后 20 日内", None)
    funding: Funding | None = f("部门总体资金情况", "收入构成、支出构成及近两年收支金额", None)
    functions: tuple[Text, ...] = f("部门职能概述", "部门职能各条，连同原表编号，如 “1. ……”", ())
    tasks: tuple[Text, ...] = f("年度工作任务", "年度工作任务各条，连同原表编号", ())
    projects: tuple[Project, ...] = f("项目支出情况", "项目支出各行；原表中“……”空行不填", ())
    long_term: LongTerm = f("长期目标", "长期目标及其绩效指标", LongTerm())
    annual: Annual = f("年度目标", "年度目标及各年度目标的绩效指标", Annual())
    waivers: tuple[Waiver, ...] = f("豁免", "按原表公开而豁免的错误，每条须写明理由", ())
