"""The 项目支出绩效自评表's prints: the national shape (the default), the older Hubei print, Sichuan's split."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..base import Edition

FUNDS = ("initial", "budget", "spent", "points", "rate", "score")
INDICATORS = ("nature", "target", "measure", "actual", "points", "score", "deviation")


@dataclass(frozen=True)
class ResultEdition(Edition):
    """What a print differs in: its column labels ("" = a column it does not print) and its sums."""

    fund_labels: tuple[str, ...] = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    indicator_labels: tuple[str, ...] = ("", "年度指标值", "", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    points_total: Decimal | None = Decimal(100)  # Σ 分值 over the budget row and the indicators
    budget_points: Decimal | None = None  # the budget row's own 分值, where the print fixes it
    closing: bool = False  # 评价结论 / 存在问题 / 改进措施 at the end
    ticks: bool = False  # 项目类别 / 项目属性 / 项目类型 as tick boxes in the header

    def columns(self, labels: tuple[str, ...], fields: tuple[str, ...]) -> list[tuple[str, str]]:
        """(field, label) of the columns this print has, in its order."""
        return [(name, label) for name, label in zip(fields, labels, strict=True) if label]

    @property
    def fund_columns(self) -> list[tuple[str, str]]:
        return self.columns(self.fund_labels, FUNDS)

    @property
    def indicator_columns(self) -> list[tuple[str, str]]:
        return self.columns(self.indicator_labels, INDICATORS)


EDITIONS = (
    ResultEdition("全国", "项目支出绩效自评表"),
    ResultEdition("湖北-旧版", "项目支出绩效自评表",
                  fund_labels=("", "预算数(A)", "执行数(B)", "分值", "执行率(B/A)", "得分(分值×执行率)"),
                  indicator_labels=("", "年初目标值(A)", "", "实际完成值(B)", "分值", "得分", "偏差原因分析及改进措施"),
                  ticks=True),
    ResultEdition("四川", "项目支出绩效自评表",
                  indicator_labels=("指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"),
                  budget_points=Decimal(10), closing=True),
)

_BY_NAME = {e.name: e for e in EDITIONS}


def edition_of(decl: Any) -> ResultEdition:
    """The print a form names (the national one when it names none); the kind's `edition()` says the same."""
    return _BY_NAME.get(decl.edition or "", EDITIONS[0])
